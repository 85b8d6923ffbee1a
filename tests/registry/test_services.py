"""Registry services: validation, refusals, and exactly one audit event per successful write."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from config.errors import TransitionNotAllowed
from registry import services
from registry.models import Authorisation, Brand, Enterprise, Qualification
from tests.registry.factories import (
    AuthorisationFactory,
    BrandFactory,
    EnterpriseFactory,
    IssuingOfficeFactory,
    QualificationFactory,
    UserFactory,
    VehicleModelFactory,
    valid_uscc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():  # type: ignore[no-untyped-def]
    return UserFactory(username="clerk", is_staff=True)


def enterprise_fields(**overrides: object) -> dict:
    fields = {
        "name_zh": "白鹭汽车有限公司",
        "name_en": "Egret Motors",
        "uscc": valid_uscc(),
        "kind": Enterprise.Kind.MANUFACTURER,
        "miit_catalogue_number": "MIIT-9",
        "issuing_office": IssuingOfficeFactory(),
    }
    return {**fields, **overrides}


def only_event():  # type: ignore[no-untyped-def]
    """The single audit event written so far."""
    return AuditEvent.objects.get()


def refused(call, field: str) -> None:  # type: ignore[no-untyped-def]
    """Assert the call raises a ValidationError on `field` and writes no audit event."""
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.message_dict, caught.value.message_dict
    assert AuditEvent.objects.count() == before


# --- enterprises ----------------------------------------------------------------------------


def test_enterprise_create_writes_one_event_with_the_new_values(actor):
    enterprise = services.enterprise_create(actor=actor, **enterprise_fields())
    event = only_event()
    assert (event.verb, event.actor, event.target_id) == (
        "registry.enterprise.created",
        actor,
        str(enterprise.pk),
    )
    assert event.payload["new"]["uscc"] == enterprise.uscc
    assert event.payload["new"]["kind"] == "manufacturer"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"uscc": "91310000MA1FL00010"}, "uscc"),
        ({"uscc": "not-a-code"}, "uscc"),
        ({"miit_catalogue_number": ""}, "miit_catalogue_number"),
        ({"negative_listed": True}, "negative_list_reason"),
    ],
    ids=["bad-check-character", "garbage", "manufacturer-without-miit", "negative-no-reason"],
)
def test_enterprise_create_refuses_bad_input_and_saves_nothing(actor, overrides, field):
    refused(
        lambda: services.enterprise_create(actor=actor, **enterprise_fields(**overrides)), field
    )
    assert not Enterprise.objects.exists()


def test_an_export_company_needs_no_miit_number(actor):
    fields = enterprise_fields(kind=Enterprise.Kind.AUTHORISED_EXPORTER, miit_catalogue_number="")
    services.enterprise_create(actor=actor, **fields)
    assert Enterprise.objects.count() == 1


def test_enterprise_update_records_old_and_new_values(actor):
    enterprise = EnterpriseFactory(name_en="Old")
    services.enterprise_update(actor=actor, enterprise=enterprise, data={"name_en": "New"})
    event = only_event()
    assert event.verb == "registry.enterprise.updated"
    assert event.enterprise_id == enterprise.pk
    assert event.payload["changes"] == {"name_en": ["Old", "New"]}


def test_enterprise_update_with_a_bad_code_changes_nothing(actor):
    enterprise = EnterpriseFactory()
    code = enterprise.uscc
    wrong_check = "1" if code.endswith("0") else "0"
    refused(
        lambda: services.enterprise_update(
            actor=actor, enterprise=enterprise, data={"uscc": code[:-1] + wrong_check}
        ),
        "uscc",
    )
    assert Enterprise.objects.get().uscc == code


def test_an_update_that_changes_nothing_writes_no_event(actor):
    enterprise = EnterpriseFactory(name_en="Same")
    services.enterprise_update(actor=actor, enterprise=enterprise, data={"name_en": "Same"})
    assert not AuditEvent.objects.exists()


# --- memberships, brands, models, reference data -------------------------------------------


def test_membership_create_and_update_each_write_one_event(actor):
    enterprise = EnterpriseFactory()
    membership = services.membership_create(
        actor=actor, user=UserFactory(), enterprise=enterprise, role="viewer"
    )
    services.membership_update(actor=actor, membership=membership, data={"role": "applicant"})
    created, updated = AuditEvent.objects.order_by("seq")
    assert created.verb == "registry.membership.created"
    assert updated.payload["changes"] == {"role": ["viewer", "applicant"]}
    assert {created.enterprise_id, updated.enterprise_id} == {enterprise.pk}


def test_brand_create_is_audited_under_its_manufacturer(actor):
    maker = EnterpriseFactory()
    brand = services.brand_create(actor=actor, name="Crane", manufacturer=maker)
    event = only_event()
    assert (event.verb, event.enterprise_id) == ("registry.brand.created", maker.pk)
    assert event.payload["new"] == {"name": "Crane", "name_zh": "", "manufacturer": maker.pk}
    services.brand_update(actor=actor, brand=brand, data={"name_zh": "鹤"})
    assert AuditEvent.objects.filter(verb="registry.brand.updated").get().payload["changes"] == {
        "name_zh": ["", "鹤"]
    }


def test_a_brand_cannot_belong_to_a_trading_company(actor):
    trader = EnterpriseFactory(kind=Enterprise.Kind.OTHER)
    refused(
        lambda: services.brand_create(actor=actor, name="Kite", manufacturer=trader), "manufacturer"
    )
    assert not Brand.objects.exists()


def test_vehicle_model_create_and_update_are_audited_and_check_the_hs_code(actor):
    brand = BrandFactory()
    fields = {"brand": brand, "name": "Ibis", "powertrain": "BEV"}
    refused(lambda: services.vehicle_model_create(actor=actor, hs_code="8703", **fields), "hs_code")
    model = services.vehicle_model_create(actor=actor, hs_code="8703801090", **fields)
    services.vehicle_model_update(actor=actor, vehicle_model=model, data={"is_active": False})
    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))
    assert verbs == ["registry.vehicle_model.created", "registry.vehicle_model.updated"]


def test_country_and_office_services_are_audited_and_refuse_groupings(actor):
    refused(lambda: services.country_create(actor=actor, code="EU"), "code")
    country = services.country_create(actor=actor, code="NO", statutory_warranty_months=24)
    services.country_update(actor=actor, country=country, data={"statutory_warranty_months": 36})
    office = services.issuing_office_create(actor=actor, code="11", name="Beijing", province="BJ")
    services.issuing_office_update(actor=actor, issuing_office=office, data={"province": "Beijing"})
    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))
    assert verbs == [
        "registry.country.created",
        "registry.country.updated",
        "registry.issuing_office.created",
        "registry.issuing_office.updated",
    ]


def test_calendar_day_set_creates_then_updates_one_day(actor):
    services.calendar_day_set(actor=actor, day=date(2027, 2, 8), is_working_day=False, name="春节")
    services.calendar_day_set(actor=actor, day=date(2027, 2, 8), is_working_day=True, name="调休")
    created, updated = AuditEvent.objects.order_by("seq")
    assert created.verb == "registry.calendar_day.created"
    assert updated.payload["changes"] == {"is_working_day": [False, True], "name": ["春节", "调休"]}


# --- authorisations -------------------------------------------------------------------------


@pytest.fixture
def maker():  # type: ignore[no-untyped-def]
    return EnterpriseFactory()


@pytest.fixture
def exporter():  # type: ignore[no-untyped-def]
    return EnterpriseFactory(kind=Enterprise.Kind.AUTHORISED_EXPORTER)


@pytest.fixture
def brand(maker):  # type: ignore[no-untyped-def]
    return BrandFactory(manufacturer=maker)


def authorise(actor, manufacturer, exporter, brands, **overrides):  # type: ignore[no-untyped-def]
    fields = {
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2026, 12, 31),
        "evidence_reference": "LETTER-7",
    }
    return services.authorisation_create(
        actor=actor,
        manufacturer=manufacturer,
        exporter=exporter,
        brands=brands,
        **{**fields, **overrides},
    )


def test_authorisation_create_writes_one_event_with_its_brands(actor, maker, exporter, brand):
    authorisation = authorise(actor, maker, exporter, [brand])
    event = only_event()
    assert (event.verb, event.enterprise_id) == ("registry.authorisation.created", maker.pk)
    assert event.payload["new"]["brands"] == [brand.pk]
    assert event.payload["new"]["exporter"] == exporter.pk
    assert list(authorisation.brands.all()) == [brand]


def test_a_non_manufacturer_cannot_authorise(actor, exporter, brand):
    trader = EnterpriseFactory(kind=Enterprise.Kind.OTHER)
    refused(lambda: authorise(actor, trader, exporter, [brand]), "manufacturer")


def test_a_manufacturer_cannot_be_the_authorised_party(actor, maker, brand):
    refused(lambda: authorise(actor, maker, EnterpriseFactory(), [brand]), "exporter")


def test_a_manufacturer_cannot_authorise_itself(actor, maker, brand):
    refused(lambda: authorise(actor, maker, maker, [brand]), "exporter")


def test_a_manufacturer_cannot_authorise_another_manufacturers_brand(actor, maker, exporter):
    refused(lambda: authorise(actor, maker, exporter, [BrandFactory()]), "brands")


def test_an_authorisation_names_at_least_one_brand(actor, maker, exporter):
    refused(lambda: authorise(actor, maker, exporter, []), "brands")


def test_inverted_validity_dates_are_refused(actor, maker, exporter, brand):
    refused(
        lambda: authorise(
            actor,
            maker,
            exporter,
            [brand],
            valid_from=date(2026, 6, 1),
            valid_until=date(2026, 5, 31),
        ),
        "valid_until",
    )
    assert not Authorisation.objects.exists()


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [
        (date(2026, 12, 31), date(2027, 6, 30)),  # touches the last day
        (date(2025, 6, 1), date(2026, 1, 1)),  # touches the first day
        (date(2026, 3, 1), date(2026, 4, 1)),  # inside
        (date(2025, 1, 1), date(2027, 12, 31)),  # around
    ],
)
def test_overlapping_validity_between_the_same_parties_is_refused(
    actor, maker, exporter, brand, valid_from, valid_until
):
    authorise(actor, maker, exporter, [brand])
    refused(
        lambda: authorise(
            actor, maker, exporter, [brand], valid_from=valid_from, valid_until=valid_until
        ),
        "valid_from",
    )
    assert Authorisation.objects.count() == 1


def test_adjacent_periods_and_revoked_predecessors_do_not_overlap(actor, maker, exporter, brand):
    first = authorise(actor, maker, exporter, [brand])
    authorise(
        actor, maker, exporter, [brand], valid_from=date(2027, 1, 1), valid_until=date(2027, 12, 31)
    )
    services.authorisation_revoke(actor=actor, authorisation=first, reason="replaced")
    authorise(
        actor, maker, exporter, [brand], valid_from=date(2026, 6, 1), valid_until=date(2026, 12, 31)
    )
    assert Authorisation.objects.count() == 3


def test_authorisation_update_records_brand_and_date_changes(actor, maker, exporter, brand):
    authorisation = authorise(actor, maker, exporter, [brand])
    second = BrandFactory(manufacturer=maker)
    services.authorisation_update(
        actor=actor,
        authorisation=authorisation,
        data={"brands": [brand, second], "valid_until": date(2026, 10, 31)},
    )
    event = AuditEvent.objects.get(verb="registry.authorisation.updated")
    assert event.payload["changes"] == {
        "brands": [[brand.pk], sorted([brand.pk, second.pk])],
        "valid_until": ["2026-12-31", "2026-10-31"],
    }


def test_authorisation_update_keeps_the_checks(actor, maker, exporter, brand):
    authorisation = authorise(actor, maker, exporter, [brand])
    refused(
        lambda: services.authorisation_update(
            actor=actor, authorisation=authorisation, data={"brands": [BrandFactory()]}
        ),
        "brands",
    )
    assert list(Authorisation.objects.get().brands.all()) == [brand]


def test_revoke_writes_one_event_and_a_second_revoke_is_refused(actor, maker, exporter, brand):
    authorisation = authorise(actor, maker, exporter, [brand])
    services.authorisation_revoke(actor=actor, authorisation=authorisation, reason="Contract ended")
    authorisation.refresh_from_db()
    assert authorisation.is_revoked
    assert authorisation.revocation_reason == "Contract ended"
    with pytest.raises(TransitionNotAllowed):
        services.authorisation_revoke(actor=actor, authorisation=authorisation, reason="again")
    revoked = AuditEvent.objects.filter(verb="registry.authorisation.revoked")
    assert revoked.get().payload == {"reason": "Contract ended"}


def test_revoke_needs_a_reason(actor, maker, exporter, brand):
    authorisation = authorise(actor, maker, exporter, [brand])
    refused(
        lambda: services.authorisation_revoke(actor=actor, authorisation=authorisation, reason=" "),
        "reason",
    )


def test_a_revoked_authorisation_cannot_be_changed(actor):
    authorisation = AuthorisationFactory(brands=[])
    services.authorisation_revoke(actor=actor, authorisation=authorisation, reason="ended")
    with pytest.raises(TransitionNotAllowed):
        services.authorisation_update(
            actor=actor, authorisation=authorisation, data={"valid_until": date(2026, 6, 30)}
        )


# --- qualifications -------------------------------------------------------------------------


def test_qualification_grant_writes_one_event(actor):
    enterprise = EnterpriseFactory()
    qualification = services.qualification_grant(
        actor=actor, enterprise=enterprise, year=2026, qualification_class="2"
    )
    event = only_event()
    assert (event.verb, event.enterprise_id) == ("registry.qualification.granted", enterprise.pk)
    assert qualification.valid_until == date(2026, 12, 31)


def test_one_qualification_per_enterprise_and_year(actor):
    qualification = QualificationFactory()
    refused(
        lambda: services.qualification_grant(
            actor=actor, enterprise=qualification.enterprise, year=2026, qualification_class="1"
        ),
        "__all__",
    )


ALL_MOVES = [
    (status, action)
    for status in Qualification.Status.values
    for action in services.QUALIFICATION_MOVES
]


@pytest.mark.parametrize(("status", "action"), ALL_MOVES)
def test_every_qualification_status_and_action_pair(actor, status, action):
    qualification = QualificationFactory()
    Qualification.objects.filter(pk=qualification.pk).update(status=status)
    qualification.refresh_from_db()
    sources, target = services.QUALIFICATION_MOVES[action]
    if status in sources:
        services.qualification_set_status(
            actor=actor, qualification=qualification, action=action, reason="Finding 3"
        )
        assert Qualification.objects.get().status == target
        event = only_event()
        assert event.verb == f"registry.qualification.{action}"
        assert event.payload == {"reason": "Finding 3", "changes": {"status": [status, target]}}
    else:
        with pytest.raises(TransitionNotAllowed):
            services.qualification_set_status(
                actor=actor, qualification=qualification, action=action, reason="Finding 3"
            )
        assert Qualification.objects.get().status == status
        assert not AuditEvent.objects.exists()


def test_a_stale_qualification_object_cannot_move_twice(actor):
    qualification = QualificationFactory()
    stale = Qualification.objects.get(pk=qualification.pk)
    services.qualification_set_status(
        actor=actor, qualification=qualification, action="suspend", reason="x"
    )
    with pytest.raises(TransitionNotAllowed):
        services.qualification_set_status(
            actor=actor, qualification=stale, action="suspend", reason="x"
        )
    assert AuditEvent.objects.count() == 1


def test_a_status_change_needs_a_reason(actor):
    qualification = QualificationFactory()
    refused(
        lambda: services.qualification_set_status(
            actor=actor, qualification=qualification, action="suspend", reason=""
        ),
        "reason",
    )


def test_the_system_acts_without_a_user():
    services.vehicle_model_update(
        actor=None, vehicle_model=VehicleModelFactory(), data={"name": "Renamed"}
    )
    event = only_event()
    assert (event.actor, event.actor_label) == (None, "system")


def test_an_enterprise_s_creation_is_filed_under_the_enterprise_itself(registrar):
    from audit.models import AuditEvent
    from registry.services import enterprise_create
    from tests.registry.factories import IssuingOfficeFactory, valid_uscc

    enterprise = enterprise_create(
        actor=registrar,
        name_zh="新公司",
        name_en="New Co",
        uscc=valid_uscc(),
        kind="other",
        issuing_office=IssuingOfficeFactory(),
    )
    created = AuditEvent.objects.for_enterprise(enterprise.pk).get()
    assert created.verb == "registry.enterprise.created"
