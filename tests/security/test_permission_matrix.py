"""Every route and API operation × every role × own / other enterprise's / missing object.

The expected answers are the checked-in policy in tests/security/policy/; a route that is not
listed there fails, so a new endpoint is denied until someone has reviewed who may use it.
"""

import pytest

from tests.security.policy import expected, load_policy
from tests.security.probe import planned_requests, run_matrix
from tests.security.world import PORTAL_ROLES, ROLES, build_world

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Anyone may check any licence or letter number: these answer for every enterprise alike.
PUBLIC_LOOKUPS = {
    "verify/{}/",
    "api/v1/verify/{}/",
    "verify/letter/{}/",
    "api/v1/verify/letter/{}/",
}


def test_every_route_and_api_operation_is_in_the_policy_and_nothing_else_is():
    planned = {entry.key for entry in planned_requests()}
    policy = set(load_policy())
    assert sorted(planned - policy) == [], "routes missing from the policy (denied by default)"
    assert sorted(policy - planned) == [], "policy lines for routes that no longer exist"


@pytest.mark.django_db
def test_every_role_gets_the_answer_the_policy_states_and_no_more():
    """One pass over the whole matrix (every request rolled back), then each property of it."""
    answers = run_matrix(build_world(), planned_requests())
    assert _deviations(answers) == []
    assert _other_enterprise_differs_from_missing(answers) == []
    assert [key for key, row in answers.items() if any(a.status >= 500 for a in row)] == []
    assert _unaudited_refusals(answers) == []


def _deviations(answers):  # type: ignore[no-untyped-def]
    policy = load_policy()
    deviations = []
    for (key, variant), row in answers.items():
        method, shape = key.split(" ", 1)
        index = _variant_index(shape, variant)
        for role, cell, answer in zip(ROLES, policy[key], row, strict=True):
            want = expected(cell, index)
            if answer.outcome != want:
                deviations.append(f"{key} [{variant}] {role}: {answer.status}, policy says {want}")
    return deviations


def _other_enterprise_differs_from_missing(answers):  # type: ignore[no-untyped-def]
    """A portal role gets the same status (and from the API the same body) for both."""
    leaks = []
    for (key, variant), row in answers.items():
        if variant != "other" or key.split(" ", 1)[1] in PUBLIC_LOOKUPS:
            continue
        missing = answers[(key, "missing")]
        for role, theirs, absent in zip(ROLES, row, missing, strict=True):
            if role not in PORTAL_ROLES:
                continue
            same_body = theirs.body == absent.body or not key.split(" ", 1)[1].startswith("api/")
            if theirs.status != absent.status or not same_body:
                leaks.append(f"{key} {role}: {theirs.status} vs {absent.status}")
    return leaks


def _unaudited_refusals(answers):  # type: ignore[no-untyped-def]
    """Every 403 to an unsafe request (API, admin and portal alike) is an audit event."""
    refused = [
        (key, role)
        for (key, variant), row in answers.items()
        if key.split(" ", 1)[0] in UNSAFE
        for role, answer in zip(ROLES, row, strict=True)
        if answer.status == 403
    ]
    interfaces = {key.split(" ", 1)[1].split("/", 1)[0] for key, _role in refused}
    assert {"api", "admin", "portal"} <= interfaces
    return [
        f"{key} {role}"
        for (key, variant), row in answers.items()
        if key.split(" ", 1)[0] in UNSAFE
        for role, answer in zip(ROLES, row, strict=True)
        if answer.status == 403 and not answer.audited
    ]


def _variant_index(shape: str, variant: str) -> int:
    order = ("own", "missing") if shape.startswith("admin/") else ("own", "other", "missing")
    return 0 if variant == "none" else order.index(variant)
