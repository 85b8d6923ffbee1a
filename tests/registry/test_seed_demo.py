"""seed_demo builds the demo world of DESIGN.md §6, and a second run changes nothing."""

from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from registry.models import Authorisation, Brand, Enterprise, Membership, Qualification
from registry.roles import OUR_APPS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeding_day():  # type: ignore[no-untyped-def]
    with time_machine.travel(date(2026, 3, 2)):
        yield


def world_counts() -> dict[str, int]:
    """Rows of every model of our apps, plus users and groups."""
    models = [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]
    counts = {m._meta.label: m.objects.count() for m in models}
    counts["users"] = get_user_model().objects.count()
    counts["groups"] = Group.objects.count()
    return counts


def test_seed_demo_twice_gives_the_same_world():
    call_command("seed_demo", verbosity=0)
    first = world_counts()
    call_command("seed_demo", verbosity=0)
    assert world_counts() == first
    assert first["audit.AuditEvent"] > 0
    assert first["registry.CalendarDay"] > 0


def test_seed_demo_creates_the_promised_users_enterprises_and_authorisation():
    call_command("seed_demo", verbosity=0)
    User = get_user_model()
    for username in ["admin", "caseworker", "caseworker2", "officer", "officer2", "registrar"]:
        assert User.objects.get(username=username).check_password("demo")
    names = set(Enterprise.objects.values_list("name_en", flat=True))
    assert {"Jade River Motors", "Northwind Auto", "Grey Harbour Trading"} <= names
    assert Membership.objects.get(user__username="maker").enterprise.name_en == "Jade River Motors"
    authorisation = Authorisation.objects.current().get(exporter__name_en__startswith="Jade River")
    assert list(authorisation.brands.all()) == [Brand.objects.get(name="Jade River")]
    assert Qualification.objects.granted_for(authorisation.manufacturer_id, 2026).exists()
    assert not Qualification.objects.filter(enterprise__name_en="Grey Harbour Trading").exists()


def test_the_demo_enterprise_page_opens_for_the_registrar(client):
    call_command("seed_demo", verbosity=0)
    client.force_login(get_user_model().objects.get(username="registrar"))
    jade = Enterprise.objects.get(name_en="Jade River Motors")
    response = client.get(reverse("admin:registry_enterprise_change", args=[jade.pk]))
    assert response.status_code == 200
    assert b'class="recent-events"' in response.content
    assert b"Jade River International Trading" in response.content


def test_seed_demo_gives_each_manufacturer_its_vin_prefix():
    from registry.models import WorldManufacturerIdentifier
    from registry.selectors import vin_manufacturers

    call_command("seed_demo", verbosity=0)
    owners = dict(WorldManufacturerIdentifier.objects.values_list("code", "manufacturer__name_en"))
    assert owners == {"LJR": "Jade River Motors", "LNW": "Northwind Auto"}
    jade = Enterprise.objects.get(name_en="Jade River Motors")
    assert vin_manufacturers(["LJR0A1B20T0000001"]) == {"LJR0A1B20T0000001": jade.pk}


def test_seed_demo_gives_the_used_car_trader_letters_and_a_used_draft():
    from aftersales.models import ConfirmationLetter, LetterRequest
    from licensing.models import Case

    call_command("seed_demo", verbosity=0)
    trader = Membership.objects.get(user__username="trader").enterprise
    assert trader.kind == Enterprise.Kind.OTHER
    assert Qualification.objects.get(enterprise=trader, year=2026).qualification_class == "used"
    pending = LetterRequest.objects.get(requester=trader, status="pending")
    assert pending.manufacturer.name_en == "Jade River Motors"
    letter = ConfirmationLetter.objects.get(requester=trader)
    draft = Case.objects.get(applicant=trader, kind=Case.Kind.USED_LICENCE)
    assert draft.status == Case.Status.DRAFT
    assert letter.vin in set(draft.vehicles.values_list("vin", flat=True))
    assert draft.vehicles.count() == 2
