"""Copy every kept document to a backup folder, checking each file against its SHA-256.

`gendan backup_documents /mnt/backup/gendan-docs` copies new or changed files (a file already
in the backup with the right checksum is skipped) and writes `manifest.json` listing order,
category, title, keep-until date and checksum of each. A file whose content no longer matches
its recorded checksum is reported and the command ends with an error.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gendan.documents.models import Document


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Copy the documents kept with orders to a backup folder and verify their checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        destination: Path = options["destination"]
        destination.mkdir(parents=True, exist_ok=True)
        manifest, copied, damaged = [], 0, []
        for document in Document.objects.select_related("order").order_by("pk").iterator():
            content = document.file.open("rb").read()
            document.file.close()
            if hashlib.sha256(content).hexdigest() != document.sha256:
                damaged.append(f"{document.order.number}: {document.file.name}")
                continue
            target = destination / document.file.name
            if not (target.exists() and _sha256(target) == document.sha256):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                copied += 1
            manifest.append(
                {
                    "id": document.pk,
                    "order": document.order.number,
                    "category": document.category,
                    "title": document.title,
                    "file": document.file.name,
                    "sha256": document.sha256,
                    "retain_until": document.retain_until.isoformat(),
                }
            )
        (destination / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        self.stdout.write(f"{len(manifest)} documents in the backup, {copied} copied now.")
        if damaged:
            raise CommandError(
                "These files no longer match their recorded checksum:\n" + "\n".join(damaged)
            )
