"""Public pages that need no login (licence verification)."""

from django.urls import path

from licensing.api.verify import verify_page, verify_search

urlpatterns = [
    path("verify/", verify_search, name="licence-verify-search"),
    path("verify/<str:number>/", verify_page, name="licence-verify"),
]
