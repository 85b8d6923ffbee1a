"""Licensing test fixtures: a frozen working day in 2026 and portal users of the applicant."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.registry.factories import MembershipFactory

# Wednesday after Spring Festival 2026: an ordinary working day.
TODAY = datetime(2026, 2, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen_today():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


@pytest.fixture
def viewer(manufacturer):  # type: ignore[no-untyped-def]
    """A portal user of the applicant whose role does not let them apply."""
    return MembershipFactory(enterprise=manufacturer, role="viewer").user
