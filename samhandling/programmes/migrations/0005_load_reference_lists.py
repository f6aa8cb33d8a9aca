"""Loads the intervention fields and the regulations' specific objectives from data/ and links the
programmes' own objectives whose code is the regulation's (ERUF 1.1 → RSO1.1)."""

from django.db import migrations


def load(apps, schema_editor):
    from samhandling.programmes import reference

    intervention = apps.get_model("programmes", "InterventionField")
    regulation = apps.get_model("programmes", "RegulationObjective")
    reference.sync(intervention, regulation)
    by_code = {o.code: o for o in regulation.objects.all()}
    for objective in apps.get_model("programmes", "SpecificObjective").objects.select_related("fund"):
        code = reference.regulation_code(objective.code, objective.fund.code)
        if code in by_code and objective.regulation_objective_id is None:
            objective.regulation_objective = by_code[code]
            objective.save(update_fields=["regulation_objective"])


class Migration(migrations.Migration):
    dependencies = [("programmes", "0004_intervention_fields_regulation_objectives")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
