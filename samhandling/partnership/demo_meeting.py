"""Demo: meeting 1/2026 of 19 February 2026, entered through the services as the secretariat would.

Facts (attendance, titles, figures, dates) follow minutes 1/2026; the prose of matters and decisions is our own.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from . import services
from .models import Meeting, MeetingParticipant, Membership, Partnership, Person

ORDER = 60
TZ = ZoneInfo("Europe/Stockholm")
P = MeetingParticipant.Kind

ABSENT_MEMBERS = {
    "Bekir Uzunel",
    "Meeri Wasberg",
    "Viktor Morawski",
    "Johan Paccamonti",
    "Carl Stern",
    "Feryan Deniz",
    "Anton Västberg",
    "Karin Dahlman-Wright",
    "Märta Martin-Granlund",
}
UNTIL = {"Arvid Vikman Rindevall": 8, "Jan Edén": 9, "Karin Åkersten": 9}
# serving substitute: the absent member whose seat they take (same organisation first, then the same group)
SERVING = {
    "Andrea Irving": "Viktor Morawski",
    "Håkan Lindberg": "Meeri Wasberg",
    "Jens Davidson": "Bekir Uzunel",
    "Peter Lowe": "Johan Paccamonti",
    "Karin Åkersten": "Carl Stern",
    "Sofia Kamps": "Anton Västberg",
    "Nils Ekedahl": "Karin Dahlman-Wright",
}
PRESENT_SUBSTITUTES = set(SERVING) | {
    "Farzana Khan",
    "Pär Gustavsson",
    "Johannes Nathell",
    "Maria Nilsson",
    "Andreas Fogelqvist",
}

PARTICIPANTS = [
    (P.SECRETARIAT, "Evert Kroes", "Huvudsekreterare", ""),
    (P.MANAGING_AUTHORITY, "Lisa Kareliusson", "", "Tillväxtverket"),
    (P.MANAGING_AUTHORITY, "Louise Andersson", "", "Svenska ESF-rådet"),
    (P.PREPARATION_GROUP, "Alvin Planman", "", "Region Stockholm"),
    (P.PREPARATION_GROUP, "Kristoffer Odstam", "", "Region Stockholm"),
    (P.PREPARATION_GROUP, "Anna Brunzell", "", "Stockholms stad"),
    (P.PREPARATION_GROUP, "Annika Rosbring", "", "Stockholms stad"),
    (P.PREPARATION_GROUP, "David Norman", "", "Storsthlm"),
    (P.PREPARATION_GROUP, "Micaela Tonndorf", "", "LST"),
    (P.PREPARATION_GROUP, "Angelica Gabrielsson", "", "FK"),
    (P.GUEST, "Johan Weigelt", "", "Trio Impact Invest"),
    (P.GUEST, "Sebastian Meijer", "", "Health Data Sweden"),
    (P.GUEST, "Frida Lindberg", "", "Health Data Sweden"),
]

DECIDES = "Strategiska partnerskapet Stockholm beslutar följande."

# title, presenter, matter, decision points (own words)
MATTERS = [
    (
        "Trio Impact Invest AB:s projekt riskkapital inom ERUF",
        "Johan Weigelt",
        "Johan Weigelt, vd för Karolinska Institutet Holding AB och styrelseledamot i Trio Impact Invest, berättar om "
        "bolagets regionala riskkapital till deep tech-företag. En del av verksamheten finansieras genom "
        "Stockholmsregionens regionalfondsprogram (ERUF).",
        [],
    ),
    (
        "Information från ordföranden och huvudsekreteraren",
        "",
        "Ordföranden redogör för partnerskapsordförandenas möten den 22 januari 2026 med generaldirektörerna för "
        "Svenska "
        "ESF-rådet (Mikael Sandström) och Tillväxtverket (Elisabeth Backteman). Samtliga strategiska partnerskap är i "
        "gång "
        "och arbetsformerna har satt sig. En gemensam fråga är att de förvaltande myndigheterna använder "
        "partnerskapens och "
        "regionernas kunskap när inriktningar och utlysningsplaner tas fram.\n\n"
        "Med Svenska ESF-rådet var parterna eniga om att samverkan mellan partnerskap, regioner och förvaltande "
        "myndigheter "
        "behövs för regional förankring, och inför programperioden 2028–2034 för att undvika ett glapp mellan "
        "perioderna. "
        "Nationella projekts geografiska spridning bör redovisas i de regionala samverkansunderlagen.\n\n"
        "Med Tillväxtverket var parterna eniga om att samverkan behövs för att ERUF-medlen ska möta regionala behov. "
        "Ordförandena ska framöver träffa generaldirektörerna regelbundet, förslagsvis två gånger per år i samband med "
        "politikerforum för hållbar regional utveckling.",
        [],
    ),
    (
        "Arbetsordning",
        "Evert Kroes",
        "Enligt 2 kap. 14 § förordningen (2022:1379) om förvaltning av program för vissa EU-fonder ska ett strategiskt "
        "partnerskap arbeta enligt en arbetsordning som godkänns av övervakningskommittéerna för ESF+ och ERUF.\n\n"
        "Förslaget bygger på den gemensamma mall som huvudsekreterarna för de åtta partnerskapen har tagit fram, och "
        "har "
        "stämts av med Tillväxtverket, Svenska ESF-rådet och Region Stockholm. Partnerskapet antog arbetsordningen den "
        "11 december 2025 att gälla till detta sammanträde; ledamöternas ändringsförslag har sedan arbetats in.",
        [
            "Arbetsordningen för Strategiska partnerskapet Stockholm (RS 2025–0988) antas enligt huvudsekreterarens "
            "förslag "
            "och gäller tills vidare.",
            "Arbetsordningen lämnas till övervakningskommittéerna för ESF+ och för ERUF för godkännande.",
        ],
    ),
    (
        "Samverkan inriktning ERUF utlysning 2026:2 och 2026:3",
        "Lisa Kareliusson, Tillväxtverket",
        "Tillväxtverket föreslår inriktning för utlysningarna 2026:2 och 2026:3 i Stockholmsregionens "
        "regionalfondsprogram.\n\n"
        "Kvar att utlysa under 2021–2027 är 116,8 mnkr. Specifika målen 1.2 och 1.4 saknar medel. När kommissionen har "
        "godkänt det reviderade programmet tillkommer specifikt mål 1.7 (industriell kapacitet för försvarsförmåga och "
        "teknik med dubbla användningsområden) med 34,5 mnkr efter omfördelning.\n\n"
        "Portföljanalysen visar att beviljade projekt främst rör IKT och digitalisering; Life Science, hållbar "
        "produktion "
        "och hållbar stadsutveckling bör därför lyftas. För 1.1 efterfrågas samverkansstrukturer och kompetens i "
        "avancerad "
        "teknik, för 1.3 internationalisering och finansiering, för 2.6 upphandling och industriell symbios.\n\n"
        "Utlysning 2026:2 (mål 1.7) öppnar efter sammanträdet och stänger i mars 2026, med fokus bland annat på "
        "cybersäkerhet, materialteknik, klimatresiliens, livsmedelsberedskap och testbäddar, både som direkta insatser "
        "till små och medelstora företag och som stödstrukturer. Utlysning 2026:3 (mål 1.1, 1.3 och 2.6) öppnar i "
        "augusti "
        "och stänger i september 2026; 1.1 och 1.3 genomförs bara om medel återstår efter utlysning 2026:1.\n\n"
        "Partnerskapet ställer sig bakom Tillväxtverkets förslag.",
        [
            "Tillväxtverkets förslag till inriktning för ERUF-utlysningarna 2026:2 och 2026:3 godkänns med beaktande "
            "av "
            "partnerskapets synpunkter."
        ],
    ),
    (
        "Samverkan inriktning ESF+ utlysning 2026:2",
        "Louise Andersson, Svenska ESF-rådet",
        "Svenska ESF-rådet föreslår inriktning för utlysning 2026:2 i den regionala handlingsplanen för ESF+.\n\n"
        "Kvar att utlysa till periodens slut är 134 mnkr i programområde A.1 (kompetensutveckling för yrkesverksamma) "
        "och "
        "181 mnkr i A.2 (inträde på arbetsmarknaden). Projekten väntas nå programmets indikatorer, och flera "
        "förstudier har "
        "lett till ansökningar om genomförande, varav två redan är beviljade.\n\n"
        "A.1 ges en bred inriktning med fokus bland annat på krisberedskap (koppling till ERUF 1.7), den nya "
        "socialtjänstlagen, digitalisering, AI och STEM, äldre medarbetare, personer med funktionsnedsättning, "
        "klimatomställning (koppling till ERUF 2.6), karriärväxling och äldreomsorg. A.2 riktas till "
        "långtidsarbetslösa, "
        "arbetsgivarnas rekrytering, omställning, personer som lämnar kriminalitet och unga från 13 år som riskerar "
        "att inte fullfölja skolan.\n\n"
        "I båda programområdena utlyses förstudier med högst 1 004 400 kr i ESF-stöd, 46 % medfinansiering och enbart "
        "slutrapport.\n\nPartnerskapet ställer sig bakom Svenska ESF-rådets förslag.",
        [
            "Svenska ESF-rådets förslag till inriktning för ESF+-utlysning 2026:2 godkänns med beaktande av "
            "partnerskapets "
            "synpunkter."
        ],
    ),
    (
        "Uppföljning utfall beviljade projekt 2021–2025",
        "Evert Kroes",
        "Huvudsekreteraren redovisar utfallet för de ERUF- och ESF-projekt som beviljats 2021–2025. Rapporten "
        "publiceras "
        "på partnerskapets webbplats hos Region Stockholm.",
        [],
    ),
]

STANDARD_TEXT = {
    "opening": "Ordföranden Michaela Haga förklarar sammanträdet öppnat kl. 10:00. Sammanträdet hålls i samband med "
    "partnerskapets studiebesök hos ERUF-projektet Health Data Sweden.",
    "adjuster": "Daniel Forslund utses att justera protokollet tillsammans med ordföranden. Justering sker den "
    "26 februari 2026.",
    "agenda": "Huvudsekreteraren anmäler förberedelserna inför seminariet Spaning 2027 som övrig fråga. Dagordningen "
    "godkänns med detta tillägg.",
    "chair_decisions": "Ordförandens beslut om Region Stockholms ersättare och om Arbetsförmedlingens ledamot och "
    "ersättare (RS 2025-0988) anmäls och läggs till handlingarna.",
    "other": "Huvudsekreteraren visar ett första utkast till program för partnerskapets seminarium Spaning 2027, "
    "som hålls den 29 april 2026.",
    "closing": "Ordföranden Michaela Haga förklarar sammanträdet avslutat kl. 12:00.",
}

NOTE_HOLM = (
    "Utlysningsplanen för ESF-medlen tar upp många viktiga områden. Regionens största utmaning nu och framöver "
    "är att få tillgång till arbetskraft med rätt kompetens, och bristen väntas växa. Utlysningen bör därför "
    "betona arbetsmarknadens och näringslivets behov, både för anställda och för dem som står utanför "
    "arbetsmarknaden med kompetens som inte längre efterfrågas."
)


def at(day: date, hour=12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def load():
    partnership = Partnership.objects.get(name="Strategiska partnerskapet Stockholm")
    if Meeting.objects.filter(partnership=partnership, year=2026, number=1).exists():
        return
    people = {m.person.name: m for m in partnership.memberships.select_related("person")}
    secretary, _ = Person.objects.get_or_create(name="Evert Kroes")
    meeting = services.create_meeting(
        partnership,
        date=date(2026, 2, 19),
        number=1,
        start_time=time(10),
        end_time=time(12),
        registry_number="RS 2026–0070",
        place="KTH, Teknikringen 1, 114 28 Stockholm",
        room="Gradängsalen (en trappa upp)",
        chair=people["Michaela Haga"].person,
        secretary=secretary,
        adjustment_date=date(2026, 2, 26),
    )
    meeting.adjusters.add(people["Daniel Forslund"].person)
    items = {}
    for title, presenter, matter, _points in MATTERS:
        items[title] = services.add_item(meeting, title=title, presenter=presenter, matter=matter)
    for item in meeting.items.exclude(kind="matter"):
        item.matter = STANDARD_TEXT[item.kind]
        item.save()
    services.send_notice(meeting, at=at(date(2026, 2, 4), 9))
    services.set_status(meeting, Meeting.Status.HELD)

    for name, m in people.items():
        if m.role == Membership.Role.SUBSTITUTE and name not in PRESENT_SUBSTITUTES:
            services.record_attendance(meeting, m, present=False)
        elif m.role != Membership.Role.SUBSTITUTE:
            services.record_attendance(meeting, m, present=name not in ABSENT_MEMBERS, until_item=UNTIL.get(name))
    for name in sorted(PRESENT_SUBSTITUTES - set(SERVING)):
        services.record_attendance(meeting, people[name])
    for name, member in SERVING.items():
        services.record_attendance(meeting, people[name], until_item=UNTIL.get(name), serving_for=people[member])
    for kind, name, title, org in PARTICIPANTS:
        services.add_participant(meeting, kind=kind, name=name, title=title, organisation=org)

    for title, _presenter, _matter, points in MATTERS:
        if points:
            services.set_decision(items[title], points, intro=DECIDES)
    services.add_note(items["Samverkan inriktning ESF+ utlysning 2026:2"], people["Svante Holm"].person, NOTE_HOLM)

    services.set_status(meeting, Meeting.Status.MINUTES_DRAFTED)
    services.approve_minutes(meeting, people["Michaela Haga"].person, at=at(date(2026, 2, 26), 9))
    services.approve_minutes(meeting, people["Daniel Forslund"].person, at=at(date(2026, 2, 26), 11))
    services.publish(Meeting.objects.get(pk=meeting.pk))
