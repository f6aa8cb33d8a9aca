"""Demo: funds, periods, the Stockholm programmes 2021–2027 and the budget ledger behind minutes 1/2026.

ERUF has 116,8 mnkr left to call in all: 34,5 in the new objective 1.7 (reallocated from 1.2 and 1.4,
which are left with nothing), 30,0 in 1.1, 32,3 in 1.3 and 20,0 in 2.6. ESF+ has 134 mnkr in A.1 and
181 mnkr in A.2.
"""

from samhandling.core.dates import d
from samhandling.projects.models import ProgrammeRegion

from . import reference, services
from .models import Fund, Programme, ProgrammePeriod, RegulationObjective, SpecificObjective

ORDER = 10

ERUF_OBJECTIVES = [
    # code, name, allocation, granted up to 2025
    ("1.1", "Forskning och innovation", 150_000_000, 120_000_000),
    ("1.2", "Säkra nytta av digitalisering", 60_000_000, 40_000_000),
    ("1.3", "Små och medelstora företags konkurrenskraft", 130_000_000, 97_700_000),
    ("1.4", "Utveckla färdigheter för smart specialisering", 40_000_000, 25_500_000),
    ("1.7", "Förbättra industriell kapacitet för att främja försvarsförmågan", 0, 0),
    ("2.6", "Cirkulär ekonomi", 80_000_000, 60_000_000),
]
ESF_OBJECTIVES = [
    ("A.1", "Kompetensutveckling av yrkesverksamma", 400_000_000, 266_000_000),
    ("A.2", "Underlätta inträde på arbetsmarknaden", 500_000_000, 319_000_000),
]
OBJECTIVE_NAMES_EN = {  # shown in the English interface
    "1.1": "Research and innovation",
    "1.2": "Reaping the benefits of digitisation",
    "1.3": "Competitiveness of small and medium-sized enterprises",
    "1.4": "Developing skills for smart specialisation",
    "1.7": "Enhancing industrial capacity to promote defence capability",
    "2.6": "Circular economy",
    "A.1": "Skills development of the employed",
    "A.2": "Facilitating entry into the labour market",
}
# The ESF+ programme's own objectives under the regulation's (programme area A: skills and employment).
REGULATION_CODES = {"A.1": "ESO4.4", "A.2": "ESO4.1"}
REALLOCATIONS_TO_1_7 = [("1.2", 20_000_000), ("1.4", 14_500_000)]


def load():
    eruf, _ = Fund.objects.get_or_create(
        code="ERUF",
        defaults={
            "name": "Europeiska regionala utvecklingsfonden",
            "name_en": "European Regional Development Fund (ERDF)",
            "managing_authority": "Tillväxtverket",
        },
    )
    esf, _ = Fund.objects.get_or_create(
        code="ESF+",
        defaults={
            "name": "Europeiska socialfonden+",
            "name_en": "European Social Fund Plus (ESF+)",
            "managing_authority": "Svenska ESF-rådet",
        },
    )
    periods = {}
    for start, end in [(2014, 2020), (2021, 2027), (2028, 2034)]:
        periods[start], _ = ProgrammePeriod.objects.get_or_create(start_year=start, defaults={"end_year": end})
    stockholm = ProgrammeRegion.objects.get(code="SE11")
    programmes = {}
    for fund, kind, start, name in [
        (eruf, Programme.Kind.REGIONAL_ERDF, 2014, "Regionalfondsprogram för Stockholmsregionen 2014–2020"),
        (
            esf,
            Programme.Kind.ESF_ACTION_PLAN,
            2014,
            "Regional handlingsplan för Socialfonden i Stockholmsregionen 2014–2020",
        ),
        (eruf, Programme.Kind.REGIONAL_ERDF, 2021, "Regionalfondsprogram för Stockholmsregionen 2021–2027"),
        (esf, Programme.Kind.ESF_ACTION_PLAN, 2021, "Regional handlingsplan för ESF+ i Stockholmsregionen 2021–2027"),
    ]:
        programmes[(fund.code, start)], _ = Programme.objects.get_or_create(
            fund=fund, period=periods[start], programme_region=stockholm, kind=kind, defaults={"name": name}
        )

    objectives = {}
    for fund, rows in [(eruf, ERUF_OBJECTIVES), (esf, ESF_OBJECTIVES)]:
        programme = programmes[(fund.code, 2021)]
        for code, name, allocation, granted in rows:
            obj, _ = SpecificObjective.objects.get_or_create(
                programme=programme,
                code=code,
                defaults={
                    "name": name,
                    "name_en": OBJECTIVE_NAMES_EN.get(code, ""),
                    "fund": fund,
                    "regulation_objective": RegulationObjective.objects.filter(
                        code=REGULATION_CODES.get(code) or reference.regulation_code(code, fund.code)
                    ).first(),
                },
            )
            objectives[code] = obj
            if allocation:
                services.allocate(
                    obj,
                    allocation,
                    national_cofinancing=allocation,
                    when=d("2022-01-01"),
                    reason="Programmets tilldelning 2021–2027",
                    key=f"demo:allocation:{fund.code}:{code}",
                )
            if granted:
                services.grant(
                    obj,
                    granted,
                    when=d("2025-12-31"),
                    reason="Beviljade projekt 2021–2025 (sammanställning)",
                    key=f"demo:grant:{fund.code}:{code}",
                )
    for code, amount in REALLOCATIONS_TO_1_7:
        services.reallocate(
            objectives[code],
            objectives["1.7"],
            amount,
            when=d("2026-02-19"),
            reason="Reviderat regionalfondsprogram: nytt specifikt mål 1.7",
            key=f"demo:reallocation:{code}->1.7",
        )
