"""Serializer fields shared by every app's API."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.ids import parse_id
from registry.models import Country
from registry.validators import validate_country_code


@extend_schema_field(OpenApiTypes.STR)
class CountryCodeField(serializers.Field):
    """A registered destination country as its ISO 3166-1 alpha-2 code."""

    default_error_messages = {
        "invalid": _("Give a two-letter ISO 3166-1 country code."),
        "unregistered": _("%(code)s is not a registered destination country."),
    }

    def to_internal_value(self, data: Any) -> Country:
        if not isinstance(data, str) or len(data.strip()) != 2:
            self.fail("invalid")
        code = data.strip().upper()
        try:
            validate_country_code(code)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        country = Country.objects.filter(code=code).first()
        if country is None:
            raise serializers.ValidationError(self.error_messages["unregistered"] % {"code": code})
        return country

    def to_representation(self, value: Country) -> str:
        return value.code


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key that refuses non-integers and out-of-range ids before querying."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        pk = parse_id(data)
        if pk is None:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(pk)
