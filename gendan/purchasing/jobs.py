"""Background jobs of purchasing (enqueued periodically by `gendan worker`)."""

from django.tasks import task

from gendan.purchasing.actions import report_late_purchase_lines


@task()
def report_late_purchase_orders() -> int:
    """Flag purchase order lines past their expected date (once per line and date)."""
    return report_late_purchase_lines()
