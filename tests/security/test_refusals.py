"""Refused writes change nothing and leave an audit event; no unsafe request passes without CSRF."""

import pytest
from django.apps import apps
from django.test import Client

from audit.models import AuditEvent
from licensing.models import Case, Licence
from registry.models import Membership
from registry.roles import OUR_APPS
from tests.security.probe import REFUSED_VERB, client_for, planned_requests, url_for
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


def fingerprint() -> tuple:
    """Row counts of every table but the audit trail, and every status a refusal could move."""
    counts = tuple(
        model._default_manager.count()
        for label in (*OUR_APPS, "auth")
        for model in apps.get_app_config(label).get_models()
        if model._meta.app_label != "audit"
    )
    statuses = (
        tuple(Case.objects.order_by("pk").values_list("status", "assigned_to")),
        tuple(Licence.objects.order_by("pk").values_list("status")),
        tuple(Membership.objects.order_by("pk").values_list("role", "is_active")),
    )
    return counts, statuses


def refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=REFUSED_VERB).order_by("pk"))


def sample(world):  # type: ignore[no-untyped-def]
    case, outlet = world.own["case"], world.own["outlet"]
    return [
        ("portal_viewer", True, "post", f"/api/v1/cases/{case.pk}/submit/"),
        ("caseworker", True, "post", "/api/v1/service-outlets/"),
        ("portal_viewer", True, "patch", f"/api/v1/service-outlets/{outlet.pk}/"),
        ("caseworker", False, "post", "/admin/registry/enterprise/add/"),
        ("portal_admin", False, "post", "/admin/licensing/case/"),
        ("auditor", False, "post", "/admin/otp/reset/"),
        ("portal_viewer", False, "post", f"/portal/cases/{case.pk}/edit/"),
        ("portal_applicant", False, "post", "/portal/company/invite/"),
        ("registrar", False, "post", "/portal/cases/"),
    ]


def test_refused_writes_through_the_api_admin_and_portal_are_audited_and_change_nothing():
    world = build_world()
    for role, api, method, url in sample(world):
        client = client_for(role, world, api=api)
        before, seen = fingerprint(), len(refusals())
        extra = {} if api else {"HTTP_X_CSRFTOKEN": "m" * 32}
        response = getattr(client, method)(url, {"status": "approved"}, **extra)
        assert response.status_code == 403, url
        assert fingerprint() == before, url
        new = refusals()[seen:]
        assert [(event.actor_id, event.payload["path"]) for event in new] == [
            (world.users[role].pk, url)
        ]


@pytest.mark.parametrize("area", ["portal/", "admin/"])
def test_no_signed_in_post_without_a_csrf_token_gets_through_or_changes_anything(area):
    world = build_world()
    role = "portal_admin" if area == "portal/" else "superuser"
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    before = fingerprint()
    answered = {
        entry.shape: client.post(url_for(entry.shape, entry.params, "own", world)).status_code
        for entry in planned_requests()
        if entry.method == "POST" and entry.shape.startswith(area)
    }
    assert len(answered) > 20
    assert {shape: status for shape, status in answered.items() if status != 403} == {}
    assert fingerprint() == before
