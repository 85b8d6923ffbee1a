from collections.abc import Iterator

import pytest
from django.db import connection

from audit.services import audit_record
from audit.triggers import install_triggers, remove_triggers

# Cells that exercise quoting and formula escaping in every column that carries text.
AWKWARD = ["=SUM(A1)", "+1", "-2", "@cmd", "\tTab", "\rCR", "'quoted", '"q" ,x', "中文\n第二行"]


@pytest.fixture
def lifted_triggers(db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Remove the append-only triggers, as a malicious administrator could."""
    remove_triggers(connection)
    try:
        yield
    finally:
        install_triggers(connection)


def record_events(count: int, *, awkward: bool = False, enterprise_id: int | None = 7) -> list:
    """Append `count` events, optionally with awkward text in every free-text field."""
    events = []
    for n in range(count):
        text = AWKWARD[n % len(AWKWARD)] if awkward else f"thing {n}"
        events.append(
            audit_record(
                actor=None,
                verb=f"test.thing.{'done' if n % 2 else 'made'}",
                target=("test.thing", text[:64] if awkward else str(n), text),
                payload={"n": n, "text": text, "nested": {"b": [1, 2.5, None], "a": "中"}},
                enterprise_id=enterprise_id if n % 3 else None,
                ip="10.0.0.1" if n % 2 else "2001:db8::1",
            )
        )
    return events
