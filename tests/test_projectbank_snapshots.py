"""A server process never builds the large search index: it reads the snapshot the task worker builds and
takes in later writes as a delta.

Real processes on a SQLite file of their own, as in production: the serving process may not build a text
index itself (its `textindex.build` fails unless for a delta), yet it has one at start, and a project that
another process imports is found at the next search.
"""

import os
import shutil
import subprocess
import sys

import pytest
from test_imports_rules import art49_row, write_art49

SERVER = r"""
import sys
import django
django.setup()
from django.test import Client
from samhandling.projectbank import facetindex, textindex

build = textindex.build

def built_here(batches, ids, base=None):
    assert base is not None, "the serving process built the text index itself"
    return build(batches, ids, base=base)

facetindex.SNAPSHOT_FROM = 1  # every index counts as large
textindex.build = built_here
client = Client()

def count(q):
    return client.get("/api/v1/projects", {"q": q}).json()["count"]

first = facetindex.current()
assert first.text_ready.wait(120) and first.text is not None, "no text index at start"
print("start", count("bredbandet"), count("vätgas"), flush=True)
sys.stdin.readline()  # another process writes meanwhile
print("after", count("bredbandet"), count("vätgas"), flush=True)
newer = facetindex.current()
assert newer.base is first and newer.text is not None, "the write was not taken in as a delta"
"""


CLI = [sys.executable, "-m", "samhandling"]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory, migrated_sqlite):
    return migrated_sqlite(tmp_path_factory.mktemp("migrated") / "db.sqlite3")


def _env(db, var):
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "samhandling.settings",
        "SAMHANDLING_VAR": str(var),
    }


def test_the_server_reads_the_snapshot_and_takes_in_writes_at_once(migrated, tmp_path):
    db = shutil.copy(migrated, tmp_path / "db.sqlite3")
    env = _env(db, tmp_path / "var")
    rows = [art49_row(n) for n in range(30)]
    rows[0]["operation_name"] = "Bredband i glesbygd"
    subprocess.run(
        [*CLI, "import", "art49-csv", str(write_art49(tmp_path / "first.csv", rows))],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run([*CLI, "projectbank", "snapshot"], env=env, check=True, capture_output=True)  # the worker's task

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout.readline().split() == ["start", "1", "0"], server.stderr.read()
        hydrogen = art49_row(99, operation_name="Vätgas i hamnen", purpose_and_achievements="Tankstation för vätgas.")
        subprocess.run(
            [*CLI, "import", "art49-csv", str(write_art49(tmp_path / "second.csv", [hydrogen]))],
            env=env,
            check=True,
            capture_output=True,
        )
        server.stdin.write("\n")
        server.stdin.flush()
        assert server.stdout.readline().split() == ["after", "1", "1"], server.stderr.read()
        assert server.wait(30) == 0
    finally:
        server.kill()


def test_the_snapshot_command_says_when_the_index_is_built(migrated, tmp_path):
    db = shutil.copy(migrated, tmp_path / "db.sqlite3")
    env = _env(db, tmp_path / "var")
    subprocess.run(
        [*CLI, "import", "art49-csv", str(write_art49(tmp_path / "a.csv", [art49_row(n) for n in range(3)]))],
        env=env,
        check=True,
        capture_output=True,
    )
    done = subprocess.run([*CLI, "projectbank", "snapshot"], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "3 publika projekt" in done.stdout, done.stderr
    written = sorted(p.name.split("-")[0] for p in (tmp_path / "var" / "projectbank").iterdir() if "lock" not in p.name)
    assert written == ["facets4", "text2"]  # what the server processes read
