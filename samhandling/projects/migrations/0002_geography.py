from django.db import migrations

from samhandling.projects.geography import load_geography


def forwards(apps, schema_editor):
    load_geography(apps.get_model("projects", "ProgrammeRegion"), apps.get_model("projects", "County"),
                   apps.get_model("projects", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
