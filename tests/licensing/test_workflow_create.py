"""Opening a draft through the service: the rules hold whatever interface calls it."""

import pytest
from django.core.exceptions import ValidationError

from licensing.models import Case
from licensing.services import drafts
from tests.registry.factories import BrandFactory, CountryFactory

pytestmark = pytest.mark.django_db


def test_a_licence_draft_without_goods_lines_is_refused_and_nothing_saved(maker):
    brand = BrandFactory(manufacturer=maker.membership.enterprise)
    with pytest.raises(ValidationError) as refused:
        drafts.case_create(
            actor=maker, kind=Case.Kind.LICENCE, brand=brand, destination=CountryFactory(), lines=[]
        )
    assert "lines" in refused.value.message_dict
    assert not Case.objects.exists()
