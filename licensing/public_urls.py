"""Public pages that need no login (licence verification)."""

from django.urls import path

from licensing.api.verify import verify_page

urlpatterns = [
    path("verify/<str:number>/", verify_page, name="licence-verify"),
]
