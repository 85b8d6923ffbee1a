"""The audit event filters shared by the API list, its CSV export and its manifest."""

import django_filters

from audit.models import AuditEvent
from config.ids import IdFilter

# Filters that cut the chain only at its ends, so an export stays verifiable as a chain.
RANGE_FILTERS = ("since", "until", "seq_min", "seq_max")


class AuditEventFilter(django_filters.FilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")
    seq_min = IdFilter(field_name="seq", lookup_expr="gte")
    seq_max = IdFilter(field_name="seq", lookup_expr="lte")
    actor = django_filters.CharFilter(field_name="actor_label")
    actor_id = IdFilter(field_name="actor_id")
    verb = django_filters.CharFilter(field_name="verb")
    verb_prefix = django_filters.CharFilter(field_name="verb", lookup_expr="startswith")
    target_type = django_filters.CharFilter(field_name="target_type")
    target_id = django_filters.CharFilter(field_name="target_id")
    enterprise = IdFilter(field_name="enterprise_id")

    class Meta:
        model = AuditEvent
        fields: list[str] = []


def applied_filters(filterset: AuditEventFilter) -> dict[str, str]:
    """Return the filters actually applied, as plain strings for events and manifests."""
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    return {name: _plain(value) for name, value in data.items() if value not in (None, "")}


def is_contiguous(filters: dict[str, str]) -> bool:
    """Tell whether filters keep a contiguous stretch of the chain."""
    return all(name in RANGE_FILTERS for name in filters)


def _plain(value: object) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
