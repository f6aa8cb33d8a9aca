"""Demo: smart-specialisation areas (Stockholm and ÖMS) and portfolio themes with seed word lists."""

from samhandling.partnership.demo import OMS_NAME
from samhandling.partnership.models import Partnership

from .models import SmartSpecialisationArea, Theme

ORDER = 40

AREAS = {
    "Stockholm": {
        "IKT, tech och digitalisering": "ikt\ndigitalisering\ndigital\nmjukvara\nai\nartificiell intelligens\n"
        "data\nbredband\nteknik",
        "Life Science": "life science\nhälsa\nvård\nmedicin\nläkemedel\nmedicinteknik\nbioteknik\nhälsodata",
        "Hållbar produktion": "produktion\ntillverkning\nindustri\nresurseffektiv\nmaterial\ncirkulär",
        "Hållbar stadsutveckling": "stadsutveckling\nstad\nbyggande\nbostäder\ntransporter\nenergieffektiv\nklimat",
    },
    "Östra Mellansverige (ÖMS)": {
        "Energi": "energi\nförnybar\nenergilösningar\nsol\nvind\nbiogas",
        "Smart industri": "industri\nautomation\nindustri 4.0\ntillverkning\nsmart industri",
        "Livsmedel": "livsmedel\nmat\njordbruk\nlantbruk\nlivsmedelsförädling",
        "Life Science": "life science\nhälsa\nvård\nmedicin\nbioteknik",
    },
}

THEMES = {
    "Internationalisering": "internationalisering\nexport\ninternationell\nutlandet\nglobala marknader",
    "Tillgång till finansiering": "finansiering\nriskkapital\nkapitalförsörjning\ninvestering\nlån\nfond",
    "Offentlig upphandling": "upphandling\ninnovationsupphandling\nupphandlare",
    "Industriell symbios": "industriell symbios\nsymbios\nrestflöden\nsidoströmmar",
    "Digitalisering": "digitalisering\ndigital\ne-tjänster\nai",
    "Kompetensförsörjning": "kompetens\nkompetensutveckling\nutbildning\nkompetensförsörjning\nlärande",
    "Integration": "integration\nnyanlända\nutrikes födda\netablering\nsvenska för invandrare",
    "Beredskap och dubbla användningsområden": "försvar\nberedskap\ncybersäkerhet\ndubbelanvändning\nresiliens",
}


THEME_NAMES_EN = {  # shown in the English interface
    "Internationalisering": "Internationalisation",
    "Tillgång till finansiering": "Access to finance",
    "Offentlig upphandling": "Public procurement",
    "Industriell symbios": "Industrial symbiosis",
    "Digitalisering": "Digitalisation",
    "Kompetensförsörjning": "Skills supply",
    "Integration": "Integration",
    "Beredskap och dubbla användningsområden": "Preparedness and dual use",
}


PARTNERSHIPS = {"Stockholm": "Strategiska partnerskapet Stockholm", "Östra Mellansverige (ÖMS)": OMS_NAME}


def load():
    for strategy, areas in AREAS.items():
        partnership = Partnership.objects.get(name=PARTNERSHIPS[strategy])  # each strategy is one partnership's
        for name, words in areas.items():
            SmartSpecialisationArea.objects.update_or_create(
                strategy=strategy,
                name=name,
                defaults={"partnership": partnership},
                create_defaults={"keywords": words, "partnership": partnership},
            )
    for name, words in THEMES.items():
        Theme.objects.get_or_create(name=name, defaults={"keywords": words, "name_en": THEME_NAMES_EN.get(name, "")})
