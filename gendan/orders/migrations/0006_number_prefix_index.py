"""A prefix index on order numbers for the order search on PostgreSQL (`gendan.orders.search`).

A search that starts like an order number (e.g. `so-2026-29`) is a prefix match. With a number
pattern in capitals it is matched in capitals on the unique number's own pattern index; with
a pattern that has lower-case letters it is `UPPER(number) LIKE 'SO-2026-29%'`, served here. The trigram index of `0004_search_indexes` serves it
poorly: every number shares the trigrams of `SO-2026-`, so it reads the whole year (13 ms at a
million orders). A B-tree with the `text_pattern_ops` operator class reads just the matching
numbers, whatever the database's collation.

PostgreSQL only: on any other database this migration does nothing.
"""

from django.db import migrations

NAME = "order_number_prefix"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "orders_order" '
        '((UPPER(("number")::text)) text_pattern_ops)'
    )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_emergency_first_index")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
