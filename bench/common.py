"""What every bench shares: the BENCH line, and the bench database with N generated projects.

The database is made once (migrations, the demo partnership, then `samhandling generate --projects N`) and
reused while it holds exactly N generated projects, since generating a million projects takes many minutes.
N comes from BENCH_PROJECTS (default 1 000 000). Import this module before Django is set up: it points
DATABASE_URL at the bench database. The search, load, portfolio, public and matching benches all read it,
so `make bench` generates a million projects once per engine.

The engine: SQLite (var/bench/projectbank-N.sqlite3) unless BENCH_ENGINE=postgresql, which uses
BENCH_DATABASE_URL when set, or else a PostgreSQL server this module starts itself from the Debian binaries
(/usr/lib/postgresql/*/bin), as .ci/run does: initdb once into var/bench/postgresql-N/ (kept, like the SQLite
file, so the million projects are generated once), started on a free port for the run, stopped at exit.
"""

import atexit
import glob
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("BENCH_PROJECTS", "1000000"))
ENGINE = os.environ.get("BENCH_ENGINE") or ("postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite")
PATH = ROOT / "var" / "bench" / f"projectbank-{N}.sqlite3"


def postgres_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    return Path(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: as root (this machine, CI) they run as `postgres`."""
    if os.geteuid() != 0:
        return args
    return ["su", "postgres", "-c", " ".join(f"'{a}'" for a in args)]


def postmaster_pid() -> int | None:
    """The pid of the PostgreSQL server this bench started (its data folder's postmaster.pid), else None."""
    if ENGINE != "postgresql" or os.environ.get("BENCH_DATABASE_URL"):
        return None  # SQLite, or a server someone else started (its data folder is not ours to read)
    try:
        return int((ROOT / "var" / "bench" / f"postgresql-{N}" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def start_postgres() -> str:
    """Starts a PostgreSQL server of its own on var/bench/postgresql-N/ and returns its database URL."""
    binaries = postgres_binaries()
    if binaries is None:
        raise SystemExit("BENCH_ENGINE=postgresql needs BENCH_DATABASE_URL or /usr/lib/postgresql/*/bin")
    data = ROOT / "var" / "bench" / f"postgresql-{N}"
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(data, "postgres")
        subprocess.run(
            _as_postgres([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    port = _free_port()
    options = f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    pg_ctl = str(binaries / "pg_ctl")
    subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(data / "server.log"), "-w", "start"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    atexit.register(
        lambda: subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "stop"]), stdout=subprocess.DEVNULL)
    )
    url = f"postgres://postgres@127.0.0.1:{port}/samhandling"
    subprocess.run(
        [str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "samhandling"],
        stderr=subprocess.DEVNULL,
    )  # fails harmlessly when it exists
    return url


if ENGINE == "postgresql":
    DATABASE_URL = os.environ.get("BENCH_DATABASE_URL") or start_postgres()
else:
    DATABASE_URL = f"sqlite:///{PATH}"
ENGINE_LABEL = "postgresql" if ENGINE == "postgresql" else "sqlite"

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

    if ENGINE == "postgresql":
        call_command("migrate", "--noinput", verbosity=0)
        found = Project.objects.filter(source=SOURCE).count()
        if found == N:
            return N
        if found:  # another size: start from an empty schema, as a new file would
            from django.contrib.contenttypes.models import ContentType

            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            ContentType.objects.clear_cache()  # its ids went with the schema; migrate's audit rows need new ones
            call_command("migrate", "--noinput", verbosity=0)
        return _generate()
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
    with connection.cursor() as cursor:  # loading speed only: a failed build is simply rebuilt
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
    call_command("migrate", "--noinput", verbosity=0)
    return _generate()


def _generate() -> int:
    from django.core.management import call_command

    started = time.perf_counter()
    print(
        f"# building the {ENGINE_LABEL} bench database with {N} projects (once; later runs reuse it)", file=sys.stderr
    )
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
    if ENGINE == "postgresql":
        name += "_postgresql"  # the SQLite lines keep their names
    print(
        f"BENCH {name} value={value:.{digits}f} unit={unit} baseline={baseline:.{digits}f} ratio={ratio:.2f} "
        f"goal={goal} {'PASS' if passed else 'FAIL'}",
        flush=True,
    )
