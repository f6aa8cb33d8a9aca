"""What every bench shares: the BENCH line, and the database var/bench/projectbank-N.sqlite3.

Made once (migrations, the demo partnership, then `samhandling generate --projects N`) and reused while it
holds exactly N generated projects, since generating a million projects takes many minutes. N comes from
BENCH_PROJECTS (default 1 000 000). Import this module before Django is set up: it points DATABASE_URL at
the file. The search, load, portfolio and matching benches all read it, so `make bench` generates a
million projects once.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("BENCH_PROJECTS", "1000000"))
PATH = ROOT / "var" / "bench" / f"projectbank-{N}.sqlite3"
DATABASE_URL = f"sqlite:///{PATH}"

os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")
sys.path.insert(0, str(ROOT))


def prepare() -> int:
    """Sets Django up on the bench database, building it first when it is missing or of another size."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from samhandling.projectbank.synthetic import SOURCE
    from samhandling.projects.models import Project

    if PATH.exists():
        try:
            call_command("migrate", "--noinput", verbosity=0)
            if Project.objects.filter(source=SOURCE).count() == N:
                return N
        except Exception as exc:  # an unreadable or half-built file is rebuilt
            print(f"# rebuilding {PATH.name}: {exc}", file=sys.stderr)
        connection.close()
        PATH.unlink()
    PATH.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"# building {PATH} with {N} projects (once; later runs reuse it)", file=sys.stderr)
    with connection.cursor() as cursor:  # loading speed only: a failed build is simply rebuilt
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("demo", verbosity=0)
    call_command("generate", projects=N, verbosity=0)
    print(f"# built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return N


def timed(fn, *args) -> tuple[float, object]:
    """(milliseconds, result) of one call."""
    started = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - started) * 1000, result


def report(name: str, value: float, unit: str, baseline: float, goal: str, passed: bool, digits: int = 1) -> None:
    """Prints one figure in the form `make bench` promises: BENCH <name> value=… baseline=… ratio=… PASS|FAIL."""
    ratio = value / baseline if baseline else 0
    print(
        f"BENCH {name} value={value:.{digits}f} unit={unit} baseline={baseline:.{digits}f} ratio={ratio:.2f} "
        f"goal={goal} {'PASS' if passed else 'FAIL'}",
        flush=True,
    )
