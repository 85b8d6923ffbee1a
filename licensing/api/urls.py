from django.urls import path
from rest_framework.routers import DefaultRouter

from licensing.api.cases import CaseViewSet
from licensing.api.letters import ConfirmationLetterPdfView, VerifyLetterView
from licensing.api.licences import LicenceViewSet
from licensing.api.verify import VerifyLicenceView

router = DefaultRouter(trailing_slash=True)
router.register("cases", CaseViewSet, basename="case")
router.register("licences", LicenceViewSet, basename="licence")
certificate = LicenceViewSet.as_view(
    {"get": "certificate"}, renderer_classes=LicenceViewSet.CERTIFICATE_RENDERERS
)
urlpatterns = router.urls + [
    path("licences/<int:pk>/certificate.pdf", certificate, name="licence-certificate"),
    path("verify/<str:number>/", VerifyLicenceView.as_view(), name="api-licence-verify"),
    path(
        "confirmation-letters/<int:pk>/letter.pdf",
        ConfirmationLetterPdfView.as_view(),
        name="confirmation-letter-pdf",
    ),
    path("verify/letter/<str:number>/", VerifyLetterView.as_view(), name="api-letter-verify"),
]
