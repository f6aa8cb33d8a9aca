"""SQLite's full-text index gathers a write's terms in memory up to FTS_HASH_BYTES before it writes them as a
segment (FTS5's own default is 1 MB): a bulk write then makes far fewer segments to merge (search.py)."""

from django.db import migrations


def set_hash_size(apps, schema_editor):
    from samhandling.projectbank.search import configure_index

    configure_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("projectbank", "0008_search_keeps_analysed_text")]
    operations = [migrations.RunPython(set_hash_size, migrations.RunPython.noop)]
