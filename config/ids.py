"""Object ids as clients send them: anything that is not a possible id matches nothing.

A path or query value such as ``null,null``, ``true`` or a 30-digit number must be a
404 or a 400, never a database error (SQLite refuses integers beyond 64 bits).
"""

from typing import Any

import django_filters
from django import forms

MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """Return the value as a database id, or None when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


class IdFilter(django_filters.NumberFilter):
    """Filter on an id (or any non-negative 64-bit integer); other input is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
