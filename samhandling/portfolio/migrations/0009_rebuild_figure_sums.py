"""The dashboard's running sums counted again for existing projects, after every migration that changed what
they count (regions, 2021–2027 objectives and intervention fields). Earlier migrations leave the filling to
this one: summary.refresh() reads today's models, which only match the schema once all of them have run."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from samhandling.portfolio.summary import refresh

    refresh()


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0008_merge_regions_and_2021_dimensions"),
        ("projects", "0008_merge_participations_and_intervention_field"),
        ("programmes", "0008_merge_0004_steering_models_0007_load_indicators"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
