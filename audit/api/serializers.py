from rest_framework import serializers

from audit.models import AuditCheckpoint, AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "occurred_at",
            "actor",
            "actor_id",
            "verb",
            "target_type",
            "target_id",
            "target_repr",
            "enterprise_id",
            "payload",
            "ip",
            "prev_hash",
            "hash",
        ]


class AuditCheckpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditCheckpoint
        fields = ["id", "seq", "hash", "created_at", "signature"]
