"""REST API v1: each app contributes its own routes."""

from django.urls import include, path

from registry.api.views import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include("registry.api.urls")),
    path("", include("aftersales.api.urls")),
    path("", include("licensing.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("audit.api.urls")),
]
