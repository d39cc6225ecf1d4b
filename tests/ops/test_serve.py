"""`gendan serve`: gunicorn with several workers, behind `collectstatic`; production checks."""

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gendan.core.management.commands import serve
from gendan.core.management.commands.serve import default_workers, gunicorn_argv
from tests.ops.conftest import GENDAN, ROOT


def test_gunicorn_command_line_binds_workers_and_logs_requests() -> None:
    argv = gunicorn_argv(bind="0.0.0.0:9000", workers=5)
    assert "gendan.wsgi:application" in argv
    assert {"--bind=0.0.0.0:9000", "--workers=5", "--access-logfile=-"} <= set(argv)
    assert any(arg.startswith("--timeout=") for arg in argv)


def test_workers_default_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENDAN_WEB_WORKERS", "3")
    assert default_workers() == 3
    monkeypatch.setenv("GENDAN_WEB_WORKERS", "0")
    with pytest.raises(Exception, match="at least 1"):
        default_workers()


@pytest.mark.parametrize("bind", ["8000", "localhost", "127.0.0.1:port"])
def test_serve_refuses_an_address_it_cannot_bind(bind: str) -> None:
    with pytest.raises(CommandError, match="HOST:PORT"):
        call_command("serve", "--bind", bind)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_over_plain_http(gendan_env: Callable[..., dict[str, str]]) -> None:
    """Gunicorn starts, serves the app over http:// (no redirect) and logs each request.

    Static files are not collected here (a minute of compressing); see the next test.
    """
    port = _free_port()
    server = subprocess.Popen(
        [*GENDAN, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--skip-collectstatic"],
        env=gendan_env(GENDAN_HTTPS="false"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api/v1/me/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url, timeout=10)
            except urllib.error.HTTPError as answer:  # 401: the app answered, unauthenticated
                assert answer.code == 401
                assert answer.headers["Content-Type"].startswith("application/json")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
    finally:
        server.terminate()
        output = server.communicate(timeout=60)[0].decode()
    assert "GET /api/v1/me/" in output  # the access log


def test_serve_collects_static_files_only_when_they_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: pytest.FixtureRequest
) -> None:
    settings.STATIC_ROOT = tmp_path  # type: ignore[attr-defined]
    collected: list[str] = []
    monkeypatch.setattr(serve, "call_command", lambda name, **kw: collected.append(name))
    fingerprint = ["v1"]
    monkeypatch.setattr(serve, "static_fingerprint", lambda: fingerprint[0])

    assert serve.collect_static() is True
    assert serve.collect_static() is False
    fingerprint[0] = "v2"  # a static file changed
    assert serve.collect_static() is True
    assert collected == ["collectstatic", "collectstatic"]


def test_static_fingerprint_changes_with_a_static_file(
    tmp_path: Path, settings: pytest.FixtureRequest
) -> None:
    (tmp_path / "site.css").write_text("body { color: black }")
    settings.STATICFILES_DIRS = [tmp_path]  # type: ignore[attr-defined]
    before = serve.static_fingerprint()
    (tmp_path / "site.css").write_text("body { color: darkblue }")
    assert serve.static_fingerprint() != before


def test_production_configuration_passes_the_deployment_checks(
    gendan_env: Callable[..., dict[str, str]], tmp_path: Path
) -> None:
    env = gendan_env(
        SECRET_KEY="x" * 20 + "-production-secret-key-with-enough-entropy-4f8a9c2e",
        EMAIL_HOST="smtp.example.com",
        ALLOWED_HOSTS="gendan.example.com",
        CSRF_TRUSTED_ORIGINS="https://gendan.example.com",
    )
    done = subprocess.run(
        [*GENDAN, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
