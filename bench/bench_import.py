"""Bench: `samhandling import art49-csv` of 1 000 000 synthetic projects on SQLite, against a bare load.

An Article 49 list of BENCH_PROJECTS synthetic projects (samhandling.projectbank.synthetic: real
geography, funds, Swedish texts) is written as CSV. Then, in the same run and each in a child process on a
fresh copy of the same migrated SQLite database:
- `samhandling import art49-csv FILE`: the whole import (validation, organisations, geography links,
  the full-text index, facets, dashboard sums, change log, audit entries, the import record), one
  transaction, Django's start-up included;
- the baseline: the bare load of the same rows into the same tables and indexes (every row the import
  stored: organisations, projects, links, full-text rows, facets, sums, change log, audit entries; read
  back from its database beforehand and pickled), with sqlite3's executemany in one transaction.
Figures: rows per second of each (goal: the import within 2x of the bare load, ratio >= 0.5), at a
million rows the import's wall time (goal: under 120 s), and the import's peak memory, the child's max RSS
(goal: under 1 GiB), against the bare load's.

Then the mapping importer (issue 16): BENCH_PARTNER_ROWS (default 100 000) partner rows, four per project
(a lead with an organisation number and partners in Sweden and abroad with NUTS 3 codes), through a mapping
file (`samhandling import mapping`), against `samhandling import art49-csv` of the same projects with the same
beneficiaries and partners, each in a child process on a fresh copy of the migrated database. Goal: the
mapping import under 60 s.

BENCH_PROJECTS scales the size down (e.g. 100000) for a quick run; BENCH_KEEP=1 keeps the files;
`bench_import.py mapping` runs the mapping part only.
"""

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common

N = common.N
GOAL_1M_S = 120  # a million rows of art49-csv on a 2-core machine
ROOT = Path(__file__).resolve().parent.parent
tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
EMPTY = tmp / "empty.sqlite3"
os.environ["SAMHANDLING_VAR"] = str(tmp)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")

CHUNK = 2000

BARE_LOAD = r"""
import pickle, sqlite3, sys
path, db = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db)
conn.execute("PRAGMA cache_size = -131072")  # the import's page cache (samhandling.imports.bulk.page_cache)
written = 0
with open(path, "rb") as fh, conn:
    while True:
        try:
            table, columns, rows = pickle.load(fh)
        except EOFError:
            break
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        written += len(rows)
print(written)
"""


def prepare_rows(imported: Path, out: Path) -> int:
    """Every row the import stored (in each table, those after the empty database's last), pickled in chunks
    of CHUNK: the bare load's input, so it inserts the same rows into the same tables and indexes."""
    import pickle
    import sqlite3

    empty, source = sqlite3.connect(EMPTY), sqlite3.connect(imported)
    tables = [
        (name, "rowid, name, body" if name == "projectbank_fts" else "*")  # the full-text table, not its shadows
        for (name,) in empty.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        if not name.startswith(("sqlite_", "projectbank_fts_"))
    ]
    written = 0
    with out.open("wb") as fh:
        for table, columns in tables:
            before = empty.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}").fetchone()[0]
            cursor = source.execute(f"SELECT {columns} FROM {table} WHERE rowid > ? ORDER BY rowid", [before])
            names = [d[0] for d in cursor.description]
            while rows := cursor.fetchmany(CHUNK):
                pickle.dump((table, names, rows), fh, protocol=pickle.HIGHEST_PROTOCOL)
                written += len(rows)
    return written


def env_for(db: Path) -> dict:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}


def run_measured(args, db: Path) -> tuple[float, float, str]:
    """(wall seconds, max RSS in MiB, stdout) of a child process; the RSS is this child's own (wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env_for(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Read output first (a full pipe would block the child), then reap it with its own resource usage.
    out = process.stdout.read()
    err = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode:
        sys.exit(f"{' '.join(map(str, args[:5]))} failed:\n{err[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024, out


def write_file(path: Path) -> None:
    """The synthetic list, written from the generator's rows in the columns of the open-data export."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'generator.sqlite3'}"
    shutil.copy(EMPTY, tmp / "generator.sqlite3")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from samhandling.programmes.models import Fund, ProgrammePeriod
    from samhandling.projectbank.opendata import NAMES
    from samhandling.projectbank.synthetic import Generator
    from samhandling.projects.models import County, Municipality, ProgrammeRegion

    generator = Generator(seed=7)
    orgs = dict(generator.organisations(max(10, min(N // 10, 50_000))))
    pool = generator.sentences(min(20_000, max(200, N)))
    funds = dict(Fund.objects.values_list("id", "code"))
    periods = dict(ProgrammePeriod.objects.values_list("id", "start_year"))
    regions = dict(ProgrammeRegion.objects.values_list("id", "code"))
    counties = dict(County.objects.values_list("id", "code"))
    municipalities = dict(Municipality.objects.values_list("id", "code"))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(NAMES)
        org_list = list(orgs.items())
        for i in range(N):
            row, county_ids, municipality_ids, _doc = generator.project(i, org_list, pool)
            values = dict.fromkeys(NAMES, "")  # columns this list leaves empty stay empty
            values.update(
                {
                    "source": row["source"],
                    "source_id": row["source_id"],
                    "beneficiary_name": orgs[row["applicant_id"]],
                    "operation_name": row["name"],
                    "purpose_and_achievements": row["summary"],
                    "start_date": row["start_date"].isoformat(),
                    "end_date": row["end_date"].isoformat(),
                    "total_cost": f"{row['total_cost']:.2f}",
                    "eu_amount": f"{row['amount_granted']:.2f}",
                    "fund": funds[row["fund_id"]],
                    "programme_period": periods.get(row["period_id"], ""),
                    "programme_region": regions[row["programme_region_id"]],
                    "thematic_objective": row["thematic_objective"],
                    "cofinancing_rate": f"{row['cofinancing_rate']:.2f}",
                    "location_indicator": row["location_text"],
                    "counties": ",".join(counties[c] for c in county_ids),
                    "municipalities": ",".join(municipalities[m] for m in municipality_ids),
                    "country": "SE",
                    "status": row["status"],
                }
            )
            writer.writerow([values[n] for n in NAMES])


PARTNER_ROWS = int(os.environ.get("BENCH_PARTNER_ROWS", "100000"))
PARTNERS_PER_PROJECT = 4
MAPPING = """
[source]
format = "csv"
name = "bench-mapping"
unknown_objectives = "keep-code"

[project]
id = "{programme}/{project_id}"
name = "name"
summary = "summary"
start_date = "start_date"
end_date = "end_date"
programme = "programme"
specific_objective = "objective"
total_cost = "total"
eu_amount = "eu"
fund = "fund"
programme_period = "period"

[partner]
name = "partner"
organisation_number = "orgnr"
role = "role"
lead_when = ["LP"]
amount = "budget"
county = "nuts3"
country = "country"
"""
ABROAD = [("FI", "FI1D9"), ("EE", "EE001"), ("NO", "NO074"), ("DK", "DK014"), ("DE", "DEF03")]
SWEDISH_NUTS3 = ["SE110", "SE121", "SE224", "SE232", "SE331", "SE332"]


def write_partner_files(mapping_csv: Path, art49_csv: Path) -> int:
    """The same projects as one row per partner (for the mapping) and one row per project (Article 49)."""
    from stdnum import luhn

    sys.path.insert(0, str(ROOT))
    if not (tmp / "generator.sqlite3").exists():  # made by write_file when the whole bench runs
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'generator.sqlite3'}"
        shutil.copy(EMPTY, tmp / "generator.sqlite3")
    import django

    django.setup()
    from samhandling.programmes.models import Fund, ProgrammePeriod
    from samhandling.projectbank.opendata import NAMES
    from samhandling.projectbank.synthetic import Generator

    written = 0
    projects = PARTNER_ROWS // PARTNERS_PER_PROJECT
    generator = Generator(seed=11)
    orgs = list(dict(generator.organisations(max(10, min(projects // 2, 50_000)))).items())
    pool = generator.sentences(min(20_000, max(200, projects)))
    funds = dict(Fund.objects.values_list("id", "code"))
    periods = dict(ProgrammePeriod.objects.values_list("id", "start_year"))
    numbers = {}
    for index, (pk, _name) in enumerate(orgs):
        base = f"55{index:07d}"
        numbers[pk] = f"{base[:6]}-{base[6:]}{luhn.calc_check_digit(base)}"
    header = [
        "programme", "project_id", "name", "summary", "start_date", "end_date", "objective", "total", "eu", "fund",
        "period", "partner", "orgnr", "role", "budget", "nuts3", "country",
    ]  # fmt: skip
    with (
        mapping_csv.open("w", encoding="utf-8", newline="") as out,
        art49_csv.open("w", encoding="utf-8", newline="") as out49,
    ):
        writer, writer49 = csv.writer(out), csv.writer(out49)
        writer.writerow(header)
        writer49.writerow(NAMES)
        for i in range(projects):
            row, _counties, _municipalities, _doc = generator.project(i, orgs, pool)
            programme = f"Interreg {['Aurora', 'Nord', 'Central Baltic', 'Öresund-Kattegat-Skagerrak'][i % 4]}"
            fund, period = funds[row["fund_id"]], periods.get(row["period_id"], "")
            project = [
                programme, f"P{i}", row["name"], row["summary"], row["start_date"].isoformat(),
                row["end_date"].isoformat(), f"RSO{1 + i % 4}.{1 + i % 3}", f"{row['total_cost']:.2f}",
                f"{row['amount_granted']:.2f}", fund, period,
            ]  # fmt: skip
            lead = row["applicant_id"]
            others = [orgs[(i * 7 + k * 131) % len(orgs)][0] for k in range(1, PARTNERS_PER_PROJECT)]
            others = [o for o in dict.fromkeys(others) if o != lead]
            names = dict(orgs)
            share = row["total_cost"] / PARTNERS_PER_PROJECT
            counties = []
            for k, org in enumerate([lead, *others]):
                if k < 2:  # the lead and one partner in Sweden, with organisation numbers
                    nuts3, country, number = SWEDISH_NUTS3[(i + k) % len(SWEDISH_NUTS3)], "SE", numbers[org]
                    counties.append(nuts3)
                else:
                    country, nuts3 = ABROAD[(i + k) % len(ABROAD)]
                    number = ""
                name = names[org] if country == "SE" else f"{names[org]} {country}"
                writer.writerow([*project, name, number, "LP" if k == 0 else "PP", f"{share:.2f}", nuts3, country])
                written += 1
            values = dict.fromkeys(NAMES, "")
            values.update(
                source="bench-art49",
                source_id=f"{programme}/P{i}",
                beneficiary_name=names[lead],
                partners="\n".join(names[o] if k < 1 else f"{names[o]} {ABROAD[(i + k + 1) % len(ABROAD)][0]}"
                                   for k, o in enumerate(others)),
                operation_name=row["name"],
                purpose_and_achievements=row["summary"],
                start_date=row["start_date"].isoformat(),
                end_date=row["end_date"].isoformat(),
                total_cost=f"{row['total_cost']:.2f}",
                eu_amount=f"{row['amount_granted']:.2f}",
                fund=fund,
                programme_period=period,
                country="SE",
                status="granted",
            )  # fmt: skip
            writer49.writerow([values[n] for n in NAMES])
    return projects, written


def mapping_main():
    mapping_csv, art49_csv, mapping_toml = tmp / "partners.csv", tmp / "same-projects.csv", tmp / "mapping.toml"
    mapping_toml.write_text(MAPPING, encoding="utf-8")
    started = time.perf_counter()
    projects, rows = write_partner_files(mapping_csv, art49_csv)
    print(f"# {rows} partner rows ({projects} projects) written in {time.perf_counter() - started:.0f} s")

    shutil.copy(EMPTY, tmp / "art49-same.sqlite3")
    art49_s, art49_rss, out = run_measured(
        [sys.executable, "-m", "samhandling", "import", "art49-csv", str(art49_csv)], tmp / "art49-same.sqlite3"
    )
    assert f"{projects} nya" in out, out
    shutil.copy(EMPTY, tmp / "mapping.sqlite3")
    mapping_s, mapping_rss, out = run_measured(
        [sys.executable, "-m", "samhandling", "import", "mapping", str(mapping_toml), str(mapping_csv)],
        tmp / "mapping.sqlite3",
    )
    assert f"{projects} nya" in out, out
    print(f"# art49-csv {art49_s:.1f} s ({art49_rss:.0f} MiB), mapping {mapping_s:.1f} s ({mapping_rss:.0f} MiB)")
    common.report("import_mapping_partner_rows", mapping_s, "s", art49_s, "<60s", mapping_s < 60)
    common.report("import_mapping_partner_rows_per_s", rows / mapping_s, "rows/s", projects / art49_s, "info", True, 0)


def migrate_empty():
    if not EMPTY.exists():
        subprocess.run(
            [sys.executable, "-m", "samhandling", "migrate", "--noinput", "-v", "0"],
            env=env_for(EMPTY),
            check=True,
            cwd=ROOT,
        )


def main():
    migrate_empty()
    path = tmp / "operations.csv"
    started = time.perf_counter()
    write_file(path)
    print(
        f"# {N} synthetic operations written in {time.perf_counter() - started:.0f} s "
        f"({path.stat().st_size / 2**20:.0f} MiB) to {path}"
    )

    shutil.copy(EMPTY, tmp / "import.sqlite3")
    import_s, import_rss, out = run_measured(
        [sys.executable, "-m", "samhandling", "import", "art49-csv", str(path)], tmp / "import.sqlite3"
    )
    assert f"{N} nya" in out, out

    prepared = tmp / "prepared.pickle"
    rows = prepare_rows(tmp / "import.sqlite3", prepared)
    shutil.copy(EMPTY, tmp / "bare.sqlite3")
    bare_s, bare_rss, out = run_measured(
        [sys.executable, "-c", BARE_LOAD, str(prepared), str(tmp / "bare.sqlite3")], tmp / "bare.sqlite3"
    )
    assert int(out.strip()) == rows, out
    print(f"# import {import_s:.1f} s; bare load of the same {rows} rows into the same tables {bare_s:.1f} s")

    bare_rate, import_rate = N / bare_s, N / import_s
    ratio = import_rate / bare_rate
    common.report("import_throughput", import_rate, "rows/s", bare_rate, "ratio>=0.5", ratio >= 0.5, digits=0)
    common.report("import_peak_memory", import_rss, "MiB", bare_rss, "<1024MiB", import_rss < 1024, digits=0)
    if N == 1_000_000:
        common.report("import_1m_rows", import_s, "s", bare_s, f"<{GOAL_1M_S}s", import_s < GOAL_1M_S)


if __name__ == "__main__":
    if sys.argv[1:] == ["mapping"]:
        migrate_empty()
        mapping_main()
    else:
        main()
        mapping_main()
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(tmp, ignore_errors=True)
