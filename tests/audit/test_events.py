import pytest
from django.test import Client

from audit.models import AuditEvent
from audit.tasks import sign_checkpoint
from tests.audit.conftest import record_events
from tests.registry.factories import UserFactory


@pytest.mark.django_db
def test_a_login_is_recorded_with_the_user_and_address():
    user = UserFactory(username="alice")
    user.set_password("correct horse battery")
    user.save()
    assert Client(REMOTE_ADDR="10.1.2.3").login(username="alice", password="correct horse battery")
    event = AuditEvent.objects.get(verb="auth.user.logged_in")
    assert event.actor == user and event.target_id == str(user.pk)


@pytest.mark.django_db
def test_a_failed_login_is_recorded_without_the_password():
    UserFactory(username="bob")
    assert not Client().login(username="bob", password="s3cret-guess-Xyz")
    event = AuditEvent.objects.get(verb="auth.user.login_failed")
    assert event.payload == {"username": "bob"}
    assert "s3cret-guess-Xyz" not in event.payload_text + event.target_repr


@pytest.mark.django_db
def test_the_token_endpoint_records_failed_logins(api):
    api.post("/api/v1/auth/token/", {"username": "nobody", "password": "wrong-password-1"})
    assert AuditEvent.objects.filter(verb="auth.user.login_failed", target_id="nobody").exists()


@pytest.mark.django_db
def test_the_beat_task_signs_a_checkpoint_at_the_head():
    record_events(3)
    assert sign_checkpoint() == 3


@pytest.mark.django_db
def test_events_about_an_object_come_newest_first():
    user = UserFactory()
    from audit.services import audit_record

    for verb in ("a.b.one", "a.b.two"):
        audit_record(actor=None, verb=verb, target=user)
    assert [e.verb for e in AuditEvent.objects.for_target(user)] == ["a.b.two", "a.b.one"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2001:DB8:0::1", "2001:db8::1"),
        ("::ffff:10.1.2.3", "10.1.2.3"),
        ("fe80::1%eth0", "fe80::1"),
        ("not an address", None),
    ],
)
def test_an_address_is_hashed_as_the_database_returns_it(given, stored):
    from audit.services import audit_record

    event = audit_record(actor=None, verb="a.b.c", target=("t", "1", "x"), ip=given)
    reread = AuditEvent.objects.get(pk=event.pk)
    assert reread.ip == stored
    assert reread.chain_values() == event.chain_values()


@pytest.mark.django_db
def test_a_batch_of_events_is_stored_in_order_and_the_head_moves_to_the_last():
    from audit.models import ChainHead
    from audit.services import audit_batch, audit_record

    with audit_batch():
        events = [
            audit_record(actor=None, verb="a.b.c", target=("t", str(n), f"x{n}")) for n in range(3)
        ]

    stored = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("seq"))
    assert [(e.pk, e.seq, e.hash) for e in stored] == [(e.pk, e.seq, e.hash) for e in events]
    assert [e.seq for e in events] == [events[0].seq + n for n in range(3)]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    head = ChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)
