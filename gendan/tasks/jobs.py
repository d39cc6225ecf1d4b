"""Periodic jobs of the tasks app (enqueued by `gendan worker`'s scheduler)."""

from django.tasks import task

from gendan.tasks.actions import escalate_overdue_tasks, remind_due_tasks


@task()
def remind_and_escalate() -> dict[str, int]:
    return {"reminded": remind_due_tasks(), "escalated": escalate_overdue_tasks()}
