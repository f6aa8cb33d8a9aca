"""The one cache every server process shares: chosen by CACHE_URL, so two processes or two hosts agree.

- `db://TABLE` (the default, `db://samhandling_cache`): Django's database cache in the project's own database,
  SQLite or PostgreSQL; the table is made by `samhandling migrate` (a post_migrate hook runs createcachetable).
- `redis://…`, `rediss://…` or `valkey://…`: Django's built-in RedisCache (`pip install samhandling[redis]`).

Rate limits (django-ratelimit), the page and result caches and the precomputed public pages all use it; no
process keeps state of its own that another would need.
"""

import base64
import pickle
import zlib
from contextlib import nullcontext
from datetime import datetime, timezone
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, models, router, transaction
from django.utils.timezone import now as tz_now

DEFAULT_URL = "db://samhandling_cache"
MAX_ENTRIES = 200_000  # Django's default (300) would cull live rate-limit counters under ordinary traffic
CULL_EVERY = 500  # writes by one cache object (one per thread) between two counts of the table
COUNTER = "#"  # begins a whole number stored as plain text: never the first character of base64
COMPRESSED = "~"  # begins a value stored compressed (zlib, then base64); neither is a character of base64 either
COMPRESS_FROM = 2048  # bytes of pickle: a search page (about 57 KB) is stored in 17 KB instead of 77 KB


def _unindexed(column: str) -> str:
    """The column in an expression no index serves, so that a lookup by key uses the key's index.

    Given `cache_key = … AND expires >= …`, PostgreSQL chose the expiry's index whenever its statistics were
    older than the rows (after a clear, or while a fresh table fills): every live entry was then read, and the
    rate-limit count, filtered on its value, unpacked every stored page on the way (2 ms a request at 300
    entries, rising with each new one)."""
    return f"COALESCE({column}, {column})"


def caches_from_url(url: str) -> dict:
    """The CACHES setting for CACHE_URL (see the module docstring); a ValueError names an unknown scheme."""
    parts = urlsplit(url or DEFAULT_URL)
    if parts.scheme == "db":
        table = (parts.netloc + parts.path).strip("/") or "samhandling_cache"
        return {
            "default": {
                "BACKEND": "samhandling.core.cache.DatabaseCache",
                "LOCATION": table,
                "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES},
            }
        }
    if parts.scheme in ("redis", "rediss", "valkey", "valkeys"):
        location = url.replace("valkey", "redis", 1)  # Valkey speaks the Redis protocol
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}}
    raise ValueError(f"CACHE_URL: unknown scheme {parts.scheme!r} (use db://TABLE or redis://HOST:PORT/DB)")


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache with these changes.

    - A whole number is stored as plain text after COUNTER (`_encode`), so that `incr` is one `UPDATE …
      RETURNING`: atomic across processes (the base class reads, adds and writes back, so two processes
      counting one rate-limit key at once would lose a count) and in place, its expiry kept. A locked read, a
      write and a commit had cost every rate-limited request over a millisecond on PostgreSQL.
    - A value of COMPRESS_FROM bytes or more is stored compressed (zlib's fastest level, about 0.2 ms for a
      search page): every new search writes its whole page. At a million projects on PostgreSQL that write
      took 1.3 ms instead of 1.7–1.8; on SQLite 0.1 ms more, which reading a page back (a third of the
      base64 to decode) mostly returns.
    - `add` reads first and writes only when the key has no live entry (see `_live`).
    - `set` and `add` in one upsert, counting the table only every CULL_EVERY writes: the base class counts
      every row on every write to decide whether to cull (11 ms at 200 000 entries on PostgreSQL, and a new
      search writes three entries), then reads the key and writes it in a transaction of its own.
    """

    writes = 0

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        if mode == "touch":
            return super()._base_set(mode, key, value, timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
        table, key_column, expires_column = (quote_name(n) for n in (self._table, "cache_key", "expires"))
        now = tz_now().replace(microsecond=0)
        stored = self._encode(value)
        sql = (
            f"INSERT INTO {table} ({key_column}, {quote_name('value')}, {expires_column}) VALUES (%s, %s, %s)"
            f" ON CONFLICT ({key_column}) DO UPDATE SET {quote_name('value')} = excluded.{quote_name('value')},"
            f" {expires_column} = excluded.{expires_column}"
        )
        params = [key, stored, adapt(self._expiry(timeout))]
        if mode == "add":  # only over an expired entry
            if self._live(connection, table, key, adapt(now)):
                return False  # read first: a rate limit adds its counter on every request, and it mostly exists
            sql, params = f"{sql} WHERE {table}.{expires_column} < %s", [*params, adapt(now)]
        self.writes += 1
        culling = self.writes % CULL_EVERY == 0
        # One statement is atomic by itself. A transaction (on PostgreSQL a BEGIN and a COMMIT, two more round
        # trips on every new search) only when the table is counted and culled first, or inside a caller's
        # transaction, where a failed write must roll back to a savepoint instead of spoiling it.
        scope = transaction.atomic(using=db) if culling or connection.in_atomic_block else nullcontext()
        try:
            with scope, connection.cursor() as cursor:
                if culling:
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")
                    count = cursor.fetchone()[0]
                    if count > self._max_entries:
                        self._cull(db, cursor, now, count)
                cursor.execute(sql, params)
                return cursor.rowcount > 0
        except DatabaseError:  # as the base class: a cache write may fail (a lock held too long) without an error
            return False

    @staticmethod
    def _live(connection, table: str, key: str, now) -> bool:
        """Whether the key has an entry that has not expired: a read, which takes no write lock (on SQLite
        every write waits for the one writer; under load, most of a request's time was that wait)."""
        quote_name = connection.ops.quote_name
        expires = _unindexed(quote_name("expires"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {table} WHERE {quote_name('cache_key')} = %s AND {expires} >= %s",
                [key, now],
            )
            return cursor.fetchone() is not None

    def _expiry(self, timeout) -> datetime:
        """The stored expiry of an entry given the backend's timeout (seconds since the epoch, or None)."""
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            return datetime.max.replace(microsecond=0)
        return datetime.fromtimestamp(timeout, tz=timezone.utc if settings.USE_TZ else None).replace(microsecond=0)

    def _encode(self, value) -> str:
        if type(value) is int:  # not a bool
            return f"{COUNTER}{value}"
        data = pickle.dumps(value, self.pickle_protocol)
        if len(data) >= COMPRESS_FROM:
            return COMPRESSED + base64.b64encode(zlib.compress(data, 1)).decode("latin1")
        return base64.b64encode(data).decode("latin1")

    @staticmethod
    def _decode(stored: str):
        if stored.startswith(COUNTER):
            return int(stored[len(COUNTER) :])
        if stored.startswith(COMPRESSED):
            return pickle.loads(zlib.decompress(base64.b64decode(stored[len(COMPRESSED) :].encode())))
        return pickle.loads(base64.b64decode(stored.encode()))

    @staticmethod
    def _expired(connection, expires) -> bool:
        """Whether an `expires` column value as the database returns it is past."""
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return expires < tz_now()

    def get_many(self, keys, version=None):
        """As the base class's, reading counters too; an expired entry is deleted as it is met."""
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not key_map:
            return {}
        connection = connections[router.db_for_read(self.cache_model_class)]
        quote_name = connection.ops.quote_name
        columns = ", ".join(quote_name(c) for c in ("cache_key", "value", "expires"))
        marks = ", ".join(["%s"] * len(key_map))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {quote_name(self._table)} WHERE {quote_name('cache_key')} IN ({marks})",
                list(key_map),
            )
            rows = cursor.fetchall()
        found, expired = {}, []
        for key, stored, expires in rows:
            if self._expired(connection, expires):
                expired.append(key)
            else:
                found[key_map[key]] = self._decode(connection.ops.process_clob(stored))
        self._base_delete_many(expired)
        return found

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote_name = connection.ops.quote_name
        table, value = quote_name(self._table), quote_name("value")
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        expires = _unindexed(quote_name("expires"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {value} = %s || CAST(CAST(SUBSTR({value}, %s) AS BIGINT) + %s AS VARCHAR(30)) "
                f"WHERE {quote_name('cache_key')} = %s AND {expires} >= %s AND {value} LIKE %s "
                f"RETURNING {value}",
                [COUNTER, len(COUNTER) + 1, int(delta), key, now, f"{COUNTER}%"],
            )
            row = cursor.fetchone()
        if row is None:  # missing, expired, or not a counter (stored pickled before counters were plain)
            return self._incr_pickled(key, delta)
        return self._decode(row[0])

    def _incr_pickled(self, key, delta):
        """A value stored pickled, read under a lock and written back (as a counter when it is one now)."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('value')}, {quote_name('expires')} FROM {table} "
                f"WHERE {quote_name('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            value = self._decode(connection.ops.process_clob(row[0])) + delta
            stored = self._encode(value)
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s WHERE {quote_name('cache_key')} = %s", [stored, key]
            )
        return value
