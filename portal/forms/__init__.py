"""Portal forms, one module per area: they only parse input; the services decide what is allowed."""

from portal.forms.applications import (
    ExchangeApplicationForm,
    GoodsLineFormSet,
    LicenceApplicationForm,
    QualificationApplicationForm,
    filled_lines,
)
from portal.forms.cases import EvidenceForm, RespondForm, VersionedForm, WithdrawForm

__all__ = [
    "EvidenceForm",
    "ExchangeApplicationForm",
    "GoodsLineFormSet",
    "LicenceApplicationForm",
    "QualificationApplicationForm",
    "RespondForm",
    "VersionedForm",
    "WithdrawForm",
    "filled_lines",
]
