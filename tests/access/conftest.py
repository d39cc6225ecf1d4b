import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_throttle() -> None:
    """The sign-in throttle counts in the cache: every test starts from zero."""
    cache.clear()
