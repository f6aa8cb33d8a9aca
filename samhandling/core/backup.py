"""Backup and restore of the whole database, for `samhandling backup PATH` and `samhandling restore PATH`.

SQLite uses sqlite3's online backup API (a consistent copy while the server keeps running, FTS tables and
all). PostgreSQL uses pg_dump's custom format and replays it with pg_restore into psql inside one
transaction that first empties the `public` schema, so a restore either replaces everything (tables a later
migration added included) or, on any error, leaves the database as it was. Uploaded files (MEDIA_ROOT) are
not part of the database and are not included.

A backup is written to a temporary file next to PATH and renamed into place when complete, so an
interrupted backup never leaves a half-written file under the name.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"  # Debian's versioned server and client directories


class BackupError(Exception):
    """A refusal or failure with a message meant for the person running the command."""


def backup(path, *, force=False, alias="default") -> Path:
    path = Path(path)
    if path.is_dir():
        raise BackupError(_("%(path)s är en katalog; ange en fil att skriva säkerhetskopian till.") % {"path": path})
    if path.exists() and not force:
        raise BackupError(
            _("%(path)s finns redan; välj en annan fil eller kör med --force för att skriva över den.") % {"path": path}
        )
    if not path.parent.is_dir():
        raise BackupError(_("Katalogen %(dir)s finns inte.") % {"dir": path.parent})
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        if _vendor(alias) == "sqlite":
            _sqlite_backup(alias, tmp)
        else:
            _pg_backup(alias, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def restore(path, *, force=False, alias="default") -> None:
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("Säkerhetskopian %(path)s finns inte.") % {"path": path})
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    vendor = _vendor(alias)
    kind = "sqlite" if head.startswith(SQLITE_MAGIC) else "postgresql" if head.startswith(PG_MAGIC) else None
    if kind is None:
        raise BackupError(
            _("%(path)s är ingen säkerhetskopia från `samhandling backup` (varken SQLite eller pg_dump).")
            % {"path": path}
        )
    if kind != vendor:
        raise BackupError(
            _("%(path)s är en säkerhetskopia av en %(kind)s-databas men databasen är %(vendor)s.")
            % {"path": path, "kind": kind, "vendor": vendor}
        )
    if not force and has_data(alias):
        raise BackupError(
            _(
                "Databasen innehåller redan data som återställningen ersätter helt; "
                "kör med --force för att skriva över den."
            )
        )
    if vendor == "sqlite":
        _sqlite_restore(alias, path)
    else:
        _pg_restore(alias, path)


def has_data(alias="default") -> bool:
    """True when the database has been migrated (a restore would replace something)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return False
        cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
        return cursor.fetchone() is not None


def _vendor(alias):
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(
            _("Säkerhetskopiering stöds för SQLite och PostgreSQL, inte %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


# --- SQLite ----------------------------------------------------------------------------------------------


def _sqlite_backup(alias, target):
    connection = connections[alias]
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as dest:
        connection.connection.backup(dest)


def _sqlite_restore(alias, source):
    with closing(sqlite3.connect(Path(source).resolve().as_uri() + "?mode=ro", uri=True)) as src:
        try:  # a truncated file fails the check itself rather than reporting problems
            problems = src.execute("PRAGMA integrity_check").fetchone()[0]
            migrated = src.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(
                _("%(path)s är skadad eller avkortad (%(error)s); databasen är oförändrad.")
                % {"path": source, "error": exc}
            ) from None
        if problems != "ok":
            raise BackupError(_("%(path)s är skadad: %(problems)s") % {"path": source, "problems": problems})
        if not migrated:
            raise BackupError(
                _("%(path)s är ingen Samhandling-databas (tabellen django_migrations saknas).") % {"path": source}
            )
        connection = connections[alias]
        connection.close()
        connection.ensure_connection()
        try:
            # The backup API replaces every page of the live database in one step, under its write lock.
            src.backup(connection.connection)
        finally:
            connection.close()


# --- PostgreSQL ------------------------------------------------------------------------------------------


def pg_tool(name) -> str:
    """The path of a PostgreSQL client program: $SAMHANDLING_PG_BIN, then PATH, then Debian's versioned dirs."""
    candidates = []
    if os.environ.get("SAMHANDLING_PG_BIN"):
        candidates.append(os.path.join(os.environ["SAMHANDLING_PG_BIN"], name))
    candidates.append(shutil.which(name))
    candidates += sorted(glob.glob(f"{PG_BIN_GLOB}/{name}"), key=_version_key, reverse=True)
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(
        _(
            "%(name)s hittades inte. Installera PostgreSQL:s klientprogram (t.ex. apt-get install postgresql-client) "
            "eller ange katalogen med SAMHANDLING_PG_BIN."
        )
        % {"name": name}
    )


def _version_key(path):
    version = Path(path).parent.parent.name
    return int(version) if version.isdigit() else 0


def _pg_connection_args(alias):
    """Command-line arguments and environment for the client programs (the password never on a command line)."""
    settings = connections[alias].settings_dict
    args, env = [], dict(os.environ)
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args.append(f"{option}={settings[key]}")
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if settings.get("OPTIONS", {}).get(key):
            env[f"PG{key.upper()}"] = str(settings["OPTIONS"][key])
    return args, env, settings["NAME"]


def _run(argv, env, **kwargs):
    result = subprocess.run(argv, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s misslyckades: %(error)s")
            % {"program": Path(argv[0]).name, "error": result.stderr.strip() or result.returncode}
        )
    return result


def _pg_backup(alias, target):
    args, env, name = _pg_connection_args(alias)
    _run([pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", name], env)


def _pg_restore(alias, source):
    tools = {tool: pg_tool(tool) for tool in ("pg_restore", "psql")}
    args, env, name = _pg_connection_args(alias)
    _run([tools["pg_restore"], "--list", str(source)], env)  # a damaged archive is refused before anything changes
    connections[alias].close()
    env["PGOPTIONS"] = "-c client_min_messages=warning"  # not DROP … CASCADE's list of every table
    psql = subprocess.Popen(
        [
            tools["psql"],
            *args,
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--dbname={name}",
            "--file=-",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    psql.stdin.write(b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
    psql.stdin.flush()
    dump = subprocess.run(
        [tools["pg_restore"], "--no-owner", "--no-privileges", "--file=-", str(source)],
        stdout=psql.stdin,
        stderr=subprocess.PIPE,
        env=env,
    )
    if dump.returncode != 0:
        # psql would commit whatever it had read at end of input: end it so the server rolls back instead.
        psql.kill()
        psql.wait()
        raise BackupError(
            _("pg_restore misslyckades och databasen är oförändrad: %(error)s")
            % {"error": dump.stderr.decode().strip()}
        )
    psql.stdin.close()
    errors = psql.stderr.read().decode(errors="replace").strip()
    if psql.wait() != 0:
        raise BackupError(_("Återställningen misslyckades och databasen är oförändrad: %(error)s") % {"error": errors})
