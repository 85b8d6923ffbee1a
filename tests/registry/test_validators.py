"""Identifier validators: every valid code passes, every single-character corruption fails."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from registry.validators import (
    validate_country_code,
    validate_hs_code,
    validate_uscc,
    validate_vin,
    vin_check_digit_valid,
)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
# ISO 3779 transliteration and position weights, written out here so the test checks the
# library rather than repeating it.
VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
CHECK_POSITION = 8


def passes(validator, value: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def vin_check_character(vin: str) -> str:
    total = sum(VIN_VALUES[c] * w for c, w in zip(vin, VIN_WEIGHTS, strict=True)) % 11
    return "X" if total == 10 else str(total)


def follows_check_rule(vin: str) -> bool:
    return vin[CHECK_POSITION] == vin_check_character(vin)


# --- Unified Social Credit Code -------------------------------------------------------------

uscc_bodies = st.builds(
    lambda head, tail: head + tail,
    st.text("0123456789", min_size=8, max_size=8),
    st.text(USCC_ALPHABET, min_size=9, max_size=9),
)


@given(uscc_bodies)
def test_every_uscc_with_its_check_character_passes(body):
    validate_uscc(body + uscc.calc_check_digit(body))


@given(uscc_bodies, st.data())
def test_every_single_character_corruption_of_a_uscc_fails(body, data):
    code = body + uscc.calc_check_digit(body)
    position = data.draw(st.integers(0, 17))
    replacement = data.draw(st.characters(codec="utf-8").filter(lambda c: c != code[position]))
    corrupted = code[:position] + replacement + code[position + 1 :]
    assert not passes(validate_uscc, corrupted)


@pytest.mark.parametrize(
    "value",
    ["", "91310000MA1FL0001", "91310000MA1FL00010X", "9131 0000MA1FL00017", "A1110000600037341L"],
)
def test_malformed_uscc_values_fail(value):
    assert not passes(validate_uscc, value)


# --- VIN ------------------------------------------------------------------------------------

vin_bodies = st.text(VIN_ALPHABET, min_size=16, max_size=16)


def with_check_character(body: str) -> str:
    draft = body[:CHECK_POSITION] + "0" + body[CHECK_POSITION:]
    return draft[:CHECK_POSITION] + vin_check_character(draft) + draft[CHECK_POSITION + 1 :]


l_vins = vin_bodies.map(lambda body: with_check_character("L" + body[1:]))


@given(l_vins)
def test_every_chinese_vin_with_a_correct_check_digit_passes(vin):
    validate_vin(vin)
    assert vin_check_digit_valid(vin)


@given(l_vins, st.data())
def test_a_single_character_change_to_a_chinese_vin_fails_exactly_when_the_check_rule_breaks(
    vin, data
):
    position = data.draw(st.integers(0, 16))
    replacement = data.draw(st.sampled_from(VIN_ALPHABET).filter(lambda c: c != vin[position]))
    changed = vin[:position] + replacement + vin[position + 1 :]
    expected = not changed.startswith("L") or follows_check_rule(changed)
    assert passes(validate_vin, changed) is expected
    if position == CHECK_POSITION:
        assert not passes(validate_vin, changed)
    elif position > 0:
        # 11 is prime and no weight but position 9's is 0 mod 11: only an equal value keeps it.
        assert passes(validate_vin, changed) is (
            VIN_VALUES[replacement] == VIN_VALUES[vin[position]]
        )


@given(vin_bodies.filter(lambda body: body[0] != "L"))
def test_non_chinese_vins_pass_even_with_a_wrong_check_digit(body):
    vin = with_check_character(body)
    wrong = "X" if vin[CHECK_POSITION] != "X" else "0"
    vin = vin[:CHECK_POSITION] + wrong + vin[CHECK_POSITION + 1 :]
    assert not follows_check_rule(vin)
    validate_vin(vin)


@pytest.mark.parametrize(
    "value",
    ["", "LVSHCAMB1CE05424", "LVSHCAMB1CE0542499", "LVSHCAMB1CE05424I", "lvshcamb1ce054249"],
)
def test_malformed_vins_fail(value):
    assert not passes(validate_vin, value)


def test_a_known_chinese_vin_passes_and_its_corrupted_twin_fails():
    validate_vin("LVSHCAMB1CE054249")
    assert not passes(validate_vin, "LVSHCAMB2CE054249")


# --- HS code and country --------------------------------------------------------------------


@given(st.text("0123456789", min_size=10, max_size=10))
def test_every_ten_digit_hs_code_passes(code):
    validate_hs_code(code)


@pytest.mark.parametrize(
    "code", ["", "870380109", "87038010900", "8703.80.10", "870380109O", " 8703801090", None]
)
def test_hs_codes_other_than_ten_digits_fail(code):
    assert not passes(validate_hs_code, code)


@pytest.mark.parametrize("code", ["FR", "DE", "TH", "BR", "CN"])
def test_iso_country_codes_pass(code):
    validate_country_code(code)


@pytest.mark.parametrize("code", ["EU", "XX", "ZZ", "UN", "fr", "de", "FRA", "DEU", "F", ""])
def test_groupings_lowercase_and_three_letter_codes_fail(code):
    assert not passes(validate_country_code, code)


@pytest.mark.parametrize("vin", ["LATPAB071W1005301", "1M8GDM9AXKP042788", "11111111111111111"])
def test_a_vin_body_is_completed_with_the_check_digit_it_needs(vin):
    from registry.validators import vin_with_check_digit

    body = vin[:8] + "?" + vin[9:]
    assert vin_with_check_digit(body) == vin
    wrong = next(d for d in "0123456789X" if d != vin[8])
    assert not vin_check_digit_valid(vin[:8] + wrong + vin[9:])
