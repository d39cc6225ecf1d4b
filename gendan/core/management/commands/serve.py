"""`gendan serve`: collect the static files, then run the web server (gunicorn).

Collecting (hashing and compressing every file) takes a while, so it is skipped when the
static files are the same as when they were last collected. Gunicorn then replaces this
process, so it receives the service manager's signals directly (SIGTERM: finish the requests
under way, then stop; SIGHUP: reload the workers).
"""

import hashlib
import os
import re
import sys
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand

from gendan.env import env_int

#: Seconds a request may take before its worker is restarted (large exports included).
REQUEST_TIMEOUT = 120
#: A worker is recycled after about this many requests, so a slow leak never grows old.
MAX_REQUESTS = 2000


#: Written into STATIC_ROOT after collecting: the fingerprint of what was collected.
COLLECTED_MARK = ".gendan-collected"


def static_fingerprint() -> str:
    """A digest of every static source file (path, size, modification time) and the storage."""
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    return digest.hexdigest()


def collect_static() -> bool:
    """Run collectstatic unless the files are unchanged since the last run; True if it ran."""
    mark = Path(settings.STATIC_ROOT) / COLLECTED_MARK
    fingerprint = static_fingerprint()
    if mark.exists() and mark.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    mark.write_text(fingerprint)
    return True


def default_workers() -> int:
    """GENDAN_WEB_WORKERS, else two per CPU plus one, at most eight."""
    return env_int("GENDAN_WEB_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8), minimum=1)


def bind_address(value: str) -> str:
    """HOST:PORT or unix:/path/to.sock, as gunicorn takes it."""
    if value.startswith("unix:") or re.fullmatch(r"(\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}", value):
        return value
    raise ArgumentTypeError(f"give HOST:PORT (e.g. 127.0.0.1:8000) or unix:/path, not {value!r}")


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ArgumentTypeError(f"give a whole number, not {value!r}") from None
    if number < 1:
        raise ArgumentTypeError("give at least 1")
    return number


def gunicorn_argv(*, bind: str, workers: int, timeout: int = REQUEST_TIMEOUT) -> list[str]:
    """The gunicorn command line `gendan serve` runs."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "gendan.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        f"--timeout={timeout}",
        "--graceful-timeout=30",
        "--keep-alive=5",
        f"--max-requests={MAX_REQUESTS}",
        f"--max-requests-jitter={MAX_REQUESTS // 10}",
        "--access-logfile=-",
        "--error-logfile=-",
        "--worker-tmp-dir=/dev/shm" if os.path.isdir("/dev/shm") else "--worker-tmp-dir=/tmp",
        "--name=gendan-web",
    ]


class Command(BaseCommand):
    help = "Run the web server: collect static files, then serve with gunicorn (several workers)."
    requires_system_checks = []  # gunicorn's workers load the project and run them anyway

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--bind",
            default="127.0.0.1:8000",
            type=bind_address,
            help="Address to listen on: HOST:PORT or unix:/path (default: %(default)s).",
        )
        parser.add_argument(
            "--workers",
            type=positive,
            default=None,
            help="Web worker processes (default: GENDAN_WEB_WORKERS, else 2 per CPU + 1, max 8).",
        )
        parser.add_argument(
            "--timeout",
            type=positive,
            default=REQUEST_TIMEOUT,
            help="Seconds before a stuck request's worker is restarted (default: %(default)s).",
        )
        parser.add_argument(
            "--skip-collectstatic",
            action="store_true",
            help="Do not collect static files first (they were collected at install time).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["skip_collectstatic"]:
            collect_static()
        workers = options["workers"] or default_workers()
        argv = gunicorn_argv(bind=options["bind"], workers=workers, timeout=options["timeout"])
        self.stdout.write(f"Gendan serving on {options['bind']} with {workers} workers")
        self.stdout.flush()
        os.execv(sys.executable, argv)
