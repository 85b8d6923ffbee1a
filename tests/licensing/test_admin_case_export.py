"""CSV export of the filtered queue: same rows as the screen, escaped, refused to others."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from licensing.models import Case
from tests.licensing.factories import CaseFactory
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:licensing_case_export")


def exported(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_export_follows_the_lists_filters_and_search(client, caseworker):
    wanted = CaseFactory(status=Case.Status.SUBMITTED, contract_number="=HYPERLINK(1)")
    CaseFactory(status=Case.Status.DRAFT)
    client.force_login(caseworker)
    response = client.get(EXPORT, {"status__exact": "submitted"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, *rows = exported(response)
    assert header[0] == "Reference" and "Submitted (Beijing time (UTC+8))" in header
    assert [row[0] for row in rows] == [wanted.reference]
    assert rows[0][header.index("Contract")] == "'=HYPERLINK(1)"
    assert rows[0][header.index("Status")] == "Submitted"


def test_the_export_header_reads_in_chinese_for_a_chinese_reader(client, caseworker):
    CaseFactory()
    client.force_login(caseworker)
    response = client.get(EXPORT, headers={"accept-language": "zh-hans"})
    header = exported(response)[0]
    assert "案件编号" in header[0] and any("北京时间" in title for title in header)


def test_the_export_query_count_does_not_grow_with_rows(
    client, caseworker, django_assert_max_num_queries
):
    CaseFactory.create_batch(3)
    client.force_login(caseworker)
    with django_assert_max_num_queries(20) as small:
        exported(client.get(EXPORT))
    CaseFactory.create_batch(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(exported(client.get(EXPORT))) == 34


def test_staff_without_the_case_list_may_not_export(client):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_calendarday"))
    CaseFactory()
    client.force_login(clerk)
    assert client.get(EXPORT).status_code == 403


def test_portal_users_are_refused_and_sent_to_the_portal(client, maker):
    client.force_login(maker)
    response = client.get(EXPORT)
    assert response.status_code == 403 and "/portal/" in response.content.decode()


@pytest.mark.parametrize("params", [{"q": "x" * 10_000}, {"q": "%00"}, {"status__exact": "zzz"}])
def test_garbage_filters_export_nothing_or_are_refused_without_a_server_error(
    client, caseworker, params
):
    CaseFactory()
    client.force_login(caseworker)
    response = client.get(EXPORT, params)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert len(exported(response)) == 1  # the header alone


def test_the_queue_offers_the_export_with_its_current_filters(client, caseworker):
    client.force_login(caseworker)
    html = client.get(reverse("admin:licensing_case_changelist"), {"status__exact": "submitted"})
    assert f'href="{EXPORT}?status__exact=submitted"' in html.content.decode()
