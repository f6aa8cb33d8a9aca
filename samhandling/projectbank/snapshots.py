"""Where the public search's snapshots live.

At a million projects a fresh index's facet arrays and text index take the better part of a minute of
Python to build. Writes never need one (each server process takes in the changed projects as a delta, see
`delta`); bulk writes queue `tasks.rebuild_indexes`, which builds the snapshots in the task worker, and the
server processes read (memory-map) the files it writes.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import connection

in_builder = False  # true in the task that builds snapshots, which builds every index in-process


def database_key() -> str:
    return hashlib.sha1(f"{connection.vendor}:{connection.settings_dict['NAME']}".encode()).hexdigest()[:12]


def folder() -> Path:
    return settings.VAR_DIR / "projectbank"


def path(version: int, kind: str, suffix: str = "") -> Path:
    return folder() / f"{kind}-{database_key()}-{version}{suffix}"
