"""Demo: the call plan for 2026 and the calls whose orientation minutes 1/2026 approved (§ 8 and § 9).

As the minutes decided them: ERUF 2026:2 (objective 1.7); ERUF 2026:3, where objectives 1.1 and 1.3 are held
only if call 2026:1 leaves money (2.6 unconditionally); ESF+ 2026:2 with a broad strand per programme area
(A.1, A.2) and a pre-study strand per area (at most 1 004 400 kr ESF support, 46 % co-financing from the
project, simplified reporting, final report only). ERUF 2026:1 itself predates the minutes; it is shown closed,
waiting for its decision, which keeps 2026:3 conditional. Amounts per strand and for ESF+ are not in the
minutes; the demo uses 15 mnkr per programme area, 3 mnkr of it for pre-studies.

Where the minutes' dates have passed, the calls keep their length but move relative to today, so that
ERUF 2026:2 and ESF+ 2026:2 are open (opened through the call's state machine, which reserves their money)
and ERUF 2026:3 is upcoming.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from samhandling.core.dates import d
from samhandling.partnership.models import Item
from samhandling.partnership.selectors import current_partnership
from samhandling.programmes.models import Fund, ProgrammePeriod, SpecificObjective

from . import services
from .models import Call, CallObjective, CallPlan, CallStrand, PartnershipMode

ORDER = 70

FOCUS_1_7 = [
    "Cybersäkerhet och robusta kommunikationer",
    "Materialteknik och avancerad tillverkning",
    "Klimatanpassning och hållbar infrastruktur",
    "Livsmedelsberedskap och självförsörjning",
    "Testbäddar och demonstrationsmiljöer",
    "Samverkan och kunskapsöverföring mellan sektorer",
]
TYPES_1_7 = [
    "Direkta insatser till företag: investeringar i teknik med dubbla användningsområden",
    "Direkta insatser till företag: innovationscheckar för test, expertstöd och validering",
    "Direkta insatser till företag: rådgivning om regelverk, exportkontroll och säkerhetsklassning",
    "Direkta insatser till företag: kompetensinsatser för samverkan mellan företag, myndigheter och forskning",
    "Stödstrukturer: kartläggning av kapacitet och behov",
    "Stödstrukturer: test- och demonstrationsmiljöer för verifiering och certifiering",
    "Stödstrukturer: nätverk mellan civila innovationssystemet och försvarssektorn",
    "Stödstrukturer: stödsystem för självförsörjning, t.ex. energi och livsmedel",
    "Stödstrukturer: förberedande investeringar i långsiktig kapacitet",
]
STRUCTURES_1_1_1_3 = [
    "Stödjande strukturer: samverkansplattformar, testbäddar, tillgång till FoI-infrastruktur, kompetenshöjning",
    "Direkt stöd till företag kan förekomma",
]
FOCUS_1_1_1_3 = [
    "Testbäddar och piloter som öppnar forsknings- och innovationsinfrastruktur för små och medelstora företag",
    "Samverkansplattformar och tekniköverföring mellan företag, akademi och forskning",
    "Underrepresenterade styrkeområden: Life Science, hållbar produktion, hållbar stadsutveckling",
]

PRE_STUDY = {
    "kind": CallStrand.Kind.PRE_STUDY,
    "max_support": Decimal(1004400),
    "cofinancing_share": Decimal("0.46"),
    "simplified_reporting": True,
    "final_report_only": True,
    "amount": Decimal(3000000),
}
IMPLEMENTATION = {"kind": CallStrand.Kind.IMPLEMENTATION}

# fund, year, number: (name, rules, objective codes) per strand
STRANDS = {
    ("ERUF", 2026, 1): [("Genomförandeprojekt", IMPLEMENTATION, ["1.1", "1.3"])],
    ("ERUF", 2026, 2): [("Genomförandeprojekt", IMPLEMENTATION, ["1.7"])],
    ("ERUF", 2026, 3): [("Genomförandeprojekt", IMPLEMENTATION, ["1.1", "1.3", "2.6"])],
    ("ESF+", 2026, 2): [
        ("Genomförandeprojekt A.1", {**IMPLEMENTATION, "amount": Decimal(12000000)}, ["A.1"]),
        ("Genomförandeprojekt A.2", {**IMPLEMENTATION, "amount": Decimal(12000000)}, ["A.2"]),
        ("Förstudier A.1", PRE_STUDY, ["A.1"]),
        ("Förstudier A.2", PRE_STUDY, ["A.2"]),
    ],
}
# How a call whose dates have passed is placed relative to today: days from today to its opening, and status.
SHIFT = {
    ("ERUF", 2026, 1): (-100, Call.Status.CLOSED),
    ("ERUF", 2026, 2): (-14, Call.Status.OPEN),
    ("ERUF", 2026, 3): (45, Call.Status.APPROVED),
    ("ESF+", 2026, 2): (-14, Call.Status.OPEN),
}

CALLS = [
    # fund, year, number, title, opens, closes, minutes § (None: before the minutes), objectives
    (
        "ERUF",
        2026,
        1,
        "Forskning och innovation samt företagens konkurrenskraft",
        "2025-10-01",
        "2025-11-30",
        None,
        [
            ("1.1", 20_000_000, "", [], [], False),
            ("1.3", 20_000_000, "", [], [], False),
        ],
    ),
    (
        "ERUF",
        2026,
        2,
        "Industriell kapacitet för försvarsförmåga",
        "2026-02-19",
        "2026-03-31",
        8,
        [
            (
                "1.7",
                34_500_000,
                "Nytt mål efter omfördelning från 1.2 och 1.4; ingen portfölj ännu.",
                FOCUS_1_7,
                TYPES_1_7,
                False,
            ),
        ],
    ),
    (
        "ERUF",
        2026,
        3,
        "Forskning och innovation, företagens konkurrenskraft och cirkulär ekonomi",
        "2026-08-17",
        "2026-09-30",
        8,
        [
            (
                "1.1",
                30_000_000,
                "Portföljen har få projekt om samverkansstrukturer och kompetens inom avancerad teknik.",
                FOCUS_1_1_1_3,
                STRUCTURES_1_1_1_3,
                True,
            ),
            (
                "1.3",
                32_300_000,
                "Låg andel projekt om internationalisering och finansieringsmöjligheter; "
                "jämställdhetsintegrering krävs.",
                FOCUS_1_1_1_3,
                STRUCTURES_1_1_1_3,
                True,
            ),
            (
                "2.6",
                20_000_000,
                "Starkt inom bygg, svagt inom offentlig upphandling och industriell symbios.",
                [
                    "Mätbara utsläppsminskningar med baslinje och uppföljning",
                    "Upphandling som drivkraft för cirkularitet",
                    "Industriell symbios",
                    "Demonstratorer för energieffektivitet, materialbyte, livslängd och reparerbarhet",
                ],
                ["Främst stödjande strukturer, med företag i demonstration och genomförande"],
                False,
            ),
        ],
    ),
    (
        "ESF+",
        2026,
        2,
        "Kompetensutveckling av yrkesverksamma och inträde på arbetsmarknaden, med förstudier",
        "2026-03-02",
        "2026-04-15",
        9,
        [
            (
                "A.1",
                15_000_000,
                "Bred inriktning.",
                [
                    "Krisberedskap (koppling till ERUF 1.7)",
                    "Den nya socialtjänstlagen",
                    "Digitalisering, AI och STEM",
                    "Längre arbetsliv för seniora medarbetare",
                    "Personer med funktionsnedsättning i arbetslivet",
                    "Hållbarhet och cirkularitet (koppling till ERUF 2.6)",
                    "Karriärväxling mot bristyrken",
                    "Kompetens inom äldreomsorgen",
                ],
                ["Genomförandeprojekt", "Förstudie inför ansökan om genomförandeprojekt"],
                False,
            ),
            (
                "A.2",
                15_000_000,
                "Bred inriktning.",
                [
                    "Långtidsarbetslösas etablering: lärlingar, praktik, validering",
                    "Arbetsgivarperspektivet vid rekrytering",
                    "Omställning och omskolning för långtidsarbetslösa",
                    "Väg till arbete eller studier efter kriminalitet",
                    "Fullföljda studier för unga från 13 år",
                ],
                ["Genomförandeprojekt", "Förstudie inför ansökan om genomförandeprojekt"],
                False,
            ),
        ],
    ),
]
CONDITIONS = {("ERUF", 2026, 3): "Målen 1.1 och 1.3 utlyses bara om utlysning 2026:1 lämnar medel till dem."}


def _item(number):
    if number is None:
        return None
    return Item.objects.filter(meeting__year=2026, meeting__number=1, number=number).first()


def _window(key, opens: str, closes: str):
    """The minutes' dates, or, once they have passed, the same length placed relative to today."""
    start, end = d(opens), d(closes)
    today = timezone.localdate()
    if end >= today:
        return start, end
    start_after, _status = SHIFT[key]
    moved = today + timedelta(days=start_after)
    return moved, moved + (end - start)


def load():
    partnership = current_partnership()
    for start, mode in [
        (2014, PartnershipMode.Mode.BINDING_PRIORITISATION),
        (2021, PartnershipMode.Mode.CALL_ORIENTATION),
    ]:
        PartnershipMode.objects.get_or_create(
            partnership=partnership, period=ProgrammePeriod.objects.get(start_year=start), defaults={"mode": mode}
        )
    created_calls = []
    for fund_code, year, number, title, opens, closes, paragraph, objectives in CALLS:
        key = (fund_code, year, number)
        fund = Fund.objects.get(code=fund_code)
        item = _item(paragraph)
        opens_on, closes_on = _window(key, opens, closes)
        call, created = Call.objects.get_or_create(
            fund=fund,
            year=year,
            number=number,
            defaults={
                "title": title,
                "opens_on": opens_on,
                "closes_on": closes_on,
                # ERUF 2026:1 predates the demo's minutes: it is created as it stands, closed.
                "status": Call.Status.CLOSED if SHIFT[key][1] == Call.Status.CLOSED else Call.Status.APPROVED,
                "orientation": title,
                "approved_at": item,
                "conditions": CONDITIONS.get(key, ""),
                "partnership_views": "Partnerskapet instämmer i förvaltande myndighetens förslag." if item else "",
            },
        )
        plan, _ = CallPlan.objects.get_or_create(
            partnership=partnership,
            fund=fund,
            year=year,
            version=1,
            defaults={"agreed_at": _item(8 if fund_code == "ERUF" else 9)},
        )
        earlier = Call.objects.filter(fund=fund, year=year, number=1).first()
        objective_of = {}
        for code, amount, recommendation, focus, types, conditional in objectives:
            objective = SpecificObjective.objects.get(fund=fund, code=code, programme__period__start_year=2021)
            objective_of[code] = objective
            if created:
                CallObjective.objects.create(
                    call=call,
                    objective=objective,
                    amount=amount,
                    recommendation=recommendation,
                    focus_areas="\n".join(focus),
                    intervention_types="\n".join(types),
                    not_held_if_exhausted_by=earlier if conditional else None,
                )
            plan.entries.get_or_create(
                number=number,
                objective=objective,
                defaults={"amount": amount, "opens_on": opens_on, "closes_on": closes_on},
            )
        if created:
            for order, (name, rules, codes) in enumerate(STRANDS[key]):
                strand = CallStrand.objects.create(call=call, name=name, order=order, **rules)
                strand.objectives.set([objective_of[c] for c in codes])
            created_calls.append((key, call))
    for key, call in created_calls:
        _start_after, status = SHIFT[key]
        if status == Call.Status.OPEN and call.opens_on <= timezone.localdate() <= call.closes_on:
            services.change_status(call, Call.Status.OPEN)
