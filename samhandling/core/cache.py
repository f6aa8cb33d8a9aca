"""The one cache every server process shares: chosen by CACHE_URL, so two processes or two hosts agree.

- `db://TABLE` (the default, `db://samhandling_cache`): Django's database cache in the project's own database,
  SQLite or PostgreSQL; the table is made by `samhandling migrate` (a post_migrate hook runs createcachetable).
- `redis://…`, `rediss://…` or `valkey://…`: Django's built-in RedisCache (`pip install samhandling[redis]`).

Rate limits (django-ratelimit), the page and result caches and the precomputed public pages all use it; no
process keeps state of its own that another would need.
"""

import base64
import pickle
from urllib.parse import urlsplit

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

DEFAULT_URL = "db://samhandling_cache"
MAX_ENTRIES = 200_000  # Django's default (300) would cull live rate-limit counters under ordinary traffic


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
    """Django's database cache with an atomic `incr`: the base class reads, adds and writes back, so two
    processes counting the same rate-limit key at once would lose a count. Here the row is locked (FOR UPDATE
    on PostgreSQL; SQLite's IMMEDIATE transactions take the write lock at their start) and its expiry kept."""

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
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
            if row is not None:
                expires = row[1]
                expression = models.Expression(output_field=models.DateTimeField())
                for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(
                    connection
                ):
                    expires = converter(expires, expression, connection)
                if expires < tz_now():
                    row = None
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))
            value += delta
            stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s WHERE {quote_name('cache_key')} = %s", [stored, key]
            )
        return value
