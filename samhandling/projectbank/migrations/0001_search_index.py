"""The full-text index table (FTS5 on SQLite, tsvector + GIN on PostgreSQL); see projectbank/search.py."""
from django.db import migrations


def create(apps, schema_editor):
    from samhandling.projectbank.search import create_index

    create_index(schema_editor)


def drop(apps, schema_editor):
    from samhandling.projectbank.search import drop_index

    drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
