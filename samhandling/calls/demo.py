"""Demo: the call plan for 2026 and the three calls whose orientation minutes 1/2026 approved (§ 8 and § 9).

The calls are left approved, not open: opening reserves their amounts in the ledger, which a user does from
the call's page. Amounts for ESF+ 2026:2 are not in the minutes; the demo uses 15 mnkr per programme area.
"""

from decimal import Decimal

from samhandling.core.dates import d
from samhandling.partnership.models import Item
from samhandling.partnership.selectors import current_partnership
from samhandling.programmes.models import Fund, ProgrammePeriod, SpecificObjective

from .models import Call, CallObjective, CallPlan, PartnershipMode

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

CALLS = [
    # fund, year, number, title, opens, closes, minutes §, rules, objectives
    (
        "ERUF",
        2026,
        2,
        "Industriell kapacitet för försvarsförmåga",
        "2026-02-19",
        "2026-03-31",
        8,
        {},
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
        {"conditions": "Målen 1.1 och 1.3 utlyses inte om utlysning 2026:1 förbrukar målens medel."},
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
        "Förstudier inom kompetensutveckling och inträde på arbetsmarknaden",
        "2026-03-02",
        "2026-04-15",
        9,
        {
            "max_support": Decimal("1004400"),
            "cofinancing_share": Decimal("0.46"),
            "pre_study": True,
            "simplified_reporting": True,
        },
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
                ["Förstudie inför ansökan om genomförandeprojekt"],
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
                ["Förstudie inför ansökan om genomförandeprojekt"],
                False,
            ),
        ],
    ),
]


def _item(number: int):
    return Item.objects.filter(meeting__year=2026, meeting__number=1, number=number).first()


def load():
    partnership = current_partnership()
    for start, mode in [
        (2014, PartnershipMode.Mode.BINDING_PRIORITISATION),
        (2021, PartnershipMode.Mode.CALL_ORIENTATION),
    ]:
        PartnershipMode.objects.get_or_create(
            partnership=partnership, period=ProgrammePeriod.objects.get(start_year=start), defaults={"mode": mode}
        )
    for fund_code, year, number, title, opens, closes, paragraph, rules, objectives in CALLS:
        fund = Fund.objects.get(code=fund_code)
        item = _item(paragraph)
        call, created = Call.objects.get_or_create(
            fund=fund,
            year=year,
            number=number,
            defaults={
                "title": title,
                "opens_on": d(opens),
                "closes_on": d(closes),
                "status": Call.Status.APPROVED,
                "orientation": title,
                "approved_at": item,
                "partnership_views": "Partnerskapet instämmer i förvaltande myndighetens förslag.",
                **rules,
            },
        )
        if item and call.approved_at_id is None:
            call.approved_at = item
            call.save()
        plan, _ = CallPlan.objects.get_or_create(
            partnership=partnership, fund=fund, year=year, version=1, defaults={"agreed_at": item}
        )
        earlier = Call.objects.filter(fund=fund, year=year, number=number - 1).first()
        for code, amount, recommendation, focus, types, conditional in objectives:
            objective = SpecificObjective.objects.get(fund=fund, code=code, programme__period__start_year=2021)
            CallObjective.objects.get_or_create(
                call=call,
                objective=objective,
                defaults={
                    "amount": amount,
                    "recommendation": recommendation,
                    "focus_areas": "\n".join(focus),
                    "intervention_types": "\n".join(types),
                    "not_held_if_exhausted_by": earlier if conditional else None,
                },
            )
            plan.entries.get_or_create(
                number=number,
                objective=objective,
                defaults={"amount": amount, "opens_on": d(opens), "closes_on": d(closes)},
            )
