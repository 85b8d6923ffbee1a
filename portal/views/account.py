"""The member's account: language, password change, and password reset by e-mail."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from portal.forms import LanguageForm, MemberPasswordResetForm
from registry.language import user_language


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Show the member's account: language and password."""
    form = LanguageForm(initial={"language": user_language(request.user) or get_language()})
    return render(request, "portal/account/account.html", {"form": form})


PASSWORD_CHANGE = auth_views.PasswordChangeView.as_view(
    template_name="portal/account/password_change.html",
    success_url=reverse_lazy("portal:password_change_done"),
)


@login_required
def password_change_done(request: HttpRequest) -> HttpResponse:
    """Confirm the change on the account page."""
    messages.success(request, _("Your password was changed."))
    return redirect("portal:account")


PASSWORD_RESET = auth_views.PasswordResetView.as_view(
    template_name="portal/account/password_reset.html",
    form_class=MemberPasswordResetForm,
    success_url=reverse_lazy("portal:password_reset_done"),
)
PASSWORD_RESET_DONE = auth_views.PasswordResetDoneView.as_view(
    template_name="portal/account/password_reset_done.html",
)
PASSWORD_RESET_CONFIRM = auth_views.PasswordResetConfirmView.as_view(
    template_name="portal/account/password_reset_confirm.html",
    success_url=reverse_lazy("portal:password_reset_complete"),
)
PASSWORD_RESET_COMPLETE = auth_views.PasswordResetCompleteView.as_view(
    template_name="portal/account/password_reset_complete.html",
    extra_context={"title": gettext_lazy("Password set")},
)
