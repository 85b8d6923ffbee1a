"""Hostile requests: foreign Host headers, oversized and malformed bodies on every endpoint."""

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from tests.licensing.licence_factories import issue_licence

pytestmark = pytest.mark.django_db

EVIL_HOST = "attacker.example"
PAGES = ["/portal/", "/portal/login/", "/admin/", "/admin/login/", "/api/v1/cases/", "/healthz"]
OVERSIZED = b'{"a": "' + b"x" * (3 * 1024 * 1024) + b'"}'
MALFORMED = [b"{", b'{"reasons": "\xff\xfe"}', b"[1, 2", b"\x00" * 64]


@pytest.mark.parametrize("path", PAGES)
def test_a_host_header_not_allowed_is_a_400_that_does_not_reflect_it(path):
    response = Client().get(path, HTTP_HOST=EVIL_HOST)
    assert response.status_code == 400
    assert EVIL_HOST.encode() not in response.content
    assert EVIL_HOST not in response.get("Location", "")


def test_a_forwarded_host_is_never_trusted(settings):
    response = Client().get("/portal/", HTTP_X_FORWARDED_HOST=EVIL_HOST)
    assert EVIL_HOST not in response.get("Location", "")


def body_operations() -> list[tuple[str, str]]:
    """Every API operation that takes a body, from the OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch") and "requestBody" in operation
    ]


@pytest.fixture
def world(maker, officer):  # type: ignore[no-untyped-def]
    licence = issue_licence(applicant=maker.membership.enterprise)
    return {"id": str(licence.pk), "users": [maker, officer]}


def concrete(path: str, object_id: str) -> str:
    return "".join(object_id if part.startswith("{") else part for part in _split(path))


def _split(path: str) -> list[str]:
    import re

    return re.split(r"(\{[^}]+\})", path)


@pytest.mark.parametrize(("method", "path"), body_operations())
def test_oversized_and_malformed_bodies_are_refused_with_a_4xx_on_every_operation(
    world, method, path
):
    url = concrete(path, world["id"])
    for user in world["users"]:
        client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0]}")
        for body in [OVERSIZED, *MALFORMED]:
            response = client.generic(method, url, body, content_type="application/json")
            assert 400 <= response.status_code < 500, (user, body[:10], response.status_code)
            if body is OVERSIZED:  # refused before or while reading, never parsed
                assert response.status_code in (400, 403, 404, 405, 413, 415)


@pytest.mark.parametrize("path", ["/portal/login/", "/admin/login/", "/api/v1/auth/token/"])
def test_an_oversized_form_post_is_refused_without_a_server_error(path):
    body = "username=" + "x" * (3 * 1024 * 1024)
    response = Client().post(path, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 403, 413)
