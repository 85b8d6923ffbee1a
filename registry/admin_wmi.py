"""World manufacturer identifiers (VIN prefixes): the registrar records whose each one is."""

from typing import Any

from django.contrib import admin
from django.db import models

from registry import services
from registry.admin_base import ServiceAdmin
from registry.models import WorldManufacturerIdentifier


@admin.register(WorldManufacturerIdentifier)
class WorldManufacturerIdentifierAdmin(ServiceAdmin):
    list_display = ["code", "manufacturer"]
    list_select_related = ["manufacturer"]
    list_filter = [("manufacturer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "manufacturer__name_en", "manufacturer__name_zh"]
    autocomplete_fields = ["manufacturer"]
    fields = ["code", "manufacturer"]

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.wmi_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.wmi_update(actor=actor, identifier=obj, data=data)
