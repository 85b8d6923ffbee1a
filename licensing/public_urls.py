"""Public pages that need no login (licence and confirmation letter verification)."""

from django.urls import path

from licensing.api.letters import letter_verify_page
from licensing.api.verify import verify_page, verify_search

urlpatterns = [
    path("verify/", verify_search, name="licence-verify-search"),
    path("verify/<str:number>/", verify_page, name="licence-verify"),
    path("verify/letter/<str:number>/", letter_verify_page, name="letter-verify"),
]
