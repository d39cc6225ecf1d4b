"""Settings come from the environment through helpers that refuse bad values loudly."""

import subprocess
import sys
from collections.abc import Callable

import pytest
from django.core.exceptions import ImproperlyConfigured

from gendan.env import env_bool, env_int, env_list, env_str
from tests.ops.conftest import ROOT


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("YES", True), (" off ", False), ("", False)]
)
def test_env_bool_reads_the_usual_words(
    monkeypatch: pytest.MonkeyPatch, raw: str, value: bool
) -> None:
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not value) is value


def test_env_bool_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be one of"):
        env_bool("X_FLAG", False)


def test_unset_variables_give_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_UNSET", raising=False)
    assert env_bool("X_UNSET", True) is True
    assert env_int("X_UNSET", 7) == 7
    assert env_list("X_UNSET", ["a"]) == ["a"]
    assert env_str("X_UNSET", "d") == "d"


@pytest.mark.parametrize("raw", ["ten", "1.5", ""])
def test_env_int_refuses_what_is_not_a_whole_number(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("X_COUNT", raw)
    with pytest.raises(ImproperlyConfigured, match="X_COUNT must be a whole number"):
        env_int("X_COUNT", 1)


def test_env_int_refuses_values_below_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_COUNT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("X_COUNT", 5, minimum=1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_HOSTS", " a.example , ,b.example,")
    assert env_list("X_HOSTS", []) == ["a.example", "b.example"]


def test_a_bad_setting_stops_the_command_at_start(
    gendan_env: Callable[..., dict[str, str]],
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import gendan.settings"],
        env=gendan_env(GENDAN_HTTPS="sometimes"),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "GENDAN_HTTPS must be one of" in done.stderr


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """JIT compilation costs short queries more than it saves (bench/README.md)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
