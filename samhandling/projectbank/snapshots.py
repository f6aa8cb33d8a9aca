"""Where the public search's snapshots live, and the separate process that builds them.

At a million projects the next version's facet arrays and text index take the better part of a minute of
Python to build. Built by a thread of a server process, they share its interpreter lock with the searches it
serves, and those slowed to a p95 of about 600 ms for that minute. So a server process on a database file
leaves the building to a child, `samhandling projectbank snapshot`, and only reads the files it writes.
"""

import fcntl
import hashlib
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)
in_builder = False  # true in the child itself, which builds in-process


def database_key() -> str:
    return hashlib.sha1(f"{connection.vendor}:{connection.settings_dict['NAME']}".encode()).hexdigest()[:12]


def folder() -> Path:
    return settings.VAR_DIR / "projectbank"


def path(version: int, kind: str, suffix: str = "") -> Path:
    return folder() / f"{kind}-{database_key()}-{version}{suffix}"


def build_elsewhere(ready) -> None:
    """Runs the child and waits for it, unless `ready()` says the snapshots are there already. Only for a
    SQLite file (a child cannot open the tests' in-memory database) and never from the child itself; when it
    does not run or fails, the caller builds in-process, as before."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or in_builder or not Path(name).is_file():
        return
    folder().mkdir(parents=True, exist_ok=True)
    with open(folder() / f"builder-{database_key()}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one child per database, whichever server process asks
        if ready():
            return
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{name}", "SAMHANDLING_VAR": str(settings.VAR_DIR)}
        done = subprocess.run(
            [sys.executable, "-m", "samhandling", "projectbank", "snapshot"], env=env, capture_output=True, text=True
        )
    if done.returncode:
        logger.warning("The search snapshot could not be built in a separate process:\n%s", done.stderr[-3000:])
