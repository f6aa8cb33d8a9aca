"""Open data of the follow-up: indicators (target, planned, achieved) and money followed through (dated
cumulative snapshots), as CSV files beside the list of operations, described in the same datapackage.json.

Only aggregates: sums over granted projects per objective, no project-level values and no personal data.
"""

import io

from django.utils.translation import gettext_noop

from samhandling.core import cells

from . import followup
from .models import FinancialSnapshot, IndicatorTarget

# (name, frictionless type, title, description), the shape of projectbank.opendata.COLUMNS: the objective's
# columns, alike in the indicator and the money files.
OBJECTIVE_COLUMNS = [
    ("fund", "string", gettext_noop("Fond"), gettext_noop("Fondens kod, t.ex. ERUF eller ESF+.")),
    (
        "specific_objective",
        "string",
        gettext_noop("Specifikt mål"),
        gettext_noop("Programmets kod för det specifika målet, t.ex. 1.1."),
    ),
    (
        "specific_objective_code",
        "string",
        gettext_noop("Specifikt mål enligt förordningen"),
        gettext_noop("Målets kod i fondförordningarna 2021–2027, t.ex. RSO1.1."),
    ),
]
INDICATOR_COLUMNS = [
    (
        "partnership",
        "string",
        gettext_noop("Partnerskap"),
        gettext_noop("Partnerskapets namn; tomt för programmets egna målvärden."),
    ),
    *OBJECTIVE_COLUMNS,
    (
        "indicator",
        "string",
        gettext_noop("Indikator"),
        gettext_noop("Den gemensamma indikatorns kod, t.ex. RCO01 eller RCR01."),
    ),
    (
        "indicator_kind",
        "string",
        gettext_noop("Typ"),
        gettext_noop("output (utfallsindikator) eller result (resultatindikator)."),
    ),
    ("indicator_name", "string", gettext_noop("Indikatorns namn"), gettext_noop("Indikatorns namn på svenska.")),
    ("unit", "string", gettext_noop("Enhet"), gettext_noop("Måttenhet, t.ex. företag eller årsarbetskrafter.")),
    ("target", "number", gettext_noop("Målvärde"), gettext_noop("Målvärde (tomt om inget är satt).")),
    ("planned", "number", gettext_noop("Planerat"), gettext_noop("Summan av beviljade projekts planerade värden.")),
    (
        "achieved",
        "number",
        gettext_noop("Uppnått"),
        gettext_noop("Summan av beviljade projekts rapporterade uppnådda värden."),
    ),
]
MONEY_COLUMNS = [
    (
        "date",
        "date",
        gettext_noop("Datum"),
        gettext_noop("Dagen som beloppen gäller; beloppen är ackumulerade från programmets start."),
    ),
    (
        "partnership",
        "string",
        gettext_noop("Partnerskap"),
        gettext_noop("Partnerskapets namn; tomt för hela programmets mål."),
    ),
    *OBJECTIVE_COLUMNS,
    (
        "planned",
        "number",
        gettext_noop("Planerat (SEK)"),
        gettext_noop("Målets budget i EU-medel enligt budgetreskontran."),
    ),
    (
        "decided",
        "number",
        gettext_noop("Beslutat (SEK)"),
        gettext_noop("Beviljade EU-medel (jfr artikel 42 i förordning (EU) 2021/1060)."),
    ),
    ("paid", "number", gettext_noop("Utbetalt (SEK)"), gettext_noop("Utbetalda EU-medel; tomt när uppgiften saknas.")),
    (
        "projects",
        "integer",
        gettext_noop("Beviljade projekt"),
        gettext_noop("Antal beviljade projekt i målet den dagen."),
    ),
    ("source", "string", gettext_noop("Källa"), gettext_noop("Var beloppen kommer från.")),
]
FILES = {"indikatorer": INDICATOR_COLUMNS, "ekonomi": MONEY_COLUMNS}
TITLES = {
    "indikatorer": "Indikatorer per specifikt mål: målvärde, planerat och uppnått",
    "ekonomi": "Ekonomi över tid per specifikt mål: planerat, beslutat och utbetalt",
}


def indicator_rows():
    from samhandling.partnership.models import Partnership

    scopes = [None, *Partnership.objects.filter(pk__in=IndicatorTarget.objects.values("partnership_id"))]
    for partnership in scopes:
        for group in followup.indicator_overview(partnership):
            objective = group.objective
            for r in group.rows:
                yield {
                    "partnership": partnership.name if partnership else "",
                    "fund": objective.fund.code,
                    "specific_objective": objective.code,
                    "specific_objective_code": objective.regulation_objective.code
                    if objective.regulation_objective
                    else "",
                    "indicator": r.indicator.code,
                    "indicator_kind": r.indicator.kind,
                    "indicator_name": r.indicator.name,
                    "unit": r.indicator.unit,
                    "target": r.target,
                    "planned": r.planned,
                    "achieved": r.achieved,
                }


def money_rows():
    snapshots = FinancialSnapshot.objects.select_related(
        "objective__fund", "objective__regulation_objective", "partnership"
    ).order_by("date", "partnership_id", "objective__fund__code", "objective__code")
    for s in snapshots.iterator(chunk_size=2000):
        yield {
            "date": s.date.isoformat(),
            "partnership": s.partnership.name if s.partnership else "",
            "fund": s.objective.fund.code,
            "specific_objective": s.objective.code,
            "specific_objective_code": s.objective.regulation_objective.code
            if s.objective.regulation_objective
            else "",
            "planned": s.planned,
            "decided": s.decided,
            "paid": s.paid,
            "projects": s.projects,
            "source": s.source,
        }


def csv_text(name: str) -> str:
    columns = [c[0] for c in FILES[name]]
    rows = indicator_rows() if name == "indikatorer" else money_rows()
    buffer = io.StringIO()
    writer = cells.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else str(row[c]) for c in columns])
    return buffer.getvalue()


def resources(paths: dict[str, str]) -> list[dict]:
    """The datapackage.json resources of the follow-up files, {name: path or URL}."""
    return [
        {
            "name": name,
            "path": path,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "title": TITLES[name],
            "schema": {
                "fields": [{"name": n, "type": t, "title": title, "description": d} for n, t, title, d in FILES[name]],
                "missingValues": [""],
            },
        }
        for name, path in paths.items()
    ]
