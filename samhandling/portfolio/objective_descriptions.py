"""What each thematic objective of the 2014–2020 ERDF programmes covers, close to the regulation's wording.

Paraphrased in Swedish from the investment priorities of Regulation (EU) No 1301/2013 (ERDF), Article 5, and
the technical assistance of Regulation (EU) No 1303/2013, Article 59 — public legal text, not project data.
The classifier adds each description as one weighted training row of its objective (classification.py):
prior knowledge of what an objective means, which the 244 labelled projects state only implicitly. Keys are
the labels exactly as the training file spells them (a test checks that they still match).
"""

DESCRIPTIONS = {
    "Att stärka forskning, teknisk utveckling och innovation": (
        "Att stärka forskning, teknisk utveckling och innovation. Förbättra infrastrukturen för forskning och "
        "innovation och kapaciteten att utveckla spetskompetens inom forskning och innovation samt främja "
        "kompetenscentrum. Främja företagens investeringar i forskning och innovation, utveckla kopplingar och "
        "synergier mellan företag, forsknings- och utvecklingscentrum och högre utbildning, främja investeringar "
        "i produkt- och tjänsteutveckling, tekniköverföring, social innovation, miljöinnovation, offentliga "
        "tjänstetillämpningar, efterfrågestimulering, nätverk, kluster och öppen innovation genom smart "
        "specialisering samt stödja teknisk och tillämpad forskning, pilotprojekt, tidiga "
        "produktvalideringsåtgärder, avancerad tillverkningskapacitet och första produktion, särskilt i fråga om "
        "viktig möjliggörande teknik och spridning av teknik för allmänna ändamål."
    ),
    "Att öka tillgången till, användningen av och kvaliteten på IKT": (
        "Att öka tillgången till, användningen av och kvaliteten på informations- och kommunikationsteknik (IKT). "
        "Utvidga bredbandsutbyggnaden och utbyggnaden av höghastighetsnät och stödja införandet av ny teknik och "
        "nya nätverk för den digitala ekonomin. Utveckla IKT-produkter och IKT-tjänster, e-handel och öka "
        "efterfrågan på IKT. Stärka IKT-tillämpningar för e-förvaltning, e-lärande, e-integration, e-kultur och "
        "e-hälsa."
    ),
    "Att öka konkurrenskraften hos SMF, inom jordbruket (för Ejflu) samt inom fiske och vattenbruk (för EHFF)": (
        "Att öka konkurrenskraften hos små och medelstora företag. Främja entreprenörskap, särskilt genom att "
        "underlätta det ekonomiska utnyttjandet av nya idéer och främja skapandet av nya företag, inbegripet "
        "genom företagskuvöser. Utveckla och genomföra nya affärsmodeller för små och medelstora företag, "
        "särskilt för internationalisering. Stödja skapandet och utvidgningen av avancerad kapacitet för produkt- "
        "och tjänsteutveckling. Stödja små och medelstora företags kapacitet att växa på regionala, nationella "
        "och internationella marknader och delta i innovationsprocesser."
    ),
    "Att stödja övergången till en koldioxidsnål ekonomi inom alla sektorer": (
        "Att stödja övergången till en koldioxidsnål ekonomi inom alla sektorer. Främja produktion och "
        "distribution av energi från förnybara energikällor. Främja energieffektivitet och användning av förnybar "
        "energi i företag. Stödja energieffektivitet, smart energihantering och användning av förnybar energi i "
        "offentlig infrastruktur, inbegripet i offentliga byggnader och i bostadssektorn. Utveckla och genomföra "
        "smarta distributionssystem som drivs vid låga och medelhöga spänningsnivåer. Främja strategier för "
        "koldioxidsnåla lösningar för alla typer av områden, särskilt stadsområden, inbegripet främjande av "
        "hållbar multimodal rörlighet i städer och relevanta åtgärder för begränsning och anpassning. Främja "
        "forskning och innovation inom samt användning av koldioxidsnål teknik. Främja användning av högeffektiv "
        "kraftvärme."
    ),
    "Att främja hållbara transporter och få bort flaskhalsar i viktig nätinfrastruktur": (
        "Att främja hållbara transporter och få bort flaskhalsar i viktig nätinfrastruktur. Stödja ett "
        "multimodalt gemensamt europeiskt transportområde genom investeringar i det transeuropeiska "
        "transportnätet. Förbättra den regionala rörligheten genom att ansluta sekundära och tertiära knutpunkter "
        "till TEN-T-infrastruktur, inbegripet multimodala knutpunkter. Utveckla och förbättra miljövänliga "
        "transportsystem med låga koldioxidutsläpp, inbegripet inlandsvattenvägar och sjötransport, hamnar, "
        "multimodala förbindelser och flygplatsinfrastruktur. Utveckla och återupprätta heltäckande, "
        "högkvalitativa och interoperabla järnvägssystem."
    ),
    "Tekniskt stöd": (
        "Tekniskt stöd. Förberedelse, genomförande, förvaltning, övervakning, utvärdering, information och "
        "kommunikation, nätverksarbete, hantering av klagomål, kontroll och revision av programmet. Stärka den "
        "förvaltande myndighetens och stödmottagarnas administrativa kapacitet att förvalta och använda fonderna."
    ),
}
