import pytest

from tests.catalogue import compile_catalogues
from tests.licensing.conftest import frozen_today, viewer  # noqa: F401 (shared fixtures)


@pytest.fixture(scope="session", autouse=True)
def catalogues() -> None:
    compile_catalogues()


@pytest.fixture
def applicant(manufacturer):  # type: ignore[no-untyped-def]
    """A portal user of the maker's enterprise with the applicant role."""
    from tests.registry.factories import MembershipFactory

    return MembershipFactory(enterprise=manufacturer, role="applicant").user


@pytest.fixture
def france(db):  # type: ignore[no-untyped-def]
    """The destination of the exported cars in the register and report tests."""
    from tests.registry.factories import CountryFactory

    return CountryFactory(code="FR")
