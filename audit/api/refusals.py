"""The API's exception handler calls this so every 403 answer is an audit event."""

from typing import Any

from rest_framework.response import Response

from audit.services import refusal_record


def record_if_refused(response: Response | None, context: dict[str, Any]) -> None:
    """Record a 403 response as a permission refusal."""
    request = context.get("request")
    if response is None or response.status_code != 403 or request is None:
        return
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    refusal_record(
        actor=getattr(request, "user", None),
        method=request.method,
        path=request.path,
        reason=str(detail),
    )
