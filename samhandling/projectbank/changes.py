"""The one hook every kind of project write calls: `projects_changed(ids)`.

Every store derived from the projects is brought in step here, in the writer's transaction, so no writer can
forget one: the project bank's full-text rows and facet rows, the dashboard's sums (`portfolio.summary`) and
the change log (`Change`) from which each server process's search index (which idea matching reads too)
takes in the written projects at its next read, without a rebuild. Past REBUILD_AFTER logged changes a
background task rebuilds the index's snapshots from scratch and empties the log (`tasks.rebuild_indexes`).

The hook and what it calls run in the writer's transaction without savepoints of their own (a failure fails the
whole write): SQLite copies every page a savepoint changes to a journal of its own, a seventh more per row.

Callers: the receivers in `signals` (the ORM's single saves and deletes, place links changed from either side, an
applicant renamed or moved to another sector), the importers and the synthetic generator with the ids they
wrote in bulk, and any raw or bulk `UPDATE`, which must call it with the ids it touched.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

from samhandling.core import background
from samhandling.portfolio import summary
from . import facetindex, search, services
from .models import Change, IndexState

REBUILD_AFTER = facetindex.DELTA_LIMIT  # logged changes; beyond them a fresh index is cheaper than scoring them live
_bulk: ContextVar[set | None] = ContextVar("projectbank_bulk_write", default=None)


@contextmanager
def bulk():
    """Inside it, in one transaction, a bulk writer's projects are logged only until the log holds more of them
    than any index takes in as a delta.

    Every server process's index stands before the whole transaction or after it, and one that finds more
    projects written since its position than `facetindex.DELTA_LIMIT` loads a fresh index instead (the rebuild
    these writes queued): logging the rest would tell no reader anything. A million-project import logged a
    million rows before."""
    if _bulk.get() is not None:
        yield
        return
    token = _bulk.set(set())
    try:
        yield
    finally:
        _bulk.reset(token)


def _logging(ids: list[int]) -> bool:
    """Whether these ids go to the log: always, except in a bulk write that has logged enough (`bulk`)."""
    logged = _bulk.get()
    if logged is None:
        return True
    if len(logged) > max(REBUILD_AFTER, facetindex.DELTA_LIMIT):  # read now: tests lower them
        return False
    logged.update(ids)
    return True


@transaction.atomic(savepoint=False)  # see the module's docstring
def projects_changed(project_ids, *, documents=None, facets=None, figures=None, created=False) -> None:
    """Refreshes every derived store for these projects (created, changed or deleted).

    A bulk writer that has the rows at hand may pass them to spare reading them back: `documents` as
    (id, analysed name, analysed body, raw text) for `search.index_documents`, `facets` as `services.facet_values`
    rows of the public ones among them, `figures` as `summary.fact` rows of the granted ones. `created` says
    the projects were inserted in this transaction, so they have no index or facet rows to replace yet.
    """
    ids = sorted({int(pk) for pk in project_ids})
    if not ids:
        return
    if documents is None:
        services.refresh_text(ids)
    else:
        search.index_documents(documents, replace=not created)
    if facets is None:
        services.refresh_facets(ids, bump=False)
    else:
        services.write_facets(facets, replace=not created)
    summary.refresh(ids, facts=figures, created=created)
    follows = services.bump_version()  # the version first: its lock orders the log
    if not _logging(ids):
        return
    logged = log(ids, follows=follows)
    if logged // REBUILD_AFTER > (logged - len(ids)) // REBUILD_AFTER:  # once per REBUILD_AFTER changes
        from . import tasks

        background.enqueue_once(tasks.rebuild_indexes)


def log(ids: list[int], *, follows: int) -> int:
    """Appends the ids to the change log, each noting the data version the write found; returns the highest
    sequence number, a bound on the log's length."""
    table = Change._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (project_id, follows) VALUES (%s, %s)", [(pk, follows) for pk in ids])
        # Two subqueries: SQLite finds a lone MIN or MAX at the index's end, but scans the table for both at once.
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {table}) - (SELECT MIN(id) FROM {table}) + 1")
        return cursor.fetchone()[0] or 0


def position() -> tuple[int, int]:
    """(the log's last sequence number, the data version), read in one statement: where an index built now
    stands. Build after reading it: a change made meanwhile is then taken in again, never missed."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COALESCE(MAX(id), 0) FROM {Change._meta.db_table}),"
            f" (SELECT COALESCE(MAX(version), 0) FROM {IndexState._meta.db_table})"
        )
        sequence, version = cursor.fetchone()
    return int(sequence), int(version)


def changed_since(since: tuple[int, int], limit: int) -> tuple[int, list[int] | None]:
    """(the log's last sequence number, the distinct projects written after the `position()` `since`), or None
    instead of the list when there are more than `limit` of them or the log does not go on from there (a
    rebuild dropped rows, a full refresh wrote without logging, a rollback or restore reused the sequence
    numbers): the caller then needs a fresh index."""
    sequence, version = since
    table = Change._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        last = cursor.fetchone()[0]
        if last <= sequence:
            return last, []
        cursor.execute(f"SELECT follows FROM {table} WHERE id > %s ORDER BY id LIMIT 1", [sequence])
        if cursor.fetchone()[0] != version:
            return last, None
        cursor.execute(
            f"SELECT DISTINCT project_id FROM {table} WHERE id > %s AND id <= %s LIMIT %s", [sequence, last, limit + 1]
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    return last, (ids if len(ids) <= limit else None)


def forget_until(sequence: int) -> None:
    """Drops the log up to `sequence`, once every index has been rebuilt from data at least that new."""
    Change.objects.filter(id__lte=sequence).delete()
