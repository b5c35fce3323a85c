"""An index for searching serial numbers by their beginning (`filters.serial_number_starts`).

`istartswith` runs as UPPER(serial_number::text) LIKE 'R-BIG-000042%': a btree on that
expression with text_pattern_ops answers it with one range, whatever the locale. PostgreSQL
only, like the trigram indexes of migration 0004 (SQLite has no operator classes).
"""

from django.db import migrations

INDEX = "system_serial_upper_prefix"


def create_prefix_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON contracts_system "
        "((UPPER(serial_number::text)) text_pattern_ops)"
    )


def drop_prefix_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("contracts", "0013_expiry_desc_index_and_serial_any_case")]

    operations = [migrations.RunPython(create_prefix_index, drop_prefix_index)]
