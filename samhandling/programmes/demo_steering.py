"""Demo: the steering models of the seeds' Göteborg and Malmö examples, as data in two more partnerships.

Västsverige: an integrated territorial investment (ITI) for the City of Gothenburg, an earmark of the
regional fund's urban-development objective with the city's own implementation plan and the city as the
intermediate body, and the two ITI projects the seeds name. Skåne-Blekinge: Malmö's project platform, which
gathers ideas ahead of calls, taking ideas for four months from the day the demo is loaded, with one idea on
it. The seeds give no amounts for either: the budget and the earmark are round demo figures.
"""

from datetime import timedelta

from django.utils import timezone

from samhandling.core.dates import d
from samhandling.mobilisation.models import ProjectIdea, ProjectPlatform
from samhandling.partnership.models import Partnership
from samhandling.projects.models import County, Municipality, Organisation, ProgrammeRegion, Project
from samhandling.projects.services import get_or_create_organisation

from . import services
from .models import Earmark, Fund, Programme, ProgrammePeriod, RegulationObjective, SpecificObjective

ORDER = 55  # after the projects' demo (the funds, periods and regions exist), before the meetings

S = Organisation.Sector
WEST = "Strategiska partnerskapet Västsverige"
SOUTH = "Strategiska partnerskapet Skåne-Blekinge"
URBAN_BUDGET = 100_000_000
ITI_AMOUNT = 60_000_000
ITI_PLAN = (
    "Stadens egen plan för hållbar stadsutveckling, beslutad av kommunstyrelsen, som ett komplement till "
    "programmet. Inom öronmärkningen går planens projekt först: staden som plats där små och medelstora "
    "företag prövar nya lösningar, och stöd till den som startar företag i stadsdelar med få jobb."
)
ITI_PROJECTS = [
    (
        "Göteborg som testarena för små och medelstora företag",
        "Ett arbetssätt där stadens förvaltningar prövar nya lösningar tillsammans med företag, forskare och "
        "föreningar: en väg in för idéer, ett sätt att finansiera försöken och utbyte med städer i andra länder.",
        [],
    ),
    (
        "One Stop Future Shop",
        "Samlat expertstöd till mindre företagare och nya entreprenörer i en stadsdel med hög arbetslöshet, "
        "bland annat nyanlända med erfarenhet av eget företag och fåmansföretag inför generationsskifte.",
        [("Göteborgs universitet", S.UNIVERSITY), ("Svenska Röda Korset", S.CIVIL_SOCIETY)],
    ),
]
PLATFORM_TEXT = (
    "Malmö stads projektplattform enligt Malmömodellen. Den samordnar fristående projekt i ESF+ och ERUF "
    "som har samma mål, att fler Malmöbor snabbare får bostad och arbete, så att projekten lär av varandra "
    "över förvaltningsgränserna och följs upp gemensamt inför kommunstyrelsen."
)


def load():
    west = _partnership(WEST, "vastsverige", "SE23", "Västra Götalands och Hallands län.")
    south = _partnership(SOUTH, "skane-blekinge", "SE22", "Skåne och Blekinge län.")
    _gothenburg_iti(west)
    _malmo_platform(south)


def _partnership(name: str, slug: str, region: str, description: str) -> Partnership:
    partnership, _created = Partnership.objects.get_or_create(
        name=name,
        defaults={
            "slug": slug,
            "programme_region": ProgrammeRegion.objects.get(code=region),
            "description": description,
        },
    )
    return partnership


def _gothenburg_iti(west: Partnership) -> None:
    eruf = Fund.objects.get(code="ERUF")
    region = west.programme_region
    programme, _created = Programme.objects.get_or_create(
        fund=eruf,
        period=ProgrammePeriod.objects.get(start_year=2021),
        programme_region=region,
        kind=Programme.Kind.REGIONAL_ERDF,
        defaults={"name": "Regionalfondsprogram för Västsverige 2021–2027"},
    )
    objective, _created = SpecificObjective.objects.get_or_create(
        programme=programme,
        code="5.1",
        defaults={
            "name": "Hållbar stadsutveckling",
            "name_en": "Sustainable urban development",
            "fund": eruf,
            "regulation_objective": RegulationObjective.objects.filter(code="RSO5.1").first(),
        },
    )
    services.allocate(
        objective,
        URBAN_BUDGET,
        national_cofinancing=URBAN_BUDGET,
        when=d("2022-01-01"),
        reason="Programmets tilldelning 2021–2027 (demobelopp)",
        key="demo:allocation:ERUF:vastsverige:5.1",
    )
    city, _created = get_or_create_organisation("Göteborgs Stad", sector=S.MUNICIPALITY)
    if not Earmark.objects.filter(objective=objective, name="ITI Göteborg").exists():
        services.earmark(
            objective,
            "ITI Göteborg",
            ITI_AMOUNT,
            intermediate_body=city,
            implementation_plan=ITI_PLAN,
            partnership=west,
        )
    gothenburg = (County.objects.get(code="14"), Municipality.objects.get(code="1480"))
    period = ProgrammePeriod.objects.get(start_year=2014)
    for name, summary, partners in ITI_PROJECTS:
        project, created = Project.objects.get_or_create(
            source="demo",
            source_id=f"iti-goteborg-{name}",
            defaults={
                "name": name,
                "summary": summary,
                "applicant": city,
                "fund": eruf,
                "period": period,
                "programme_region": region,
                "status": Project.Status.COMPLETED,
            },
        )
        if created:
            project.counties.add(gothenburg[0])
            project.municipalities.add(gothenburg[1])
            project.partners.add(*(get_or_create_organisation(n, sector=s)[0] for n, s in partners))


def _malmo_platform(south: Partnership) -> None:
    today = timezone.localdate()
    platform, _created = ProjectPlatform.objects.get_or_create(
        partnership=south,
        name="Etablera fler snabbare",
        defaults={"description": PLATFORM_TEXT, "open_from": today, "open_until": today + timedelta(days=120)},
    )
    city, _created = get_or_create_organisation("Malmö stad", sector=S.MUNICIPALITY)
    idea, created = ProjectIdea.objects.get_or_create(
        partnership=south,
        organisation=city,
        title="Bostad och arbete samtidigt för nyanlända Malmöbor",
        defaults={
            "platform": platform,
            "description": "Ett projekt som låter bostadssökande nyanlända få stöd till arbete och bostad i "
            "en och samma kontakt, i samverkan mellan stadens förvaltningar och Arbetsförmedlingen.",
            "is_public": True,
            "partner_sectors": [S.STATE_AGENCY.value],
        },
    )
    if created:
        idea.counties.add(County.objects.get(code="12"))
