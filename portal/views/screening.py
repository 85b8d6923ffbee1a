"""The screening checklist as the applicant reads it: plain names, remedies, links to fix."""

from dataclasses import dataclass
from typing import Any

from licensing.checks import check_label, check_remedy
from licensing.models import Case
from licensing.services.screening import run_checks
from portal.templatetags.portal_links import optional_url

# Where the applicant fixes a failed check; pages missing from this deployment get no link.
FIX_PAGES: dict[str, tuple[tuple[str, tuple[Any, ...]], ...]] = {
    "outlets": (("portal:outlet_create", ()), ("portal:aftersales", ())),
    "warranty": (("portal:warranty_create", ()), ("portal:aftersales", ())),
    "spare_parts": (("portal:spare_parts_create", ()), ("portal:aftersales", ())),
    "qualification": (("portal:apply", (Case.Kind.QUALIFICATION.value,)),),
    "confirmation_letters": (("portal:letter_list", ()),),
}


@dataclass(frozen=True)
class CheckRow:
    """One screening check as the applicant sees it."""

    label: str
    passed: bool
    overridden: bool
    detail: str
    remedy: str
    fix_url: str


def fix_url(code: str) -> str:
    """The first installed page that fixes a failed check, or an empty string."""
    for name, args in FIX_PAGES.get(code, ()):
        if url := optional_url(name, *args):
            return url
    return ""


def _row(code: str, passed: bool, detail: str, overridden: bool = False) -> CheckRow:
    failing = not (passed or overridden)
    return CheckRow(
        label=check_label(code),
        passed=passed,
        overridden=overridden,
        detail=detail,
        remedy=check_remedy(code) if failing else "",
        fix_url=fix_url(code) if failing else "",
    )


def checklist_rows(case: Case) -> tuple[list[CheckRow], bool]:
    """The stored checklist, or for a draft what screening would find now (preview flag)."""
    if case.status == Case.Status.DRAFT:
        return [_row(code, passed, detail) for code, passed, detail in run_checks(case)], True
    # Stored details are in the language of whoever triggered screening; where today's run
    # reaches the same result, its detail says the same in the reader's language.
    fresh = {code: (passed, detail) for code, passed, detail in run_checks(case)}
    rows = []
    for check in case.eligibility_checks.all():
        same = fresh.get(check.code, (None, ""))[0] == check.passed
        detail = fresh[check.code][1] if same else check.detail
        rows.append(_row(check.code, check.passed, detail, check.overridden))
    return rows, False
