"""Gap-free numbering on SQLite with concurrent writers (IMMEDIATE transactions, see settings).

The suite's SQLite test database is in memory; threads need a file database to show how
SQLite queues writers, so the work runs in a child process on a fresh file database.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]


def test_orders_created_from_eight_threads_on_sqlite_get_gap_free_numbers(
    tmp_path: Path,
) -> None:
    threads, per_thread = 8, 6
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'numbering.sqlite3'}",
        "GENDAN_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "only-for-this-test",
        "LOG_LEVEL": "WARNING",
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.concurrency.sqlite_numbering", str(threads), str(per_thread)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])

    assert result["errors"] == []
    year = timezone.localdate().year
    expected = [f"SO-{year}-{seq:06d}" for seq in range(1, threads * per_thread + 1)]
    assert sorted(result["numbers"]) == expected
    assert result["counts_right"]
