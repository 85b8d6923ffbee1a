import factory

from audit.models import AuditCheckpoint, AuditEvent
from audit.services import audit_record, checkpoint_create


class AuditEventFactory(factory.django.DjangoModelFactory):
    """Events are appended only through audit_record, so the chain stays valid."""

    class Meta:
        model = AuditEvent

    verb = "test.thing.done"
    target = factory.Sequence(lambda n: ("test.thing", str(n), f"thing {n}"))
    payload = factory.LazyFunction(lambda: {"note": "中文"})

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        return audit_record(actor=kwargs.pop("actor", None), **kwargs)


class AuditCheckpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditCheckpoint

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        return checkpoint_create()
