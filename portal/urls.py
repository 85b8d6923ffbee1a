"""Manufacturer-facing portal pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/respond/", views.case_respond_view, name="case_respond"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/submit/", views.case_submit_view, name="case_submit"),
    path("cases/<int:pk>/withdraw/", views.case_withdraw_view, name="case_withdraw"),
    path("cases/<int:pk>/documents/", views.case_document_add, name="case_document_add"),
    path("apply/<str:kind>/", views.apply, name="apply"),
    path("licences/", views.licence_list, name="licence_list"),
    path(
        "licences/<int:pk>/certificate.pdf",
        views.licence_certificate,
        name="licence_certificate",
    ),
]
