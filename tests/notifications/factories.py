"""factory_boy factories for the outbox."""

import factory
from django.utils import timezone

from notifications.models import Notification
from tests.registry.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test.reminder"
    target_type = "registry.enterprise"
    target_id = factory.Sequence(str)
    target_repr = factory.LazyAttribute(lambda n: f"Target {n.target_id}")
    subject = "Reminder"
    body = "Something is due."
    next_attempt_at = factory.LazyFunction(timezone.now)
