"""Portal forms, one module per area: they only parse input; the services decide what is allowed."""

from portal.forms.account import LanguageForm, MemberPasswordResetForm
from portal.forms.applications import (
    ExchangeApplicationForm,
    GoodsLineFormSet,
    LicenceApplicationForm,
    QualificationApplicationForm,
    filled_lines,
)
from portal.forms.cases import EvidenceForm, RespondForm, VersionedForm, WithdrawForm
from portal.forms.company import InviteForm, RoleForm, TokenForm

__all__ = [
    "EvidenceForm",
    "ExchangeApplicationForm",
    "GoodsLineFormSet",
    "InviteForm",
    "LanguageForm",
    "LicenceApplicationForm",
    "MemberPasswordResetForm",
    "QualificationApplicationForm",
    "RespondForm",
    "RoleForm",
    "TokenForm",
    "VersionedForm",
    "WithdrawForm",
    "filled_lines",
]
