"""The 2021–2027 reference lists shipped in data/: intervention fields and the regulations' specific objectives.

Both are loaded by a data migration and again by `sync()` (idempotent), so an installation always holds the
full lists; importers resolve the codes users' files carry ("117.0", "RSO1.1", "1.1", "ESO4.1") through the
functions here, so one place knows how those codes are written.
"""

import csv
import re
from pathlib import Path

DATA = Path(__file__).parent / "data"
INTERVENTION_FIELDS = DATA / "intervention_fields.csv"
REGULATION_OBJECTIVES = DATA / "specific_objectives.csv"
INDICATORS = DATA / "indicators.csv"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def sync_indicators(indicator_model=None, objective_model=None) -> int:
    """Creates or updates every listed indicator and the objectives it serves; returns how many."""
    from .models import Indicator, RegulationObjective

    indicator_model = indicator_model or Indicator
    objectives = {o.code: o for o in (objective_model or RegulationObjective).objects.all()}
    rows = _rows(INDICATORS)
    for row in rows:
        indicator, _created = indicator_model.objects.update_or_create(
            code=row["code"],
            defaults={k: row[k] for k in ("kind", "fund", "unit", "unit_en", "name", "name_en")},
        )
        indicator.objectives.set([objectives[c] for c in row["objectives"].split() if c in objectives])
    return len(rows)


def sync(intervention_model=None, objective_model=None) -> tuple[int, int]:
    """Creates or updates every listed code; returns (intervention fields, objectives). Models may be
    historical ones (from a migration)."""
    from .models import InterventionField, RegulationObjective

    intervention_model = intervention_model or InterventionField
    objective_model = objective_model or RegulationObjective
    fields = _rows(INTERVENTION_FIELDS)
    for row in fields:
        intervention_model.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "name_en": row["name_en"]}
        )
    objectives = _rows(REGULATION_OBJECTIVES)
    for row in objectives:
        objective_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "fund": row["fund"],
                "policy_objective": int(row["policy_objective"]),
                "name": row["name"],
                "name_en": row["name_en"],
            },
        )
    return len(fields), len(objectives)


def intervention_code(value) -> str | None:
    """The three-digit code in what a file holds: "117", "117.0" (Kohesio writes floats), "17", "017 Text"."""
    match = re.match(r"\s*0*(\d{1,3})(?:\.0+)?(?!\d)", str(value or ""))
    if not match or not 1 <= int(match.group(1)) <= 182:
        return None
    return f"{int(match.group(1)):03d}"


_PREFIX = {"ERUF": "RSO", "ESF+": "ESO", "Interreg": "ISO"}


def regulation_code(value, fund_code: str = "") -> str | None:
    """The regulation's code of a specific objective as written in a file: "RSO1.1", "rso 1.1", or a bare
    "1.1" / "4.1" read with the fund's prefix (ERUF → RSO, ESF+ → ESO). None when it is no such code."""
    text = re.sub(r"\s+", "", str(value or "")).upper()
    match = re.fullmatch(r"(RSO|ESO|ISO)?(\d{1,2})(?:\.(\d{1,2}))?", text)
    if not match:
        return None
    prefix = match.group(1) or _PREFIX.get(fund_code)
    if prefix is None or (prefix != "ISO" and match.group(3) is None):
        return None
    return prefix + match.group(2) + (f".{match.group(3)}" if match.group(3) else "")
