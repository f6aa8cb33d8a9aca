"""The 2021–2027 reference lists: intervention fields (001–182) and the regulations' specific objectives."""

import pytest

from samhandling.programmes import reference
from samhandling.programmes.models import InterventionField, RegulationObjective, SpecificObjective


@pytest.mark.django_db
def test_migration_loads_every_intervention_field_and_objective():
    assert InterventionField.objects.count() == 182
    assert list(InterventionField.objects.values_list("code", flat=True)) == [f"{i:03d}" for i in range(1, 183)]
    assert all(f.name and f.name_en for f in InterventionField.objects.all())
    codes = set(RegulationObjective.objects.values_list("code", flat=True))
    assert {"RSO1.1", "RSO5.2", "ESO4.1", "ESO4.12", "ISO6.1"} <= codes
    assert RegulationObjective.objects.get(code="ESO4.1").fund == "ESF+"
    assert reference.sync() == (182, RegulationObjective.objects.count())  # idempotent
    assert InterventionField.objects.count() == 182


@pytest.mark.parametrize(
    ("text", "code"),
    [("117.0", "117"), ("117", "117"), ("13", "013"), ("013 Digitalisering", "013"), ("183", None), ("", None)],
)
def test_intervention_codes_as_files_write_them(text, code):
    assert reference.intervention_code(text) == code


@pytest.mark.parametrize(
    ("text", "fund", "code"),
    [
        ("RSO1.1", "", "RSO1.1"),
        ("rso 2.6", "", "RSO2.6"),
        ("1.1", "ERUF", "RSO1.1"),
        ("4.12", "ESF+", "ESO4.12"),
        ("ISO6", "", "ISO6"),
        ("A.1", "ESF+", None),
        ("1.1", "", None),
    ],
)
def test_regulation_codes_as_files_write_them(text, fund, code):
    assert reference.regulation_code(text, fund) == code


def test_demo_objectives_point_to_the_regulations_objectives(demo):
    eruf = SpecificObjective.objects.get(fund__code="ERUF", code="1.1", programme__period__start_year=2021)
    assert eruf.regulation_objective.code == "RSO1.1"
    esf = SpecificObjective.objects.get(fund__code="ESF+", code="A.2")
    assert esf.regulation_objective.code == "ESO4.1"
