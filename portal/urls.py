"""Manufacturer-facing portal pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal import views

app_name = "portal"
OUTLET = {"kind": "outlet"}
WARRANTY = {"kind": "warranty"}
PARTS = {"kind": "spare_parts"}
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/respond/", views.case_respond_view, name="case_respond"),
    path("licences/", views.licence_list, name="licence_list"),
    path("licences/<int:pk>/", views.licence_detail, name="licence_detail"),
    path(
        "licences/<int:pk>/declarations/new/",
        views.declaration_create,
        name="declaration_create",
    ),
    path(
        "licences/<int:pk>/certificate.pdf",
        views.licence_certificate,
        name="licence_certificate",
    ),
    path("aftersales/", views.aftersales, name="aftersales"),
    path("aftersales/outlets/new/", views.record_create, OUTLET, name="outlet_create"),
    path("aftersales/outlets/<int:pk>/", views.record_edit, OUTLET, name="outlet_edit"),
    path("aftersales/warranty/new/", views.record_create, WARRANTY, name="warranty_create"),
    path("aftersales/warranty/<int:pk>/", views.record_edit, WARRANTY, name="warranty_edit"),
    path("aftersales/spare-parts/new/", views.record_create, PARTS, name="spare_parts_create"),
    path("aftersales/spare-parts/<int:pk>/", views.record_edit, PARTS, name="spare_parts_edit"),
]
