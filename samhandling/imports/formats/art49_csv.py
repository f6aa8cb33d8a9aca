"""The generic list of operations: the columns of Samhandling's own open-data export (Article 49(3)).

Any managing authority's list can come in once its columns are named as in
samhandling.projectbank.opendata.COLUMNS; an export read back gives the same projects. Each row keeps the
`source` it names (a row without one is `art49`), and a row without `source_id` takes its `id`.
Names of objectives and the last-update date are the exporter's to say and are not read.
"""

from django.utils.translation import gettext as _

from samhandling.core.cells import uncell
from samhandling.projectbank.opendata import LIST_SEPARATOR, NAMES

from .base import Record, RowError, csv_rows, day, number, parsed, rate

SOURCE = "art49"
REQUIRED_COLUMNS = {"operation_name", "fund"}


def text(value) -> str:
    """Cells as written: this format has none of the other files' quirks to repair."""
    return "" if value is None else str(value).strip()


def required(value, field_name: str) -> str:
    result = text(value)
    if not result:
        raise RowError(field_name, _("värde saknas"))
    return result


def split_list(value, separator: str) -> list[str]:
    value = text(value)
    if separator not in value:  # one item or none, as most cells are
        return [value] if value else []
    return list(dict.fromkeys(p.strip() for p in value.split(separator) if p.strip()))


def parse(row: dict) -> Record:
    if any(v and v[0] == "'" for v in row.values()):  # cells our own export neutralised (core.cells)
        row = {k: uncell(v) if v else v for k, v in row.items()}
    get = row.get  # cells are str (or None when a row is short): stripped inline, the hot path of a big file
    period = (get("programme_period") or "").strip()
    if period and not period.isdigit():
        raise RowError("programme_period", _("”%(value)s” är inte ett årtal") % {"value": period[:20]})
    source_id = (get("source_id") or "").strip() or (get("id") or "").strip()
    if not source_id:
        raise RowError("source_id", _("värde saknas"))
    return Record(
        source_id=source_id,
        source=(get("source") or "").strip(),
        name=required(get("operation_name"), "operation_name"),
        fund=required(get("fund"), "fund"),
        beneficiary=(get("beneficiary_name") or "").strip(),
        partners=split_list(get("partners"), "\n"),
        summary=(get("purpose_and_achievements") or "").strip(),
        start_date=day(get("start_date"), "start_date"),
        end_date=day(get("end_date"), "end_date"),
        total_cost=number(get("total_cost"), "total_cost"),
        amount_granted=number(get("eu_amount"), "eu_amount"),
        period=int(period) if period else None,
        programme_region=(get("programme_region") or "").strip(),
        objective=(get("specific_objective") or "").strip(),
        thematic_objective=(get("thematic_objective") or "").strip(),
        priority=(get("priority") or "").strip(),
        cofinancing_rate=rate(get("cofinancing_rate"), "cofinancing_rate"),
        location_text=(get("location_indicator") or "").strip(),
        counties=split_list(get("counties"), LIST_SEPARATOR),
        municipalities=split_list(get("municipalities"), LIST_SEPARATOR),
        country=((get("country") or "").strip() or "SE").upper(),
        intervention_type=(get("intervention_type") or "").strip(),
        status=(get("status") or "").strip(),
    )


def check_header(header) -> None:
    missing = REQUIRED_COLUMNS - set(header or ())
    if missing:
        raise RowError(
            ", ".join(sorted(missing)),
            _("kolumnen saknas; kolumnerna ska vara %(names)s") % {"names": ", ".join(NAMES)},
        )


def rows(path):
    return parsed(csv_rows(path, check_header=check_header), parse)
