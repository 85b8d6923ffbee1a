"""The demo world's used-vehicle licence draft: the trader's two used Jade River cars to France.

One was first registered 100 days ago and carries Jade River's demo letter; the other 300
days ago and needs none. Called from licensing.demo.seed; keyed by the contract number.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales.demo_letters import issued_vin
from licensing.models import Case, Document
from licensing.services import documents, drafts
from licensing.validity import latest_valid_until
from registry.models import Country, VehicleModel
from registry.validators import vin_with_check_digit

CONTRACT = "EHU-DEMO-001"
OLDER_VIN_BODY = "LJRD0A1B?U0000303"


def seed_used_draft(world: dict, pdf: bytes) -> Case:
    """Create the trader's used-vehicle draft once."""
    existing = Case.objects.filter(contract_number=CONTRACT).first()
    if existing is not None:
        return existing
    trader = get_user_model().objects.get(username="trader")
    today = timezone.localdate()
    models = VehicleModel.objects.filter(brand=world["brands"]["jade"])
    vehicles = [
        _vehicle(issued_vin(), models.get(name="Aurora"), today, 100, "21500.00"),
        _vehicle(
            vin_with_check_digit(OLDER_VIN_BODY), models.get(name="Tide"), today, 300, "16800.00"
        ),
    ]
    case = drafts.case_create(
        actor=trader,
        kind=Case.Kind.USED_LICENCE,
        vehicles=vehicles,
        destination=Country.objects.get(code="FR"),
        customs_port="Shanghai Waigaoqiao",
        trade_mode=Case.TradeMode.GENERAL,
        contract_number=CONTRACT,
        payment_terms="T/T in advance",
        transport_mode=Case.TransportMode.SEA,
        use_mode=Case.UseMode.SINGLE,
        valid_from=today,
        valid_until=latest_valid_until(today),
    )
    upload = SimpleUploadedFile(f"{CONTRACT}.pdf", pdf, content_type="application/pdf")
    documents.document_add(
        actor=trader, case=case, doc_type=Document.DocType.CONTRACT, upload=upload
    )
    return case


def _vehicle(vin: str, model: VehicleModel, today, days: int, price: str) -> dict:  # type: ignore[no-untyped-def]
    return {
        "vin": vin,
        "vehicle_model": model,
        "first_registered_on": today - timedelta(days=days),
        "transferred_on": today - timedelta(days=min(days, 20)),
        "unit_price_usd": Decimal(price),
    }
