"""Fast inserts for imports, the synthetic generator and the derived facet and figure rows: INSERT statements of
many rows, ids assigned up front.

The ORM's bulk_create spends most of its time compiling SQL per object; here each model's column list and
defaults are worked out once, so a row costs little more than the database's own work. Fields that a
row does not give take the model field's default, so columns added by other apps keep working.
"""

import sqlite3
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from functools import cache, partial
from itertools import chain

from django.db import connection, models
from django.utils import timezone


def _plain(value):
    """Parameters both sqlite3 and psycopg accept without adapters."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):  # as the ORM writes it (on SQLite: naive UTC text)
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class BulkInserter:
    def __init__(self, model):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in self.fields]
        now = timezone.now()
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = _plain(now if isinstance(f, models.DateTimeField) else now.date())
            elif isinstance(f, models.JSONField):  # adapted with each row's own values in insert()
                self.defaults[f.attname] = f.get_default()
            else:
                self.defaults[f.attname] = _plain(f.get_db_prep_save(f.get_default(), connection))
        self.attnames = [f.attname for f in self.fields]
        self.default_values = [self.defaults[a] for a in self.attnames]
        # The only values the database adapters do not take as they are: datetimes (see _plain) and JSON.
        self.datetimes = [i + 1 for i, f in enumerate(self.fields) if isinstance(f, models.DateTimeField)]
        self.jsons = [(i + 1, f.encoder) for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]

    def insert(self, rows: list[dict]) -> list[int]:
        """Inserts rows given as {attname: value}; returns their new ids in order."""
        if not rows:
            return []
        ids = self._ids(len(rows))
        attnames, defaults = self.attnames, self.default_values
        values: list = []  # the rows' values one after another, as insert_rows takes them
        append, extend = values.append, values.extend
        for pk, row in zip(ids, rows):
            append(pk)
            extend(map(row.get, attnames, defaults))
        adapt = [(i, _plain) for i in self.datetimes]
        adapt += [(i, partial(connection.ops.adapt_json_value, encoder=encoder)) for i, encoder in self.jsons]
        for i, adapter in adapt:
            done: dict[int, tuple] = {}  # one object given for every row (a batch's time, a run's note) adapts once
            for k in range(i, len(values), len(attnames) + 1):
                value = values[k]
                if value is not None:
                    if id(value) not in done:  # the object is kept with its result, so its id is not reused
                        done[id(value)] = (value, adapter(value))
                    values[k] = done[id(value)][1]
        insert_rows(self.table, ["id", *self.columns], values)
        return ids

    def _ids(self, count: int) -> list[int]:
        """New ids: PostgreSQL's sequence hands out ones no concurrent writer takes; on SQLite the writing
        transaction holds the database's write lock, so the ids after the highest one (read each time: the
        same transaction may write rows through the ORM in between) are free."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [self.table, count]
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")
            first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def insert_links(through, left: str, right: str, pairs) -> None:
    """Rows of an M2M table, e.g. insert_links(Project.counties.through, 'project_id', 'county_id', pairs)."""
    values = list(chain.from_iterable(pairs))
    if values:
        columns = [through._meta.get_field(left).column, through._meta.get_field(right).column]
        insert_rows(through._meta.db_table, columns, values)


ROWS_PER_STATEMENT = 1000
SMALLER_STATEMENTS = (64, 8, 1)  # what is left after the full statements goes in these, so each is compiled once


def insert_rows(table: str, columns: Sequence[str], values: list) -> None:
    """Inserts rows, given as their values one after another (as many to a row as there are `columns`), with up
    to ROWS_PER_STATEMENT rows per INSERT statement.

    On SQLite every run of an INSERT into a table with AUTOINCREMENT, which Django gives every model's table,
    reads sqlite_sequence from its start, a row per such table (about 60). executemany runs its statement once
    per row: 900 000 link rows took 3.0 s in such a database against 1.3 s in an empty one. A statement of many
    rows would also keep a statement journal, to undo its own rows should one fail, and copy into it every page
    the full page cache spills meanwhile. `OR FAIL` needs none: it stops at the failing row with an error, and
    every caller's transaction then rolls back the rows before it too. Statements come in a fixed few sizes, so
    SQLite's statement cache keeps each one compiled.
    """
    start = 0
    with connection.cursor() as cursor:
        execute = _executor(cursor)
        for rows, sql in _statements(connection.vendor, table, tuple(columns)):
            step = rows * len(columns)
            while len(values) - start >= step:
                execute(sql, values[start : start + step])
                start += step


@cache
def _statements(vendor: str, table: str, columns: tuple[str, ...]) -> list[tuple[int, str]]:
    """(rows, INSERT statement) for `insert_rows`, from the most rows to one; SQLite's with `?` (`_executor`)."""
    width = len(columns)
    most = max(1, min(ROWS_PER_STATEMENT, _most_parameters() // width))
    head = f"{'INSERT OR FAIL' if vendor == 'sqlite' else 'INSERT'} INTO {table} ({', '.join(columns)}) VALUES "
    one = f"({', '.join(['?' if vendor == 'sqlite' else '%s'] * width)})"
    return [(size, head + ", ".join([one] * size)) for size in (most, *(s for s in SMALLER_STATEMENTS if s < most))]


def _executor(cursor):
    """Django's `cursor.execute`, except on SQLite: Django's wrapper there rewrites each `%s` of a statement with
    a regular expression, 3.5 ms for a statement of a thousand projects, about 7 s of a million-row import. Those
    statements are written with `?` and run by the sqlite3 cursor itself, its errors translated as Django's."""
    if connection.vendor != "sqlite":
        return cursor.execute

    def execute(sql: str, params: list) -> None:
        with connection.wrap_database_errors:
            sqlite3.Cursor.execute(cursor.cursor, sql, params)

    return execute


def _most_parameters() -> int:
    """The most parameters one statement may take: SQLite's limit is set when it is compiled (32 766 by
    default; Django assumes 999), psycopg's protocol takes 65 535."""
    if connection.vendor != "sqlite":
        return 65535
    connection.ensure_connection()
    return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def delete_links(through, left: str, ids) -> None:
    ids = list(ids)
    if ids:
        through.objects.filter(**{f"{left}__in": ids}).delete()


BULK_CACHE_KIB = 131072


@contextmanager
def page_cache():
    """SQLite's page cache raised to BULK_CACHE_KIB while a bulk write runs, then put back.

    The default 2 MB cannot hold the indexes a million-row import inserts into at random (source ids,
    applicants, the full-text segments, tens of MB each at that size), so inserts read pages back and dirty
    pages are spilled to the file early. The cache size changes neither the transaction nor the journal that
    rolls back a killed run (tests/test_imports_killed.py).
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


DEFER_INDEXES_FROM_ROWS = 50_000


class DeferredIndexes:
    """A bulk write's large tables without their secondary indexes while it adds many rows, which are built
    again from the tables before it commits.

    SQLite keeps each index in step row by row, one more B-tree to insert into per index and row; building it
    afterwards sorts the table once. That pays once a write has added more rows than the table held and at
    least DEFER_INDEXES_FROM_ROWS: a million-row import took 13 s less (two pairs of runs, docs/deploy.md). SQLite
    only: its DDL is part of the transaction, so a failed or rolled-back write gets the indexes back with the
    rest, and readers keep their snapshot, indexes included; PostgreSQL would lock the tables against readers.
    Unique indexes stay: they keep the write correct and answer its own lookups, as do the primary keys.
    Partial indexes stay too: each holds only the rows its condition takes (a project's call, strand and
    owner: applications', never a list of operations'), and building one again would scan the whole table.
    An index's statistics (where ANALYZE has been run) are put back with it, since DROP INDEX deletes them.
    """

    def __init__(self, *models):
        self.dropped: list[str] = []  # each index's own CREATE statement, as SQLite keeps it
        self.statistics: list[tuple] = []  # their rows of sqlite_stat1
        self.waiting: dict[str, int] = {}  # table → the new rows after which its indexes go
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(f'SELECT COALESCE(MAX(rowid), 0) FROM "{table}"')
                self.waiting[table] = max(DEFER_INDEXES_FROM_ROWS, cursor.fetchone()[0])

    def added(self, rows: int) -> None:
        """Told after each batch how many rows the write has added so far (to its main table)."""
        due = [table for table, after in self.waiting.items() if rows >= after]
        if not due:
            return
        with connection.cursor() as cursor:
            for table in due:
                del self.waiting[table]
                self._drop(cursor, table)

    def _drop(self, cursor, table: str) -> None:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"
            " AND sql NOT LIKE 'CREATE UNIQUE%%' AND sql NOT LIKE '%% WHERE %%'",
            [table],
        )
        indexes = dict(cursor.fetchall())
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            self.statistics += [row for row in cursor.fetchall() if row[1] in indexes]
        for name, sql in indexes.items():
            cursor.execute(f'DROP INDEX "{name}"')
            self.dropped.append(sql)

    def restore(self) -> None:
        """Builds the dropped indexes again, with their statistics; call it before the transaction commits."""
        if not self.dropped:
            return
        with connection.cursor() as cursor:
            while self.dropped:
                cursor.execute(self.dropped.pop())
            if self.statistics:
                cursor.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", self.statistics)
        self.statistics = []
