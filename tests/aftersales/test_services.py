from datetime import date

import pytest
from django.core.exceptions import ValidationError

from aftersales import services
from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from audit.models import AuditEvent
from config.errors import ActionForbidden, StaleVersion, TransitionNotAllowed
from registry.models import Country
from tests.aftersales.factories import (
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.registry.factories import (
    AuthorisationFactory,
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(manufacturer):
    return BrandFactory(manufacturer=manufacturer)


@pytest.fixture
def france():
    return CountryFactory(code="FR")


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))


def outlet_fields(france, **overrides):
    fields = {
        "country": france,
        "city": "Lyon",
        "address": "1 rue de la République",
        "operator_name": "Garage Central",
        "operator_kind": "partner",
        "contract_valid_from": date(2026, 1, 1),
        "contract_valid_until": date(2028, 12, 31),
    }
    return fields | overrides


def create_outlet(maker, manufacturer, brand, france, **overrides):
    return services.outlet_create(
        actor=maker,
        enterprise=manufacturer,
        brands=overrides.pop("brands", [brand]),
        **outlet_fields(france, **overrides),
    )


def errors_of(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


# --- outlets -------------------------------------------------------------------------------


def test_a_new_outlet_waits_for_verification_and_is_audited(maker, manufacturer, brand, france):
    outlet = create_outlet(maker, manufacturer, brand, france)
    assert outlet.verification_status == ServiceOutlet.Status.PENDING
    assert list(outlet.brands.all()) == [brand]
    assert verbs()[-1] == "aftersales.service_outlet.created"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"city": "   "}, "city"),
        ({"city": "x" * 101}, "city"),
        ({"address": ""}, "address"),
        ({"operator_name": "x" * 201}, "operator_name"),
        ({"operator_kind": "franchise"}, "operator_kind"),
        ({"contract_valid_until": date(2025, 12, 31)}, "contract_valid_until"),
        ({"contract_valid_until": date(2026, 1, 1)}, "contract_valid_until"),
        ({"contract_valid_until": date(9999, 12, 31)}, "contract_valid_until"),
        ({"brands": []}, "brands"),
    ],
    ids=[
        "blank-city",
        "long-city",
        "empty-address",
        "long-operator",
        "unknown-kind",
        "end-before-start",
        "end-equals-start",
        "absurd-end",
        "no-brand",
    ],
)
def test_outlet_create_refuses_bad_input_and_saves_nothing(
    maker, manufacturer, brand, france, overrides, field
):
    with pytest.raises(ValidationError) as excinfo:
        create_outlet(maker, manufacturer, brand, france, **overrides)
    assert field in errors_of(excinfo)
    assert not ServiceOutlet.objects.exists()
    assert AuditEvent.objects.count() == 0


def test_outlet_create_refuses_a_regional_country_code(maker, manufacturer, brand):
    europe = Country.objects.create(code="EU")  # bypasses validation, as a bad import might
    with pytest.raises(ValidationError) as excinfo:
        create_outlet(maker, manufacturer, brand, europe)
    assert "country" in errors_of(excinfo)


def test_a_manufacturer_cannot_record_an_outlet_for_someone_elses_brand(
    maker, manufacturer, france
):
    with pytest.raises(ValidationError) as excinfo:
        create_outlet(maker, manufacturer, BrandFactory(), france)
    assert "brands" in errors_of(excinfo)


def test_an_authorised_exporter_may_record_outlets_for_its_authorised_brands(
    manufacturer, brand, france
):
    exporter = EnterpriseFactory(kind="authorised_exporter")
    AuthorisationFactory(
        manufacturer=manufacturer,
        exporter=exporter,
        brands=[brand],
        valid_from=date(2020, 1, 1),
        valid_until=date(2039, 12, 31),
    )
    outlet = create_outlet(None, exporter, brand, france)
    assert outlet.enterprise == exporter


@pytest.mark.parametrize(
    "authorisation",
    ["none", "expired", "revoked", "other-brand"],
)
def test_an_exporter_without_a_current_authorisation_for_the_brand_is_refused(
    manufacturer, brand, france, authorisation
):
    exporter = EnterpriseFactory(kind="authorised_exporter")
    kwargs = {
        "manufacturer": manufacturer,
        "exporter": exporter,
        "brands": [brand],
        "valid_from": date(2020, 1, 1),
        "valid_until": date(2039, 12, 31),
    }
    if authorisation == "expired":
        AuthorisationFactory(**kwargs | {"valid_until": date(2021, 1, 1)})
    elif authorisation == "revoked":
        AuthorisationFactory(**kwargs, revoked_at="2024-01-01T00:00Z")
    elif authorisation == "other-brand":
        AuthorisationFactory(**kwargs | {"brands": [BrandFactory(manufacturer=manufacturer)]})
    with pytest.raises(ValidationError) as excinfo:
        create_outlet(None, exporter, brand, france)
    assert "brands" in errors_of(excinfo)


def test_an_enterprise_of_kind_other_cannot_record_outlets(brand, france):
    trader = EnterpriseFactory(kind="other")
    with pytest.raises(ValidationError):
        create_outlet(None, trader, brand, france)


@pytest.mark.parametrize(
    ("data", "back_to_pending"),
    [
        ({"address": "2 rue Neuve"}, True),
        ({"city": "Paris"}, True),
        ({"contract_valid_until": date(2029, 6, 30)}, True),
        ({"contract_valid_from": date(2026, 2, 1)}, True),
        ({"operator_name": "Garage Central SARL"}, False),
        ({"operator_kind": "own"}, False),
    ],
)
def test_changing_where_a_verified_outlet_is_or_its_contract_sends_it_back_to_pending(
    maker, manufacturer, brand, france, data, back_to_pending
):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
    updated = services.outlet_update(actor=maker, outlet=outlet, data=data)
    expected = "pending" if back_to_pending else "verified"
    assert updated.verification_status == expected
    assert ("aftersales.service_outlet.reopened" in verbs()) is back_to_pending
    assert "aftersales.service_outlet.updated" in verbs()


def test_adding_a_brand_to_a_verified_outlet_needs_verification_again(
    maker, manufacturer, brand, france
):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
    other = BrandFactory(manufacturer=manufacturer)
    updated = services.outlet_update(actor=maker, outlet=outlet, data={"brands": [brand, other]})
    assert updated.verification_status == "pending"
    assert set(updated.brands.all()) == {brand, other}


def test_correcting_a_rejected_outlet_resubmits_it(maker, manufacturer, brand, france):
    outlet = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, country=france, verification_status="rejected"
    )
    updated = services.outlet_update(actor=maker, outlet=outlet, data={"address": "3 quai Est"})
    assert updated.verification_status == "pending"
    assert updated.rejection_reason == "" and updated.verified_at is None


def test_any_correction_to_a_rejected_outlet_resubmits_it(maker, manufacturer, brand, france):
    outlet = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, country=france, verification_status="rejected"
    )
    updated = services.outlet_update(actor=maker, outlet=outlet, data={"operator_name": "Fixed"})
    assert updated.verification_status == "pending"


def test_an_update_that_changes_nothing_writes_no_event(maker, manufacturer, brand, france):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
    services.outlet_update(actor=maker, outlet=outlet, data={"city": outlet.city})
    assert verbs() == []


def test_outlet_update_refuses_status_and_enterprise_fields(maker, manufacturer, brand, france):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
    with pytest.raises(ValidationError) as excinfo:
        services.outlet_update(
            actor=maker,
            outlet=outlet,
            data={"verification_status": "verified", "enterprise": manufacturer},
        )
    assert errors_of(excinfo) == {"verification_status", "enterprise"}


def test_outlet_update_refuses_a_brand_not_owned_and_saves_nothing(
    maker, manufacturer, brand, france
):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
    with pytest.raises(ValidationError):
        services.outlet_update(
            actor=maker, outlet=outlet, data={"brands": [BrandFactory()], "city": "Nice"}
        )
    outlet.refresh_from_db()
    assert outlet.city == "Lyon" and list(outlet.brands.all()) == [brand]


def test_outlet_update_with_an_old_version_is_a_conflict(maker, manufacturer, brand, france):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
    with pytest.raises(StaleVersion):
        services.outlet_update(
            actor=maker, outlet=outlet, data={"city": "Nice"}, expected_version=0
        )


def test_a_withdrawn_outlet_cannot_be_changed(maker, manufacturer, brand, france):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
    services.outlet_withdraw(actor=maker, outlet=outlet)
    with pytest.raises(TransitionNotAllowed):
        services.outlet_update(actor=maker, outlet=outlet, data={"city": "Nice"})


def test_a_registrar_verifies_a_pending_outlet(registrar, maker, manufacturer, brand, france):
    outlet = create_outlet(maker, manufacturer, brand, france)
    verified = services.outlet_verify(actor=registrar, outlet=outlet)
    assert verified.verification_status == "verified"
    assert verified.verified_by == registrar and verified.verified_at is not None
    assert verified.version == 2
    assert verbs()[-1] == "aftersales.service_outlet.verified"


def test_a_caseworker_may_verify_too(caseworker, manufacturer, brand, france):
    outlet = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, country=france, verification_status="pending"
    )
    assert services.outlet_verify(actor=caseworker, outlet=outlet).verification_status == (
        "verified"
    )


@pytest.mark.parametrize("who", ["maker", "auditor", "rival"])
def test_users_without_the_verify_permission_cannot_verify(
    request, who, manufacturer, brand, france
):
    actor = request.getfixturevalue(who)
    outlet = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, country=france, verification_status="pending"
    )
    with pytest.raises(ActionForbidden):
        services.outlet_verify(actor=actor, outlet=outlet)
    with pytest.raises(ActionForbidden):
        services.outlet_reject(actor=actor, outlet=outlet, reason="No")


def test_an_outlet_whose_contract_ended_cannot_be_verified(registrar, manufacturer, brand, france):
    outlet = ServiceOutletFactory(
        enterprise=manufacturer,
        brand=brand,
        country=france,
        verification_status="pending",
        contract_valid_from=date(2020, 1, 1),
        contract_valid_until=date(2021, 1, 1),
    )
    with pytest.raises(TransitionNotAllowed):
        services.outlet_verify(actor=registrar, outlet=outlet)


# (status, action) -> allowed
MOVES = [
    ("pending", "verify", True),
    ("pending", "reject", True),
    ("verified", "verify", False),
    ("verified", "reject", True),
    ("rejected", "verify", False),
    ("rejected", "reject", False),
]


@pytest.mark.parametrize(("status", "action", "allowed"), MOVES)
def test_verification_moves_follow_the_transition_table(
    registrar, manufacturer, brand, france, status, action, allowed
):
    outlet = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, country=france, verification_status=status
    )
    move = {
        "verify": lambda: services.outlet_verify(actor=registrar, outlet=outlet),
        "reject": lambda: services.outlet_reject(actor=registrar, outlet=outlet, reason="Closed"),
    }[action]
    if allowed:
        assert move().verification_status == ServiceOutlet.TRANSITIONS[action][1]
    else:
        with pytest.raises(TransitionNotAllowed):
            move()
        outlet.refresh_from_db()
        assert outlet.verification_status == status


def test_a_stale_outlet_cannot_be_verified(registrar, manufacturer, brand, france):
    outlet = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, country=france, verification_status="pending"
    )
    stale = ServiceOutlet.objects.get(pk=outlet.pk)
    services.outlet_reject(actor=registrar, outlet=outlet, reason="Closed")
    with pytest.raises(StaleVersion):
        services.outlet_verify(actor=registrar, outlet=stale)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_rejecting_needs_a_reasonable_reason(registrar, manufacturer, brand, france, reason):
    outlet = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, country=france, verification_status="pending"
    )
    with pytest.raises(ValidationError):
        services.outlet_reject(actor=registrar, outlet=outlet, reason=reason)
    outlet.refresh_from_db()
    assert outlet.verification_status == "pending"


def test_rejection_keeps_who_when_and_why(registrar, manufacturer, brand, france):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
    rejected = services.outlet_reject(actor=registrar, outlet=outlet, reason=" Closed down ")
    assert rejected.rejection_reason == "Closed down"
    assert rejected.verified_by == registrar
    event = AuditEvent.objects.order_by("seq").last()
    assert event.verb == "aftersales.service_outlet.rejected"


def test_an_outlet_is_withdrawn_once(maker, manufacturer, brand, france):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
    withdrawn = services.outlet_withdraw(actor=maker, outlet=outlet, reason="Closed")
    assert withdrawn.is_withdrawn
    assert verbs() == ["aftersales.service_outlet.withdrawn"]
    with pytest.raises(TransitionNotAllowed):
        services.outlet_withdraw(actor=maker, outlet=withdrawn)


def test_a_withdrawn_outlet_cannot_be_verified(registrar, manufacturer, brand, france):
    outlet = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, country=france, verification_status="pending"
    )
    services.outlet_withdraw(actor=None, outlet=outlet)
    with pytest.raises(TransitionNotAllowed):
        services.outlet_verify(actor=registrar, outlet=outlet)


# --- commitments ---------------------------------------------------------------------------


def warranty_fields(brand, country, **overrides):
    fields = {
        "brand": brand,
        "country": country,
        "vehicle_warranty_months": 24,
        "battery_warranty_months": 96,
        "battery_warranty_km": 160_000,
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2030, 12, 31),
    }
    return fields | overrides


def test_a_warranty_commitment_is_recorded_and_audited(maker, manufacturer, brand, france):
    commitment = services.warranty_commitment_create(
        actor=maker, enterprise=manufacturer, **warranty_fields(brand, france)
    )
    assert commitment.pk and commitment.version == 1
    assert verbs() == ["aftersales.warranty_commitment.created"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"vehicle_warranty_months": 23}, "vehicle_warranty_months"),
        ({"vehicle_warranty_months": 241}, "vehicle_warranty_months"),
        ({"vehicle_warranty_months": 0}, "vehicle_warranty_months"),
        ({"battery_warranty_months": 0}, "battery_warranty_months"),
        ({"battery_warranty_months": 1000}, "battery_warranty_months"),
        ({"battery_warranty_km": 0}, "battery_warranty_km"),
        ({"battery_warranty_km": 2_000_001}, "battery_warranty_km"),
        ({"valid_until": date(2025, 1, 1)}, "valid_until"),
        ({"valid_from": date(1999, 12, 31)}, "valid_from"),
    ],
)
def test_warranty_commitment_create_refuses_bad_numbers_and_dates(
    maker, manufacturer, brand, france, overrides, field
):
    with pytest.raises(ValidationError) as excinfo:
        services.warranty_commitment_create(
            actor=maker, enterprise=manufacturer, **warranty_fields(brand, france, **overrides)
        )
    assert field in errors_of(excinfo)
    assert not WarrantyCommitment.objects.exists()


def test_the_warranty_minimum_is_the_countrys_own(maker, manufacturer, brand):
    spain = CountryFactory(code="ES", statutory_warranty_months=36)
    with pytest.raises(ValidationError) as excinfo:
        services.warranty_commitment_create(
            actor=maker, enterprise=manufacturer, **warranty_fields(brand, spain)
        )
    assert "Spain requires a vehicle warranty of at least 36 months" in str(excinfo.value)


def test_a_warranty_commitment_for_a_brand_not_owned_is_refused(maker, manufacturer, france):
    with pytest.raises(ValidationError) as excinfo:
        services.warranty_commitment_create(
            actor=maker, enterprise=manufacturer, **warranty_fields(BrandFactory(), france)
        )
    assert "brand" in errors_of(excinfo)


def test_warranty_commitment_update_keeps_the_minimum(maker, manufacturer, brand, france):
    commitment = WarrantyCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)
    with pytest.raises(ValidationError):
        services.warranty_commitment_update(
            actor=maker, commitment=commitment, data={"vehicle_warranty_months": 12}
        )
    commitment.refresh_from_db()
    assert commitment.vehicle_warranty_months == 24
    updated = services.warranty_commitment_update(
        actor=maker, commitment=commitment, data={"vehicle_warranty_months": 36}
    )
    assert updated.vehicle_warranty_months == 36 and updated.version == 2
    event = AuditEvent.objects.order_by("seq").last()
    assert event.verb == "aftersales.warranty_commitment.updated"


def test_warranty_commitment_update_with_an_old_version_is_a_conflict(
    maker, manufacturer, brand, france
):
    commitment = WarrantyCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)
    with pytest.raises(StaleVersion):
        services.warranty_commitment_update(
            actor=maker,
            commitment=commitment,
            data={"vehicle_warranty_months": 36},
            expected_version=7,
        )


def test_a_withdrawn_warranty_commitment_stays_but_cannot_change(
    maker, manufacturer, brand, france
):
    commitment = WarrantyCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)
    services.warranty_commitment_withdraw(actor=maker, commitment=commitment, reason="Replaced")
    assert WarrantyCommitment.objects.get(pk=commitment.pk).is_withdrawn
    with pytest.raises(TransitionNotAllowed):
        services.warranty_commitment_update(
            actor=maker, commitment=commitment, data={"vehicle_warranty_months": 36}
        )
    with pytest.raises(TransitionNotAllowed):
        services.warranty_commitment_withdraw(actor=maker, commitment=commitment)


def parts_fields(brand, country, **overrides):
    fields = {
        "brand": brand,
        "country": country,
        "supply_years": 10,
        "max_lead_time_days": 7,
        "depot": "Rotterdam",
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2036, 12, 31),
    }
    return fields | overrides


def test_a_spare_parts_commitment_is_recorded_and_audited(maker, manufacturer, brand, france):
    services.spare_parts_commitment_create(
        actor=maker, enterprise=manufacturer, **parts_fields(brand, france)
    )
    assert verbs() == ["aftersales.spare_parts_commitment.created"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"supply_years": 0}, "supply_years"),
        ({"supply_years": 31}, "supply_years"),
        ({"max_lead_time_days": 0}, "max_lead_time_days"),
        ({"max_lead_time_days": 366}, "max_lead_time_days"),
        ({"depot": "  "}, "depot"),
        ({"depot": "x" * 301}, "depot"),
        ({"valid_until": date(2026, 1, 1)}, "valid_until"),
    ],
)
def test_spare_parts_commitment_create_refuses_bad_input(
    maker, manufacturer, brand, france, overrides, field
):
    with pytest.raises(ValidationError) as excinfo:
        services.spare_parts_commitment_create(
            actor=maker, enterprise=manufacturer, **parts_fields(brand, france, **overrides)
        )
    assert field in errors_of(excinfo)
    assert not SparePartsCommitment.objects.exists()


def test_spare_parts_commitment_update_and_withdraw_are_audited(maker, manufacturer, brand, france):
    commitment = SparePartsCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)
    services.spare_parts_commitment_update(
        actor=maker, commitment=commitment, data={"max_lead_time_days": 5}
    )
    services.spare_parts_commitment_withdraw(actor=maker, commitment=commitment)
    assert verbs() == [
        "aftersales.spare_parts_commitment.updated",
        "aftersales.spare_parts_commitment.withdrawn",
    ]


def test_commitment_update_refuses_unknown_fields(maker, manufacturer, brand, france):
    commitment = SparePartsCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)
    with pytest.raises(ValidationError) as excinfo:
        services.spare_parts_commitment_update(
            actor=maker, commitment=commitment, data={"enterprise": manufacturer}
        )
    assert errors_of(excinfo) == {"enterprise"}
