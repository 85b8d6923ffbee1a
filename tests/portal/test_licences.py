"""Portal licences: the enterprise's own licences and their certificates."""

import pytest

from tests.licensing.licence_factories import issue_licence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_the_list_shows_number_validity_uses_and_remaining_per_line(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    licence = issue_licence(applicant=manufacturer, quantities=(10, 4))
    client.force_login(maker)
    page = client.get("/portal/licences/").content.decode()
    assert licence.number in page
    assert licence.valid_until.strftime("%Y-%m-%d") in page
    for line in licence.lines.all():
        assert f"{line.remaining} / {line.licensed_quantity}" in page
    assert f'href="/portal/licences/{licence.pk}/certificate.pdf"' in page


def test_the_list_leaves_out_another_enterprises_licences(client, maker, rival_enterprise):  # type: ignore[no-untyped-def]
    other = issue_licence(applicant=rival_enterprise)
    client.force_login(maker)
    assert other.number not in client.get("/portal/licences/").content.decode()


def test_staff_without_membership_see_no_licences_on_the_portal(client, caseworker, manufacturer):  # type: ignore[no-untyped-def]
    licence = issue_licence(applicant=manufacturer)
    client.force_login(caseworker)
    assert licence.number not in client.get("/portal/licences/").content.decode()
    # Staff are refused the portal outright (a page sends them to the admin).
    assert client.get(f"/portal/licences/{licence.pk}/certificate.pdf").status_code == 403


def test_the_certificate_downloads_as_a_pdf_attachment(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    licence = issue_licence(applicant=manufacturer)
    client.force_login(maker)
    response = client.get(f"/portal/licences/{licence.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert licence.number in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_another_enterprises_certificate_is_the_same_404_as_a_missing_one(
    client, rival, manufacturer
):  # type: ignore[no-untyped-def]
    licence = issue_licence(applicant=manufacturer)
    client.force_login(rival)
    other = client.get(f"/portal/licences/{licence.pk}/certificate.pdf")
    missing = client.get(f"/portal/licences/{licence.pk + 1000}/certificate.pdf")
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
