import pytest
from django.db import connection

from audit.chain import GENESIS_HASH, verify_rows
from audit.models import AuditEvent, AuditImmutable
from audit.services import audit_record
from tests.registry.factories import UserFactory


def stored_rows():
    return [(e.chain_values(), e.hash) for e in AuditEvent.objects.order_by("seq")]


@pytest.mark.django_db
def test_events_chain_from_genesis_and_verify():
    user = UserFactory()
    first = audit_record(
        actor=user,
        verb="test.thing.done",
        target=("test.thing", "1", "one"),
        payload={"b": 2, "a": "中文"},
    )
    second = audit_record(actor=None, verb="test.thing.done", target=("test.thing", "2", "two"))
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.actor_label == "system"
    problem, count, last = verify_rows(stored_rows())
    assert problem is None and count == 2 and last == second.hash


@pytest.mark.django_db
def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = audit_record(actor=None, verb="test.x", target=("t", "1", "x"))
    event.verb = "changed"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().update(verb="x")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "column",
    [
        "occurred_at",
        "actor_label",
        "verb",
        "target_type",
        "target_id",
        "target_repr",
        "enterprise_id",
        "payload_text",
        "ip",
        "prev_hash",
        "hash",
    ],
)
def test_an_edit_of_any_stored_field_is_detected(column, lifted_triggers):
    for n in range(3):
        audit_record(
            actor=None,
            verb="test.x",
            target=("t", str(n), "x"),
            payload={"n": n},
            enterprise_id=7,
            ip="10.0.0.1",
        )
    middle = AuditEvent.objects.get(seq=2)
    tampered = {
        "occurred_at": "2020-01-01 00:00:00",
        "actor_label": "mallory",
        "verb": "test.y",
        "target_type": "u",
        "target_id": "99",
        "target_repr": "y",
        "enterprise_id": 8,
        "payload_text": '{"n":5}',
        "ip": "10.0.0.2",
        "prev_hash": "1" * 64,
        "hash": "2" * 64,
    }[column]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", [tampered, middle.pk]
        )
    problem, _count, _last = verify_rows(stored_rows())
    assert problem is not None
    assert problem.seq in {"2", "3"}
