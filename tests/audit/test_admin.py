import pytest
from django.contrib import admin
from django.http import StreamingHttpResponse
from django.test import RequestFactory

from audit.admin_timeline import AuditTimelineMixin, render_timeline
from audit.export import BOM
from audit.models import AuditCheckpoint, AuditEvent
from audit.services import audit_record
from tests.audit.conftest import record_events
from tests.registry.factories import UserFactory

CHANGELIST = "/admin/audit/auditevent/"


@pytest.fixture
def superuser(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [AuditEvent, AuditCheckpoint])
def test_nobody_adds_changes_or_deletes_audit_records_in_the_admin(superuser, model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


@pytest.mark.django_db
def test_auditor_sees_the_filtered_list_and_the_export_button(client, auditor):
    record_events(4, enterprise_id=42)
    client.force_login(auditor)
    response = client.get(CHANGELIST, {"verb__exact": "test.thing.done", "since": "2000-01-01"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
    assert b"Export these (CSV)" in response.content
    assert b"date range" in response.content


@pytest.mark.django_db
def test_caseworker_reads_the_list_without_the_export_button(client, caseworker):
    client.force_login(caseworker)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert b"Export these (CSV)" not in response.content
    assert client.get(CHANGELIST + "export/").status_code == 403


@pytest.mark.django_db
def test_admin_export_streams_what_the_changelist_shows(client, auditor):
    record_events(6, enterprise_id=42)
    client.force_login(auditor)
    response = client.get(CHANGELIST + "export/", {"enterprise": "42", "actor": "system"})
    assert isinstance(response, StreamingHttpResponse)
    data = b"".join(response.streaming_content)
    assert data.startswith(BOM)
    assert data.count(b"\n") == 1 + AuditEvent.objects.filter(enterprise_id=42).count()
    manifest_url = response["Link"].split(";")[0].strip("<>")
    manifest = client.get(manifest_url).json()
    assert manifest["row_count"] == 4 and manifest["contiguous"] is False
    assert AuditEvent.objects.filter(verb="audit.trail.exported", actor=auditor).exists()


@pytest.mark.django_db
def test_the_timeline_shows_an_objects_latest_events(auditor):
    user = UserFactory(username="subject")
    audit_record(actor=auditor, verb="registry.thing.changed", target=user)
    html = render_timeline(user)
    assert f"{auditor.username} recorded an action" in html
    assert "registry.thing.changed" not in html


@pytest.mark.django_db
def test_the_timeline_tells_a_change_with_the_models_own_field_names(auditor):
    user = UserFactory(username="subject")
    payload = {"changes": {"first_name": ["", "Li"], "password": ["a", "b"]}, "x_y": {"a": 1}}
    payload["changes"]["is_active"] = [True, False]
    audit_record(actor=auditor, verb="auth.user.updated", target=user, payload=payload)
    html = render_timeline(user)
    assert f"{auditor.username} changed the record" in html
    assert "First name: — → Li" in html and "Active: yes → no" in html
    assert "{" not in html.split("<tbody>")[1].split("</tbody>")[0]


@pytest.mark.django_db
def test_the_timeline_mixin_adds_a_read_only_panel_for_staff(auditor, maker):
    class UserAdmin(AuditTimelineMixin, admin.ModelAdmin):
        pass

    model_admin = UserAdmin(type(auditor), admin.site)
    request = RequestFactory().get("/")
    request.user = auditor
    assert "audit_timeline" in model_admin.get_readonly_fields(request, auditor)
    request.user = maker
    assert "audit_timeline" not in model_admin.get_readonly_fields(request, auditor)
