"""Realistic synthetic projects for benchmarks and load tests: `samhandling generate --projects N`.

Texts are drawn from the vocabulary of Tillväxtverket's real project bank (read from settings.SHARED_DIR
when it is there; a small built-in word list otherwise), with word frequencies kept, so search terms hit
as many projects as they would in real data. Geography, funds, periods and objectives are the real ones
in the database. Rows are written with bulk inserts, indexed and given facet rows in the same transaction.
"""

import json
import random
import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from django.conf import settings
from django.db import transaction

from samhandling.programmes.models import Fund, InterventionField, ProgrammePeriod, SpecificObjective
from samhandling.projects.models import County, Municipality, Organisation, Project, normalise_name

from samhandling.imports.bulk import BulkInserter, insert_links, page_cache
from samhandling.portfolio.textanalysis import analyse

from . import changes

SOURCE = "generated"
SE_FILE = "data/open/se-tillvaxtverket-eruf-2014-2020.json"
FALLBACK_WORDS = (
    "bredband digitalisering innovation företag kompetens kompetensutveckling landsbygd näringsliv hållbar "
    "tillväxt energi energieffektivisering klimat miljö forskning utveckling samverkan region kommun "
    "turism besöksnäring export internationalisering entreprenörskap inkubator kluster testbädd industri "
    "tillverkning cirkulär ekonomi återvinning vätgas transporter logistik infrastruktur kapital riskkapital "
    "nätverk affärsutveckling innovationsmiljö universitet högskola arbetsmarknad jämställdhet integration "
    "ungdomar nyanlända utbildning vård omsorg livsmedel skog trä bioekonomi solenergi vindkraft fiber "
    "uppkoppling tjänster design kultur kreativa näringar smart specialisering små medelstora"
).split()
THEMATIC = [
    "Att stärka forskning, teknisk utveckling och innovation",
    "Att öka tillgången till, användningen av och kvaliteten på IKT",
    "Att öka konkurrenskraften hos SMF",
    "Att stödja övergången till en koldioxidsnål ekonomi inom alla sektorer",
    "Att främja hållbar sysselsättning och arbetskraftens rörlighet",
]
ORG_KINDS = [
    ("{place}s kommun", Organisation.Sector.MUNICIPALITY),
    ("Region {place}", Organisation.Sector.REGION),
    ("{Word} i {place} AB", Organisation.Sector.COMPANY),
    ("{Word}centrum {place}", Organisation.Sector.BUSINESS_ORGANISATION),
    ("Föreningen {Word} {place}", Organisation.Sector.CIVIL_SOCIETY),
    ("{place} {Word} Science Park", Organisation.Sector.UNIVERSITY),
]


def vocabulary() -> tuple[list[str], list[int], list[str]]:
    """(words, cumulative weights, name words) from the real Swedish file, or the built-in list."""
    path = settings.SHARED_DIR / SE_FILE
    counts, names = Counter(), Counter()
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for row in json.load(fh):
                counts.update(re.findall(r"[a-zåäö]{4,}", row.get("projektbeskrivning", "").lower()))
                names.update(re.findall(r"[A-Za-zÅÄÖåäö]{4,}", row.get("projektnamn", "")))
    if len(counts) < 100:
        counts = Counter(dict.fromkeys(FALLBACK_WORDS, 10))
        names = Counter({w.capitalize(): 1 for w in FALLBACK_WORDS})
    words = [w for w, _ in counts.most_common(5000)]
    weights = list(accumulate(counts[w] for w in words))
    return words, weights, [w for w, _ in names.most_common(1500)]


class Generator:
    def __init__(self, seed: int = 1):
        self.rnd = random.Random(seed)
        self.seed = seed
        self.words, self.weights, self.name_words = vocabulary()
        self.funds = list(Fund.objects.all()) or [_default_fund()]
        self.periods = {p.start_year: p for p in ProgrammePeriod.objects.all()} or _default_periods()
        self.objectives = {}
        for obj in SpecificObjective.objects.select_related("programme__period"):
            self.objectives.setdefault((obj.fund_id, obj.programme.period.start_year), []).append(obj.pk)
        self.counties = list(County.objects.values_list("id", "name", "programme_region_id"))
        # 2021–2027 projects' intervention fields, drawn apart so the other draws stay as they were per seed
        self.interventions = list(InterventionField.objects.values_list("pk", flat=True))
        self.intervention_rnd = random.Random(seed)
        self.municipalities = {}
        for pk, name, county_id in Municipality.objects.values_list("id", "name", "county_id"):
            self.municipalities.setdefault(county_id, []).append((pk, name))

    def sentences(self, count: int) -> list[tuple[str, str]]:
        """A pool of (sentence, analysed sentence): texts are drawn from it so that 1M rows stay fast."""
        pool = []
        for _ in range(count):
            chosen = self.rnd.choices(self.words, cum_weights=self.weights, k=self.rnd.randint(6, 14))
            sentence = " ".join(chosen).capitalize() + "."
            pool.append((sentence, analyse(sentence)))
        return pool

    def organisations(self, count: int) -> list[tuple[int, str]]:
        rows, seen = [], set(Organisation.objects.values_list("normalised_name", flat=True))
        while len(rows) < count:
            template, sector = self.rnd.choice(ORG_KINDS)
            place = self.rnd.choice(self.municipalities[self.rnd.choice(self.counties)[0]])[1]
            name = template.format(place=place, Word=self.rnd.choice(self.name_words).capitalize())
            if len(rows) > count // 2:
                name = f"{name} {len(rows)}"
            key = normalise_name(name)
            if key in seen:
                continue
            seen.add(key)
            rows.append(Organisation(name=name, normalised_name=key, sector=sector))
        created = Organisation.objects.bulk_create(rows, batch_size=2000)
        return [(o.pk, o.name) for o in created]

    def project(self, number: int, orgs, pool) -> tuple[dict, list[int], list[int], tuple[str, str, str]]:
        """One project row, its county and municipality ids, and its index document."""
        rnd = self.rnd
        fund = rnd.choice(self.funds)
        start = date(rnd.randint(2014, 2027), rnd.randint(1, 12), 1)
        period_year = 2014 if start.year < 2021 else 2021
        objectives = self.objectives.get((fund.pk, period_year))
        county_id, county_name, region_id = rnd.choice(self.counties)
        munis = self.municipalities[county_id]
        munis = rnd.sample(munis, k=min(rnd.randint(1, 3), len(munis)))
        applicant_id, applicant_name = rnd.choice(orgs)
        amount = Decimal(int(rnd.lognormvariate(15, 1.0)) // 1000 * 1000 + 100_000)
        name = " ".join(rnd.sample(self.name_words, k=rnd.randint(1, 3)))
        if rnd.random() < 0.4:
            name = f"{name} i {munis[0][1]}"
        sentences = rnd.choices(pool, k=rnd.randint(3, 6))
        summary = " ".join(s[0] for s in sentences)
        period = self.periods.get(period_year)
        row = {
            "name": name,
            "applicant_id": applicant_id,
            "fund_id": fund.pk,
            "period_id": period.pk if period else None,
            "programme_region_id": region_id,
            "objective_id": rnd.choice(objectives) if objectives else None,
            "intervention_field_id": (
                self.intervention_rnd.choice(self.interventions) if period_year == 2021 and self.interventions else None
            ),
            "thematic_objective": "" if objectives else rnd.choice(THEMATIC),
            "amount_granted": amount,
            "total_cost": amount * 2,
            "cofinancing_rate": Decimal("50.00"),
            "start_date": start,
            "end_date": start + timedelta(days=rnd.randint(365, 1400)),
            "location_text": county_name,
            "summary": summary,
            "status": Project.Status.COMPLETED if start.year < 2023 else Project.Status.ONGOING,
            "source": SOURCE,
            "source_id": f"s{self.seed}-{number}",
        }
        body = " ".join(s[1] for s in sentences) + " " + analyse(f"{applicant_name} {county_name}")
        return row, [county_id], [m[0] for m in munis], (analyse(name), body, f"{name} {summary} {applicant_name}")

    def generate(self, count: int, *, batch_size: int = 5000, progress=None) -> int:
        with page_cache(), transaction.atomic(), changes.bulk():
            return self._generate(count, batch_size, progress)

    def _generate(self, count: int, batch_size: int, progress) -> int:
        start = Project.objects.filter(source=SOURCE, source_id__startswith=f"s{self.seed}-").count()
        orgs = self.organisations(max(10, min(count // 10, 50_000)))
        pool = self.sentences(min(20_000, max(200, count)))
        projects = BulkInserter(Project)
        for offset in range(0, count, batch_size):
            built = [self.project(start + offset + i, orgs, pool) for i in range(min(batch_size, count - offset))]
            ids = projects.insert([b[0] for b in built])
            insert_links(
                Project.counties.through, "project", "county", [(p, c) for p, b in zip(ids, built) for c in b[1]]
            )
            insert_links(
                Project.municipalities.through,
                "project",
                "municipality",
                [(p, m) for p, b in zip(ids, built) for m in b[2]],
            )
            changes.projects_changed(ids, documents=[(p, *b[3]) for p, b in zip(ids, built)], created=True)
            if progress:
                progress.update(len(built))
        return count


def _default_fund():
    return Fund.objects.get_or_create(
        code="ERUF",
        defaults={
            "name": "Europeiska regionala utvecklingsfonden",
            "name_en": "European Regional Development Fund (ERDF)",
            "managing_authority": "Tillväxtverket",
        },
    )[0]


def _default_periods():
    return {
        start: ProgrammePeriod.objects.get_or_create(start_year=start, defaults={"end_year": start + 6})[0]
        for start in (2014, 2021)
    }
