"""The departments named in the rulebooks (P1). Administrators may rename or add more."""

from django.db import migrations

DEPARTMENTS = [
    ("sales", "销售部", "Sales"),
    ("technical", "技术部", "Technical"),
    ("production", "生产部", "Production"),
    ("quality", "质量部", "Quality"),
    ("procurement", "采购部", "Procurement"),
    ("finance", "财务部", "Finance"),
    ("logistics", "物流仓储部", "Logistics and warehouse"),
    ("aftersales", "售后服务部", "After-sales"),
    ("legal", "法务部", "Legal"),
    ("management", "总经理办公室", "Management"),
]


def seed(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    for code, name, name_en in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
