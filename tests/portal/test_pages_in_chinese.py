"""The licence, declaration and after-sales pages in Chinese show no English catalogue text."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from tests.aftersales.factories import (
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import CountryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

OWN_SOURCES = ("portal/", "templates/portal/licences/", "templates/portal/aftersales/")
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def english_texts() -> set[str]:
    """Whole English strings (no placeholders) used by the portal's sources."""
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    texts = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        used_here = any(path.startswith(OWN_SOURCES) for path, _line in message.locations)
        if used_here and message.id:
            texts.update(text for text in ids if "%" not in text and len(text) > 3)
    return texts


def test_every_page_reads_in_chinese(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    licence = issue_licence(applicant=manufacturer, quantities=(2,))
    france = CountryFactory(code="FR")
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=licence.brand, country=france)
    warranty = WarrantyCommitmentFactory(
        enterprise=manufacturer, brand=licence.brand, country=france
    )
    parts = SparePartsCommitmentFactory(
        enterprise=manufacturer, brand=licence.brand, country=france
    )
    pages = [
        f"/portal/licences/{licence.pk}/",
        f"/portal/licences/{licence.pk}/declarations/new/",
        "/portal/aftersales/",
        "/portal/aftersales/?all=1",
        "/portal/aftersales/outlets/new/",
        f"/portal/aftersales/outlets/{outlet.pk}/",
        f"/portal/aftersales/warranty/{warranty.pk}/",
        f"/portal/aftersales/spare-parts/{parts.pk}/",
    ]
    english = english_texts()
    assert "Record the declaration" in english  # the check reads the catalogue it means to
    client.force_login(maker)
    for path in pages:
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        leaked = sorted(text for text in english if f">{text}<" in page or f"{text}." in page)
        assert not leaked, f"{path} shows English: {leaked}"
