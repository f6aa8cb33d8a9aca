"""Open data: the list of operations with the fields of Article 49(3) of Regulation (EU) 2021/1060.

One place writes the list for both `samhandling export` and the public downloads at /oppna-data/, as CSV,
XLSX and JSON plus a Frictionless `datapackage.json` describing them. The columns are also what the
`art49-csv` import reads, so an export can be imported again (by this or another platform) unchanged.

Only operations are open data: granted, ongoing and completed projects from every source. Applications
and drafts never are, and neither are personal data: contact persons, the applicant's user account and
the applicant's criterion texts are not among the columns and are never read here.
"""

import json
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_noop

from samhandling.core import cells
from samhandling.programmes import opendata as followup_opendata
from samhandling.projects.models import County, Municipality, Project

FILE_STEM = "samhandling-projekt"
FORMATS = ("csv", "xlsx", "json")
CHUNK = 2000
LIST_SEPARATOR = ","

# (name, frictionless type, title, description); titles and descriptions are marked for translation (the
# open-data page shows them in the reader's language) but the files and datapackage.json keep the Swedish.
# (name, frictionless type, title, description). Article 49(3) fields first, then what lets the list be
# read back: the Samhandling id, source and the geography and classification codes.
COLUMNS = [
    (
        "id",
        "integer",
        gettext_noop("Id"),
        gettext_noop("Projektets id i Samhandling (samma som i API:t och på /projekt/<id>/)."),
    ),
    (
        "source",
        "string",
        gettext_noop("Källa"),
        gettext_noop("Var uppgifterna kommer från, t.ex. tillvaxtverket eller samhandling."),
    ),
    ("source_id", "string", gettext_noop("Id i källan"), gettext_noop("Ärendets id hos källan.")),
    ("beneficiary_name", "string", gettext_noop("Stödmottagare"), gettext_noop("Stödmottagarens namn (art. 49.3 a).")),
    ("partners", "string", gettext_noop("Samverkansparter"), gettext_noop("Organisationer som deltar, en per rad.")),
    ("operation_name", "string", gettext_noop("Insatsens namn"), gettext_noop("Insatsens namn (art. 49.3 b).")),
    (
        "purpose_and_achievements",
        "string",
        gettext_noop("Syfte och resultat"),
        gettext_noop("Insatsens syfte och förväntade eller faktiska resultat (art. 49.3 c)."),
    ),
    ("start_date", "date", gettext_noop("Startdatum"), gettext_noop("Insatsens startdatum (art. 49.3 d).")),
    ("end_date", "date", gettext_noop("Slutdatum"), gettext_noop("Förväntat eller faktiskt slutdatum (art. 49.3 e).")),
    (
        "total_cost",
        "number",
        gettext_noop("Total kostnad (SEK)"),
        gettext_noop("Insatsens totala kostnad i kronor (art. 49.3 f)."),
    ),
    ("eu_amount", "number", gettext_noop("Beviljat EU-stöd (SEK)"), gettext_noop("Beviljat belopp i kronor.")),
    ("fund", "string", gettext_noop("Fond"), gettext_noop("Fondens kod, t.ex. ERUF eller ESF+ (art. 49.3 g).")),
    (
        "programme_period",
        "integer",
        gettext_noop("Programperiod"),
        gettext_noop("Programperiodens första år, t.ex. 2014 eller 2021."),
    ),
    (
        "programme_region",
        "string",
        gettext_noop("Programområde"),
        gettext_noop("Programområdets NUTS 2-kod, t.ex. SE11."),
    ),
    (
        "specific_objective",
        "string",
        gettext_noop("Specifikt mål"),
        gettext_noop("Det specifika målets kod, t.ex. 1.1 (art. 49.3 h)."),
    ),
    (
        "specific_objective_name",
        "string",
        gettext_noop("Specifikt mål (namn)"),
        gettext_noop("Det specifika målets namn."),
    ),
    (
        "specific_objective_code",
        "string",
        gettext_noop("Specifikt mål enligt förordningen"),
        gettext_noop(
            "Det specifika målets kod i fondförordningarna 2021–2027: RSO för Eruf, ESO för ESF+, ISO för "
            "Interreg, t.ex. RSO1.1 eller ESO4.1; tom för 2014–2020."
        ),
    ),
    (
        "thematic_objective",
        "string",
        gettext_noop("Tematiskt mål"),
        gettext_noop("Tematiskt mål (programperioden 2014–2020)."),
    ),
    ("priority", "string", gettext_noop("Insatsområde"), gettext_noop("Insatsområde eller prioriterad axel.")),
    (
        "cofinancing_rate",
        "number",
        gettext_noop("EU:s medfinansieringsgrad (%)"),
        gettext_noop("Unionens medfinansieringsgrad (art. 49.3 i)."),
    ),
    ("location_indicator", "string", gettext_noop("Plats"), gettext_noop("Platsindikator för insatsen (art. 49.3 j).")),
    ("counties", "string", gettext_noop("Län (koder)"), gettext_noop("Länskoder, kommaseparerade.")),
    ("municipalities", "string", gettext_noop("Kommuner (koder)"), gettext_noop("Kommunkoder, kommaseparerade.")),
    ("country", "string", gettext_noop("Land"), gettext_noop("Land enligt ISO 3166-1 (art. 49.3 j).")),
    (
        "intervention_type",
        "string",
        gettext_noop("Typ av insats"),
        gettext_noop("Interventionsområde enligt bilaga I (art. 49.3 k)."),
    ),
    (
        "intervention_field",
        "string",
        gettext_noop("Interventionsområde (kod)"),
        gettext_noop(
            "Interventionsområdets tresiffriga kod enligt tabell 1 i bilaga I till förordning (EU) 2021/1060."
        ),
    ),
    (
        "intervention_field_name",
        "string",
        gettext_noop("Interventionsområde (namn)"),
        gettext_noop("Interventionsområdets namn på svenska."),
    ),
    ("status", "string", gettext_noop("Status"), gettext_noop("granted, ongoing eller completed.")),
    (
        "last_updated",
        "date",
        gettext_noop("Senast uppdaterad"),
        gettext_noop("Datum då uppgifterna senast ändrades (art. 49.3 l)."),
    ),
]
NAMES = [c[0] for c in COLUMNS]
PUBLIC_FIELDS = (
    "id",
    "source",
    "source_id",
    "name",
    "summary",
    "start_date",
    "end_date",
    "total_cost",
    "amount_granted",
    "fund__code",
    "period__start_year",
    "programme_region__code",
    "objective__code",
    "objective__name",
    "objective__regulation_objective__code",
    "intervention_field__code",
    "intervention_field__name",
    "thematic_objective",
    "priority",
    "cofinancing_rate",
    "location_text",
    "country",
    "intervention_type",
    "status",
    "updated_at",
    "applicant__name",
)


def open_projects():
    """The projects that are open data: operations (granted, ongoing, completed) from every source."""
    return Project.objects.granted()


def rows(queryset=None):
    """Each open project as a dict of COLUMNS, read in id order a chunk at a time (constant memory)."""
    queryset = open_projects() if queryset is None else queryset
    county_codes = dict(County.objects.values_list("id", "code"))
    municipality_codes = dict(Municipality.objects.values_list("id", "code"))
    for low, high in _windows(queryset):
        chunk = list(queryset.filter(id__gte=low, id__lt=high).order_by("id").values(*PUBLIC_FIELDS))
        if not chunk:
            continue
        window = {"project_id__gte": low, "project_id__lt": high}
        counties = _links(Project.counties.through, "county_id", window, county_codes)
        municipalities = _links(Project.municipalities.through, "municipality_id", window, municipality_codes)
        partners = _partner_names(window)
        for r in chunk:
            pk = r["id"]
            yield {
                "id": pk,
                "source": r["source"],
                "source_id": r["source_id"] or str(pk),
                "beneficiary_name": r["applicant__name"] or "",
                "partners": "\n".join(partners.get(pk, [])),
                "operation_name": r["name"],
                "purpose_and_achievements": r["summary"],
                "start_date": r["start_date"],
                "end_date": r["end_date"],
                "total_cost": r["total_cost"],
                "eu_amount": r["amount_granted"],
                "fund": r["fund__code"],
                "programme_period": r["period__start_year"],
                "programme_region": r["programme_region__code"] or "",
                "specific_objective": r["objective__code"] or "",
                "specific_objective_name": r["objective__name"] or "",
                "specific_objective_code": r["objective__regulation_objective__code"] or "",
                "thematic_objective": r["thematic_objective"],
                "priority": r["priority"],
                "cofinancing_rate": r["cofinancing_rate"],
                "location_indicator": r["location_text"],
                "counties": LIST_SEPARATOR.join(counties.get(pk, [])),
                "municipalities": LIST_SEPARATOR.join(municipalities.get(pk, [])),
                "country": r["country"],
                "intervention_type": r["intervention_type"],
                "intervention_field": r["intervention_field__code"] or "",
                "intervention_field_name": r["intervention_field__name"] or "",
                "status": r["status"],
                "last_updated": timezone.localdate(r["updated_at"]) if r["updated_at"] else None,
            }


def _windows(queryset):
    """Id ranges of CHUNK ids across the queryset's span. A keyset walk (id > last, ordered, limited) lets
    SQLite read the status index and sort every remaining row for each chunk, quadratic at a million."""
    span = queryset.aggregate(low=Min("id"), high=Max("id"))
    if span["low"] is None:
        return
    for low in range(span["low"], span["high"] + 1, CHUNK):
        yield low, low + CHUNK


def _links(through, column, window, codes):
    out = {}
    for project_id, other in through.objects.filter(**window).values_list("project_id", column):
        out.setdefault(project_id, []).append(codes[other])
    return {k: sorted(v) for k, v in out.items()}


def _partner_names(window):
    out = {}
    for project_id, name in (
        Project.partners.through.objects.filter(**window)
        .order_by("organisation__name")
        .values_list("project_id", "organisation__name")
    ):
        out.setdefault(project_id, []).append(name)
    return out


def _cell(value):
    """Plain text for CSV: ISO dates, decimals as written, empty for missing."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- writers: one pass over the rows feeds every format's file, none holding the whole list ---------------


class _CsvFile:
    """The CSV file (header first), every cell through `cells` and `_cell`."""

    def __init__(self, handle):
        self.writer = cells.writer(handle, lineterminator="\n")
        self.writer.writerow(NAMES)

    def add(self, row) -> None:
        self.writer.writerow([_cell(row[n]) for n in NAMES])

    def close(self) -> None:
        pass


class _JsonFile:
    """A JSON array of objects, one per operation."""

    def __init__(self, handle):
        self.handle, self.first = handle, True
        handle.write("[")

    def add(self, row) -> None:
        item = json.dumps({n: _json(row[n]) for n in NAMES}, ensure_ascii=False)
        self.handle.write(("\n" if self.first else ",\n") + item)
        self.first = False

    def close(self) -> None:
        self.handle.write("\n]\n")


class _XlsxFile:
    """An XLSX workbook with one sheet, written row by row (openpyxl's write-only mode)."""

    def __init__(self, path):
        from openpyxl import Workbook  # imported here: `samhandling import` reads this module's column names only

        self.path, self.book = path, Workbook(write_only=True)
        self.sheet = self.book.create_sheet("projekt")
        self.sheet.append(NAMES)

    def add(self, row) -> None:
        self.sheet.append(cells.xlsx_row(_xlsx(row[n]) for n in NAMES))

    def close(self) -> None:
        self.book.save(self.path)


def _json(value):
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (int, str)):
        return value
    return float(value)


def _xlsx(value):
    if value is None:
        return None
    if isinstance(value, (int, str, date)):
        return value
    return float(value)


def write_files(paths: dict[str, Path], queryset=None) -> None:
    """Writes {format: path} in one reading of the rows (a million rows take about a minute to read)."""
    with ExitStack() as stack:
        files = []
        for fmt, path in paths.items():
            if fmt == "xlsx":
                files.append(_XlsxFile(path))
            else:
                handle = stack.enter_context(path.open("w", encoding="utf-8", newline=""))
                files.append(_CsvFile(handle) if fmt == "csv" else _JsonFile(handle))
        for row in rows(queryset):
            for file in files:
                file.add(row)
        for file in files:
            file.close()


def datapackage(paths: dict[str, str], followup_paths: dict[str, str] | None = None) -> dict:
    """The Frictionless descriptor for the files written, {format: path or URL}; `followup_paths` adds the
    follow-up files (programmes.opendata: indicators and money over time), {name: path or URL}."""
    fields = [{"name": n, "type": t, "title": title, "description": d} for n, t, title, d in COLUMNS]
    for f in fields:
        if f["name"] in ("source", "source_id", "operation_name", "fund", "status"):
            f["constraints"] = {"required": True}
    schema = {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
    resources = []
    for fmt, path in paths.items():
        resource = {
            "name": f"projekt-{fmt}",
            "path": path,
            "format": fmt,
            "profile": "tabular-data-resource",
            "title": "Projekt i Samhandlings projektbank",
            "schema": schema,
        }
        if fmt == "csv":
            resource.update(mediatype="text/csv", encoding="utf-8")
        elif fmt == "json":
            resource.update(mediatype="application/json", encoding="utf-8")
        else:
            resource["mediatype"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        resources.append(resource)
    resources += followup_opendata.resources(followup_paths or {})
    return {
        "profile": "tabular-data-package",
        "name": "samhandling-projektbank",
        "title": "Samhandling – förteckning över insatser (artikel 49.3 i förordning (EU) 2021/1060)",
        "description": "Beviljade, pågående och avslutade EU-finansierade projekt, med källa för varje rad. "
        "Belopp i kronor. Inga personuppgifter.",
        "licenses": [
            {
                "name": "CC0-1.0",
                "path": "https://creativecommons.org/publicdomain/zero/1.0/",
                "title": "Creative Commons Zero v1.0",
            }
        ],
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "resources": resources,
    }


def export(directory, formats=FORMATS, queryset=None) -> dict[str, Path]:
    """Writes the files and datapackage.json into `directory`; returns {format: path}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {fmt: directory / f"{FILE_STEM}.{fmt}" for fmt in formats}
    write_files(written, queryset)
    followup = {}
    for name in followup_opendata.FILES:
        followup[name] = directory / f"{name}.csv"
        followup[name].write_text(followup_opendata.csv_text(name), encoding="utf-8")
    descriptor = datapackage(
        {fmt: path.name for fmt, path in written.items()}, {name: path.name for name, path in followup.items()}
    )
    written.update(followup)
    (directory / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    written["datapackage"] = directory / "datapackage.json"
    return written
