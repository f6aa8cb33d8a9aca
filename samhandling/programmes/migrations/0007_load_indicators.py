"""Loads the common output and result indicators from data/indicators.csv."""

from django.db import migrations


def load(apps, schema_editor):
    from samhandling.programmes import reference

    reference.sync_indicators(
        apps.get_model("programmes", "Indicator"), apps.get_model("programmes", "RegulationObjective")
    )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0006_indicators_and_financial_snapshots")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
