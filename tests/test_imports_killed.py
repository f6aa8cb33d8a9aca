"""An import killed half way leaves the database exactly as before.

The import runs in a real process on a database file of its own, migrated by the CLI (`migrated_sqlite`), so
the test needs no test database (a transactional one would be emptied afterwards, under the other tests of its
worker).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from test_imports_rules import art49_row, write_art49


def test_an_import_killed_half_way_leaves_the_database_exactly_as_before(tmp_path, migrated_sqlite):
    """A real process on a real SQLite file, killed with SIGKILL while it writes: nothing of it stays."""
    db = migrated_sqlite(tmp_path / "db.sqlite3")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DJANGO_SETTINGS_MODULE": "samhandling.settings"}
    cli = [sys.executable, "-m", "samhandling"]
    small = write_art49(tmp_path / "small.csv", [art49_row(n) for n in range(20)])
    subprocess.run([*cli, "import", "art49-csv", str(small)], env=env, check=True, capture_output=True)

    def dump():
        with sqlite3.connect(db) as conn:
            return list(conn.iterdump())

    before = dump()
    size = db.stat().st_size
    big = write_art49(
        tmp_path / "big.csv", [art49_row(n, beneficiary_name=f"Org {n % 5000}") for n in range(20, 50_020)]
    )
    child = subprocess.Popen(
        [*cli, "import", "art49-csv", str(big)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    # Half way: the transaction has written uncommitted pages, to the write-ahead log (WAL mode) or, with a
    # rollback journal, into the database file itself.
    wal = tmp_path / "db.sqlite3-wal"

    def written():
        return db.stat().st_size + (wal.stat().st_size if wal.exists() else 0)

    while time.monotonic() < deadline and child.poll() is None and written() < size + 2_000_000:
        time.sleep(0.02)
    assert child.poll() is None, "the import finished before it could be killed"
    assert wal.exists() or (tmp_path / "db.sqlite3-journal").exists()
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert dump() == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM projects_project").fetchone() == (20,)
