"""Background job of monitoring (enqueued periodically by `gendan worker`, or run by
`gendan monitor` from cron)."""

from django.tasks import task

from gendan.monitoring.actions import run_checks


@task()
def run_monitoring() -> str:
    """Run every check once; open a rectification notice per new finding."""
    return str(run_checks())
