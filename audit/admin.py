"""Read-only admin of the trail, with export of exactly what the list shows."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.urls import path, reverse

from audit.admin_filters import ActorFilter, DateRangeFilter, EnterpriseFilter, TargetFilter
from audit.export import csv_stream
from audit.manifest import manifest_for_range
from audit.models import AuditCheckpoint, AuditEvent
from audit.selectors import may_export_audit
from audit.services import export_begin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody, superusers included, adds, changes or deletes audit records."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "occurred_at", "actor_label", "verb", "target_repr", "enterprise_id")
    list_filter = (
        DateRangeFilter,
        ActorFilter,
        "verb",
        "target_type",
        TargetFilter,
        EnterpriseFilter,
    )
    search_fields = ("=seq", "actor_label", "verb", "target_id", "target_repr")
    list_select_related = ("actor",)
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    list_per_page = 100
    actions = None

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view
        return [
            path("export/", view(self.export_view), name="audit_auditevent_export"),
            path(
                "export/manifest/",
                view(self.manifest_view),
                name="audit_auditevent_export_manifest",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        """Offer the export buttons to auditors."""
        extra_context = {**(extra_context or {}), "may_export": may_export_audit(request.user)}
        return super().changelist_view(request, extra_context)

    def export_view(self, request: HttpRequest) -> StreamingHttpResponse:
        """Stream the events the changelist shows, with its filters, as CSV."""
        queryset, filters, _through = self._filtered(request)
        run = export_begin(actor=request.user, queryset=queryset, filters=filters, channel="admin")
        response = StreamingHttpResponse(
            csv_stream(run.queryset), content_type="text/csv; charset=utf-8"
        )
        through = run.checkpoint.seq
        response["Content-Disposition"] = f'attachment; filename="audit-events-{through}.csv"'
        manifest = reverse("admin:audit_auditevent_export_manifest")
        query = urlencode([*request.GET.items(), ("through", through)])
        response["Link"] = f'<{manifest}?{query}>; rel="describedby"'
        return response

    def manifest_view(self, request: HttpRequest) -> JsonResponse:
        """Describe the export of the same filters up to `through`."""
        queryset, filters, through = self._filtered(request)
        manifest = manifest_for_range(
            queryset=queryset.filter(seq__lte=through),
            filters=filters,
            through_seq=through,
            exported_by=request.user.get_username(),
        )
        return JsonResponse(manifest, json_dumps_params={"ensure_ascii": False, "indent": 2})

    def _filtered(self, request: HttpRequest) -> tuple[Any, dict[str, str], int]:
        """Return the changelist's queryset for this query string, its filters and `through`."""
        if not may_export_audit(request.user):
            raise PermissionDenied
        params = request.GET.copy()
        through = params.pop("through", ["0"])[-1]
        request.GET = params  # the changelist rejects parameters it does not know
        queryset = self.get_changelist_instance(request).get_queryset(request)
        filters = {k: v for k, v in params.items() if k not in ("o", "p")}
        return queryset, filters, int(through) if through.isdigit() else 0


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("seq", "hash", "created_at", "signature")
    search_fields = ("=seq", "hash")
    date_hierarchy = "created_at"
