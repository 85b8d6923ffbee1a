"""Admin forms and actions write through the registry services, or refuse with field errors."""

from datetime import date

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AuditEvent
from registry import services
from registry.models import (
    Authorisation,
    Brand,
    CalendarDay,
    Country,
    Enterprise,
    Membership,
    Qualification,
    VehicleModel,
)
from tests.registry.factories import (
    AuthorisationFactory,
    BrandFactory,
    CalendarDayFactory,
    EnterpriseFactory,
    IssuingOfficeFactory,
    QualificationFactory,
    UserFactory,
    valid_uscc,
)


def page_data(response) -> dict:  # type: ignore[no-untyped-def]
    """The data a browser would post back from an admin add/change page, unchanged."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = "on" if value is True else str(value)
    return data


def events(verb: str):  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(verb=verb)


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def enterprise_form(**overrides: object) -> dict:
    data = {
        "name_zh": "测试汽车有限公司",
        "name_en": "Test Cars",
        "uscc": valid_uscc(),
        "kind": "manufacturer",
        "miit_catalogue_number": "MIIT-1",
        "issuing_office": IssuingOfficeFactory().pk,
        "status": "active",
    }
    return {**data, **overrides}


@pytest.fixture
def as_registrar(client, registrar):  # type: ignore[no-untyped-def]
    client.force_login(registrar)
    return client


ADD_ENTERPRISE = reverse("admin:registry_enterprise_add")
ADD_AUTHORISATION = reverse("admin:registry_authorisation_add")


def test_registrar_adds_an_enterprise_through_the_service(as_registrar, registrar):
    response = as_registrar.post(ADD_ENTERPRISE, enterprise_form(name_en="Lotus Pond Auto"))
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name_en="Lotus Pond Auto")
    event = events("registry.enterprise.created").get()
    assert event.actor == registrar
    assert event.target_id == str(enterprise.pk)
    assert event.payload["new"]["name_en"] == "Lotus Pond Auto"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"uscc": "91310000MA1FL00010"}, "uscc"),
        ({"uscc": "91310000ma1fl0001x"}, "uscc"),
        ({"miit_catalogue_number": ""}, "miit_catalogue_number"),
        ({"negative_listed": "on"}, "negative_list_reason"),
    ],
    ids=["bad-check-character", "lowercase", "manufacturer-without-miit", "negative-no-reason"],
)
def test_bad_enterprise_input_gives_a_field_error_and_saves_nothing(as_registrar, overrides, field):
    response = as_registrar.post(ADD_ENTERPRISE, enterprise_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Enterprise.objects.exists()
    assert not events("registry.enterprise.created").exists()


def test_registrar_changes_an_enterprise_and_the_audit_keeps_old_and_new(as_registrar, registrar):
    enterprise = EnterpriseFactory(name_en="Old Name")
    BrandFactory(manufacturer=enterprise)
    change = reverse("admin:registry_enterprise_change", args=[enterprise.pk])
    data = {**page_data(as_registrar.get(change)), "name_en": "New Name"}
    response = as_registrar.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    enterprise.refresh_from_db()
    assert enterprise.name_en == "New Name"
    event = events("registry.enterprise.updated").get()
    assert event.actor == registrar
    assert event.payload["changes"] == {"name_en": ["Old Name", "New Name"]}


def test_saving_an_unchanged_enterprise_writes_no_event(as_registrar):
    enterprise = EnterpriseFactory()
    change = reverse("admin:registry_enterprise_change", args=[enterprise.pk])
    assert as_registrar.post(change, page_data(as_registrar.get(change))).status_code == 302
    assert not events("registry.enterprise.updated").exists()


def test_a_refusal_raised_while_saving_shows_a_message_and_rolls_back(as_registrar, monkeypatch):
    create = services.enterprise_create

    def create_then_refuse(**kwargs: object) -> Enterprise:
        create(**kwargs)
        raise services.ValidationError("The register is closed for maintenance.")

    monkeypatch.setattr(services, "enterprise_create", create_then_refuse)
    response = as_registrar.post(ADD_ENTERPRISE, enterprise_form(), follow=True)
    assert "The register is closed for maintenance." in messages_of(response)
    assert not Enterprise.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="registry.").exists()


def test_caseworker_cannot_post_a_change(client, caseworker):
    enterprise = EnterpriseFactory(name_en="Kept")
    client.force_login(caseworker)
    change = reverse("admin:registry_enterprise_change", args=[enterprise.pk])
    response = client.post(change, enterprise_form(name_en="Changed"))
    assert response.status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.name_en == "Kept"


def test_enterprise_page_lists_brands_authorisations_qualifications_and_recent_events(
    as_registrar,
):
    maker = EnterpriseFactory(name_en="Maker Co")
    exporter = EnterpriseFactory(kind="authorised_exporter", name_en="Trader Co")
    brand = BrandFactory(manufacturer=maker, name="Heron")
    AuthorisationFactory(manufacturer=maker, exporter=exporter, brands=[brand])
    QualificationFactory(enterprise=maker, year=2026, qualification_class="1")
    for n in range(25):
        services.enterprise_update(actor=None, enterprise=maker, data={"name_zh": f"名{n}"})
    response = as_registrar.get(reverse("admin:registry_enterprise_change", args=[maker.pk]))
    body = response.content.decode()
    assert "Heron" in body and "Trader Co" in body and "2026" in body
    assert body.count("registry.enterprise.updated") == 20
    received = as_registrar.get(reverse("admin:registry_enterprise_change", args=[exporter.pk]))
    assert "Maker Co" in received.content.decode()


def test_enterprise_add_page_has_no_inlines(as_registrar):
    assert as_registrar.get(ADD_ENTERPRISE).context["inline_admin_formsets"] == []


# --- brands, models, reference data -----------------------------------------------------------


def test_brand_of_a_non_manufacturer_is_refused(as_registrar):
    trader = EnterpriseFactory(kind="other")
    response = as_registrar.post(
        reverse("admin:registry_brand_add"), {"name": "Kite", "manufacturer": trader.pk}
    )
    assert "manufacturer" in response.context["adminform"].form.errors
    assert not Brand.objects.exists()


def test_vehicle_model_with_a_bad_hs_code_is_refused_and_a_good_one_audited(as_registrar):
    brand = BrandFactory()
    add = reverse("admin:registry_vehiclemodel_add")
    data = {"brand": brand.pk, "name": "Egret", "powertrain": "BEV", "is_active": "on"}
    response = as_registrar.post(add, {**data, "hs_code": "87038010"})
    assert "hs_code" in response.context["adminform"].form.errors
    assert not VehicleModel.objects.exists()
    assert as_registrar.post(add, {**data, "hs_code": "8703801090"}).status_code == 302
    assert events("registry.vehicle_model.created").get().payload["new"]["name"] == "Egret"


@pytest.mark.parametrize("code", ["EU", "XX", "fr", "FRA"])
def test_country_that_is_not_one_iso_country_is_refused(as_registrar, code):
    response = as_registrar.post(
        reverse("admin:registry_country_add"),
        {"code": code, "statutory_warranty_months": 24, "minimum_outlets": 1},
    )
    assert "code" in response.context["adminform"].form.errors
    assert not Country.objects.exists()


def test_issuing_office_change_is_audited(as_registrar):
    office = IssuingOfficeFactory()
    change = reverse("admin:registry_issuingoffice_change", args=[office.pk])
    data = {**page_data(as_registrar.get(change)), "province": "Shanghai Municipality"}
    assert as_registrar.post(change, data).status_code == 302
    event = events("registry.issuing_office.updated").get()
    assert event.payload["changes"] == {"province": ["Shanghai", "Shanghai Municipality"]}


def test_membership_is_added_and_deactivated_through_services(as_registrar):
    user, enterprise = UserFactory(), EnterpriseFactory()
    add = reverse("admin:registry_membership_add")
    data = {"user": user.pk, "enterprise": enterprise.pk, "role": "viewer"}
    assert as_registrar.post(add, data).status_code == 302
    membership = Membership.objects.get(user=user)
    change = reverse("admin:registry_membership_change", args=[membership.pk])
    data = page_data(as_registrar.get(change))
    data.pop("is_active")
    assert as_registrar.post(change, data).status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False
    assert events("registry.membership.created").count() == 1
    event = events("registry.membership.updated").get()
    assert event.payload["changes"] == {"is_active": [True, False]}


def test_calendar_day_is_entered_and_renamed_by_staff(as_registrar):
    add = reverse("admin:registry_calendarday_add")
    data = {"date": "2027-02-08", "name": "Spring Festival"}
    assert as_registrar.post(add, data).status_code == 302
    day = CalendarDay.objects.get(date=date(2027, 2, 8))
    assert (day.is_working_day, day.source) == (False, "staff")
    change = reverse("admin:registry_calendarday_change", args=[day.pk])
    data = {**page_data(as_registrar.get(change)), "name": "春节"}
    assert as_registrar.post(change, data).status_code == 302
    assert events("registry.calendar_day.updated").get().payload["changes"]["name"] == [
        "Spring Festival",
        "春节",
    ]


def test_a_second_entry_for_the_same_date_is_refused(as_registrar):
    CalendarDayFactory(date=date(2027, 2, 8))
    response = as_registrar.post(
        reverse("admin:registry_calendarday_add"), {"date": "2027-02-08", "name": "again"}
    )
    assert "date" in response.context["adminform"].form.errors


# --- the calendar warning -------------------------------------------------------------------


@time_machine.travel(date(2026, 11, 28))
def test_admin_index_warns_when_next_year_has_no_official_calendar(as_registrar):
    response = as_registrar.get(reverse("admin:index"))
    assert b'id="calendar-warning"' in response.content
    assert b"2027 has no official PRC holiday calendar" in response.content


@time_machine.travel(date(2026, 11, 28))
def test_admin_index_is_quiet_once_next_year_is_entered(as_registrar):
    CalendarDayFactory(date=date(2027, 1, 1), name="New Year")
    assert b'id="calendar-warning"' not in as_registrar.get(reverse("admin:index")).content


@time_machine.travel(date(2026, 11, 28))
def test_calendar_changelist_warns_about_next_year(as_registrar):
    response = as_registrar.get(reverse("admin:registry_calendarday_changelist"))
    assert b'id="calendar-warning"' in response.content
    assert b"2027 has no official PRC holiday calendar" in response.content
    assert reverse("admin:registry_calendarday_import").encode() in response.content


@time_machine.travel(date(2026, 11, 28))
def test_other_admin_pages_carry_no_calendar_warning(as_registrar):
    for name in ("admin:registry_enterprise_changelist", "admin:licensing_case_changelist"):
        response = as_registrar.get(reverse(name))
        assert response.status_code == 200
        assert b'id="calendar-warning"' not in response.content
        assert b"has no official PRC holiday calendar" not in response.content


# --- authorisations -------------------------------------------------------------------------


@pytest.fixture
def parties(db):  # type: ignore[no-untyped-def]
    maker = EnterpriseFactory()
    exporter = EnterpriseFactory(kind="authorised_exporter")
    return maker, exporter, BrandFactory(manufacturer=maker)


def authorisation_form(maker, exporter, brands, **overrides: object) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "manufacturer": maker.pk,
        "exporter": exporter.pk,
        "brands": [b.pk for b in brands],
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
        "evidence_reference": "LETTER-1",
    }
    return {**data, **overrides}


def test_registrar_records_an_authorisation_with_its_brands(as_registrar, parties):
    maker, exporter, brand = parties
    response = as_registrar.post(ADD_AUTHORISATION, authorisation_form(maker, exporter, [brand]))
    assert response.status_code == 302
    authorisation = Authorisation.objects.get()
    assert list(authorisation.brands.all()) == [brand]
    assert events("registry.authorisation.created").get().payload["new"]["brands"] == [brand.pk]


def test_authorisation_refusals_show_as_field_errors(as_registrar, parties):
    maker, exporter, brand = parties
    trader = EnterpriseFactory(kind="other")
    foreign_brand = BrandFactory()
    AuthorisationFactory(
        manufacturer=maker,
        exporter=exporter,
        brands=[brand],
        valid_from=date(2026, 6, 1),
        valid_until=date(2027, 5, 31),
    )
    cases = {
        "manufacturer": authorisation_form(trader, exporter, [brand]),
        "exporter": authorisation_form(maker, EnterpriseFactory(), [brand]),
        "brands": authorisation_form(maker, exporter, [foreign_brand]),
        "valid_until": authorisation_form(maker, exporter, [brand], valid_until="2025-12-31"),
        "valid_from": authorisation_form(maker, exporter, [brand]),
    }
    for field, data in cases.items():
        response = as_registrar.post(ADD_AUTHORISATION, data)
        assert response.status_code == 200, field
        assert field in response.context["adminform"].form.errors, field
    assert Authorisation.objects.count() == 1
    assert not events("registry.authorisation.created").exists()


def test_changing_an_authorisations_brands_and_dates_is_audited(as_registrar, parties):
    maker, exporter, brand = parties
    second = BrandFactory(manufacturer=maker)
    authorisation = AuthorisationFactory(manufacturer=maker, exporter=exporter, brands=[brand])
    change = reverse("admin:registry_authorisation_change", args=[authorisation.pk])
    data = {
        **page_data(as_registrar.get(change)),
        "brands": [str(brand.pk), str(second.pk)],
        "valid_until": "2027-06-30",
    }
    assert as_registrar.post(change, data).status_code == 302
    event = events("registry.authorisation.updated").get()
    assert event.payload["changes"] == {
        "brands": [[brand.pk], sorted([brand.pk, second.pk])],
        "valid_until": ["2027-12-31", "2027-06-30"],
    }


def test_a_revoked_authorisation_is_read_only(as_registrar, parties):
    maker, exporter, brand = parties
    authorisation = AuthorisationFactory(manufacturer=maker, exporter=exporter, brands=[brand])
    services.authorisation_revoke(actor=None, authorisation=authorisation, reason="ended")
    change = reverse("admin:registry_authorisation_change", args=[authorisation.pk])
    assert as_registrar.get(change).context["adminform"].form.fields == {}


def run_action(client, model: str, action: str, objs, **extra: str):  # type: ignore[no-untyped-def]
    data = {"action": action, "_selected_action": [o.pk for o in objs], **extra}
    return client.post(reverse(f"admin:registry_{model}_changelist"), data, follow=True)


def test_revoking_asks_for_a_reason_first(as_registrar, parties):
    maker, exporter, brand = parties
    authorisation = AuthorisationFactory(manufacturer=maker, exporter=exporter, brands=[brand])
    response = run_action(as_registrar, "authorisation", "revoke", [authorisation])
    assert response.templates[0].name == "admin/registry/action_reason.html"
    response = run_action(as_registrar, "authorisation", "revoke", [authorisation], apply="1")
    assert "reason" in response.context["form"].errors
    authorisation.refresh_from_db()
    assert not authorisation.is_revoked


def test_revoke_action_revokes_through_the_service_once(as_registrar, registrar, parties):
    maker, exporter, brand = parties
    authorisation = AuthorisationFactory(manufacturer=maker, exporter=exporter, brands=[brand])
    reason = {"apply": "1", "reason": "Distribution contract ended"}
    run_action(as_registrar, "authorisation", "revoke", [authorisation], **reason)
    authorisation.refresh_from_db()
    assert authorisation.revocation_reason == "Distribution contract ended"
    event = events("registry.authorisation.revoked").get()
    assert event.actor == registrar
    again = run_action(as_registrar, "authorisation", "revoke", [authorisation], **reason)
    assert any("already revoked" in m for m in messages_of(again))
    assert events("registry.authorisation.revoked").count() == 1


def test_caseworker_has_no_revoke_action(client, caseworker, parties):
    maker, exporter, brand = parties
    authorisation = AuthorisationFactory(manufacturer=maker, exporter=exporter, brands=[brand])
    client.force_login(caseworker)
    run_action(client, "authorisation", "revoke", [authorisation], apply="1", reason="x")
    authorisation.refresh_from_db()
    assert not authorisation.is_revoked


# --- qualifications -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        ("granted", "suspend", "suspended"),
        ("suspended", "reinstate", "granted"),
        ("granted", "cancel", "cancelled"),
        ("suspended", "cancel", "cancelled"),
        ("granted", "reinstate", "granted"),
        ("suspended", "suspend", "suspended"),
        ("cancelled", "reinstate", "cancelled"),
        ("cancelled", "suspend", "cancelled"),
        ("cancelled", "cancel", "cancelled"),
    ],
)
def test_officer_moves_a_qualification_only_where_the_table_allows(
    client, officer, start, action, end
):
    qualification = QualificationFactory()
    Qualification.objects.filter(pk=qualification.pk).update(status=start)
    client.force_login(officer)
    response = run_action(
        client, "qualification", action, [qualification], apply="1", reason="Finding 7"
    )
    qualification.refresh_from_db()
    assert qualification.status == end
    moved = start != end
    assert events(f"registry.qualification.{action}").count() == int(moved)
    if not moved:
        assert any("cannot be" in m for m in messages_of(response))


def test_registrar_cannot_grant_a_qualification_by_hand(as_registrar):
    enterprise = EnterpriseFactory()
    add = reverse("admin:registry_qualification_add")
    data = {
        "enterprise": enterprise.pk,
        "year": 2026,
        "qualification_class": "2",
        "granted_on": "2026-03-01",
    }
    assert as_registrar.post(add, data).status_code == 403
    assert not Qualification.objects.exists()


def test_superuser_grants_a_qualification_through_the_service(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    enterprise = EnterpriseFactory()
    data = {
        "enterprise": enterprise.pk,
        "year": 2026,
        "qualification_class": "2",
        "granted_on": "2026-03-01",
    }
    response = client.post(reverse("admin:registry_qualification_add"), data)
    assert response.status_code == 302
    assert Qualification.objects.get().status == "granted"
    assert events("registry.qualification.granted").count() == 1
    again = client.post(reverse("admin:registry_qualification_add"), data)
    assert again.status_code == 200
    assert Qualification.objects.count() == 1


def test_staff_search_and_filters_answer(as_registrar, parties):
    maker, exporter, brand = parties
    AuthorisationFactory(manufacturer=maker, exporter=exporter, brands=[brand])
    for model, query in [
        ("enterprise", "?q=Test&kind__exact=manufacturer"),
        ("authorisation", f"?q={brand.name}&revoked_at__isempty=1"),
        ("qualification", "?status__exact=granted&year=2026"),
        ("vehiclemodel", "?powertrain__exact=BEV&q=8703"),
        ("brand", "?q=Brand"),
        ("membership", "?role__exact=admin"),
        ("calendarday", "?source__exact=staff"),
    ]:
        url = reverse(f"admin:registry_{model}_changelist") + query
        assert as_registrar.get(url).status_code == 200, model
