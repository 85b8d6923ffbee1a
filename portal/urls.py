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
    path("licences/", views.licence_list, name="licence_list"),
    path(
        "licences/<int:pk>/certificate.pdf",
        views.licence_certificate,
        name="licence_certificate",
    ),
]
