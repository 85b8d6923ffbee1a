"""What each screening check is called and what the applicant can do when it fails.

The screening functions return stable codes; people read these texts instead.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# code → (plain name, what to do when it fails)
CHECK_TEXTS: dict[str, tuple[Promise, Promise]] = {
    "qualification": (
        _("Export qualification for the year"),
        _("Apply for this year's export qualification before applying for a licence."),
    ),
    "authorisation": (
        _("Right to export the brand"),
        _("Ask the brand's manufacturer for a current authorisation covering this brand."),
    ),
    "models_bev": (
        _("Battery-electric models of the brand"),
        _("List only battery-electric models of the chosen brand with a 10-digit HS code."),
    ),
    "outlets": (
        _("Service outlets in the destination"),
        _("Add a service outlet in the destination with a valid contract and have it verified."),
    ),
    "warranty": (
        _("Warranty meeting the statutory minimum"),
        _("Record or renew a warranty commitment that covers the whole licence period."),
    ),
    "spare_parts": (
        _("Spare-parts supply"),
        _("Record or renew a spare-parts commitment for the brand and destination."),
    ),
    "negative_list": (
        _("Not on the negative list"),
        _("Contact the licensing office: enterprises on the negative list may not export."),
    ),
    "validity": (
        _("Requested validity"),
        _("Ask for at most six months, ending no later than 31 December of the start year."),
    ),
    "destination": (
        _("Single destination country"),
        _("Choose one country; regional groupings such as the EU are not accepted."),
    ),
    "catalogue": (
        _("Manufacturer catalogue or authorisation"),
        _("Manufacturers must be in MIIT's catalogue; exporters need a current authorisation."),
    ),
    "schedule": (
        _("Schedule of used vehicles"),
        _(
            "Correct the schedule from each vehicle's registration certificate: dates in order, "
            "battery-electric models, VINs built by the brand's manufacturer, each VIN once."
        ),
    ),
    "vehicles_free": (
        _("Vehicles not on another application or licence"),
        _(
            "Remove the vehicles listed on another open application, still to be exported "
            "under a licence in force, or already exported."
        ),
    ),
    "confirmation_letters": (
        _("Manufacturers' after-sales confirmation letters"),
        _(
            "For each vehicle registered 180 days or less before the application, ask the "
            "brand's manufacturer for a confirmation letter naming the VIN, the destination "
            "and a verified service outlet there."
        ),
    ),
    "no_existing_qualification": (
        _("No qualification for the year yet"),
        _("Your enterprise already holds a qualification for this year."),
    ),
}


def check_label(code: str) -> str:
    """The plain name of a screening check."""
    texts = CHECK_TEXTS.get(code)
    return str(texts[0] if texts else _("Other check"))


def check_remedy(code: str) -> str:
    """What the applicant can do when the check fails."""
    texts = CHECK_TEXTS.get(code)
    return str(texts[1]) if texts else ""
