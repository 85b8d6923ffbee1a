"""Read, export and checkpoint endpoints of the audit trail (staff read, auditors export)."""

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import JsonResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, pagination, permissions, renderers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from audit.api.serializers import AuditCheckpointSerializer, AuditEventSerializer
from audit.export import csv_stream
from audit.filters import AuditEventFilter, applied_filters
from audit.manifest import manifest_for_range
from audit.models import AuditCheckpoint, AuditEvent, ChainHead
from audit.selectors import events_visible_to, may_export_audit, may_view_audit
from audit.services import export_begin


class MayViewAudit(permissions.BasePermission):
    message = "Only ministry staff may read the audit trail."

    def has_permission(self, request: Request, view: Any) -> bool:
        return may_view_audit(request.user)


class MayExportAudit(permissions.BasePermission):
    message = "Only auditors may export the audit trail."

    def has_permission(self, request: Request, view: Any) -> bool:
        return may_export_audit(request.user)


class NewestFirst(pagination.CursorPagination):
    ordering = "-seq"
    page_size = 100


class CSVRenderer(renderers.BaseRenderer):
    """Lets `Accept: text/csv` through; the view itself streams the body."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):  # type: ignore[no-untyped-def]
        return renderers.JSONRenderer().render(data)


class AuditEventList(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated, MayViewAudit]
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    pagination_class = NewestFirst

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return events_visible_to(self.request.user)


class AuditCheckpointList(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated, MayViewAudit]
    serializer_class = AuditCheckpointSerializer
    pagination_class = NewestFirst

    def get_queryset(self) -> QuerySet[AuditCheckpoint]:
        return AuditCheckpoint.objects.all()


class ExportView(APIView):
    permission_classes = [permissions.IsAuthenticated, MayExportAudit]
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]

    def filtered(self, request: Request) -> tuple[QuerySet[AuditEvent], dict[str, str]]:
        """Apply the list's filters to the whole trail."""
        filterset = AuditEventFilter(request.query_params, queryset=AuditEvent.objects.all())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs, applied_filters(filterset)


FILTER_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY)
    for name in AuditEventFilter.base_filters
]
THROUGH = OpenApiParameter(
    "through", OpenApiTypes.INT, OpenApiParameter.QUERY, description="the export's checkpoint"
)


class AuditEventExportCSV(ExportView):
    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
        description="Stream the filtered events as CSV; the Link header names its manifest.",
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        queryset, filters = self.filtered(request)
        run = export_begin(actor=request.user, queryset=queryset, filters=filters, channel="api")
        through = run.checkpoint.seq
        response = StreamingHttpResponse(
            csv_stream(run.queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-events-{through}.csv"'
        manifest_url = request.build_absolute_uri(
            "export.manifest.json?" + urlencode({**request.query_params.dict(), "through": through})
        )
        response["Link"] = f'<{manifest_url}>; rel="describedby"'
        response["X-Audit-Through-Seq"] = str(through)
        return response


class AuditEventExportManifest(ExportView):
    @extend_schema(parameters=[*FILTER_PARAMETERS, THROUGH], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> JsonResponse:
        queryset, filters = self.filtered(request)
        through = self._through(request)
        manifest = manifest_for_range(
            queryset=queryset.filter(seq__lte=through),
            filters=filters,
            through_seq=through,
            exported_by=request.user.get_username(),
        )
        return JsonResponse(manifest, json_dumps_params={"ensure_ascii": False, "indent": 2})

    def _through(self, request: Request) -> int:
        value = request.query_params.get("through")
        if value is None:
            head = ChainHead.objects.filter(pk=1).first()
            return head.seq if head else 0
        if not value.isdigit():
            raise ValidationError({"through": ["a sequence number"]})
        return int(value)
