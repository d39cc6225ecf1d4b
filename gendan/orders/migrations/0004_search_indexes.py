"""Trigram indexes for the order search on PostgreSQL (`gendan.orders.search`).

Django's case-insensitive `icontains` reads `UPPER(column::text) LIKE UPPER('%...%')`, so the
indexes are on that very expression, with the `gin_trgm_ops` operator class of the `pg_trgm`
extension. They let PostgreSQL find an order by a fragment of its number or of the customer's
reference, and a customer by a fragment of its name, without reading every row.

PostgreSQL only: on any other database this migration does nothing. The extension is created
when the database role may (pg_trgm is a trusted extension: the database owner may create it);
otherwise the migration says so and leaves the indexes out: the search still works, reading
more rows. docs/operations.md tells how to add them later.
"""

from django.db import migrations, transaction

INDEXES = {
    "order_number_trgm": ("orders_order", "number"),
    "order_reference_trgm": ("orders_order", "customer_reference"),
    "customer_name_trgm": ("customers_customer", "name"),
}


def has_trigrams(schema_editor) -> bool:
    """True once pg_trgm is there, creating it if the role may."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return True
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as error:  # any refusal: go on without the indexes
            print(
                "\n  orders.0004_search_indexes: the pg_trgm extension could not be created "
                f"({str(error).strip()}); the order search works without its indexes, but "
                "slowly on large databases. See docs/operations.md, 'Search indexes'."
            )
            return False
    return True


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql" or not has_trigrams(schema_editor):
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER(("{column}")::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        ("orders", "0003_amount_index"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
