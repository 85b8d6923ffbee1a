import django_filters

from config.ids import IdFilter
from registry.models import Authorisation, Brand, Enterprise, Qualification, VehicleModel


class EnterpriseFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(field_name="name_en", lookup_expr="icontains")

    class Meta:
        model = Enterprise
        fields = ["kind", "status", "uscc"]


class BrandFilter(django_filters.FilterSet):
    manufacturer = IdFilter()

    class Meta:
        model = Brand
        fields = ["manufacturer"]


class VehicleModelFilter(django_filters.FilterSet):
    brand = IdFilter()

    class Meta:
        model = VehicleModel
        fields = ["brand", "powertrain", "hs_code", "is_active"]


class AuthorisationFilter(django_filters.FilterSet):
    manufacturer = IdFilter()
    exporter = IdFilter()
    brand = IdFilter(field_name="brands")
    current_on = django_filters.DateFilter(method="filter_current_on")

    class Meta:
        model = Authorisation
        fields = ["manufacturer", "exporter", "brand"]

    def filter_current_on(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.current(on=value)


class QualificationFilter(django_filters.FilterSet):
    enterprise = IdFilter()

    class Meta:
        model = Qualification
        fields = ["enterprise", "year", "status", "qualification_class"]
