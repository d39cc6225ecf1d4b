"""Default review settings: the five reviewing departments for standard orders (rulebook 004)
and each department's working days (legal review of contracts: 3)."""

from django.db import migrations

REVIEWERS = ["technical", "production", "quality", "procurement", "finance"]
DAYS = {"technical": 2, "production": 2, "quality": 2, "procurement": 2, "finance": 2, "legal": 3}


def seed(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    OrderTypeReview = apps.get_model("reviews", "OrderTypeReview")
    ReviewDeadline = apps.get_model("reviews", "ReviewDeadline")
    row, created = OrderTypeReview.objects.get_or_create(order_type="standard")
    if created:
        row.departments.set(Department.objects.filter(code__in=REVIEWERS))
    for department in Department.objects.filter(code__in=DAYS):
        ReviewDeadline.objects.get_or_create(
            department=department, defaults={"working_days": DAYS[department.code]}
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("accounts", "0002_seed_departments")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
