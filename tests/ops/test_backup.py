"""`gendan backup`: a readable copy of a live database, plus the uploaded files."""

import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gendan.core.management.commands import backup
from tests.ops.conftest import GENDAN, ROOT


def test_sqlite_backup_copies_a_database_that_is_being_written(tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite3"
    live = sqlite3.connect(source)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE t (n INTEGER)")
    live.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(1000)])
    live.commit()
    live.execute("INSERT INTO t VALUES (-1)")  # a writer in the middle of its transaction

    copy = backup.backup_sqlite(source, tmp_path / "copy.sqlite3")

    with sqlite3.connect(copy) as readable:
        assert readable.execute("SELECT count(*) FROM t").fetchone() == (1000,)
    live.rollback()
    live.close()


def test_sqlite_backup_of_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        backup.backup_sqlite(tmp_path / "nothing.sqlite3", tmp_path / "copy.sqlite3")


def test_postgresql_backup_without_pg_dump_explains_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="pg_dump was not found"):
        backup.backup_postgresql({"NAME": "gendan"}, tmp_path / "x.pgdump")
    assert not (tmp_path / "x.pgdump").exists()


def test_backup_command_writes_database_and_files(
    tmp_path: Path, gendan_env: Callable[..., dict[str, str]]
) -> None:
    env = gendan_env()
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / "gendan.sqlite3") as db:  # the default database's place
        db.execute("CREATE TABLE orders (number TEXT)")
        db.execute("INSERT INTO orders VALUES ('SO-2026-000001')")
    media = data / "media" / "contracts"
    media.mkdir(parents=True)
    (media / "signed.pdf").write_bytes(b"%PDF-1.4 signed")

    done = subprocess.run(
        [*GENDAN, "backup", "--output", str(tmp_path / "out")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr

    (database,) = (tmp_path / "out").glob("gendan-*.sqlite3")
    with sqlite3.connect(database) as copy:
        assert copy.execute("SELECT number FROM orders").fetchall() == [("SO-2026-000001",)]
    (archive,) = (tmp_path / "out").glob("gendan-media-*.tar.gz")
    with tarfile.open(archive) as tar:
        assert "media/contracts/signed.pdf" in tar.getnames()
    assert str(database) in done.stdout


@pytest.mark.postgres
def test_postgresql_backup_is_a_pg_dump_archive(db: None, tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    call_command("backup", "--output", str(tmp_path))
    (dump,) = tmp_path.glob("gendan-*.pgdump")
    assert dump.read_bytes()[:5] == b"PGDMP"
    assert connection.vendor == "postgresql"
