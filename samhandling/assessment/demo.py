"""Demo: the five regional selection criteria of the Stockholm partnership and their sub-aspects."""

from samhandling.partnership.selectors import current_partnership

from .models import SelectionCriterion, SubAspect

ORDER = 30

CRITERION_NAMES_EN = {  # shown in the English interface
    "Relevans för huvudstadsregionens särskilda utmaningar": "Relevance to the capital region's particular challenges",
    "Mervärde och relevans för målgruppen": "Added value and relevance for the target group",
    "Aktörer och samverkan": "Actors and cooperation",
    "Horisontella kriterier och hållbarhetsdimensioner": "Horizontal criteria and dimensions of sustainability",
    "Organisation och genomförbarhet": "Organisation and feasibility",
}

CRITERIA = [
    (
        "Relevans för huvudstadsregionens särskilda utmaningar",
        [
            "Koppling till regionala utmaningar och strategier",
            "Koppling till regionens styrkeområden",
            "Hållbar stadsutveckling",
            "Inomregionala skillnader",
        ],
    ),
    (
        "Mervärde och relevans för målgruppen",
        [
            "Tidigare erfarenheter och ordinarie strukturer",
            "Målgruppsanalys",
            "Förutsättningar för resultat och effekter",
            "Utvärderingsbarhet för lärande",
            "Konkurrensneutralitet",
        ],
    ),
    (
        "Aktörer och samverkan",
        [
            "Sektorsövergripande ansats",
            "Kompetens hos projektägare och deltagande aktörer",
            "Tidigare samarbeten och förstudier",
            "Koppling till andra EU-program och regionala initiativ",
        ],
    ),
    (
        "Horisontella kriterier och hållbarhetsdimensioner",
        [
            "Integrering i problembeskrivning och genomförandeplan",
            "Påverkan på jämställdhet, icke-diskriminering och tillgänglighet",
            "Ekologisk, ekonomisk och social hållbarhet",
            "Projektägarens kompetens inom området",
        ],
    ),
    (
        "Organisation och genomförbarhet",
        [
            "Organisatorisk kapacitet",
            "Regional förankring och förankring bland projektparter",
            "Förutsättningar för nyttiggörande och långsiktig implementering",
        ],
    ),
]


def load():
    partnership = current_partnership()
    for number, (name, aspects) in enumerate(CRITERIA, start=1):
        criterion, _ = SelectionCriterion.objects.get_or_create(
            partnership=partnership, number=number, defaults={"name": name, "name_en": CRITERION_NAMES_EN.get(name, "")}
        )
        for order, text in enumerate(aspects, start=1):
            SubAspect.objects.get_or_create(criterion=criterion, order=order, defaults={"text": text})
