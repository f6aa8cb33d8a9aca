"""Demo: Strategiska partnerskapet Stockholm with its members and substitutes as of minutes 1/2026."""

from samhandling.projects.models import Organisation, ProgrammeRegion
from samhandling.projects.services import get_or_create_organisation

from .models import Membership, Partnership, Person

ORDER = 20
S = Organisation.Sector

ORGANISATIONS = {
    # name: (sector, organisation number or "")
    "Region Stockholm": (S.REGION, "232100-0016"),
    "Region Stockholms förvaltning": (S.REGION, ""),
    "Stockholms stad": (S.MUNICIPALITY, "212000-0142"),
    "Storsthlm": (S.MUNICIPALITY, ""),
    "Almega": (S.BUSINESS_ORGANISATION, ""),
    "Fremia": (S.BUSINESS_ORGANISATION, ""),
    "TCO Stockholm": (S.LABOUR_MARKET_ORGANISATION, ""),
    "LO Stockholms län": (S.LABOUR_MARKET_ORGANISATION, ""),
    "Länsstyrelsen Stockholm": (S.STATE_AGENCY, "202100-0068"),
    "Försäkringskassan": (S.STATE_AGENCY, "202100-5521"),
    "Arbetsförmedlingen": (S.STATE_AGENCY, "202100-2114"),
    "Företagarna i Stockholms län": (S.BUSINESS_ORGANISATION, ""),
    "Coompanion Stockholm": (S.CIVIL_SOCIETY, ""),
    "Karolinska Institutet": (S.UNIVERSITY, "202100-2973"),
    "Södertörns högskola": (S.UNIVERSITY, "202100-4896"),
    "Stockholms Business Region AB": (S.COMPANY, ""),
    "Stockholms läns bildningsförbund": (S.CIVIL_SOCIETY, ""),
}

GROUPS = {
    "Region Stockholm": "Region Stockholm",
    "Stockholms stad": "Kommunerna",
    "Storsthlm": "Kommunerna",
    "Almega": "Arbetsmarknadens organisationer",
    "Fremia": "Arbetsmarknadens organisationer",
    "TCO Stockholm": "Arbetsmarknadens organisationer",
    "LO Stockholms län": "Arbetsmarknadens organisationer",
    "Företagarna i Stockholms län": "Näringsliv",
    "Stockholms Business Region AB": "Näringsliv",
    "Region Stockholms förvaltning": "Offentlig förvaltning och myndigheter",
    "Länsstyrelsen Stockholm": "Offentlig förvaltning och myndigheter",
    "Försäkringskassan": "Offentlig förvaltning och myndigheter",
    "Arbetsförmedlingen": "Offentlig förvaltning och myndigheter",
    "Karolinska Institutet": "Akademi",
    "Södertörns högskola": "Akademi",
    "Coompanion Stockholm": "Civilsamhället",
    "Stockholms läns bildningsförbund": "Civilsamhället",
}

C, M, SUB, CO = (Membership.Role.CHAIR, Membership.Role.MEMBER, Membership.Role.SUBSTITUTE, Membership.Role.CO_OPTED)

# name, role, party, organisation, detail
MEMBERS = [
    ("Michaela Haga", C, "c", "Region Stockholm", ""),
    ("Andreas Birgersson", M, "sd", "Region Stockholm", ""),
    ("Harry Bouveng", M, "m", "Region Stockholm", ""),
    ("Mikael Igelström", M, "m", "Region Stockholm", ""),
    ("Bekir Uzunel", M, "v", "Region Stockholm", ""),
    ("Meeri Wasberg", M, "s", "Region Stockholm", ""),
    ("Viktor Morawski", M, "mp", "Region Stockholm", ""),
    ("Arvid Vikman Rindevall", M, "s", "Stockholms stad", ""),
    ("Johan Paccamonti", M, "m", "Stockholms stad", ""),
    ("Arion Chryssafis", M, "m", "Storsthlm", "Solna stad"),
    ("Christina Tufvesson", M, "l", "Storsthlm", "Stockholms stad"),
    ("Christopher Lindvall", M, "s", "Storsthlm", "Järfälla kommun"),
    ("Daniel Forslund", M, "", "Almega", "Vårdföretagarna"),
    ("Jan Edén", M, "", "Fremia", ""),
    ("Svante Holm", M, "", "TCO Stockholm", ""),
    ("Carl Stern", M, "", "LO Stockholms län", "IF Metall"),
    ("Anna Conzen", M, "", "Länsstyrelsen Stockholm", ""),
    ("Jonatan Lindstrand", M, "", "Försäkringskassan", ""),
    ("Feryan Deniz", M, "", "Arbetsförmedlingen", ""),
    ("Anton Västberg", M, "", "Region Stockholms förvaltning", ""),
    ("Yvonne Achrelius", M, "", "Företagarna i Stockholms län", ""),
    ("Karin Dahlman-Wright", M, "", "Karolinska Institutet", ""),
    ("Maria Aziz", M, "", "Coompanion Stockholm", ""),
    ("Märta Martin-Granlund", CO, "c", "Region Stockholm", ""),
    ("Andrea Irving", SUB, "mp", "Region Stockholm", ""),
    ("Farzana Khan", SUB, "m", "Region Stockholm", ""),
    ("Håkan Lindberg", SUB, "s", "Region Stockholm", ""),
    ("Jens Davidson", SUB, "kd", "Region Stockholm", ""),
    ("Pär Gustavsson", SUB, "sd", "Region Stockholm", ""),
    ("Rodrigo Arce Oliver", SUB, "v", "Region Stockholm", ""),
    ("Peter Lowe", SUB, "c", "Stockholms stad", ""),
    ("Deniz Butros", SUB, "v", "Stockholms stad", ""),
    ("Johannes Nathell", SUB, "", "Almega", ""),
    ("Patrik Schröder", SUB, "", "Fremia", ""),
    ("Karin Åkersten", SUB, "", "LO Stockholms län", ""),
    ("Maria Nilsson", SUB, "", "TCO Stockholm", ""),
    ("Sofia Kamps", SUB, "", "Region Stockholms förvaltning", ""),
    ("Nils Ekedahl", SUB, "", "Södertörns högskola", ""),
    ("Andreas Fogelqvist", SUB, "", "Stockholms Business Region AB", ""),
    ("Alexander Saucedo", SUB, "", "Arbetsförmedlingen", ""),
    ("Pernilla Ek", SUB, "", "Länsstyrelsen Stockholm", ""),
    ("Karin Jacobson", SUB, "", "Stockholms läns bildningsförbund", ""),
]


# Everyone gets a demo address (access.demo.EMAIL_DOMAIN, a domain that never delivers) except these, so the
# demo's notice shows how the page names people without an address. The address follows the seat in the roster,
# never the person's name: the demo invents no contact data for the real people named in the minutes.
WITHOUT_EMAIL = {"Pernilla Ek", "Karin Jacobson"}


def demo_email(name: str, seat: int) -> str:
    from samhandling.access.demo import EMAIL_DOMAIN

    return "" if name in WITHOUT_EMAIL else f"ledamot{seat:02d}@{EMAIL_DOMAIN}"


def organisations() -> dict[str, Organisation]:
    orgs = {}
    for name, (sector, number) in ORGANISATIONS.items():
        orgs[name], _ = get_or_create_organisation(name, org_number=number, sector=sector)
    return orgs


OMS_NAME = "Strukturfondspartnerskapet Östra Mellansverige"


def load():
    orgs = organisations()
    partnership, _ = Partnership.objects.get_or_create(
        name="Strategiska partnerskapet Stockholm",
        defaults={"programme_region": ProgrammeRegion.objects.get(code="SE11"), "slug": "stockholm"},
    )
    # A second partnership in the same installation, under /oms/: its flagship projects, smart-specialisation
    # areas and maturity evaluations come with the projects' and the portfolio's demo.
    Partnership.objects.get_or_create(
        name=OMS_NAME,
        defaults={
            "programme_region": ProgrammeRegion.objects.get(code="SE12"),
            "slug": "oms",
            "description": "Uppsala, Södermanlands, Östergötlands, Örebro och Västmanlands län.",
        },
    )
    for order, (name, role, party, org, detail) in enumerate(MEMBERS, start=1):
        person, _ = Person.objects.get_or_create(name=name, defaults={"email": demo_email(name, order)})
        Membership.objects.get_or_create(
            partnership=partnership,
            person=person,
            role=role,
            defaults={
                "organisation": orgs[org],
                "organisation_detail": detail,
                "party": party,
                "group": GROUPS[org],
                "order": order,
            },
        )
