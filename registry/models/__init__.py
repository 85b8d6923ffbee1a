"""Who may export what: enterprises, brands, models, authorisations, qualifications.

One module per subject; everything is re-exported here, where the rest of the project
imports it from.
"""

# ApiToken is a model of this app kept in its own file; imported here so Django registers it.
from registry.api_tokens import ApiToken
from registry.models.access import member_enterprise_id, member_may_apply, staff_sees_all
from registry.models.enterprises import Enterprise, EnterpriseQuerySet, Membership, UserProfile
from registry.models.places import CalendarDay, Country, IssuingOffice
from registry.models.rights import (
    Authorisation,
    AuthorisationQuerySet,
    Qualification,
    QualificationQuerySet,
)
from registry.models.vehicles import (
    Brand,
    BrandQuerySet,
    VehicleModel,
    VehicleModelQuerySet,
    WorldManufacturerIdentifier,
)

__all__ = [
    "ApiToken",
    "Authorisation",
    "AuthorisationQuerySet",
    "Brand",
    "BrandQuerySet",
    "CalendarDay",
    "Country",
    "Enterprise",
    "EnterpriseQuerySet",
    "IssuingOffice",
    "Membership",
    "Qualification",
    "QualificationQuerySet",
    "UserProfile",
    "VehicleModel",
    "VehicleModelQuerySet",
    "WorldManufacturerIdentifier",
    "member_enterprise_id",
    "member_may_apply",
    "staff_sees_all",
]
