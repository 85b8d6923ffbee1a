"""Portal licence page: what is left, the declarations so far, and where to go next."""

import pytest

from licensing.services.declarations import DeclaredLine, declaration_record
from tests.licensing.licence_factories import fresh_declaration_number, fresh_vin, issue_licence
from tests.registry.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def licence(manufacturer):  # type: ignore[no-untyped-def]
    return issue_licence(applicant=manufacturer, quantities=(5, 3))


def test_the_list_links_each_licence_to_its_page(client, maker, licence):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    page = client.get("/portal/licences/").content.decode()
    assert f'href="/portal/licences/{licence.pk}/"' in page


def test_the_page_shows_remaining_per_line_uses_left_and_the_declarations(
    client, maker, licence, frozen_today
):  # type: ignore[no-untyped-def]
    first = licence.lines.order_by("pk").first()
    vins = [fresh_vin(), fresh_vin()]
    number = fresh_declaration_number()
    declaration_record(
        licence=licence,
        actor=maker,
        number=number,
        declared_on=frozen_today,
        lines=[DeclaredLine(first.vehicle_model_id, 2, vins)],
    )
    client.force_login(maker)
    response = client.get(f"/portal/licences/{licence.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'remaining" data-label="Remaining">3</td>' in page
    assert '<dd class="uses-left">11 ' in page
    assert number in page and f"{first.vehicle_model}: 2" in page
    assert f'href="/portal/licences/{licence.pk}/certificate.pdf"' in page
    assert f'href="/portal/licences/{licence.pk}/declarations/new/"' in page


def test_a_viewer_reads_the_page_without_the_declaration_link(client, viewer, licence):  # type: ignore[no-untyped-def]
    client.force_login(viewer)
    page = client.get(f"/portal/licences/{licence.pk}/").content.decode()
    assert licence.number in page
    assert "/declarations/new/" not in page


def test_an_applicant_member_sees_the_declaration_link(client, manufacturer, licence):  # type: ignore[no-untyped-def]
    client.force_login(MembershipFactory(enterprise=manufacturer, role="applicant").user)
    page = client.get(f"/portal/licences/{licence.pk}/").content.decode()
    assert "/declarations/new/" in page


def test_the_exchange_link_appears_only_where_the_application_page_exists(client, maker, licence):  # type: ignore[no-untyped-def]
    from django.urls import NoReverseMatch, reverse

    client.force_login(maker)
    page = client.get(f"/portal/licences/{licence.pk}/").content.decode()
    try:
        url = reverse("portal:apply", args=["exchange"])
    except NoReverseMatch:
        assert "?licence=" not in page
    else:
        assert f"{url}?licence={licence.pk}" in page


def test_another_enterprises_licence_page_is_the_same_404_as_a_missing_one(client, rival, licence):  # type: ignore[no-untyped-def]
    client.force_login(rival)
    other = client.get(f"/portal/licences/{licence.pk}/")
    missing = client.get(f"/portal/licences/{licence.pk + 1000}/")
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content


def test_an_anonymous_visitor_is_sent_to_log_in(client, licence):  # type: ignore[no-untyped-def]
    response = client.get(f"/portal/licences/{licence.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_reads_in_chinese(client, maker, licence):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    page = client.get(
        f"/portal/licences/{licence.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "剩余" in page and "Remaining per line" not in page


def test_the_page_query_count_does_not_grow_with_the_declarations(
    client, maker, licence, frozen_today
):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def declare() -> None:
        model = licence.lines.order_by("pk").first().vehicle_model_id
        declaration_record(
            licence=licence,
            actor=maker,
            number=fresh_declaration_number(),
            declared_on=frozen_today,
            lines=[DeclaredLine(model, 1, [fresh_vin()])],
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/portal/licences/{licence.pk}/")
        return len(captured)

    client.force_login(maker)
    declare()
    once = count()
    declare()
    declare()
    assert count() == once
