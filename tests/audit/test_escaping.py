import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.chain import FORMULA_TRIGGERS, escape_cell, unescape_cell
from audit.export import _csv_lines

# Text PostgreSQL can store (no NUL) and UTF-8 can encode (no lone surrogates).
storable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
awkward_text = st.one_of(
    storable,
    st.tuples(st.sampled_from(FORMULA_TRIGGERS), storable).map("".join),
    st.tuples(st.sampled_from(["中文", '"', "\n", "\r\n", ",", "''"]), storable).map("".join),
)


@settings(max_examples=1500)
@given(awkward_text)
def test_escaping_a_cell_is_undone_exactly(value):
    assert unescape_cell(escape_cell(value)) == value


@settings(max_examples=1500)
@given(awkward_text)
def test_an_escaped_cell_never_starts_a_formula(value):
    assert escape_cell(value)[:1] not in {"=", "+", "-", "@", "\t", "\r"}


@settings(max_examples=1000)
@given(st.lists(awkward_text, min_size=1, max_size=12))
def test_a_row_written_to_csv_and_read_back_gives_the_original_values(values):
    data = _csv_lines([[escape_cell(v) for v in values]]).decode("utf-8")
    (row,) = list(csv.reader(io.StringIO(data, newline="")))
    assert [unescape_cell(cell) for cell in row] == values


def test_cells_starting_with_each_trigger_get_one_leading_quote():
    for trigger in FORMULA_TRIGGERS:
        assert escape_cell(trigger + "x") == "'" + trigger + "x"
    assert escape_cell("plain 中文") == "plain 中文"
    assert escape_cell("") == ""
