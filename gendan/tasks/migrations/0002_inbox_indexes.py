"""Partial indexes for the inbox's pieces in the inbox's order (emergencies first, then by
deadline): a reviewer's first tasks and inbox counts without reading the tasks table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                models.F("assignee"),
                models.Case(
                    models.When(priority="emergency", then=models.Value(0)),
                    default=models.Value(1),
                    output_field=models.IntegerField(),
                ),
                models.F("due_at"),
                models.F("id"),
                condition=models.Q(("state", "open")),
                name="task_open_assignee_rank",
            ),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                models.F("department"),
                models.Case(
                    models.When(priority="emergency", then=models.Value(0)),
                    default=models.Value(1),
                    output_field=models.IntegerField(),
                ),
                models.F("due_at"),
                models.F("id"),
                condition=models.Q(("assignee__isnull", True), ("state", "open")),
                name="task_open_department_rank",
            ),
        ),
    ]
