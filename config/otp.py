"""Staff two-factor pages in the admin, and the middleware that sends staff to them.

With STAFF_OTP_REQUIRED on, a staff user who has signed in with a password reaches no
admin page until the session is verified with a code from their authenticator (or a backup
code); one without an authenticator is sent to enrol first.
"""

from base64 import b32encode
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from registry import staff_otp

OPEN_PATHS = ("otp/", "login/", "logout/", "jsi18n/")
LOGIN = "/admin/login/"


class StaffOTPMiddleware:
    """Send staff whose session is not verified to the verify (or enrol) page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_verify(request):
            step = "verify" if staff_otp.has_confirmed_device(request.user) else "enrol"
            target = reverse(f"admin-otp-{step}")
            return HttpResponseRedirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)

    def _must_verify(self, request: HttpRequest) -> bool:
        admin_root = reverse("admin:index")
        user = request.user
        return bool(
            settings.STAFF_OTP_REQUIRED
            and request.path.startswith(admin_root)
            and not request.path[len(admin_root) :].startswith(OPEN_PATHS)
            and user.is_authenticated
            and user.is_staff
            and not user.is_verified()
        )


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ResetForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Staff user name"), max_length=150)


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe and target.startswith("/") else reverse("admin:index")


def _locked_out(request: HttpRequest, error: Exception) -> HttpResponse:
    context = _context(request, _("Two-factor authentication"), problem=str(error))
    return render(request, "admin/otp/locked_out.html", context, status=429)


staff_only = user_passes_test(
    lambda u: u.is_authenticated and u.is_staff, login_url="/admin/login/"
)


@staff_only
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask a signed-in staff user for a code from their authenticator or a backup code."""
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = staff_otp.otp_verify(actor=request.user, token=form.cleaned_data["token"])
        except staff_otp.OTPLockedOut as error:
            return _locked_out(request, error)
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("token", _("That code is not valid. Try the current one."))
    context = _context(request, _("Two-factor authentication"), form=form)
    return render(request, "admin/otp/verify.html", context, status=400 if form.errors else 200)


@staff_only
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Show a new authenticator's QR code; confirm it with a first code; show backup codes."""
    if staff_otp.has_confirmed_device(request.user):
        return HttpResponseRedirect(reverse("admin-otp-verify"))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            done = staff_otp.otp_enrol_confirm(actor=request.user, token=form.cleaned_data["token"])
        except staff_otp.OTPLockedOut as error:
            return _locked_out(request, error)
        if done:
            otp_login(request, done[0])
            context = _context(request, _("Backup codes"), codes=done[1], next=_next(request))
            return render(request, "admin/otp/backup_codes.html", context)
        form.add_error("token", _("That code is not valid. Try the current one."))
    device = staff_otp.enrolment_device(user=request.user)
    context = _context(
        request,
        _("Set up two-factor authentication"),
        form=form,
        qr=staff_otp.enrolment_qr_data_uri(device),
        secret=b32encode(device.bin_key).decode(),
    )
    return render(request, "admin/otp/enrol.html", context, status=400 if form.errors else 200)


@user_passes_test(lambda u: u.is_authenticated, login_url=LOGIN)
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    """Let a superuser remove a staff user's second factors (they enrol again)."""
    if not request.user.is_superuser:
        raise PermissionDenied  # a 403 page, recorded in the audit trail
    form = ResetForm(request.POST or None)
    if form.is_valid():
        user = (
            get_user_model()
            .objects.filter(username=form.cleaned_data["username"], is_staff=True)
            .first()
        )
        if user is None:
            form.add_error("username", _("No staff user has that name."))
        else:
            staff_otp.otp_reset(actor=request.user, user=user)
            messages.success(request, _("Two-factor authentication of %s was reset.") % user)
            return HttpResponseRedirect(reverse("admin-otp-reset"))
    context = _context(request, _("Reset two-factor authentication"), form=form)
    return render(request, "admin/otp/reset.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("verify/", verify, name="admin-otp-verify"),
    path("enrol/", enrol, name="admin-otp-enrol"),
    path("reset/", reset, name="admin-otp-reset"),
]
