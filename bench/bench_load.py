"""Bench: load test of the public search with wrk against two production servers, on N projects (default 1M).

Two `samhandling serve` processes (gunicorn, one worker process each with its threads) listen on two
loopback ports against the shared bench database (common.py) and its database cache, as N app servers
behind a proxy do. wrk (Debian package `wrk`) runs against each at once, 16 connections in all, for
BENCH_SECONDS (default 20). 9 of 20 requests rotate over popular search pages (/projekt/ with words,
facets, sorting and paging; each asked a few times first, since a popular search is a repeated one and the
servers share what they rendered); the other 11 are searches nobody asked before:
one or two random words of the generator's vocabulary with random filter combinations. The shared cache is
emptied first, and the run reports how many of its requests were searches no server had answered before (the
search pages the cache gained).
The baseline, in the same run and on the same servers, is the same wrk run on a static file. Goal: at least
300 requests/s and p99 under 250 ms with zero errors (non-2xx answers and socket errors), summed over both
servers (p99: the worse of the two). The run also prints the CPU time each search request cost the app servers
and, when the bench started PostgreSQL itself, the database server, which shares the same cores here.

No task worker runs beside them, as in the national set-up, where it has a host of its own
(docs/deploy.md): the bench database keeps the builds the other benches queued (the open-data files of each
data version they wrote, about 7 minutes at 1M), and running those on the same two cores would measure them,
not the servers. A search queues no work.

BENCH_PROJECTS=100000 for a quick run.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

os.environ.setdefault("SAMHANDLING_SEARCH_RATE_LIMIT", str(10**9))  # one client address asks for everything
os.environ.setdefault("SAMHANDLING_API_RATE_LIMIT", str(10**9))

import common  # noqa: E402  (sets DATABASE_URL before Django starts)

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARM_UP = 12  # sequential requests per search page before measuring, so that each worker has seen it
CONNECTIONS = 16
GOAL_RPS, GOAL_P99_MS = 300, 250
STALLED_STATIC_P99_MS = 100  # a static file's p99 above this means the machine was not the servers' alone
SEARCHES = [
    "/projekt/",
    "/projekt/?q=bredband",
    "/projekt/?q=innovation&county=01",
    "/projekt/?q=kompetensutveckling",
    "/projekt/?q=digitalisering&sort=amount",
    "/projekt/?q=hållbar+turism",
    "/projekt/?q=cirkulär+ekonomi",
    "/projekt/?fund=ERUF&start_year=2020",
    "/projekt/?q=landsbygd&page=2",
    "/projekt/?county=14&sort=date",
    "/projekt/?q=entreprenörskap&fund=ESF%2B",
    "/projekt/?q=klimat&amount_min=1000000&amount_max=5000000",
    "/projekt/?q=forskning+och+utveckling",
    "/projekt/?q=export&sector=company",
    "/projekt/?q=ungdomar",
    "/projekt/?q=samverkan+näringsliv&period=2021",
    "/projekt/?municipality=0180",
    "/projekt/?q=besöksnäringen",
    "/projekt/?q=integration+arbetsmarknad",
    "/projekt/?q=företag&page=3",
]
LUA = """
local paths = {%s}
local words = {%s}
local filters = {%s}
local i = 0
local p = 0
function init(args)
  math.randomseed(os.time() + tonumber(string.sub(tostring({}), 8), 16) %% 1000003)
end
request = function()
  i = i + 1
  if i %% 20 < 9 then  -- 9 of 20 popular: the new ones stay over half when a random one repeats
    p = p + 1
    return wrk.format("GET", paths[p %% #paths + 1])
  end
  local q = words[math.random(#words)]
  if math.random(2) == 1 then q = q .. "+" .. words[math.random(#words)] end
  local path = "/projekt/?q=" .. q
  if math.random(2) == 1 then path = path .. "&" .. filters[math.random(#filters)] end
  if math.random(3) == 1 then path = path .. "&" .. filters[math.random(#filters)] end
  return wrk.format("GET", path)
end
"""


def fresh_search_parts() -> tuple[list[str], list[str]]:
    """Words of the generator's vocabulary, and filter values the bench data holds (so no answer is a 404)."""
    from samhandling.programmes.models import Fund
    from samhandling.projectbank.synthetic import vocabulary
    from samhandling.projects.models import County

    words = [w for w in vocabulary()[0][:2000] if w.isalpha()]
    filters = [f"county={code}" for code in County.objects.values_list("code", flat=True)]
    filters += [f"fund={urllib.parse.quote(code)}" for code in Fund.objects.values_list("code", flat=True)]
    filters += [f"start_year={year}" for year in range(2015, 2024)]
    filters += ["sort=amount", "sort=date", "amount_min=1000000", "amount_max=5000000"]
    return words, filters


def quoted(path: str) -> str:
    """Å, ä and ö percent-encoded, as a browser sends them."""
    return urllib.parse.quote(path, safe="/?=&+%")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, server, timeout=300) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(base + "/projekt/?q=bredband", timeout=60) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer in time")


def warm_up(base: str, path: str) -> bool:
    """Asks for a search page until every worker has computed (and cached) it; False when a small bench
    database has no such page (a page number beyond the last), which then leaves the mix."""
    for _ in range(WARM_UP):
        try:
            with urllib.request.urlopen(base + quoted(path), timeout=120) as response:
                assert response.status == 200, path
        except urllib.error.HTTPError as exc:
            if exc.code != 404:
                raise
            print(f"# {path}: no such page with this many projects; left out")
            return False
    return True


def wrk(base: str, script: Path | None, path: str, seconds: int, connections: int = CONNECTIONS) -> dict:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run([*args, base + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return {"rps": rps, "p99": p99, "errors": errors, "requests": requests, "raw": out}


def computed_pages() -> int:
    """Search pages in the shared cache (one is kept per search a server computed): the count's growth over
    a run is the number of searches no server had answered before."""
    from django.core.cache import cache
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {cache._table} WHERE cache_key LIKE %s", ["%:projectbank:%"])
        return cursor.fetchone()[0]


def read_into_memory() -> None:
    """Reads what a search reads once, as a server that has answered for a while holds it in memory: the rows
    a page of hits shows and the text index snapshot the servers map. The machine's file cache does not keep
    both bench databases and their snapshots (`fincore`: 5 % of one snapshot left after the other database's
    runs), and a first PostgreSQL run after SQLite runs read them from disk: 26–36 requests/s, with a static
    file's p99 over 500 ms while the servers waited on the disk; the next runs 140–199."""
    from django.db.models import Sum
    from django.db.models.functions import Length

    from samhandling.projectbank import facetindex, snapshots
    from samhandling.projects.models import Organisation, Project

    Project.objects.aggregate(names=Sum(Length("name")), summaries=Sum(Length("summary")))
    Organisation.objects.aggregate(names=Sum(Length("name")))
    index = facetindex.current()
    for path in snapshots.folder().glob(f"*-{index.loader.database_key()}-{index.version}*"):
        for file in path.rglob("*") if path.is_dir() else [path]:
            with file.open("rb") as fh:
                while fh.read(1 << 24):
                    pass


def start_server(port: int):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "samhandling",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-task-worker",
        ],
        env={**os.environ, "DATABASE_URL": common.DATABASE_URL},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=common.ROOT,
        start_new_session=True,  # its own process group: stopping it stops its gunicorn too
    )


def cpu_seconds(roots: list[int]) -> float:
    """CPU time (user and system) used so far by these processes and everything they started (Linux's /proc;
    0 elsewhere): how the two cores were shared between the app servers and the database."""
    tick, parents, times = os.sysconf("SC_CLK_TCK"), {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc") if os.path.isdir("/proc") else []):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        parents[int(pid)], times[int(pid)] = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
    total, seen = 0.0, set(roots)
    for pid in times:
        ancestor = pid
        while ancestor not in seen and ancestor in parents and parents[ancestor] > 1:
            ancestor = parents[ancestor]
        if ancestor in seen:
            total += times[pid]
    return total


def wrk_both(bases: list[str], script: Path | None, path: str, seconds: int) -> dict:
    """wrk against every server at once (CONNECTIONS shared out): requests/s and errors summed, worst p99."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(bases)) as pool:
        runs = list(pool.map(lambda base: wrk(base, script, path, seconds, CONNECTIONS // len(bases)), bases))
    return {
        "rps": sum(r["rps"] for r in runs),
        "p99": max(r["p99"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "raw": "\n".join(r["raw"] for r in runs),
    }


def main():
    n = common.prepare()
    from django.core.cache import cache
    from django.core.management import call_command

    from samhandling.projectbank import facetindex

    call_command("collectstatic", "--noinput", verbosity=0)
    cache.clear()  # an earlier run's answers, kept in the bench database's cache table, would make new searches old
    facetindex.current().text_ready.wait()  # writes the index snapshots the server's workers then read
    words, filters = fresh_search_parts()
    read_into_memory()
    ports = [free_port(), free_port()]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    servers = [start_server(port) for port in ports]
    try:
        for base, server in zip(bases, servers):
            wait_until_up(base, server)
        searches = [path for path in SEARCHES if warm_up(bases[0], path)]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
            fh.write(
                LUA
                % (
                    ", ".join(f'"{quoted(p)}"' for p in searches),
                    ", ".join(f'"{quoted(w)}"' for w in words),
                    ", ".join(f'"{f}"' for f in filters),
                )
            )
            script = Path(fh.name)
        wrk_both(bases, script, "/", 5)
        before = computed_pages()
        database = [pid for pid in [common.postmaster_pid()] if pid]
        cpu_before = cpu_seconds([s.pid for s in servers]), cpu_seconds(database)
        search = wrk_both(bases, script, "/", SECONDS)
        cpu_after = cpu_seconds([s.pid for s in servers]), cpu_seconds(database)
        computed = computed_pages() - before
        static = wrk_both(bases, None, "/static/samhandling/site.css", SECONDS)
        script.unlink()
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a request still under way: the figures stand
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    print(
        f"# {n} projects on {common.ENGINE_LABEL}, 2 servers sharing one database cache, {CONNECTIONS} connections, "
        f"{SECONDS} s per run; 9 of 20 requests rotate over {len(searches)} popular searches, 11 are new "
        f"searches ({len(words)} words, {len(filters)} filter values)"
    )
    print(
        f"# searches computed during the run (pages the shared cache had not held): {computed} of "
        f"{search['requests']} requests ({100 * computed / max(search['requests'], 1):.0f} %)"
    )
    for name, run in (("search", search), ("static", static)):
        print(f"# {name}: {run['rps']:.0f} req/s, p99 {run['p99']:.1f} ms, errors {run['errors']}")
        if run["errors"]:
            print("\n".join(f"#   {line}" for line in run["raw"].splitlines()))
    per_request = [1000 * (after - before) / max(search["requests"], 1) for before, after in zip(cpu_before, cpu_after)]
    print(
        f"# CPU per search request: the app servers {per_request[0]:.2f} ms"
        + (f", the database server {per_request[1]:.2f} ms (on the same cores)" if database else "")
    )
    if static["p99"] > STALLED_STATIC_P99_MS:
        print(
            f"# warning: a static file's p99 was {static['p99']:.0f} ms (14-32 ms on an idle machine): the servers "
            "waited on something else during the run (e.g. the disk, see read_into_memory); run it again"
        )
    common.report(
        "load_search_rps", search["rps"], "req/s", static["rps"], f">={GOAL_RPS}req/s", search["rps"] >= GOAL_RPS
    )
    common.report(
        "load_search_p99", search["p99"], "ms", static["p99"], f"<{GOAL_P99_MS}ms", search["p99"] < GOAL_P99_MS
    )
    common.report(
        "load_search_errors", search["errors"], "count", static["errors"], "=0", search["errors"] == 0, digits=0
    )


if __name__ == "__main__":
    main()
