"""The project bank's full-text index: one Swedish analyser, two database back ends.

Texts are run through `samhandling.portfolio.textanalysis` (Snowball Swedish plus definite/genitive variants)
before they reach the database, and queries are turned into AND-of-OR groups of the same stems, so
"bredband", "bredbandet" and "bredbands" find each other on both back ends:

- SQLite: an FTS5 table `projectbank_fts` (rowid = project id) holding the analysed name and body.
- PostgreSQL: a table `projectbank_search` holding the analysed name and body, and a GIN-indexed tsvector
  that combines them ('simple' configuration) with PostgreSQL's own `swedish` configuration on the raw text;
  a query word matches when either stem does.

Both keep the analysed text, so the in-memory `textindex` (typos, places, suggestions, BM25 ranking) is built
from either (`analysed_rows`) and a search answers alike on both; the database's own match serves while a
large index is still being built.
"""

from django.db import connection

from samhandling.portfolio.textanalysis import analyse, words

from .textindex import NAME_WEIGHT, query_groups

# FTS5 keeps a transaction's new terms in memory until they reach this size, then writes them as a segment and
# merges segments level by level. With its default of 1 MB a million-project import wrote many small segments
# and merged them again and again: bench_import's million full-text rows, loaded alone, took 16.4 s of inserts,
# and 9.9 s at 64 MB. A small write holds only its own terms: FTS5 writes them out when the transaction commits.
FTS_HASH_BYTES = 64 * 2**20
SQLITE_OPTIONS = f"INSERT INTO projectbank_fts (projectbank_fts, rank) VALUES ('hashsize', {FTS_HASH_BYTES})"
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS projectbank_fts USING fts5("
    "name, body, tokenize = 'unicode61 remove_diacritics 0')",
    SQLITE_OPTIONS,
]
POSTGRES_DDL = [
    "CREATE TABLE IF NOT EXISTS projectbank_search ("
    " project_id integer PRIMARY KEY,"  # no foreign key: Django's flush truncates model tables only
    " name text,"  # the analysed texts (NULL in rows written before they were kept: services.fill_analysed_text)
    " body text,"
    " document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS projectbank_search_document ON projectbank_search USING gin(document)",
]
DROP_DDL = {
    "sqlite": ["DROP TABLE IF EXISTS projectbank_fts"],
    "postgresql": ["DROP TABLE IF EXISTS projectbank_search"],
}


def create_index(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    ddl = POSTGRES_DDL if conn.vendor == "postgresql" else SQLITE_DDL
    with conn.cursor() as cursor:
        for statement in ddl:
            cursor.execute(statement)


def configure_index(schema_editor=None) -> None:
    """Sets SQLite's full-text options on an index made before they were part of SQLITE_DDL."""
    conn = schema_editor.connection if schema_editor else connection
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            cursor.execute(SQLITE_OPTIONS)


def drop_index(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    with conn.cursor() as cursor:
        for statement in DROP_DDL.get(conn.vendor, DROP_DDL["sqlite"]):
            cursor.execute(statement)


def document(name: str, *texts: str) -> tuple[str, str, str]:
    """(analysed name, analysed body, raw text) for one project; the raw text, which only PostgreSQL's own
    Swedish configuration reads, is empty on SQLite (an importer's worker would send it for nothing)."""
    body = " ".join(t for t in texts if t)
    return analyse(name), analyse(body), f"{name} {body}" if connection.vendor == "postgresql" else ""


def index_rows(rows) -> None:
    """Writes (project_id, name, summary, beneficiary, *more texts) rows into the index, replacing old entries."""
    index_documents([(row[0], *document(*row[1:])) for row in rows])


def index_documents(batch, *, replace: bool = True) -> None:
    """Writes (project_id, analysed name, analysed body, raw text) rows, replacing old entries
    (`replace=False` for projects known to have none yet, new ones)."""
    if not batch:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                "INSERT INTO projectbank_search (project_id, name, body, document) VALUES (%s, %s, %s,"
                " setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
                " || setweight(to_tsvector('swedish', %s), 'D'))"
                " ON CONFLICT (project_id) DO UPDATE SET name = EXCLUDED.name, body = EXCLUDED.body,"
                " document = EXCLUDED.document",
                [(pk, name, body, name, body, raw) for pk, name, body, raw in batch],
            )
        else:
            if replace:
                cursor.executemany("DELETE FROM projectbank_fts WHERE rowid = %s", [(b[0],) for b in batch])
            # A row per statement: statements of a thousand rows (imports.bulk.insert_rows) took 26–29 s for a
            # million rows into this virtual table, against 12.5–13.8 s.
            cursor.executemany(
                "INSERT INTO projectbank_fts (rowid, name, body) VALUES (%s, %s, %s)", [b[:3] for b in batch]
            )


def remove(project_ids) -> None:
    ids = [(pk,) for pk in project_ids]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany("DELETE FROM projectbank_search WHERE project_id = %s", ids)
        else:
            cursor.executemany("DELETE FROM projectbank_fts WHERE rowid = %s", ids)


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM projectbank_search" if connection.vendor == "postgresql" else "DELETE FROM projectbank_fts"
        )


def analysed_rows(cursor, ids=None) -> None:
    """Runs the query for (project id, analysed name, analysed body) of every indexed project, or of `ids`,
    in id order, on the cursor (the caller fetches in batches)."""
    postgresql = connection.vendor == "postgresql"
    table, key = ("projectbank_search", "project_id") if postgresql else ("projectbank_fts", "rowid")
    listed = ",".join(str(int(pk)) for pk in ids) if ids is not None else None
    only = "" if listed is None else f"WHERE {key} IN ({listed})" if listed else "WHERE 1 = 0"  # PostgreSQL: no IN ()
    cursor.execute(f"SELECT {key}, COALESCE(name, ''), COALESCE(body, '') FROM {table} {only} ORDER BY {key}")


def fts5_expression(q: str) -> str:
    """FTS5 MATCH expression: every query word must match one of its stem variants.

    Stems contain only letters and digits and are quoted, so FTS5 operators in a query are just words.
    """
    groups = query_groups(q)
    return " AND ".join("(" + " OR ".join(f'"{v}"' for v in group) + ")" for group in groups)


def matching_sql(q: str, *, ranked: bool = True):
    """(SQL selecting matching project ids with a relevance score column, params), or None for an empty query.

    Lower `score` is better on both back ends, so callers can sort ascending. With `ranked=False` the score
    is a constant 0, which spares the database the ranking when results are sorted by something else.
    """
    groups = query_groups(q)
    if not groups:
        return None
    if connection.vendor == "postgresql":
        parts, params = [], []
        for word, group in zip(words(q), groups):
            parts.append("(to_tsquery('simple', %s) || plainto_tsquery('swedish', %s))")
            params += [" | ".join(group), word]
        tsquery = " && ".join(parts)
        score = "-ts_rank(document, q)" if ranked else "0"
        sql = (
            f"SELECT project_id AS id, {score} AS score FROM projectbank_search,"
            f" (SELECT {tsquery} AS q) query WHERE document @@ q"
        )
        return sql, params
    score = f"bm25(projectbank_fts, {NAME_WEIGHT}, 1.0)" if ranked else "0"
    sql = f"SELECT rowid AS id, {score} AS score FROM projectbank_fts WHERE projectbank_fts MATCH %s"
    return sql, [fts5_expression(q)]
