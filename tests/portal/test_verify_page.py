"""The public verification page: the portal's style, a search box, one label per field."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache

from tests.licensing.licence_factories import issue_licence
from tests.pagecheck import assert_reads_in_chinese

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_budget():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def licence(db):  # type: ignore[no-untyped-def]
    with time_machine.travel(date(2026, 3, 4), tick=False):
        return issue_licence(valid_from=date(2026, 3, 4))


def test_the_search_box_goes_to_the_licence_page(client, licence):
    response = client.get("/verify/", {"number": f"  {licence.number} "})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{licence.number}/"


@pytest.mark.parametrize("typed", ["hello", "26-31-00001", "<script>", "x" * 500])
def test_a_malformed_number_is_explained_and_kept_in_the_box(client, typed):
    response = client.get("/verify/", {"number": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a licence number" in page
    assert "<script>" not in page


def test_the_empty_search_page_shows_only_the_box(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert 'name="number"' in response.content.decode()


def test_the_chinese_page_labels_each_field_once(client, licence):
    text = assert_reads_in_chinese(
        client, f"/verify/{licence.number}/", data=[licence.holder.name_en]
    )
    assert "许可证号 许可证号" not in text  # the doubled label of old
    assert text.count("持证人") == 1
    assert text.count("目的国") == 1
    assert "法国" in text


def test_an_unknown_number_reads_in_chinese(client):
    text = assert_reads_in_chinese(client, "/verify/26-31-999999/", status=404)
    assert "26-31-999999" in text


def test_the_page_carries_the_search_box_and_the_portal_style(client, licence):
    page = client.get(f"/verify/{licence.number}/").content.decode()
    assert 'action="/verify/"' in page
    assert "portal/portal" in page
