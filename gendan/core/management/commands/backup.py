"""`gendan backup`: a consistent copy of the database (and the uploaded files) while running.

SQLite: sqlite3's online backup API copies the live database page by page (writers may keep
working), and the copy is checked before it is reported. PostgreSQL: `pg_dump` in custom
format (restore with `pg_restore`). Uploaded files (the media folder) go into a tar archive
next to it.
"""

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tarfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite database with the online backup API and check the copy."""
    if not source.exists():
        raise CommandError(f"The database file {source} does not exist: nothing to back up.")
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    with sqlite3.connect(f"file:{target}?mode=ro", uri=True) as copy:
        (result,) = copy.execute("PRAGMA quick_check").fetchone()
    if result != "ok":
        raise CommandError(f"The backup {target} failed its check: {result}")
    return target


def backup_postgresql(database: dict[str, Any], target: Path) -> Path:
    """Dump a PostgreSQL database in pg_dump's custom format."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise CommandError(
            "pg_dump was not found on PATH. Install the PostgreSQL client tools matching the "
            "server version (Debian: apt install postgresql-client), then run the backup again."
        )
    argv = [pg_dump, "--format=custom", f"--file={target}", "--no-owner"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            argv.append(f"{option}={database[key]}")
    argv.append(str(database["NAME"]))
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    finished = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        target.unlink(missing_ok=True)
        raise CommandError(f"pg_dump failed: {finished.stderr.strip()}")
    return target


def archive_media(media_root: Path, target: Path) -> Path | None:
    """Tar (gzip) the uploaded files; None when there are none."""
    if not media_root.is_dir() or not any(media_root.iterdir()):
        return None
    with tarfile.open(target, "w:gz") as archive:
        archive.add(media_root, arcname="media")
    return target


class Command(BaseCommand):
    help = "Back up the database (SQLite: online copy; PostgreSQL: pg_dump) and uploaded files."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Folder for the backup files (default: the data folder's backups/).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["output"] or Path(settings.DATA_DIR) / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        when = stamp()
        database = connections["default"].settings_dict
        vendor = connections["default"].vendor
        if vendor == "sqlite":
            written = backup_sqlite(Path(database["NAME"]), folder / f"gendan-{when}.sqlite3")
        elif vendor == "postgresql":
            written = backup_postgresql(database, folder / f"gendan-{when}.pgdump")
        else:
            raise CommandError(f"Backups of {vendor} databases are not supported.")
        self.stdout.write(f"database: {written}")
        media = archive_media(Path(settings.MEDIA_ROOT), folder / f"gendan-media-{when}.tar.gz")
        self.stdout.write(f"files:    {media}" if media else "files:    (no uploaded files)")
