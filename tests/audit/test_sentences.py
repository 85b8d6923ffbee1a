"""Audit events told as sentences: described keys only, before → after, never raw data."""

from audit.sentences import Vocabulary, event_details

VOCABULARY = Vocabulary(
    verbs={"shop.order.moved": "%(who)s moved the order"},
    labels={"status": "Status", "city": "City", "note": "Note"},
    displays={"status": {"open": "Open", "shut": "Shut"}.get},
)


def test_old_and_new_pairs_read_as_before_and_after_in_the_reader_words():
    payload = {"old_status": "open", "new_status": "shut"}
    assert event_details(payload, VOCABULARY) == ["Status: Open → Shut"]


def test_a_changes_map_lists_each_described_field_and_blank_values_read_as_a_dash():
    payload = {"changes": {"city": ["", "Oslo"], "secret_field": [1, 2]}}
    assert event_details(payload, VOCABULARY) == ["City: — → Oslo"]


def test_undescribed_keys_and_nested_structures_never_reach_the_reader():
    payload = {"note": "Seen", "lines": [[1, 2]], "raw_code": "x_y", "new": {"a": 1}}
    assert event_details(payload, VOCABULARY) == ["Note: Seen"]
