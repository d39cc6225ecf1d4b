"""The order types of the rulebooks (I3); administrators edit what each requires."""

from django.db import migrations

SIZE = ["line.grammage", "line.size"]
ORDER_TYPES = [
    # code, name, required items, default
    ("standard", "标准订单", ["delivery_place", "payment_terms", *SIZE], True),
    ("sample", "样品订单", ["delivery_place", "line.grammage"], False),
    (
        "emergency",
        "紧急订单",
        ["delivery_place", "payment_terms", "quality_requirements", *SIZE],
        False,
    ),
    (
        "export",
        "出口订单",
        [
            "customer_reference",
            "delivery_place",
            "payment_terms",
            "quality_requirements",
            *SIZE,
            "line.specification",
        ],
        False,
    ),
]


def seed(apps, schema_editor):
    OrderType = apps.get_model("intake", "OrderType")
    for position, (code, name, required, default) in enumerate(ORDER_TYPES):
        OrderType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "required_fields": required,
                "is_default": default,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
