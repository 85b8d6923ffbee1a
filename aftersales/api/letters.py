"""Letter requests (exporter ↔ manufacturer) and confirmation letters, scoped by visible_to.

The letter's PDF is served by licensing (where the PDF layout lives).
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from aftersales import selectors, services
from aftersales.api.letter_serializers import (
    ConfirmationLetterFilter,
    ConfirmationLetterSerializer,
    IssueOnRequestSerializer,
    LetterRequestFilter,
    LetterRequestSerializer,
    ReasonSerializer,
    issue_fields,
)
from aftersales.api.views import MembersWriteOwn


class LetterViewSetBase(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated, MembersWriteOwn]
    lookup_value_regex = r"[0-9]{1,18}"

    def reason(self, request: Request) -> str:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data["reason"]


class LetterRequestViewSet(LetterViewSetBase):
    """Requests your enterprise made or received; exporters create, manufacturers answer."""

    serializer_class = LetterRequestSerializer
    filterset_class = LetterRequestFilter

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.letter_requests_visible_to(self.request.user)

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.letter_request_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=None, responses=LetterRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw your pending request."""
        answered = services.letter_request_withdraw(actor=request.user, request=self.get_object())
        return Response(self.get_serializer(answered).data)

    @extend_schema(request=ReasonSerializer, responses=LetterRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str | None = None) -> Response:
        """Refuse a request addressed to your enterprise, giving the reason."""
        letter_request = self.get_object()
        answered = services.letter_request_refuse(
            actor=request.user, request=letter_request, reason=self.reason(request)
        )
        return Response(self.get_serializer(answered).data)

    @extend_schema(request=IssueOnRequestSerializer, responses=ConfirmationLetterSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str | None = None) -> Response:
        """Issue the letter asked for, naming your verified outlet in the destination."""
        letter_request = self.get_object()
        body = IssueOnRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        letter = services.letter_issue(
            actor=request.user,
            vin=letter_request.vin,
            vehicle_model=letter_request.vehicle_model,
            country=letter_request.country,
            outlet=body.validated_data["outlet"],
            request=letter_request,
        )
        context = self.get_serializer_context()
        return Response(ConfirmationLetterSerializer(letter, context=context).data, status=201)


class ConfirmationLetterViewSet(LetterViewSetBase):
    """Letters your enterprise issued or received; manufacturers issue and revoke them."""

    serializer_class = ConfirmationLetterSerializer
    filterset_class = ConfirmationLetterFilter

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.letters_visible_to(self.request.user)

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.letter_issue(
            actor=self.request.user, **issue_fields(serializer.validated_data)
        )

    @extend_schema(request=ReasonSerializer, responses=ConfirmationLetterSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """Revoke a letter your enterprise issued, giving the reason."""
        letter = services.letter_revoke(
            actor=request.user, letter=self.get_object(), reason=self.reason(request)
        )
        return Response(self.get_serializer(letter).data)
