"""The demo world's confirmation letters: East Harbour Used Car Exports (`trader`) asks Jade
River Motors for letters for used cars going to France; one is issued, one still waits.

Called at the end of aftersales.demo.seed. Idempotent: keyed by the VINs below.
"""

from django.contrib.auth import get_user_model

from aftersales import services
from aftersales.models import ConfirmationLetter, LetterRequest, ServiceOutlet
from registry.models import Country, VehicleModel
from registry.validators import vin_with_check_digit

# The issued letter's VIN is also on the demo used-licence draft (licensing.demo_used).
ISSUED_VIN_BODY = "LJRD0A1B?U0000301"
PENDING_VIN_BODY = "LJRD0A1B?U0000302"
DESTINATION = "FR"
OUTLET = "Garage Lumière Lyon"


def issued_vin() -> str:
    """The VIN of the demo letter issued for the trader."""
    return vin_with_check_digit(ISSUED_VIN_BODY)


def seed_letters(world: dict) -> None:
    """Ask for two letters as the trader; Jade River issues the first."""
    users = get_user_model().objects.filter(username__in=("trader", "maker"))
    trader, maker = (next(u for u in users if u.username == name) for name in ("trader", "maker"))
    model = VehicleModel.objects.get(brand=world["brands"]["jade"], name="Aurora")
    france = Country.objects.get(code=DESTINATION)
    vin = issued_vin()
    if not ConfirmationLetter.objects.filter(vin=vin).exists():
        asked = _asked(trader, vin, model, france)
        outlet = ServiceOutlet.objects.get(
            enterprise=world["enterprises"]["jade"], operator_name=OUTLET
        )
        services.letter_issue(
            actor=maker, vin=vin, vehicle_model=model, country=france, outlet=outlet, request=asked
        )
    pending = vin_with_check_digit(PENDING_VIN_BODY)
    if not LetterRequest.objects.filter(vin=pending).exists():
        _asked(trader, pending, VehicleModel.objects.get(brand=model.brand, name="Lumen"), france)


def _asked(trader, vin: str, model: VehicleModel, country: Country) -> LetterRequest:  # type: ignore[no-untyped-def]
    return services.letter_request_create(
        actor=trader,
        vin=vin,
        vehicle_model=model,
        country=country,
        note="Bought from a Shanghai dealer; customer in Lyon.",
    )
