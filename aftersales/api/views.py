"""Portal users manage their own after-sales records; staff read every record."""

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from aftersales import services
from aftersales.api import filters, serializers
from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from config.errors import ActionForbidden
from registry.models import Enterprise, member_enterprise_id, member_may_apply


class MembersWriteOwn(permissions.BasePermission):
    """Anyone signed in may read what visible_to() shows; only applicants and admins write."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return member_may_apply(request.user)


class OwnedRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, create, retrieve, update and withdraw; no delete, records keep their history."""

    permission_classes = [permissions.IsAuthenticated, MembersWriteOwn]
    lookup_value_regex = r"[0-9]{1,18}"
    model: Any = None

    def get_queryset(self) -> QuerySet:
        return self.model.objects.visible_to(self.request.user).select_related("country")

    def caller_enterprise(self) -> Enterprise:
        enterprise_id = member_enterprise_id(self.request.user)
        if enterprise_id is None:
            raise ActionForbidden(_("Only members of an enterprise may record this."))
        return Enterprise.objects.get(pk=enterprise_id)

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = self.create_record(
            actor=self.request.user, enterprise=self.caller_enterprise(), **data
        )

    def perform_update(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = self.update_record(serializer.instance, data, version)

    @extend_schema(request=serializers.AftersalesWithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw this record; it stays on file."""
        record = self.get_object()
        body = serializers.AftersalesWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = self.withdraw_record(record, body.validated_data.get("reason", ""))
        return Response(self.get_serializer(record).data)

    def create_record(self, **fields: Any) -> Model:
        raise NotImplementedError

    def update_record(self, record: Any, data: dict, version: int | None) -> Model:
        raise NotImplementedError

    def withdraw_record(self, record: Any, reason: str) -> Model:
        raise NotImplementedError


class ServiceOutletViewSet(OwnedRecordViewSet):
    model = ServiceOutlet
    serializer_class = serializers.ServiceOutletSerializer
    filterset_class = filters.ServiceOutletFilter

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("brands")

    def create_record(self, **fields: Any) -> Model:
        return services.outlet_create(**fields)

    def update_record(self, record: Any, data: dict, version: int | None) -> Model:
        return services.outlet_update(
            actor=self.request.user, outlet=record, data=data, expected_version=version
        )

    def withdraw_record(self, record: Any, reason: str) -> Model:
        return services.outlet_withdraw(actor=self.request.user, outlet=record, reason=reason)


class WarrantyCommitmentViewSet(OwnedRecordViewSet):
    model = WarrantyCommitment
    serializer_class = serializers.WarrantyCommitmentSerializer
    filterset_class = filters.WarrantyCommitmentFilter

    def create_record(self, **fields: Any) -> Model:
        return services.warranty_commitment_create(**fields)

    def update_record(self, record: Any, data: dict, version: int | None) -> Model:
        return services.warranty_commitment_update(
            actor=self.request.user, commitment=record, data=data, expected_version=version
        )

    def withdraw_record(self, record: Any, reason: str) -> Model:
        return services.warranty_commitment_withdraw(
            actor=self.request.user, commitment=record, reason=reason
        )


class SparePartsCommitmentViewSet(OwnedRecordViewSet):
    model = SparePartsCommitment
    serializer_class = serializers.SparePartsCommitmentSerializer
    filterset_class = filters.SparePartsCommitmentFilter

    def create_record(self, **fields: Any) -> Model:
        return services.spare_parts_commitment_create(**fields)

    def update_record(self, record: Any, data: dict, version: int | None) -> Model:
        return services.spare_parts_commitment_update(
            actor=self.request.user, commitment=record, data=data, expected_version=version
        )

    def withdraw_record(self, record: Any, reason: str) -> Model:
        return services.spare_parts_commitment_withdraw(
            actor=self.request.user, commitment=record, reason=reason
        )
