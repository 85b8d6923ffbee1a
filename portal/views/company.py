"""The company pages: members, invitations, roles and API tokens (enterprise administrators)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import ActionForbidden, DomainError, NotFound
from portal.forms import InviteForm, RoleForm, TokenForm
from registry import member_services, selectors

View = Callable[..., HttpResponse]


def company_admin(view: View) -> View:
    """Let only an active administrator of an enterprise in; other members get a 403."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            enterprise_id = member_services.enterprise_admin_of(request.user)
        except ActionForbidden as exc:
            raise PermissionDenied(exc.message) from None
        return view(request, enterprise_id, *args, **kwargs)

    return guarded


@company_admin
def company(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """List members with their roles, and the enterprise's API tokens."""
    return _render_company(request, enterprise_id)


def _render_company(
    request: HttpRequest, enterprise_id: int, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "members": selectors.enterprise_members(enterprise_id),
        "tokens": selectors.enterprise_api_tokens(enterprise_id),
        "role_form": RoleForm(),
        "token_form": extra.pop("token_form", TokenForm()),
        **extra,
    }
    return render(request, "portal/company/company.html", context, status=status)


@company_admin
def member_invite(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """Invite a new member; they receive a link to choose their password."""
    form = InviteForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            member_services.membership_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Invitation sent to %s.") % form.cleaned_data["email"])
            return redirect("portal:company")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/company/invite.html", {"form": form}, status=status)


@require_POST
@company_admin
def member_role(request: HttpRequest, enterprise_id: int, pk: str) -> HttpResponse:
    """Give a member another role."""
    membership = _member(enterprise_id, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _refused(request, enterprise_id, _("Choose one of the roles offered."))
    return _act(
        request,
        enterprise_id,
        lambda: member_services.membership_set_role(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        ),
        _("The role of %s was changed.") % membership.user.get_username(),
    )


@require_POST
@company_admin
def member_deactivate(request: HttpRequest, enterprise_id: int, pk: str) -> HttpResponse:
    """Deactivate a member: no more log-ins, sessions or API tokens."""
    membership = _member(enterprise_id, pk)
    return _act(
        request,
        enterprise_id,
        lambda: member_services.membership_deactivate(actor=request.user, membership=membership),
        _("%s can no longer sign in; their API tokens were revoked.")
        % membership.user.get_username(),
    )


@require_POST
@company_admin
def token_create(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """Create a named API token and show its key this once."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render_company(request, enterprise_id, status=400, token_form=form)
    token, key = member_services.api_token_create(
        actor=request.user, name=form.cleaned_data["name"]
    )
    response = _render_company(request, enterprise_id, new_token=token, new_key=key)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@company_admin
def token_revoke(request: HttpRequest, enterprise_id: int, pk: str) -> HttpResponse:
    """Revoke an API token of the enterprise."""
    token = _found(lambda: selectors.enterprise_api_token(enterprise_id, pk))
    member_services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%s” was revoked.") % token.name)
    return redirect("portal:company")


def _member(enterprise_id: int, pk: str) -> Any:
    return _found(lambda: selectors.enterprise_member(enterprise_id, pk))


def _found(lookup: Callable[[], Any]) -> Any:
    try:
        return lookup()
    except NotFound:
        raise Http404 from None


def _act(request: HttpRequest, enterprise_id: int, action: Callable[[], Any], done: str) -> Any:
    try:
        action()
    except DomainError as exc:
        return _refused(request, enterprise_id, exc.message, status=exc.status)
    except ValidationError as exc:
        return _refused(request, enterprise_id, " ".join(exc.messages))
    messages.success(request, done)
    return redirect("portal:company")


def _refused(request: HttpRequest, enterprise_id: int, problem: str, status: int = 400) -> Any:
    return _render_company(request, enterprise_id, status=status, problem=problem)


def _add_errors(form: InviteForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
