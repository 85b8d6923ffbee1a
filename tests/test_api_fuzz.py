"""Every API operation, fuzzed from its OpenAPI schema: no input gives a server error.

In-process against the WSGI application, as a portal member and as a licensing officer,
with a small world (a case and a licence) so that object routes reach real objects.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from tests.licensing.licence_factories import issue_licence

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def in_test_transaction(db):  # type: ignore[no-untyped-def]
    """Keep the test's connection open across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(in_test_transaction, maker, officer):  # type: ignore[no-untyped-def]
    issue_licence(applicant=maker.membership.enterprise)
    return [Token.objects.create(user=user).key for user in (maker, officer)]


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_api_operation_answers_with_a_server_error(case, tokens):  # type: ignore[no-untyped-def]
    for token in tokens:
        case.call_and_validate(
            headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error]
        )
