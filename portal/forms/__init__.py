"""Portal forms, one module per area: they only parse input; the services decide what is allowed."""

from portal.forms.account import LanguageForm, MemberPasswordResetForm
from portal.forms.cases import RespondForm
from portal.forms.company import InviteForm, RoleForm, TokenForm

__all__ = [
    "InviteForm",
    "LanguageForm",
    "MemberPasswordResetForm",
    "RespondForm",
    "RoleForm",
    "TokenForm",
]
