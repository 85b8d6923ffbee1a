from django.urls import path
from rest_framework.routers import DefaultRouter

from aftersales.api import coverage, fleet, letters, reports, views

router = DefaultRouter(trailing_slash=True)
router.register("service-outlets", views.ServiceOutletViewSet, basename="service-outlet")
router.register(
    "warranty-commitments", views.WarrantyCommitmentViewSet, basename="warranty-commitment"
)
router.register(
    "spare-parts-commitments",
    views.SparePartsCommitmentViewSet,
    basename="spare-parts-commitment",
)
router.register("exported-vehicles", fleet.ExportedVehicleViewSet, basename="exported-vehicle")
router.register("obligations", fleet.ObligationViewSet, basename="obligation")
router.register("compliance-reports", reports.ComplianceReportViewSet, basename="compliance-report")
router.register("letter-requests", letters.LetterRequestViewSet, basename="letter-request")
router.register(
    "confirmation-letters", letters.ConfirmationLetterViewSet, basename="confirmation-letter"
)
urlpatterns = [
    path("coverage/", coverage.CoverageView.as_view(), name="coverage"),
    *router.urls,
]
