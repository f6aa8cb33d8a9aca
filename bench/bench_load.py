"""Bench: load test of the public search with wrk against the production server, on N projects (default 1M).

`samhandling serve` (gunicorn, its default workers and threads) runs on loopback against the shared bench
database (common.py); wrk (Debian package `wrk`) keeps 16 connections busy for BENCH_SECONDS
(default 20) over a rotating mix of public search pages (/projekt/ with words, facets, sorting and paging),
after each page has been asked for a few times (a server keeps recent searches; a popular search is a
repeated one).
The baseline, in the same run and on the same server, is the same wrk run on a static file. Goal: at least
300 requests/s and p99 under 250 ms with zero errors (non-2xx answers and socket errors).

BENCH_PROJECTS=100000 for a quick run.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import common

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARM_UP = 12  # sequential requests per search page before measuring, so that each worker has seen it
CONNECTIONS = 16
GOAL_RPS, GOAL_P99_MS = 300, 250
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
local i = math.random(#paths)
request = function()
  i = (i %% #paths) + 1
  return wrk.format("GET", paths[i])
end
"""


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


def wrk(base: str, script: Path | None, path: str, seconds: int) -> dict:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run([*args, base + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p99": p99, "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0), "raw": out}


def main():
    n = common.prepare()
    from django.core.management import call_command

    from samhandling.projectbank import facetindex

    call_command("collectstatic", "--noinput", verbosity=0)
    facetindex.current().text_ready.wait()  # writes the index snapshots the server's workers then read
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": common.DATABASE_URL}
    server = subprocess.Popen(
        [sys.executable, "-m", "samhandling", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=common.ROOT,
    )
    try:
        wait_until_up(base, server)
        searches = [path for path in SEARCHES if warm_up(base, path)]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
            fh.write(LUA % ", ".join(f'"{quoted(p)}"' for p in searches))
            script = Path(fh.name)
        wrk(base, script, "/", 5)
        search = wrk(base, script, "/", SECONDS)
        static = wrk(base, None, "/static/samhandling/site.css", SECONDS)
        script.unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"# {n} projects, {CONNECTIONS} connections, {SECONDS} s per run, {len(searches)} search pages in rotation")
    for name, run in (("search", search), ("static", static)):
        print(f"# {name}: {run['rps']:.0f} req/s, p99 {run['p99']:.1f} ms, errors {run['errors']}")
        if run["errors"]:
            print("\n".join(f"#   {line}" for line in run["raw"].splitlines()))
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
