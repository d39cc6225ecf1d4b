"""The `gendan` command's help: the commands an operator needs come first, then Django's list."""

from django.core.management import ManagementUtility

#: (command, what it does), in the order an operator meets them.
OPERATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("migrate", "create or upgrade the database (run after every install or upgrade)"),
    ("createsuperuser", "create an administrator account"),
    ("serve", "run the web server (gunicorn) [--bind 127.0.0.1:8000] [--workers N]"),
    ("worker", "run background and periodic jobs (reminders, escalations, e-mail)"),
    ("runjobs", "run the due periodic jobs once, for cron (--once)"),
    ("monitor", "run the monitoring checks, open rectification notices (cron) [--check KIND]"),
    ("demo", "load the paper-mill demo into an empty database [--orders 300]"),
    ("backup", "back up the database and uploaded files [--output DIR]"),
    ("check", "check the configuration (add --deploy for production)"),
    ("changepassword", "set a user's password"),
)


class OperatorUtility(ManagementUtility):
    """Django's management utility with the operator commands listed first in its help."""

    def main_help_text(self, commands_only: bool = False) -> str:
        if commands_only:
            return str(super().main_help_text(commands_only=True))
        lines = [
            "Gendan: order follow-up. Usage: gendan <command> [options]",
            "",
            "Operator commands:",
            *(f"    {name:<17} {text}" for name, text in OPERATOR_COMMANDS),
        ]
        return "\n".join(lines) + "\n" + str(super().main_help_text())


def execute(argv: list[str]) -> None:
    OperatorUtility(argv).execute()
