from django.urls import path

from audit.api import views

urlpatterns = [
    path("audit-events/", views.AuditEventList.as_view(), name="audit-event-list"),
    path("audit-events/export.csv", views.AuditEventExportCSV.as_view(), name="audit-event-export"),
    path(
        "audit-events/export.manifest.json",
        views.AuditEventExportManifest.as_view(),
        name="audit-event-export-manifest",
    ),
    path("audit-checkpoints/", views.AuditCheckpointList.as_view(), name="audit-checkpoint-list"),
]
