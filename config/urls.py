"""Top-level URL map (the public contract of DESIGN.md §6)."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import metrics, views
from registry.language import language_switch

admin.site.site_header = _("EV Export Licensing administration")
admin.site.site_title = _("EV Export Licensing")
admin.site.index_title = _("Caseworker workplace")
# Staff have no public site of their own: no "View site" link.
admin.site.site_url = None

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/otp/", include("config.otp")),
    path("admin/", admin.site.urls),
    path("portal/", include("portal.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("licensing.public_urls")),
    path("", include("aftersales.public_urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler500 = "config.views.server_error"
