"""The PostgreSQL search table loses its foreign key to projects.

Django's flush (used between transactional tests, and by `samhandling flush`) truncates the model tables only,
and PostgreSQL refuses to truncate a table another table references. Deleted projects leave the index through
the post_delete signal (projectbank/signals.py), as they always did on SQLite's FTS5 table, which has no keys.
"""
from django.db import migrations


def drop_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE projectbank_search DROP CONSTRAINT IF EXISTS projectbank_search_project_id_fkey")


class Migration(migrations.Migration):
    dependencies = [("projectbank", "0002_facets")]
    operations = [migrations.RunPython(drop_key, migrations.RunPython.noop)]
