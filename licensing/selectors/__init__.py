"""Licensing reads: cases and what an enterprise has under way (cases.py), licences (licences.py).

Callers import the names below from `licensing.selectors`.
"""

from licensing.selectors.cases import (
    SEARCH_APPLICANTS_MAX,
    SEARCH_TERM_MAX,
    case_for,
    case_search,
    cases_visible_to,
    document_for,
    enterprise_drafts,
    may_apply_for_used_licence,
    open_information_requests,
)
from licensing.selectors.licences import (
    Verification,
    licence_declarations,
    licence_for,
    licence_verification,
    licences_expiring_within,
    licences_to_use_soon,
    licences_visible_to,
)

__all__ = [
    "SEARCH_APPLICANTS_MAX",
    "SEARCH_TERM_MAX",
    "Verification",
    "case_for",
    "case_search",
    "cases_visible_to",
    "document_for",
    "enterprise_drafts",
    "licence_declarations",
    "licence_for",
    "licence_verification",
    "licences_expiring_within",
    "licences_to_use_soon",
    "licences_visible_to",
    "may_apply_for_used_licence",
    "open_information_requests",
]
