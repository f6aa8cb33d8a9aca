"""Demo: collaboration-maturity evaluations of the ÖMS flagship projects, targets, and keyword labels.

Two rounds per flagship project, moving as the ÖMS evaluation describes the region: from conversation and
shared view in a latent or emerging phase towards cooperation in an emerging phase. The scores are
illustrative, not taken from the evaluation.
"""

from samhandling.core.dates import d
from samhandling.partnership.demo import OMS_NAME
from samhandling.partnership.models import Partnership
from samhandling.projects.models import Organisation, Project
from samhandling.projects.services import get_or_create_organisation

from .models import MaturityEvaluation, SmartSpecialisationArea, Target, Theme
from .services import classify_projects

ORDER = 90
REGIONS = ["Region Örebro län", "Region Västmanland", "Region Uppsala", "Region Sörmland", "Region Östergötland"]
TARGETS = [
    ("area", "Stockholm", "Life Science", "20.0"),
    ("area", "Stockholm", "Hållbar produktion", "15.0"),
    ("area", "Stockholm", "Hållbar stadsutveckling", "15.0"),
    ("theme", None, "Internationalisering", "10.0"),
    ("theme", None, "Tillgång till finansiering", "10.0"),
]


def load():
    regions = [get_or_create_organisation(name, sector=Organisation.Sector.REGION)[0] for name in REGIONS]
    flagships = Project.objects.filter(flagship=True, programme_region__code="SE12").order_by("name")
    oms = Partnership.objects.get(name=OMS_NAME)  # the evaluations are the ÖMS partnership's
    for i, project in enumerate(flagships):
        actor = regions[i % len(regions)]
        early_step = 1 + i % 2
        rounds = [(d("2016-05-15"), early_step, 1 + (i % 3 == 0), 2), (d("2019-11-15"), 3 - (i % 4 == 0), 2, 3)]
        for when, step, phase, base in rounds:
            MaturityEvaluation.objects.get_or_create(
                actor=actor,
                project=project,
                evaluated_on=when,
                defaults={
                    "partnership": oms,
                    "step": step,
                    "phase": phase,
                    "ordering_capacity": base + (i % 2),
                    "receiving_capacity": base,
                    "influencing_capacity": max(1, base - 1 + i % 3 // 2),
                    "resource_capacity": base + 1,
                },
            )
    for kind, strategy, name, share in TARGETS:
        key = (
            {"area": SmartSpecialisationArea.objects.get(strategy=strategy, name=name)}
            if kind == "area"
            else {"theme": Theme.objects.get(name=name)}
        )
        Target.objects.get_or_create(**key, defaults={"share_percent": share, "decided_in": "Demo", "published": True})
    classify_projects(Project.objects.granted(), objective=False)
