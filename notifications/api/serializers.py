from rest_framework import serializers

from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "target_type",
            "target_id",
            "target_repr",
            "due_on",
            "language",
            "subject",
            "body",
            "status",
            "created_at",
            "sent_at",
            "read_at",
        ]
        read_only_fields = fields
