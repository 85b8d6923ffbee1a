"""Public pages that need no login (licence verification)."""

urlpatterns: list = []
