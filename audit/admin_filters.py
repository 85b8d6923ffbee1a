"""Admin list filters typed into a box (date range, actor, target id, enterprise)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class InputFilter(admin.ListFilter):
    """A list filter whose values are typed in; `inputs` are (parameter, label, type, lookup)."""

    template = "admin/audit/input_filter.html"
    inputs: tuple[tuple[str, Any, str, str], ...] = ()

    def __init__(self, request: Any, params: dict[str, Any], model: Any, model_admin: Any):
        super().__init__(request, params, model, model_admin)
        for name, _label, _type, _lookup in self.inputs:
            if name in params:
                value = params.pop(name)
                value = value[-1] if isinstance(value, list) else value
                if value:
                    self.used_parameters[name] = value

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return [name for name, *_rest in self.inputs]

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        applied = {
            lookup: self.used_parameters[name]
            for name, _label, _kind, lookup in self.inputs
            if name in self.used_parameters
        }
        return queryset.filter(**applied) if applied else queryset

    def choices(self, changelist: Any) -> list[dict[str, Any]]:
        mine = set(self.expected_parameters())
        hidden = [
            (key, value)
            for key, values in changelist.get_filters_params().items()
            if key not in mine
            for value in (values if isinstance(values, list) else [values])
        ]
        fields = [
            {
                "name": name,
                "label": label,
                "type": kind,
                "value": self.used_parameters.get(name, ""),
            }
            for name, label, kind, _lookup in self.inputs
        ]
        return [{"fields": fields, "hidden": hidden, "selected": bool(self.used_parameters)}]


class DateRangeFilter(InputFilter):
    title = _("date range")
    inputs = (
        ("since", _("from"), "date", "occurred_at__date__gte"),
        ("until", _("to"), "date", "occurred_at__date__lte"),
    )


class ActorFilter(InputFilter):
    title = _("actor")
    inputs = (("actor", _("username"), "text", "actor_label"),)


class TargetFilter(InputFilter):
    title = _("target id")
    inputs = (("target", _("id"), "text", "target_id"),)


class EnterpriseFilter(InputFilter):
    title = _("enterprise")
    inputs = (("enterprise", _("enterprise id"), "number", "enterprise_id"),)
