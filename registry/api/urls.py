from rest_framework.routers import DefaultRouter

from registry.api import views

router = DefaultRouter(trailing_slash=True)
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("brands", views.BrandViewSet, basename="brand")
router.register("vehicle-models", views.VehicleModelViewSet, basename="vehicle-model")
router.register("authorisations", views.AuthorisationViewSet, basename="authorisation")
router.register("qualifications", views.QualificationViewSet, basename="qualification")
urlpatterns = router.urls
