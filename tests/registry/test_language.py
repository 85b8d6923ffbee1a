"""The admin header's language switch, remembered per user in any browser."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from registry.language import user_language
from registry.models import UserProfile

pytestmark = pytest.mark.django_db

SWITCH = reverse("set_language")
INDEX = reverse("admin:index")


def switch(client: Client, language: str, next_url: str = INDEX):  # type: ignore[no-untyped-def]
    return client.post(SWITCH, {"language": language, "next": next_url})


def test_the_admin_header_offers_a_labelled_language_switch(client, caseworker):
    client.force_login(caseworker)
    html = client.get(INDEX).content.decode()
    assert 'id="admin-language"' in html
    assert '<label for="id_admin_language">Language</label>' in html
    assert "简体中文" in html


def test_switching_to_chinese_renders_the_admin_in_chinese_and_remembers_it(client, caseworker):
    client.force_login(caseworker)
    response = switch(client, "zh-hans")
    assert response.status_code == 302 and response["Location"] == INDEX
    assert "案件" in client.get(INDEX).content.decode()
    assert user_language(caseworker) == "zh-hans"
    event = AuditEvent.objects.get(verb="registry.user_profile.updated")
    assert event.payload == {"changes": {"language": ["", "zh-hans"]}}


def test_the_choice_follows_the_user_to_another_browser(caseworker):
    first = Client()
    first.force_login(caseworker)
    switch(first, "zh-hans")
    other = Client(headers={"accept-language": "en"})
    other.force_login(caseworker)  # signing in, as the login page does
    html = other.get(INDEX).content.decode()
    assert '<html lang="zh-hans"' in html


def test_switching_back_to_english_is_remembered_too(client, caseworker):
    client.force_login(caseworker)
    switch(client, "zh-hans")
    switch(client, "en")
    assert user_language(caseworker) == "en"
    assert '<html lang="en"' in client.get(INDEX).content.decode()


@pytest.mark.parametrize("language", ["xx", "", "zh-hans\x00", "e" * 10_000])
def test_an_unknown_language_changes_nothing_and_is_no_server_error(client, caseworker, language):
    client.force_login(caseworker)
    response = switch(client, language)
    assert response.status_code in (302, 400)
    assert not UserProfile.objects.exists()


def test_an_anonymous_switch_sets_only_the_cookie(client):
    response = switch(client, "zh-hans", "/portal/")
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "zh-hans"
    assert not UserProfile.objects.exists()


def test_a_switch_does_not_redirect_to_another_site(client, caseworker):
    client.force_login(caseworker)
    response = switch(client, "en", "https://example.com/")
    assert response["Location"] == "/"


def test_the_language_switch_refuses_get(client):
    assert client.get(SWITCH).status_code == 405


def test_view_site_is_not_offered_and_the_favicon_is_served(client, caseworker):
    client.force_login(caseworker)
    html = client.get(INDEX).content.decode()
    assert "View site" not in html
    assert 'rel="icon"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"


def test_the_admin_states_the_time_rule(client, caseworker):
    client.force_login(caseworker)
    assert "All times are Beijing time (UTC+8)." in client.get(INDEX).content.decode()
