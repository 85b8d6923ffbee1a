"""Twenty officers deciding one case at once: exactly one wins, everyone else gets a conflict."""

import threading

import pytest
from django.db import connection

from audit.models import AuditEvent
from config.errors import Conflict
from licensing.models import Case
from licensing.services import workflow
from registry.roles import CASEWORKER, LICENSING_OFFICER
from tests.conftest import staff_user
from tests.licensing.factories import case_in_status

OFFICERS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_produce_one_decision_and_409s(maker, frozen_today):  # type: ignore[no-untyped-def]
    caseworker = staff_user("race-cw", CASEWORKER)
    officers = [staff_user(f"race-off-{n}", LICENSING_OFFICER) for n in range(OFFICERS)]
    case = case_in_status(
        "recommended", applicant_user=maker, caseworker=caseworker, officer=officers[0]
    )
    start = threading.Barrier(OFFICERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def decide(officer) -> None:  # type: ignore[no-untyped-def]
        try:
            mine = Case.objects.get(pk=case.pk)
            start.wait()
            workflow.case_decide(actor=officer, case=mine, outcome="approve", reasons="Agreed")
            result = "won"
        except Conflict as error:
            result = f"conflict:{error.code}"
        except Exception as error:  # noqa: BLE001 — any other error is the failure we look for
            result = f"error:{type(error).__name__}:{error}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=decide, args=(o,)) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("won") == 1, outcomes
    assert all(o == "won" or o.startswith("conflict:") for o in outcomes), outcomes
    assert (
        AuditEvent.objects.filter(verb="licensing.case.decided", target_id=str(case.pk)).count()
        == 1
    )
    decided = Case.objects.get(pk=case.pk)
    assert decided.status == "approved" and decided.decided_by_id != decided.recommended_by_id
