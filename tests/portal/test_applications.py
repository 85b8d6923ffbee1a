"""Starting and editing applications on the portal: the guided form and its refusals."""

from decimal import Decimal

import pytest

from audit.models import AuditEvent
from licensing.models import Case
from tests.licensing.factories import CaseFactory, CaseLineFactory
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import (
    AuthorisationFactory,
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
    MembershipFactory,
    VehicleModelFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def brand(manufacturer):  # type: ignore[no-untyped-def]
    return BrandFactory(manufacturer=manufacturer, name="Jade River")


@pytest.fixture
def model(brand):  # type: ignore[no-untyped-def]
    return VehicleModelFactory(brand=brand, name="Aurora")


@pytest.fixture
def rival_model(rival_enterprise):  # type: ignore[no-untyped-def]
    return VehicleModelFactory(brand=BrandFactory(manufacturer=rival_enterprise, name="Northwind"))


@pytest.fixture
def france(db):  # type: ignore[no-untyped-def]
    return CountryFactory(code="FR")


def licence_form(brand, model, **overrides):  # type: ignore[no-untyped-def]
    """A complete licence application as the browser posts it, with one goods line."""
    data = {
        "brand": brand.pk,
        "destination": "FR",
        "contract_number": "JR-2026-001",
        "customs_port": "Shanghai Yangshan",
        "trade_mode": "general",
        "transport_mode": "sea",
        "payment_terms": "T/T 30 days",
        "use_mode": "single",
        "valid_from": "2026-03-02",
        "valid_until": "2026-08-31",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-vehicle_model": model.pk,
        "lines-0-quantity": "20",
        "lines-0-unit_price_usd": "24500.00",
    }
    data.update(overrides)
    return data


def nothing_saved() -> bool:
    return (
        not Case.objects.exists()
        and not AuditEvent.objects.filter(verb="licensing.case.created").exists()
    )


@pytest.mark.parametrize("role", ["admin", "applicant"])
@pytest.mark.parametrize("kind", ["licence", "exchange", "qualification"])
def test_members_who_may_apply_see_every_application_form(client, manufacturer, role, kind):  # type: ignore[no-untyped-def]
    client.force_login(MembershipFactory(enterprise=manufacturer, role=role).user)
    response = client.get(f"/portal/apply/{kind}/")
    assert response.status_code == 200
    assert "Save draft" in response.content.decode()


@pytest.mark.parametrize("kind", ["licence", "exchange", "qualification"])
def test_a_viewer_is_told_their_role_cannot_apply(client, viewer, kind):  # type: ignore[no-untyped-def]
    client.force_login(viewer)
    response = client.get(f"/portal/apply/{kind}/")
    assert response.status_code == 403
    assert "not apply" in response.content.decode()
    assert client.post(f"/portal/apply/{kind}/", {}).status_code == 403


def test_an_unknown_kind_of_application_is_not_found(client, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    assert client.get("/portal/apply/permit/").status_code == 404


def test_the_brand_list_offers_own_and_authorised_brands_only(
    client, maker, manufacturer, brand, rival_enterprise
):  # type: ignore[no-untyped-def]
    principal = EnterpriseFactory()
    authorised = BrandFactory(manufacturer=principal, name="Principal Cars")
    AuthorisationFactory(manufacturer=principal, exporter=manufacturer, brands=[authorised])
    BrandFactory(manufacturer=rival_enterprise, name="Northwind")
    client.force_login(maker)
    form = client.get("/portal/apply/licence/").context["form"]
    assert set(form.fields["brand"].queryset) == {brand, authorised}


def test_destinations_are_named_in_the_readers_language(client, maker, france):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    english = client.get("/portal/apply/licence/").content.decode()
    chinese = client.get("/portal/apply/licence/", headers={"accept-language": "zh-hans"})
    assert '<option value="FR">France</option>' in english
    assert '<option value="FR">法国</option>' in chinese.content.decode()


def test_a_licence_application_is_saved_as_a_draft_with_its_lines(
    client, applicant, brand, model, france
):  # type: ignore[no-untyped-def]
    client.force_login(applicant)
    response = client.post("/portal/apply/licence/", licence_form(brand, model))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/cases/{case.pk}/"
    assert (case.status, case.kind, case.brand, case.destination) == (
        "draft",
        "licence",
        brand,
        france,
    )
    line = case.lines.get()
    assert (line.vehicle_model, line.quantity, line.unit_price_usd) == (model, 20, Decimal("24500"))
    assert AuditEvent.objects.filter(verb="licensing.case.created", actor=applicant).exists()
    assert "Your draft was saved" in client.get(response["Location"]).content.decode()


def test_an_authorised_exporter_applies_for_its_principals_brand(client, brand, model, france):  # type: ignore[no-untyped-def]
    exporter = EnterpriseFactory(kind="authorised_exporter")
    AuthorisationFactory(manufacturer=brand.manufacturer, exporter=exporter, brands=[brand])
    client.force_login(MembershipFactory(enterprise=exporter, role="applicant").user)
    response = client.post("/portal/apply/licence/", licence_form(brand, model))
    assert response.status_code == 302
    assert Case.objects.get().applicant == exporter


def test_a_forged_brand_of_another_enterprise_is_a_field_error_and_nothing_is_saved(
    client, maker, model, rival_model, france
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post("/portal/apply/licence/", licence_form(rival_model.brand, rival_model))
    assert response.status_code == 400
    assert response.context["form"].errors["brand"] == [
        "Choose one of the brands your enterprise may export."
    ]
    assert nothing_saved()


def test_a_model_of_another_brand_is_a_field_error_and_nothing_is_saved(
    client, maker, brand, model, rival_model, france
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    data = licence_form(brand, model, **{"lines-0-vehicle_model": rival_model.pk})
    response = client.post("/portal/apply/licence/", data)
    assert response.status_code == 400
    errors = response.context["lines"].forms[0].errors
    assert errors["vehicle_model"] == ["Choose a model of the chosen brand."]
    assert nothing_saved()


def test_a_validity_longer_than_six_months_is_refused_and_what_was_typed_is_kept(
    client, maker, brand, model, france
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    data = licence_form(brand, model, valid_until="2026-09-30", contract_number="KEEP-ME-1")
    response = client.post("/portal/apply/licence/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "A licence is valid for at most six months." in page
    assert 'value="KEEP-ME-1"' in page
    assert 'value="24500.00"' in page
    assert nothing_saved()


def test_a_validity_past_31_december_is_refused(client, maker, brand, model, france):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    data = licence_form(brand, model, valid_from="2026-10-01", valid_until="2027-01-31")
    response = client.post("/portal/apply/licence/", data)
    assert response.status_code == 400
    assert "never valid past 31 December" in response.content.decode()
    assert nothing_saved()


def test_the_validity_rules_are_explained_next_to_the_dates(client, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    page = client.get("/portal/apply/licence/").content.decode()
    assert "At most six months after the first day, and never past 31 December" in page
    assert "From 10 December you may ask for next year&#x27;s licence" in page


def test_an_unparseable_quantity_is_a_field_error(client, maker, brand, model, france):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(
        "/portal/apply/licence/", licence_form(brand, model, **{"lines-0-quantity": "lots"})
    )
    assert response.status_code == 400
    assert "quantity" in response.context["lines"].forms[0].errors
    assert nothing_saved()


def test_without_lines_the_service_asks_for_one(client, maker, brand, model, france):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    data = licence_form(brand, model, **{"lines-0-DELETE": "on"})
    response = client.post("/portal/apply/licence/", data)
    assert response.status_code == 400
    assert "Add at least one goods line." in response.content.decode()
    assert nothing_saved()


def test_adding_a_line_without_javascript_shows_one_more_line_and_saves_nothing(
    client, maker, brand, model, france
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(
        "/portal/apply/licence/", {**licence_form(brand, model), "add_line": "1"}
    )
    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 2
    assert nothing_saved()


def test_show_models_lists_only_the_chosen_brands_models(client, maker, manufacturer, brand, model):  # type: ignore[no-untyped-def]
    other = VehicleModelFactory(brand=BrandFactory(manufacturer=manufacturer), name="Other")
    client.force_login(maker)
    before = client.get("/portal/apply/licence/").context["lines"].forms[0]
    assert set(before.fields["vehicle_model"].queryset) == {model, other}
    data = {
        "brand": brand.pk,
        "show_models": "1",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
    }
    after = client.post("/portal/apply/licence/", data)
    assert set(after.context["lines"].forms[0].fields["vehicle_model"].queryset) == {model}
    assert f'data-brand="{brand.pk}"' in after.content.decode()
    assert nothing_saved()


def test_an_exchange_starts_from_an_own_active_licence(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    licence = issue_licence(applicant=manufacturer)
    client.force_login(maker)
    page = client.get(f"/portal/apply/exchange/?licence={licence.pk}")
    assert licence.number in page.content.decode()
    form, lines = page.context["form"], page.context["lines"]
    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "brand": licence.brand_id,
        "valid_from": "2026-03-02",
        "valid_until": "2026-08-31",
        "lines-TOTAL_FORMS": str(len(lines.forms)),
        "lines-INITIAL_FORMS": str(lines.initial_form_count()),
        **{f"lines-{i}-{k}": v for i, row in enumerate(lines.initial) for k, v in row.items()},
    }
    response = client.post(f"/portal/apply/exchange/?licence={licence.pk}", data)
    case = Case.objects.get(kind="exchange")
    assert response.status_code == 302
    assert case.licence_to_exchange == licence
    assert case.lines.get().quantity == licence.lines.get().remaining


def test_exchanging_another_enterprises_licence_is_a_field_error(
    client, maker, manufacturer, brand, model, france, rival_enterprise
):  # type: ignore[no-untyped-def]
    foreign = issue_licence(applicant=rival_enterprise)
    client.force_login(maker)
    assert (
        foreign.number
        not in client.get(f"/portal/apply/exchange/?licence={foreign.pk}").content.decode()
    )
    data = licence_form(brand, model, licence_to_exchange=foreign.pk)
    response = client.post("/portal/apply/exchange/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["licence_to_exchange"] == [
        "Choose one of your enterprise's active licences."
    ]
    assert not Case.objects.filter(kind="exchange").exists()


def test_a_qualification_application_is_saved_as_a_draft(client, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(
        "/portal/apply/qualification/", {"year": "2026", "qualification_class": "2"}
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.kind, case.year, case.qualification_class) == ("qualification", 2026, "2")


def test_a_qualification_year_out_of_range_is_a_field_error(client, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(
        "/portal/apply/qualification/", {"year": "1999", "qualification_class": "2"}
    )
    assert response.status_code == 400
    assert "year" in response.context["form"].errors
    assert nothing_saved()


def draft_of(manufacturer, model):  # type: ignore[no-untyped-def]
    case = CaseFactory(
        applicant=manufacturer, brand=model.brand, destination=CountryFactory(code="FR")
    )
    CaseLineFactory(case=case, vehicle_model=model)
    return case


def test_editing_a_draft_shows_its_values_and_saves_changes(client, maker, manufacturer, model):  # type: ignore[no-untyped-def]
    case = draft_of(manufacturer, model)
    client.force_login(maker)
    page = client.get(f"/portal/cases/{case.pk}/edit/").content.decode()
    assert f'value="{case.contract_number}"' in page
    data = licence_form(
        model.brand,
        model,
        contract_number="JR-NEW-2",
        version=case.version,
        **{"lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "1"},
    )
    response = client.post(f"/portal/cases/{case.pk}/edit/", data)
    case.refresh_from_db()
    assert response.status_code == 302
    assert (case.contract_number, case.version) == ("JR-NEW-2", 2)
    assert case.lines.get().quantity == 20
    assert AuditEvent.objects.filter(verb="licensing.case.updated").exists()


def test_editing_with_an_old_version_is_refused_and_changes_nothing(
    client, maker, manufacturer, model
):  # type: ignore[no-untyped-def]
    case = draft_of(manufacturer, model)
    client.force_login(maker)
    data = licence_form(model.brand, model, contract_number="JR-NEW-2", version=case.version + 5)
    response = client.post(f"/portal/cases/{case.pk}/edit/", data)
    case.refresh_from_db()
    assert response.status_code == 409
    assert "has changed since you loaded it" in response.content.decode()
    assert case.contract_number != "JR-NEW-2"


@pytest.mark.parametrize("status", ["submitted", "withdrawn", "approved"])
def test_editing_a_case_that_is_no_longer_a_draft_is_refused_with_a_message(
    client, maker, manufacturer, model, status
):  # type: ignore[no-untyped-def]
    case = CaseFactory(applicant=manufacturer, brand=model.brand, status=status)
    client.force_login(maker)
    for response in (
        client.get(f"/portal/cases/{case.pk}/edit/"),
        client.post(f"/portal/cases/{case.pk}/edit/", licence_form(model.brand, model)),
    ):
        assert response.status_code == 302
        assert response["Location"] == f"/portal/cases/{case.pk}/"
    assert "Only a draft can be changed" in client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert Case.objects.get().version == case.version


def test_a_viewer_cannot_edit_a_draft(client, viewer, manufacturer, model):  # type: ignore[no-untyped-def]
    case = draft_of(manufacturer, model)
    client.force_login(viewer)
    assert client.get(f"/portal/cases/{case.pk}/edit/").status_code == 403
    assert (
        client.post(f"/portal/cases/{case.pk}/edit/", licence_form(model.brand, model)).status_code
        == 403
    )


def test_a_viewers_refused_application_is_recorded_in_the_audit_trail(client, viewer):  # type: ignore[no-untyped-def]
    client.force_login(viewer)
    client.post("/portal/apply/licence/", {})
    refusal = AuditEvent.objects.get(verb="auth.permission.refused")
    assert (refusal.actor, refusal.payload["path"]) == (viewer, "/portal/apply/licence/")
