"""Country names for people: the ISO code is for machines, a page or a chart shows the name."""

import json
from functools import cache
from typing import Any

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import CharField, Expression, F, Func, Value
from django.db.models.functions import Coalesce
from django.utils import translation
from django_countries import countries


def country_name(code: str) -> str:
    """The country's name in the active language (django-countries); the code if unknown."""
    return str(countries.name(code or "")) or code


def country_names_in_sql(code_path: str) -> dict[str, Expression]:
    """The name of the country at `code_path`, per language code, computed in SQL.

    Each language's expression looks the row's code up in that language's whole table of
    names, passed as one JSON parameter: no query to build it, the statement's size does
    not depend on the rows, and an unknown code reads as itself (as in `country_name`).
    """
    return {
        code: Coalesce(
            _JsonText(Value(_names_json(code)), F(code_path)),
            F(code_path),
            output_field=CharField(),
        )
        for code, _name in settings.LANGUAGES
    }


@cache
def _names_json(language: str) -> str:
    with translation.override(language):
        return json.dumps({code: str(name) for code, name in countries}, ensure_ascii=False)


class _JsonText(Func):
    """The text under a row's key in a JSON object: (object, key)."""

    output_field = CharField()

    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        raise NotSupportedError("Country names in SQL need PostgreSQL or SQLite.")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner="::jsonb ->> ", **extra
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="json_extract(%(expressions)s)",
            arg_joiner=", '$.' || ",
            **extra,
        )
