"""Schedule errors per row: `{"vehicles": {"<row>": {"<field>": [messages]}}}`.

Rows are numbered from 0 in the order sent. An error about the whole schedule (too many
rows, none at all) sits under `non_field_errors`. The serializer's own list errors and the
service's errors are given the same shape, so a client reads one form.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError

from config.api import validation_error_body


def _rows_from_service(items: list[DjangoValidationError]) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    whole: list[str] = []
    for item in items:
        params = item.params or {}
        if "row" not in params:
            whole += [str(message) for message in item.messages]
            continue
        fields = rows.setdefault(str(params["row"]), {})
        fields.setdefault(params["field"], []).append(str(params["problem"]))
    if whole:
        rows["non_field_errors"] = whole
    return rows


def service_error(error: DjangoValidationError) -> ValidationError:
    """The API error for a service's ValidationError, its schedule errors by row."""
    body = validation_error_body(error)
    if hasattr(error, "error_dict") and "vehicles" in error.error_dict:
        body["vehicles"] = _rows_from_service(error.error_dict["vehicles"])
    return ValidationError(body)


def serializer_error(errors: dict[str, Any]) -> ValidationError:
    """The API error for invalid input, its per-row vehicle errors keyed by row."""
    body = dict(errors)
    vehicles = body.get("vehicles")
    if isinstance(vehicles, list) and all(isinstance(row, dict) for row in vehicles):
        body["vehicles"] = {str(index): row for index, row in enumerate(vehicles) if row}
    elif isinstance(vehicles, list):
        body["vehicles"] = {"non_field_errors": vehicles}
    return ValidationError(body)
