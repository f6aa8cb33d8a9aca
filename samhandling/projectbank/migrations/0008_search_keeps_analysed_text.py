"""PostgreSQL's search table keeps the analysed name and body, so the in-memory text index (typos, places,
suggestions) is built there as on SQLite. Rows written before are filled after `migrate` by the post_migrate
hook (`services.fill_analysed_text`), with the models as they are then."""

from django.db import migrations


def add_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE projectbank_search ADD COLUMN IF NOT EXISTS name text, ADD COLUMN IF NOT EXISTS body text"
        )


class Migration(migrations.Migration):
    dependencies = [("projectbank", "0007_change_log_follows")]
    operations = [migrations.RunPython(add_columns, migrations.RunPython.noop)]
