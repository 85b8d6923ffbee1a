"""Every screening check has a plain name and a remedy, in both languages."""

from datetime import date

import pytest
from django.utils import translation

from licensing.checks import CHECK_TEXTS, check_label, check_remedy
from licensing.services.screening import (
    LICENCE_CHECKS,
    QUALIFICATION_CHECKS,
    USED_LICENCE_CHECKS,
)
from tests.licensing.factories import CaseFactory, QualificationCaseFactory
from tests.licensing.used_factories import UsedCaseFactory


@pytest.mark.django_db
def test_every_check_the_screening_runs_has_a_plain_name_and_a_remedy():
    today = date(2026, 6, 1)
    licence_case, qualification_case = CaseFactory(), QualificationCaseFactory()
    codes = {check(licence_case, today)[0] for check in LICENCE_CHECKS}
    codes |= {check(qualification_case, today)[0] for check in QUALIFICATION_CHECKS}
    codes |= {check(UsedCaseFactory(), today)[0] for check in USED_LICENCE_CHECKS}
    assert codes == set(CHECK_TEXTS)


@pytest.mark.parametrize("code", sorted(CHECK_TEXTS))
def test_check_names_and_remedies_are_translated_into_chinese(code):
    with translation.override("en"):
        english = (check_label(code), check_remedy(code))
    with translation.override("zh-hans"):
        chinese = (check_label(code), check_remedy(code))
    assert english[0] != chinese[0]
    assert english[1] != chinese[1]


def test_an_unknown_code_reads_as_another_check_without_a_remedy():
    with translation.override("en"):
        assert (check_label("new_rule"), check_remedy("new_rule")) == ("Other check", "")
