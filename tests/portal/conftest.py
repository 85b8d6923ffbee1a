import pytest

from tests.catalogue import compile_catalogues
from tests.licensing.conftest import frozen_today, viewer  # noqa: F401 (shared fixtures)


@pytest.fixture(scope="session", autouse=True)
def catalogues() -> None:
    compile_catalogues()
