"""Public pages that need no login (the coverage check by VIN)."""

from django.urls import path

from aftersales.api.coverage import coverage_page

urlpatterns = [
    path("coverage/", coverage_page, name="coverage-check"),
]
