"""`samhandling backup PATH` and `samhandling restore PATH` round-trip the whole database, through the CLI.

On SQLite always; on PostgreSQL when the suite runs there (DATABASE_URL=postgres://…), in a database of its own.
Equality is checked on every table's rows before the backup and after the restore: read straight from the
SQLite file (every table, the product's and SQLite's own), or `samhandling dumpdata` on PostgreSQL.
"""

import os
import sqlite3
import subprocess
import sys
import uuid

import dj_database_url
import pytest

EXE = os.path.join(os.path.dirname(sys.executable), "samhandling")
CHANGE = (
    "from django.db import connection\n"
    "from samhandling.projects.models import Organisation\n"
    "Organisation.objects.update(name='Ändrad')\n"
    "Organisation.objects.create(name='Ny efter säkerhetskopian')\n"
    "connection.cursor().execute('CREATE TABLE extra_after_backup (id integer)')\n"
)
AFTER_RESTORE = (
    "from django.db import connection\n"
    "from samhandling.projects.models import Organisation\n"
    "assert 'extra_after_backup' not in connection.introspection.table_names()\n"
    "Organisation.objects.create(name='Skapad efter återställningen')\n"  # sequences restored too
    "print('ok')\n"
)


def cli(env, *args, check=True):
    result = subprocess.run([EXE, *args], env=env, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, f"samhandling {' '.join(args)}: {result.stderr}"
    return result


def dump(env):
    return cli(env, "dumpdata", "--natural-foreign", "--indent", "0").stdout


def sqlite_rows(env) -> str:
    """Every table of the SQLite file with its rows in order, as text (far quicker than a dumpdata process)."""
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        rows = {table: sorted(map(repr, db.execute('SELECT * FROM "%s"' % table))) for table in tables}
    return "\n".join(f"{table}: {found}" for table, found in rows.items())


def round_trip(env, tmp_path, suffix, dump=dump):
    cli(env, "demo")
    original = dump(env)
    assert "projects_organisation" in original or '"projects.organisation"' in original
    assert "partnership_meeting" in original or '"partnership.meeting"' in original
    path = tmp_path / f"samhandling.{suffix}"
    assert "säkerhetskopierad" in cli(env, "backup", str(path)).stdout
    written = path.read_bytes()

    refused = cli(env, "backup", str(path), check=False)
    assert refused.returncode != 0 and "finns redan" in refused.stderr and "--force" in refused.stderr
    assert path.read_bytes() == written

    cli(env, "shell", "--no-imports", "-c", CHANGE)
    changed = dump(env)
    assert changed != original and "Ny efter säkerhetskopian" in changed

    refused = cli(env, "restore", str(path), check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert dump(env) == changed

    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a backup" * 100)
    refused = cli(env, "restore", "--force", str(junk), check=False)
    assert refused.returncode != 0 and "ingen säkerhetskopia" in refused.stderr
    assert dump(env) == changed

    assert "återställd" in cli(env, "restore", "--force", str(path)).stdout
    assert dump(env) == original
    assert cli(env, "shell", "--no-imports", "-c", AFTER_RESTORE).stdout.strip() == "ok"

    cli(env, "backup", "--force", str(path))
    assert path.read_bytes() != written  # --force overwrote it with the current state
    return original


def test_round_trip_on_sqlite(tmp_path, migrated_sqlite):
    db = migrated_sqlite(tmp_path / "db.sqlite3")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "SAMHANDLING_VAR": str(tmp_path)}
    round_trip(env, tmp_path, "sqlite3", dump=sqlite_rows)

    # A backup restores into a fresh, empty database without --force, and refuses the other engine's file.
    fresh = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    cli(fresh, "restore", str(tmp_path / "samhandling.sqlite3"))
    assert sqlite_rows(fresh) == sqlite_rows(env)
    (tmp_path / "pg.dump").write_bytes(b"PGDMP" + b"\0" * 100)
    refused = cli(fresh, "restore", "--force", str(tmp_path / "pg.dump"), check=False)
    assert refused.returncode != 0 and "postgresql" in refused.stderr


@pytest.fixture
def postgres_database():
    """A database of its own on the suite's PostgreSQL server, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL är inte PostgreSQL")
    import psycopg

    settings = dj_database_url.parse(url)
    name = f"samhandling_backup_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_round_trip_on_postgresql(postgres_database, tmp_path):
    env = {**os.environ, "DATABASE_URL": postgres_database, "SAMHANDLING_VAR": str(tmp_path)}
    cli(env, "migrate", "--noinput", "-v", "0")
    round_trip(env, tmp_path, "pgdump")
    assert (tmp_path / "samhandling.pgdump").read_bytes().startswith(b"PGDMP")


def test_missing_postgresql_client_programs_are_a_clear_error(tmp_path, monkeypatch):
    from samhandling.core import backup

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("SAMHANDLING_PG_BIN", raising=False)
    monkeypatch.setattr(backup, "PG_BIN_GLOB", str(tmp_path / "postgresql" / "*" / "bin"))
    with pytest.raises(backup.BackupError, match="pg_dump hittades inte.*SAMHANDLING_PG_BIN"):
        backup.pg_tool("pg_dump")
