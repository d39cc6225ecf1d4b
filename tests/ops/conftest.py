"""Helpers for tests that run the `gendan` command in a separate process."""

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Variables of the surrounding run that must not leak into a fresh installation.
_DROP = (
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "GENDAN_TASK_BACKEND",
    "DEBUG",
    # Set by the browser tests for their live server; a deployment must never have it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


@pytest.fixture
def gendan_env(tmp_path: Path) -> Callable[..., dict[str, str]]:
    """Environment for a `gendan` process with its own data folder (SQLite) under tmp_path."""

    def make(**extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _DROP}
        env["GENDAN_DATA_DIR"] = str(tmp_path / "data")
        env.update(extra)
        return env

    return make


GENDAN = [sys.executable, "-m", "gendan.cli"]
