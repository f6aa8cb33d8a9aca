"""Demo: the six ESF projects granted on 5 December 2019 and the 13 ÖMS flagship projects.

Summaries are written for the demo; names, applicants, amounts and partners are the public facts.
"""

from samhandling.core.dates import d
from samhandling.programmes.models import Fund, ProgrammePeriod

from .models import County, Organisation, ProgrammeRegion, Project
from .services import get_or_create_organisation

ORDER = 50
S = Organisation.Sector

ESF_2019 = [
    {
        "key": "mia-vidare",
        "name": "MIA Vidare",
        "applicant": ("Samordningsförbundet Östra Södertörn", S.MUNICIPALITY),
        "amount": 78_430_716,
        "participants": 1900,
        "partners": [
            ("Arbetsförmedlingen", S.STATE_AGENCY),
            ("Försäkringskassan", S.STATE_AGENCY),
            ("Region Stockholm", S.REGION),
        ],
        "summary": "Länets åtta samordningsförbund bygger vidare på MIA-projektet: samordnat, individbaserat stöd "
        "för kvinnor och män som länge stått utanför arbetsmarknaden, med Försäkringskassan, "
        "Arbetsförmedlingen, kommunerna och vården som samverkar kring varje deltagare.",
    },
    {
        "key": "fvm-dialoger",
        "name": "FVM dialoger",
        "applicant": ("Stockholms läns sjukvårdsområde", S.REGION),
        "amount": 31_490_563,
        "participants": 500,
        "partners": [
            ("Karolinska universitetssjukhuset", S.REGION),
            ("Danderyds sjukhus", S.COMPANY),
            ("Södersjukhuset", S.COMPANY),
            ("Tiohundra", S.COMPANY),
            ("Södertälje sjukhus", S.COMPANY),
        ],
        "summary": "Höjer den digitala kompetensen hos vårdens medarbetare och chefer inför Region Stockholms nya "
        "vårdinformationsmiljö, genom lärande i grupp och ett nätverk av processhandledare.",
    },
    {
        "key": "sy-vux",
        "name": "SY-Vux",
        "applicant": ("Stockholms stad, arbetsmarknadsförvaltningen", S.MUNICIPALITY),
        "amount": 11_134_713,
        "partners": [("Stockholms stad, utbildningsförvaltningen", S.MUNICIPALITY)],
        "summary": "Ett enhetligt arbetssätt för språkintegrerade yrkesutbildningar inom vuxenutbildningen, med ett "
        "kompetenscentrum som utvecklar, sprider och kvalitetssäkrar metoden.",
    },
    {
        "key": "skolnarvaro",
        "name": "Samverkan för ökad skolnärvaro",
        "applicant": ("Stockholms stad, socialförvaltningen", S.MUNICIPALITY),
        "amount": 6_950_345,
        "partners": [("Stockholms stad, utbildningsförvaltningen", S.MUNICIPALITY)],
        "summary": "Skolsociala team där socialtjänst och skola tillsammans med elev och vårdnadshavare möter hög "
        "skolfrånvaro i årskurs 8 och 9, så att fler blir behöriga till gymnasiet.",
    },
    {
        "key": "film-tv-yrkesnamnd",
        "name": "Film och TV branschens yrkesnämnd",
        "applicant": ("Film- och TV-producenterna i Sverige", S.BUSINESS_ORGANISATION),
        "amount": 4_999_595,
        "partners": [
            ("Film Capital Stockholm", S.OTHER),
            ("Film i Skåne", S.OTHER),
            ("Film i Väst", S.OTHER),
            ("Filmpool Nord", S.OTHER),
            ("Oberoende filmares förbund", S.CIVIL_SOCIETY),
            ("Svenska Filminstitutet", S.OTHER),
            ("Sveriges filmuthyrareförening", S.BUSINESS_ORGANISATION),
            ("Sveriges Television AB", S.COMPANY),
        ],
        "summary": "Bygger en långsiktig struktur för film- och tv-branschens kompetensförsörjning i form av en "
        "yrkesnämnd för hela branschen.",
    },
    {
        "key": "care-leavers",
        "name": "Mentorprogram för Care Leavers",
        "applicant": ("SOS Barnbyar", S.CIVIL_SOCIETY),
        "amount": 4_767_001,
        "participants": 60,
        "partners": [],
        "summary": "Mentorstöd för unga mellan 16 och 23 år som lämnar samhällsvård, med en metod som ska kunna tas "
        "över av kommuner och andra aktörer.",
    },
]

# The 13 flagship projects of the ÖMS structural-funds work 2014–2020 as the evaluation of the ÖMS partnership
# lists them (its appendix 2): fund, owner, period, EU funding and total budget in SEK, counties (county codes).
OMS = ("03", "04", "05", "18", "19")  # "Hela ÖMS": Uppsala, Södermanland, Östergötland, Örebro, Västmanland
OMS_FLAGSHIPS = [
    (
        "ERUF",
        "ÖMSesidig Access för innovationskraft",
        ("Uppsala universitet", S.UNIVERSITY),
        2016,
        2019,
        19_561_499,
        39_333_000,
        ("03", "18", "05"),
    ),
    (
        "ERUF",
        "Almi Invest Östra Mellansverige Fond II",
        ("Almi Invest Östra Mellansverige", S.COMPANY),
        2015,
        2021,
        75_000_000,
        150_000_000,
        OMS,
    ),
    (
        "ERUF",
        "ECS Innovative Smart Region (ÖMS Smart specialisering)",
        ("Region Västmanland", S.REGION),
        2018,
        2020,
        6_600_000,
        13_200_000,
        OMS,
    ),
    (
        "ERUF",
        "Energilösningar i världsklass",
        ("Mälardalens högskola", S.UNIVERSITY),
        2017,
        2020,
        31_075_000,
        62_150_000,
        ("19", "04", "03"),
    ),
    (
        "ERUF",
        "Fossilfria och effektiva transporter i ÖMS",
        ("Länsstyrelsen Västmanlands län", S.STATE_AGENCY),
        2016,
        2020,
        4_848_820,
        9_697_640,
        ("19", "03", "04"),
    ),
    (
        "ERUF",
        "Smart tillväxt (Tillväxtlyftet)",
        ("Almi Företagspartner Östergötland", S.COMPANY),
        2018,
        2021,
        33_701_000,
        67_402_000,
        OMS,
    ),
    (
        "ERUF",
        "TransMission",
        ("Mälardalens högskola", S.UNIVERSITY),
        2017,
        2020,
        8_229_000,
        16_458_000,
        ("19", "04", "18"),
    ),
    ("ERUF", "Växtzon 2 (Växtzon 1)", ("Västerås Science Park", S.COMPANY), 2018, 2021, 47_220_544, 94_441_100, OMS),
    ("ESF+", "All-in", ("Hällefors kommun", S.MUNICIPALITY), 2017, 2020, 23_900_086, 50_880_515, ("18",)),
    (
        "ESF+",
        "Give and Get",
        ("Arbetsförmedlingen Norra Sörmland", S.STATE_AGENCY),
        2017,
        2020,
        24_080_286,
        50_899_065,
        ("04",),
    ),
    (
        "ESF+",
        "Mirjam",
        ("Arbetsförmedlingens länskontor för Södermanland och Östergötland", S.STATE_AGENCY),
        2016,
        2019,
        17_309_492,
        25_949_492,
        ("04", "05"),
    ),
    (
        "ESF+",
        "Smart kompetens för industrin (Smart industri i ÖMS)",
        ("Region Östergötland", S.REGION),
        2018,
        2020,
        76_011_660,
        101_349_479,
        OMS,
    ),
    (
        "ESF+",
        "Stuns – Solo-Micro företag",
        ("Almi Företagspartner Mälardalen", S.COMPANY),
        2016,
        2019,
        19_623_925,
        26_317_738,
        ("19", "18"),
    ),
]


def load():
    esf = Fund.objects.get(code="ESF+")
    period = ProgrammePeriod.objects.get(start_year=2014)
    stockholm = ProgrammeRegion.objects.get(code="SE11")
    stockholm_county = County.objects.get(code="01")
    for row in ESF_2019:
        applicant, _ = get_or_create_organisation(row["applicant"][0], sector=row["applicant"][1])
        project, created = Project.objects.get_or_create(
            source="demo",
            source_id=f"esf-2019-{row['key']}",
            defaults={
                "name": row["name"],
                "applicant": applicant,
                "fund": esf,
                "period": period,
                "programme_region": stockholm,
                "amount_granted": row["amount"],
                "summary": row["summary"],
                "planned_participants": row.get("participants"),
                "status": Project.Status.GRANTED,
                "decision_date": d("2019-12-05"),
            },
        )
        if created:
            project.counties.add(stockholm_county)
            project.partners.add(*(get_or_create_organisation(n, sector=s)[0] for n, s in row["partners"]))

    oms = ProgrammeRegion.objects.get(code="SE12")
    for fund_code, name, (owner, sector), start, end, eu, total, counties in OMS_FLAGSHIPS:
        applicant, _ = get_or_create_organisation(owner, sector=sector)
        project, created = Project.objects.get_or_create(  # loaded once: a second run writes nothing
            source="demo",
            source_id=f"oms-flagship-{name}",
            defaults={
                "name": name,
                "applicant": applicant,
                "fund": Fund.objects.get(code=fund_code),
                "period": period,
                "programme_region": oms,
                "flagship": True,
                "status": Project.Status.COMPLETED,
                "start_date": d(f"{start}-01-01"),
                "end_date": d(f"{end}-12-31"),
                "amount_granted": eu,
                "total_cost": total,
            },
        )
        if created:
            project.counties.set(County.objects.filter(code__in=counties))
