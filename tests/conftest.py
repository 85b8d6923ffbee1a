"""Actors shared by every test folder, and the rules for marked tests."""

import os
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from registry.roles import AUDITOR, CASEWORKER, LICENSING_OFFICER, REGISTRAR
from tests.registry.factories import (
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip marked tests whose service is absent locally; under CI=true, fail instead."""
    if item.get_closest_marker("postgres") and not _database_is_postgres():
        _skip_or_fail("needs PostgreSQL: set DATABASE_URL")
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        _skip_or_fail("needs Redis: set REDIS_URL")


@pytest.fixture(autouse=True, scope="session")
def _a_cache_of_this_workers_own():  # type: ignore[no-untyped-def]
    """Each parallel worker keeps its cache (rate budgets, sign-in counters) in a Redis
    database of its own: a test's cache.clear() flushes a whole database, which would
    reset the budget another worker's test is counting down."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    location = settings.CACHES["default"].get("LOCATION", "")
    if not worker.startswith("gw") or not location.startswith("redis://"):
        yield
        return
    url = urlsplit(location)
    base = int(url.path.strip("/") or 0)
    database = (base + 1 + int(worker.removeprefix("gw"))) % 16  # never the broker's own
    caches = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": url._replace(path=f"/{database}").geturl(),
        }
    }
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _default_language_after_each_test():  # type: ignore[no-untyped-def]
    """A page rendered in Chinese must not leave the next test's thread speaking Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _database_is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _skip_or_fail(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: marked tests must run)")
    pytest.skip(reason)


def staff_user(username: str, *roles: str):  # type: ignore[no-untyped-def]
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


@pytest.fixture
def caseworker(db):  # type: ignore[no-untyped-def]
    return staff_user("cw", CASEWORKER)


@pytest.fixture
def caseworker2(db):  # type: ignore[no-untyped-def]
    return staff_user("cw2", CASEWORKER)


@pytest.fixture
def officer(db):  # type: ignore[no-untyped-def]
    return staff_user("off", LICENSING_OFFICER, CASEWORKER)


@pytest.fixture
def officer2(db):  # type: ignore[no-untyped-def]
    return staff_user("off2", LICENSING_OFFICER, CASEWORKER)


@pytest.fixture
def registrar(db):  # type: ignore[no-untyped-def]
    return staff_user("reg", REGISTRAR)


@pytest.fixture
def auditor(db):  # type: ignore[no-untyped-def]
    return staff_user("aud", AUDITOR)


@pytest.fixture
def manufacturer(db):  # type: ignore[no-untyped-def]
    return EnterpriseFactory(kind="manufacturer")


@pytest.fixture
def maker(manufacturer):  # type: ignore[no-untyped-def]
    """A portal user (enterprise admin) of `manufacturer`."""
    return MembershipFactory(enterprise=manufacturer, role="admin").user


@pytest.fixture
def rival_enterprise(db):  # type: ignore[no-untyped-def]
    return EnterpriseFactory(kind="manufacturer")


@pytest.fixture
def rival(rival_enterprise):  # type: ignore[no-untyped-def]
    """A portal user of another manufacturer."""
    return MembershipFactory(enterprise=rival_enterprise, role="admin").user


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    return APIClient()


@pytest.fixture
def api_as(api):  # type: ignore[no-untyped-def]
    """Return a function that authenticates the API client as a user."""

    def login(user):  # type: ignore[no-untyped-def]
        api.force_authenticate(user=user)
        return api

    return login
