"""/api/v1/cases/: list, create, read, draft edits, workflow actions, evidence, screening.

Interface only: parse, call a selector or service, render. Another enterprise's case is a
404 for every verb because every lookup starts from `cases_visible_to(user)`.
"""

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from licensing.api import serializers as s
from licensing.api.pagination import EstimatedCountPagination
from licensing.api.schedule_errors import serializer_error, service_error
from licensing.models import Case
from licensing.selectors import case_for, cases_visible_to, document_for
from licensing.services import drafts, screening, sla, workflow
from licensing.services.documents import document_add
from licensing.services.validation import EDITABLE_FIELDS

CONFLICT = OpenApiResponse(description="409: invalid_transition or stale_version")


class CaseFilter(django_filters.FilterSet):
    destination = django_filters.CharFilter(field_name="destination__code", lookup_expr="iexact")
    submitted_after = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte")

    class Meta:
        model = Case
        fields = ["status", "kind", "destination", "submitted_after"]


def _validated(serializer: s.serializers.Serializer) -> dict[str, Any]:
    if not serializer.is_valid():
        raise serializer_error(serializer.errors)
    return dict(serializer.validated_data)


def _line_dicts(lines: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    return None if lines is None else [dict(line) for line in lines]


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter
    pagination_class = EstimatedCountPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return cases_visible_to(self.request.user).order_by("-created_at", "-pk")

    def get_object(self) -> Case:
        return case_for(self.request.user, self.kwargs["pk"])

    def _render(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        case = cases_visible_to(self.request.user).get(pk=case.pk)
        context = {**self.get_serializer_context(), "slas": sla.slas_for([case])}
        return Response(s.CaseSerializer(case, context=context).data, status=code)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "slas": sla.slas_for(page)}
        return self.get_paginated_response(s.CaseSerializer(page, many=True, context=context).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._render(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.CaseSerializer(data=request.data, context=self.get_serializer_context())
        data = _validated(serializer)
        lines = _line_dicts(data.pop("lines", []))
        vehicles = _line_dicts(data.pop("vehicles", None))
        try:
            case = drafts.case_create(actor=request.user, lines=lines, vehicles=vehicles, **data)
        except ValidationError as error:
            raise service_error(error) from error
        return self._render(case, status.HTTP_201_CREATED)

    @extend_schema(request=s.CaseUpdateSerializer, responses=s.CaseSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        serializer = s.CaseUpdateSerializer(
            case, data=request.data, partial=True, context=self.get_serializer_context()
        )
        data = _validated(serializer)
        if "version" not in data:
            raise ValidationError({"version": "Send the version you last saw."})
        version, lines = data.pop("version"), _line_dicts(data.pop("lines", None))
        vehicles = _line_dicts(data.pop("vehicles", None))
        fields = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
        try:
            case = drafts.case_update(
                actor=request.user,
                case=case,
                data=fields,
                lines=lines,
                vehicles=vehicles,
                expected_version=version,
            )
        except ValidationError as error:
            raise service_error(error) from error
        return self._render(case)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    def _act(self, request: Request, body: type[s.serializers.Serializer], run: Any) -> Response:
        case = self.get_object()
        serializer = body(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        return self._render(run(case, data, version))

    @extend_schema(
        request=s.VersionedActionSerializer, responses={200: s.CaseSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Submit a draft (runs eligibility screening)."""
        return self._act(
            request,
            s.VersionedActionSerializer,
            lambda c, d, v: workflow.case_submit(actor=request.user, case=c, expected_version=v),
        )

    @extend_schema(request=s.WithdrawSerializer, responses={200: s.CaseSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Withdraw an undecided application."""
        return self._act(
            request,
            s.WithdrawSerializer,
            lambda c, d, v: workflow.case_withdraw(
                actor=request.user, case=c, expected_version=v, **d
            ),
        )

    @extend_schema(request=s.AssignSerializer, responses={200: s.CaseSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        """Put a submitted case under review by a caseworker (default: the caller)."""

        def run(case: Case, data: dict[str, Any], version: int | None) -> Case:
            assignee = None
            if "assignee" in data:
                assignee = get_user_model().objects.filter(pk=data["assignee"]).first()
                if assignee is None:
                    raise ValidationError({"assignee": "No such user."})
            return workflow.case_assign(
                actor=request.user, case=case, assignee=assignee, expected_version=version
            )

        return self._act(request, s.AssignSerializer, run)

    @extend_schema(
        request=s.RequestInfoSerializer, responses={200: s.CaseSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request: Request, pk: str) -> Response:
        """Ask the applicant for information (pauses the SLA clock)."""
        return self._act(
            request,
            s.RequestInfoSerializer,
            lambda c, d, v: workflow.case_request_info(
                actor=request.user, case=c, expected_version=v, **d
            ),
        )

    @extend_schema(request=s.RespondSerializer, responses={200: s.CaseSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str) -> Response:
        """Answer the open information request (resumes the SLA clock)."""
        return self._act(
            request,
            s.RespondSerializer,
            lambda c, d, v: workflow.case_respond(
                actor=request.user, case=c, expected_version=v, **d
            ),
        )

    @extend_schema(request=s.OutcomeSerializer, responses={200: s.CaseSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def recommend(self, request: Request, pk: str) -> Response:
        """Recommend approval or refusal, with reasons."""
        return self._act(
            request,
            s.OutcomeSerializer,
            lambda c, d, v: workflow.case_recommend(
                actor=request.user, case=c, expected_version=v, **d
            ),
        )

    @extend_schema(
        request=s.DecideSerializer,
        responses={
            200: s.CaseSerializer,
            403: OpenApiResponse(description="four_eyes: you recommended this case"),
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Approve or refuse a recommended case (never the recommender)."""
        return self._act(
            request,
            s.DecideSerializer,
            lambda c, d, v: workflow.case_decide(
                actor=request.user, case=c, expected_version=v, **d
            ),
        )

    @extend_schema(request=s.ReturnSerializer, responses={200: s.CaseSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        """Send a recommendation back to the caseworker."""
        return self._act(
            request,
            s.ReturnSerializer,
            lambda c, d, v: workflow.case_return(
                actor=request.user, case=c, expected_version=v, **d
            ),
        )

    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={201: s.DocumentSerializer},
    )
    @extend_schema(methods=["GET"], responses=s.DocumentSerializer(many=True))
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        serializer_class=s.DocumentSerializer,
    )
    def documents(self, request: Request, pk: str) -> Response:
        """List the case's evidence, or upload one PDF/JPEG/PNG file."""
        case = self.get_object()
        if request.method == "GET":
            return Response(s.DocumentSerializer(case.documents.all(), many=True).data)
        body = s.DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        info = None
        if "information_request" in data:
            info = case.information_requests.filter(pk=data["information_request"]).first()
            if info is None:
                raise ValidationError({"information_request": "No such request on this case."})
        document = document_add(
            actor=request.user,
            case=case,
            doc_type=data["doc_type"],
            upload=data["file"],
            information_request=info,
        )
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>\d+)/download")
    def download(self, request: Request, pk: str, document_id: str) -> FileResponse:
        """Download one piece of evidence as an attachment."""
        document = document_for(request.user, self.get_object(), document_id)
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.download_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(responses=s.ChecklistSerializer)
    @action(detail=True, methods=["get"])
    def eligibility(self, request: Request, pk: str) -> Response:
        """The screening checklist."""
        return Response(screening.checklist(self.get_object()))

    @extend_schema(request=s.OverrideSerializer, responses=s.ChecklistSerializer)
    @action(detail=True, methods=["post"], url_path="eligibility/override")
    def eligibility_override(self, request: Request, pk: str) -> Response:
        """Accept a failed check with a written reason (assigned caseworker)."""
        case = self.get_object()
        body = s.OverrideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workflow.eligibility_override(actor=request.user, case=case, **body.validated_data)
        return Response(screening.checklist(case))
