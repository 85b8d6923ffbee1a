"""A user's own notifications: list, retrieve, mark read."""

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from notifications.api.serializers import NotificationSerializer
from notifications.models import Notification
from notifications.services import notification_mark_read, notifications_mark_all_read


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["kind", "status", "unread"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Notifications addressed to the caller; anyone else's is a 404."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.visible_to(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark this notification read."""
        notification = notification_mark_read(actor=request.user, notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification of the caller read."""
        return Response({"marked": notifications_mark_all_read(actor=request.user)})
