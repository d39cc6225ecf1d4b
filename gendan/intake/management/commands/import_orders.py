"""`gendan import_orders FILE.xlsx [--valid-only] [--user USERNAME] [--dry-run]`

Imports an order file the same way as the import page: every row is checked and its errors are
printed; with errors left nothing is imported unless --valid-only (then only the orders whose
rows are all free of errors). The file is kept as an import batch, like an upload.
"""

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gendan.accounts.models import User
from gendan.core.errors import ActionError
from gendan.intake import actions


class Command(BaseCommand):
    help = "Import orders from an Excel file made from the import template."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="import the orders free of errors and skip the others",
        )
        parser.add_argument(
            "--user",
            help="who imports (a clerk, sales head or manager); default: the only superuser",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and print the rows, import nothing"
        )

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {username!r}.")
            return user
        superusers = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
        if len(superusers) != 1:
            raise CommandError("Say who imports: --user USERNAME.")
        return superusers[0]

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        user = self._user(options["user"])
        try:
            with path.open("rb") as handle:
                batch = actions.upload_import_file(user=user, file=File(handle, name=path.name))
        except ActionError as error:
            raise CommandError(str(error)) from error
        preview = actions.preview_batch(batch)
        for problem in preview.file_errors:
            self.stderr.write(problem)
        for row in preview.error_rows:
            for message in row.messages():
                self.stderr.write(f"row {row.number}: {message}")
        self.stdout.write(
            f"{len(preview.rows)} rows, {len(preview.error_rows)} with errors, "
            f"{len(preview.importable_groups())} orders importable."
        )
        if options["dry_run"]:
            return
        try:
            orders = actions.import_batch(batch=batch, user=user, valid_only=options["valid_only"])
        except ActionError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Imported {len(orders)} orders: {', '.join(o.number for o in orders)}")
