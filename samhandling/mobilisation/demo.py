"""Demo: project ideas, a transnational partner search and the secretariat's meetings before the 2026 calls.

The ideas and texts are written for the demo; the calls they point at are those of minutes 1/2026.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

from samhandling.calls.models import Call
from samhandling.core.dates import d
from samhandling.portfolio.models import SmartSpecialisationArea, Theme
from samhandling.projects.models import County, Organisation
from samhandling.projects.services import get_or_create_organisation

from .models import InformationMeeting, PartnerSearchNotice, ProjectIdea

ORDER = 95
S = Organisation.Sector
STOCKHOLM = ZoneInfo("Europe/Stockholm")

IDEAS = [
    {
        "title": "Cybersäkerhet och beredskap hos små leverantörer",
        "organisation": ("Region Stockholm", S.REGION),
        "description": "Små och medelstora företag som levererar till vård, energi och transporter får stöd att "
        "kartlägga sina sårbarheter, pröva lösningar i en testbädd och höja kompetensen i "
        "cybersäkerhet och robust kommunikation, tillsammans med högskolor i Östersjöregionen.",
        "themes": ["Beredskap och dubbla användningsområden", "Kompetensförsörjning"],
        "areas": ["IKT, tech och digitalisering"],
        "target_groups": "Små och medelstora företag, deras medarbetare och chefer",
        "budget": (5_000_000, 12_000_000),
        "sectors": [S.UNIVERSITY, S.COMPANY],
        "countries": ["FI", "EE"],
        "competence": "Testmiljöer för säkerhetsklassad teknik; utbildning i informationssäkerhet",
        "transnational": True,
        "public": True,
    },
    {
        "title": "Från samhällsvård till studier och arbete",
        "organisation": ("SOS Barnbyar", S.CIVIL_SOCIETY),
        "description": "Unga som lämnar samhällsvård får en mentor och ett samordnat stöd från skola, socialtjänst "
        "och arbetsgivare så att fler fullföljer gymnasiet och får ett första arbete.",
        "themes": ["Integration", "Kompetensförsörjning"],
        "areas": [],
        "target_groups": "Unga 16–23 år som lämnar samhällsvård",
        "budget": (800_000, 1_004_400),
        "sectors": [S.MUNICIPALITY],
        "countries": [],
        "competence": "Socialtjänst och skola i länets kommuner",
        "transnational": False,
        "public": False,
    },
    {
        "title": "Industriell symbios och cirkulär upphandling i södra länet",
        "organisation": ("Region Stockholm", S.REGION),
        "description": "Företag i ett industriområde delar restflöden av material och energi, och kommunerna "
        "ställer cirkulära krav i offentlig upphandling. Utsläppsminskningen mäts mot en baslinje.",
        "themes": ["Industriell symbios", "Offentlig upphandling"],
        "areas": ["Hållbar produktion"],
        "target_groups": "Tillverkande företag, kommunernas upphandlare",
        "budget": (4_000_000, 8_000_000),
        "sectors": [S.MUNICIPALITY, S.COMPANY],
        "countries": ["DK", "DE"],
        "competence": "Erfarenhet av industriell symbios",
        "transnational": True,
        "public": True,
    },
]

MEETINGS = [
    # title, kind, start, place, (fund, year, number) of the call
    (
        "Informationsmöte inför ESF+ 2026:2 – förstudier",
        InformationMeeting.Kind.INFORMATION,
        "2026-02-24 13:00",
        "Digitalt möte",
        ("ESF+", 2026, 2),
    ),
    (
        "Workshop: cirkulär ekonomi och industriell symbios inför ERUF 2026:3",
        InformationMeeting.Kind.WORKSHOP,
        "2026-06-10 09:00",
        "Regionens hus, Stockholm",
        ("ERUF", 2026, 3),
    ),
    (
        "Informationsmöte: utlysningsplanen för 2027",
        InformationMeeting.Kind.INFORMATION,
        "2027-01-20 10:00",
        "Digitalt möte",
        None,
    ),
]


def _call(key):
    if key is None:
        return None
    fund, year, number = key
    return Call.objects.filter(fund__code=fund, year=year, number=number).first()


def load():
    for spec in IDEAS:
        organisation, _ = get_or_create_organisation(spec["organisation"][0], sector=spec["organisation"][1])
        low, high = spec["budget"]
        idea, created = ProjectIdea.objects.get_or_create(
            title=spec["title"],
            organisation=organisation,
            defaults={
                "description": spec["description"],
                "target_groups": spec["target_groups"],
                "budget_min": low,
                "budget_max": high,
                "partner_sectors": list(spec["sectors"]),
                "partner_countries": spec["countries"],
                "partner_competence": spec["competence"],
                "seeks_transnational": spec["transnational"],
                "is_public": spec["public"],
            },
        )
        if created:
            idea.themes.set(Theme.objects.filter(name__in=spec["themes"]))
            idea.areas.set(SmartSpecialisationArea.objects.filter(strategy="Stockholm", name__in=spec["areas"]))
            idea.counties.set(County.objects.filter(code="01"))
    idea = ProjectIdea.objects.get(title=IDEAS[0]["title"])
    title = "Högskola i Estland eller Finland för testbädd i cybersäkerhet"
    PartnerSearchNotice.objects.get_or_create(
        title=title,
        defaults={
            "organisation": idea.organisation,
            "idea": idea,
            "description": "Vi söker en högskola som kan ansvara för testmiljö och utbildningsmoduler i ett projekt "
            "om cybersäkerhet hos små leverantörer.",
            "theme": Theme.objects.get(name="Beredskap och dubbla användningsområden"),
            "country": "EE",
            "role_sought": PartnerSearchNotice.Role.PARTNER,
            "deadline": d("2027-03-31"),
            "contact_email": settings.DEFAULT_FROM_EMAIL,
        },
    )
    for title, kind, start, place, call in MEETINGS:
        day, clock = start.split()
        starts_at = datetime.combine(d(day), time.fromisoformat(clock), tzinfo=STOCKHOLM)
        InformationMeeting.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "starts_at": starts_at,
                "place": place,
                "call": _call(call),
                "capacity": 80,
            },
        )
