from rest_framework.routers import DefaultRouter

from licensing.api.cases import CaseViewSet

router = DefaultRouter(trailing_slash=True)
router.register("cases", CaseViewSet, basename="case")
urlpatterns = router.urls
