"""Retention years per document category, so administrators see and can change them."""

from django.db import migrations

YEARS = {
    "contract": 30, "purchase_contract": 30, "confirmation": 30, "minutes": 10,
    "review_report": 10, "inspection_report": 10, "delivery_list": 10, "work_order": 5,
    "aftersales_record": 5, "form": 5, "correspondence": 5, "other": 3,
}


def seed(apps, schema_editor):
    RetentionPolicy = apps.get_model("documents", "RetentionPolicy")
    for category, years in YEARS.items():
        RetentionPolicy.objects.get_or_create(category=category, defaults={"years": years})


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
