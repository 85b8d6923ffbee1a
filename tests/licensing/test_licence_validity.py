"""Validity rules: at most six months, never past 31 December, next year from 10 December."""

from datetime import date

import pytest

from licensing.validity import (
    ValidityError,
    issued_validity,
    latest_valid_until,
    may_issue_for_next_year,
    validity_problems,
)


@pytest.mark.parametrize(
    ("valid_from", "latest"),
    [
        (date(2026, 1, 1), date(2026, 6, 30)),
        (date(2026, 1, 31), date(2026, 7, 30)),
        (date(2026, 3, 15), date(2026, 9, 14)),
        (date(2026, 7, 1), date(2026, 12, 31)),
        (date(2026, 7, 2), date(2026, 12, 31)),
        (date(2026, 8, 31), date(2026, 12, 31)),
        (date(2026, 12, 31), date(2026, 12, 31)),
    ],
)
def test_latest_valid_until_is_six_months_capped_at_31_december(valid_from, latest):
    assert latest_valid_until(valid_from) == latest


@pytest.mark.parametrize(
    ("on", "allowed"),
    [
        (date(2026, 12, 9), False),
        (date(2026, 12, 10), True),
        (date(2026, 12, 31), True),
        (date(2026, 11, 30), False),
        (date(2026, 1, 1), False),
    ],
)
def test_next_years_licences_may_be_issued_from_10_december(on, allowed):
    assert may_issue_for_next_year(on) is allowed


def test_a_six_month_licence_within_the_year_has_no_problems():
    assert (
        validity_problems(
            valid_from=date(2026, 3, 1), valid_until=date(2026, 8, 31), issued_on=date(2026, 3, 1)
        )
        == []
    )


def test_a_licence_longer_than_six_months_is_a_problem():
    problems = validity_problems(
        valid_from=date(2026, 3, 1), valid_until=date(2026, 9, 1), issued_on=date(2026, 3, 1)
    )
    assert problems == ["A licence is valid for at most six months."]


def test_a_licence_running_past_31_december_is_a_problem():
    problems = validity_problems(
        valid_from=date(2026, 10, 1), valid_until=date(2027, 1, 1), issued_on=date(2026, 10, 1)
    )
    assert problems == ["A licence is never valid past 31 December of its year."]


def test_a_licence_ending_on_31_december_is_fine():
    assert not validity_problems(
        valid_from=date(2026, 10, 1), valid_until=date(2026, 12, 31), issued_on=date(2026, 10, 1)
    )


@pytest.mark.parametrize(
    ("issued_on", "ok"),
    [(date(2026, 12, 9), False), (date(2026, 12, 10), True), (date(2026, 12, 31), True)],
)
def test_next_years_licence_from_1_january_is_allowed_only_from_10_december(issued_on, ok):
    problems = validity_problems(
        valid_from=date(2027, 1, 1), valid_until=date(2027, 6, 30), issued_on=issued_on
    )
    assert (problems == []) is ok


def test_next_years_licence_must_start_on_1_january():
    problems = validity_problems(
        valid_from=date(2027, 1, 2), valid_until=date(2027, 6, 30), issued_on=date(2026, 12, 15)
    )
    assert problems


def test_a_licence_cannot_start_before_it_is_issued_or_end_before_it_starts():
    problems = validity_problems(
        valid_from=date(2026, 5, 1), valid_until=date(2026, 4, 1), issued_on=date(2026, 5, 2)
    )
    assert len(problems) == 2


def test_issued_validity_moves_a_past_start_to_the_issue_day_keeping_the_length():
    assert issued_validity(
        requested_from=date(2026, 3, 1),
        requested_until=date(2026, 5, 1),
        issued_on=date(2026, 3, 4),
    ) == (date(2026, 3, 4), date(2026, 5, 4))


def test_issued_validity_keeps_a_future_request_as_asked():
    assert issued_validity(
        requested_from=date(2026, 4, 1),
        requested_until=date(2026, 6, 30),
        issued_on=date(2026, 3, 4),
    ) == (date(2026, 4, 1), date(2026, 6, 30))


def test_issued_validity_shortens_to_six_months_and_31_december():
    assert issued_validity(
        requested_from=None, requested_until=None, issued_on=date(2026, 3, 4)
    ) == (date(2026, 3, 4), date(2026, 9, 3))
    assert issued_validity(
        requested_from=date(2026, 12, 20),
        requested_until=date(2027, 3, 1),
        issued_on=date(2026, 12, 10),
    ) == (date(2026, 12, 20), date(2026, 12, 31))


def test_issued_validity_on_31_december_is_one_day():
    assert issued_validity(
        requested_from=None, requested_until=None, issued_on=date(2026, 12, 31)
    ) == (date(2026, 12, 31), date(2026, 12, 31))


def test_issued_validity_for_next_year_from_10_december():
    assert issued_validity(
        requested_from=date(2027, 1, 1), requested_until=None, issued_on=date(2026, 12, 10)
    ) == (date(2027, 1, 1), date(2027, 6, 30))
    with pytest.raises(ValidityError):
        issued_validity(
            requested_from=date(2027, 1, 1), requested_until=None, issued_on=date(2026, 12, 9)
        )


def test_issued_validity_for_a_period_already_over_starts_on_the_issue_day():
    assert issued_validity(
        requested_from=date(2026, 3, 1),
        requested_until=date(2026, 3, 10),
        issued_on=date(2026, 12, 28),
    ) == (date(2026, 12, 28), date(2026, 12, 31))
