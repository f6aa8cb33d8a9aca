"""Official Swedish geography (programme regions, 21 counties, 290 municipalities) from the bundled CSV."""

import csv
from pathlib import Path

GEOGRAPHY_CSV = Path(__file__).parent / "data" / "geography.csv"


def load_geography(region_model, county_model, municipality_model) -> None:
    """Idempotent upsert by official code; takes models as arguments so a migration can pass its historical ones."""
    with GEOGRAPHY_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    regions, counties = {}, {}
    for row in rows:
        if row["kind"] == "programme_region":
            regions[row["code"]], _ = region_model.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"]}
            )
    for row in rows:
        if row["kind"] == "county":
            counties[row["code"]], _ = county_model.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "programme_region": regions[row["parent_code"]]}
            )
    for row in rows:
        if row["kind"] == "municipality":
            municipality_model.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "county": counties[row["parent_code"]]}
            )
