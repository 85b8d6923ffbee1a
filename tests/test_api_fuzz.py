"""Every API operation, fuzzed from its OpenAPI schema, as every identity: no input gives a
server error, and every documented answer matches its schema.

In-process against the WSGI application, once per identity of the permission matrix
(anonymous, the three portal roles, another enterprise's admin, each staff role, a
superuser; tests/security/world.py), with a small world (a draft case and a licence of the
portal roles' enterprise, a licence of the other's) so that object routes can reach real
objects. To keep the run under two minutes on two CPUs, each operation gets its schema
examples and EXAMPLES_PER_OPERATION generated inputs (no coverage phase), each sent once per
identity (so ten requests an input), rather than the hundred examples a nightly `st run`
would use.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

from config.wsgi import application
from tests.licensing.factories import draft_case
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import EnterpriseFactory
from tests.security.world import ROLES, build_users

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The coverage phase's boundary cases number dozens an operation; ten identities each would
# take the run well past its budget. The schema's examples and the fuzzing phase remain.
schema.config.phases.coverage.enabled = False
EXAMPLES_PER_OPERATION = 3
CHECKS = [not_a_server_error, response_schema_conformance]


def _identities() -> dict[str, dict[str, str]]:
    mine = EnterpriseFactory(kind="manufacturer")
    theirs = EnterpriseFactory(kind="manufacturer")
    users = build_users(mine, theirs)
    draft_case(users["portal_admin"])
    issue_licence(applicant=mine)
    issue_licence(applicant=theirs)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role, user in users.items():
        headers[role] = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    return headers


@pytest.fixture(scope="module")
def identities(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The headers each role of the permission matrix sends (none for the anonymous).

    Built once for the module inside a transaction rolled back at its end; each test runs in
    a savepoint of it (`db`), so what one operation's fuzzing writes is gone for the next.
    The test's connection stays open across requests, as Django's test client keeps it.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield _identities()
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_identity_of_the_permission_matrix_is_fuzzed(db, identities):  # type: ignore[no-untyped-def]
    assert set(identities) == set(ROLES)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_api_operation_answers_any_identity_with_a_server_error_or_off_schema(  # type: ignore[no-untyped-def]
    case, db, identities
):
    for headers in identities.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
