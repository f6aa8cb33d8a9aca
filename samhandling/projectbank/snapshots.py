"""Where the public search's snapshots live.

At a million projects a fresh index's facet arrays and text index take the better part of a minute of
Python to build. Writes never need one (each server process takes in the changed projects as a delta, see
`delta`); bulk writes queue `tasks.rebuild_indexes`, which builds the snapshots in the task worker, and the
server processes read (memory-map) the files it writes.
"""

from pathlib import Path

from django.conf import settings

in_builder = False  # true in the task that builds snapshots, which builds every index in-process


def folder() -> Path:
    return settings.VAR_DIR / "projectbank"


def path(database: str, version: int, kind: str, suffix: str = "") -> Path:
    """The snapshot of `kind` for a data version of a database (named by the loader's `database_key`)."""
    return folder() / f"{kind}-{database}-{version}{suffix}"
