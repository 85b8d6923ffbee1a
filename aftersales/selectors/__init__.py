"""After-sales reads: coverage for screening and the admin (coverage.py), letters (letters.py).

Callers import the names below from `aftersales.selectors`.
"""

from aftersales.selectors.coverage import (
    Coverage,
    CoverageRow,
    LapsingRecords,
    coverage_table,
    enterprise_brands,
    outlet_coverage,
    records_lapsing,
    spare_parts_coverage,
    warranty_coverage,
)
from aftersales.selectors.letters import (
    LetterVerification,
    letter_inbox,
    letter_outlets,
    letter_requests_visible_to,
    letter_verification,
    letters_for,
    letters_visible_to,
)

__all__ = [
    "Coverage",
    "CoverageRow",
    "LapsingRecords",
    "coverage_table",
    "enterprise_brands",
    "LetterVerification",
    "letter_inbox",
    "letter_outlets",
    "letter_requests_visible_to",
    "letter_verification",
    "letters_for",
    "letters_visible_to",
    "outlet_coverage",
    "records_lapsing",
    "spare_parts_coverage",
    "warranty_coverage",
]
