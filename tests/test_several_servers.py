"""Several app servers: two `samhandling serve` processes on different ports share one database and its
database cache (CACHE_URL's default), the way a national installation runs N servers behind a proxy.

What one server writes the other shows, a rate limit counts the requests to both, a django-axes lock-out
made through one holds on the other, and nothing lives in one process only: the session, the network's
build (queued through one, computed by the task worker, served by both), and the counts all sit in the
shared database.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

EXE = Path(sys.executable).with_name("samhandling")
PASSWORD = "Ett-langt-och-ovanligt-losen-77"


def _in_one_rate_window(key: str = "127.0.0.1", period: int = 60, needed: int = 15) -> None:
    """Waits, when needed, until the servers' rate window for `key` has `needed` seconds left.

    django-ratelimit counts in fixed windows, each key's ending at a second of its own, and the servers read the
    real clock: requests that straddled a window's end were counted in two windows, and a limit test saw more
    requests let through (13 of 10 on a slow PostgreSQL run). The window's end is the library's own
    (`_get_window`), on the clock conftest stopped at this test's start: windows repeat every `period` seconds,
    so the time left in the real clock's window is the difference modulo the period (the stopped window may
    have ended since, which once made it negative)."""
    from django_ratelimit.core import _get_window

    left = (_get_window(key, period) - time.time()) % period
    if left < needed:
        time.sleep(left + 0.5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A visitor with its own cookies, who may ask either server (a proxy sends requests anywhere)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, base: str, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(base + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, base: str, path: str, data: dict) -> tuple[int, str]:
        _status, page = self.get(base, path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(base + path, data=body, headers={"Referer": base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


def _answers(base: str) -> bool:
    try:
        return Browser().get(base, "/tillganglighet/")[0] == 200
    except OSError:  # not listening yet
        return False


@pytest.fixture(scope="module")
def servers(tmp_path_factory, migrated_sqlite):
    """Two servers (A with the task worker, B without) on one SQLite file in WAL mode, after migrate."""
    var = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{var / 'shared.sqlite3'}",
        "SAMHANDLING_VAR": str(var),
        "SAMHANDLING_PUBLIC_PAGE_RATE_LIMIT": "4",
        "SAMHANDLING_API_RATE_LIMIT": "10",
        "SAMHANDLING_DEMO": "0",
    }
    env.pop("CACHE_URL", None)  # the default: the database cache in the shared database
    migrated_sqlite(var / "shared.sqlite3")
    subprocess.run([EXE, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    code = (
        "from django.contrib.auth.models import Group, User; "
        f"u = User.objects.create_user('sekr', password='{PASSWORD}'); "
        "u.groups.add(Group.objects.get_or_create(name='secretariat')[0]); "
        "from samhandling.portfolio.models import Theme; Theme.objects.create(name='Delat tema')"
    )
    subprocess.run([EXE, "shell", "-c", code], env=env, check=True)
    started = []
    bases = []
    for worker in (True, False):
        port = _free_port()
        args = [EXE, "serve", "--port", str(port), "--workers", "1", "--threads", "2"]
        started.append(
            subprocess.Popen(
                args if worker else [*args, "--no-task-worker"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, started):
            deadline = time.time() + 180
            while not _answers(base):
                assert process.poll() is None and time.time() < deadline, f"{base} did not start"
                time.sleep(0.5)
        yield bases
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=60)


def test_a_write_through_one_server_is_seen_on_the_other(servers):
    a, b = servers
    visitor = Browser()
    status, _page = visitor.post(a, "/logga-in/", {"username": "sekr", "password": PASSWORD})
    assert status == 200  # redirected to the start page
    status, page = visitor.get(b, "/mina-uppgifter/")  # the session written by A, read by B
    assert status == 200 and "Logga ut" in page
    theme = re.search(r'<option value="(\d+)">Delat tema', visitor.get(a, "/portfoljen/mal/")[1]).group(1)
    status, page = visitor.post(
        a, "/portfoljen/mal/", {"theme": theme, "share_percent": "10", "decided_in": "Beslut 2026:1"}
    )
    assert status == 200 and "Målet är sparat" in page  # saved through A
    assert "Beslut 2026:1" in visitor.get(b, "/portfoljen/mal/")[1]  # and listed by B
    _status, page = visitor.get(b, "/portfoljen/natverk/")  # B queues the network's build; A's worker runs it
    deadline = time.time() + 120
    while "beräknas just nu" in page:
        assert time.time() < deadline, "the task worker did not build the network"
        time.sleep(1)
        _status, page = Browser().get(a, "/portfoljen/natverk/")
    assert "Organisationer efter centralitet" in Browser().get(b, "/portfoljen/natverk/")[1]


def test_a_rate_limit_counts_the_requests_to_both_servers(servers):
    a, b = servers
    _in_one_rate_window()
    visitor = Browser()
    assert [visitor.get(server, "/oppna-data/datapackage/")[0] for server in (a, b, a, b)] == [200] * 4
    assert visitor.get(a, "/oppna-data/datapackage/")[0] == 429
    status, page = visitor.get(b, "/oppna-data/datapackage/")
    assert status == 429 and "För många anrop" in page


def test_parallel_requests_to_both_servers_are_counted_exactly(servers):
    """30 API calls at once, half to each server, against a limit of 10: exactly 10 answered (the database
    cache's increment is atomic across processes; a lost count would let more through)."""
    from concurrent.futures import ThreadPoolExecutor

    a, b = servers
    _in_one_rate_window()
    with ThreadPoolExecutor(12) as pool:
        codes = list(pool.map(lambda i: Browser().get((a, b)[i % 2], "/api/v1/objectives")[0], range(30)))
    assert codes.count(200) == 10 and codes.count(429) == 20, codes


def test_a_lock_out_through_one_server_holds_on_the_other(servers):
    a, b = servers
    visitor = Browser()
    for server in (a, b, a, b, a):  # AXES_FAILURE_LIMIT = 5 failures, spread over both servers
        visitor.post(server, "/logga-in/", {"username": "sekr", "password": "fel"})
    for server in (b, a):
        status, page = Browser().post(server, "/logga-in/", {"username": "sekr", "password": PASSWORD})
        assert status == 429 and "spärrad" in page
