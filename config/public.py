"""Addresses printed for people outside the request: certificates, letters, e-mails."""

from django.conf import settings
from django.urls import reverse


def public_url(viewname: str, *args: object) -> str:
    """Return the absolute public address of a named route; never the request's host."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(viewname, args=args)
