"""Saved queue views: per user, only queue parameters kept, another user's not found."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.errors import NotFound
from licensing.models import SavedCaseFilter
from licensing.services.saved_filters import clean_query, saved_filter_delete, saved_filter_save

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:licensing_case_changelist")
SAVE = reverse("admin:licensing_case_saved_filter_save")


def test_only_the_queues_own_parameters_are_kept_in_a_stable_order():
    assert clean_query("status__exact=submitted&evil=1&q=LC&_changelist_filters=x") == (
        "q=LC&status__exact=submitted"
    )


def test_saving_twice_under_one_name_overwrites(caseworker):
    saved_filter_save(actor=caseworker, name="Mine", query="queue=mine")
    saved_filter_save(actor=caseworker, name="Mine", query="queue=overdue")
    assert list(SavedCaseFilter.objects.values_list("name", "query")) == [("Mine", "queue=overdue")]


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "bad\x00name"])
def test_a_bad_name_is_refused(caseworker, name):
    with pytest.raises(ValidationError):
        saved_filter_save(actor=caseworker, name=name, query="queue=mine")
    assert not SavedCaseFilter.objects.exists()


def test_a_user_keeps_at_most_twenty_views(caseworker):
    for n in range(20):
        saved_filter_save(actor=caseworker, name=f"View {n}", query="")
    with pytest.raises(ValidationError):
        saved_filter_save(actor=caseworker, name="One more", query="")


def test_another_users_view_cannot_be_deleted(caseworker, caseworker2):
    saved = saved_filter_save(actor=caseworker, name="Mine", query="queue=mine")
    for pk in (saved.pk, "abc", "99999999999999999999"):
        with pytest.raises(NotFound):
            saved_filter_delete(actor=caseworker2, pk=pk)
    assert SavedCaseFilter.objects.count() == 1


def test_the_queue_saves_the_current_view_and_lists_only_the_users_own(
    client, caseworker, caseworker2
):
    saved_filter_save(actor=caseworker2, name="Theirs", query="queue=overdue")
    client.force_login(caseworker)
    response = client.post(SAVE, {"name": "Submitted ones", "query": "status__exact=submitted"})
    assert response.status_code == 302 and response["Location"].endswith("?status__exact=submitted")
    html = client.get(CHANGELIST).content.decode()
    assert f'href="{CHANGELIST}?status__exact=submitted">Submitted ones</a>' in html
    assert "Theirs" not in html


def test_deleting_a_view_from_the_queue(client, caseworker):
    saved = saved_filter_save(actor=caseworker, name="Old", query="")
    client.force_login(caseworker)
    url = reverse("admin:licensing_case_saved_filter_delete", args=[saved.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    assert not SavedCaseFilter.objects.exists()
