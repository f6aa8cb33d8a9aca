"""CACHE_URL: the database cache by default (its table made by migrate), Redis/Valkey when it says so, and the
rate limits counting in whichever is configured."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.test import override_settings

from samhandling.core.cache import caches_from_url


def test_cache_url_selects_the_backend():
    assert caches_from_url("")["default"]["BACKEND"] == "samhandling.core.cache.DatabaseCache"
    assert caches_from_url("db://other_table")["default"]["LOCATION"] == "other_table"
    redis = caches_from_url("redis://cache.internal:6379/1")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/1"
    assert caches_from_url("valkey://cache.internal:6379/0")["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    with pytest.raises(ValueError, match="CACHE_URL"):
        caches_from_url("memcached://x")


def test_migrate_makes_the_cache_table_and_the_default_cache_uses_it(db):
    assert "samhandling_cache" in connection.introspection.table_names()
    cache = caches["default"]
    cache.set("k", 1, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM samhandling_cache")
        assert cursor.fetchone()[0] == 1


def test_the_database_cache_increments_in_place_and_keeps_the_expiry(db):
    cache = caches["default"]
    cache.set("n", 5, 30)
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM samhandling_cache")
        before = cursor.fetchone()[0]
        assert cache.incr("n") == 6 and cache.incr("n", 4) == 10 and cache.get("n") == 10
        cursor.execute("SELECT expires FROM samhandling_cache")
        assert cursor.fetchone()[0] == before
    with pytest.raises(ValueError):
        cache.incr("missing")


def test_a_counter_is_incremented_by_one_statement_and_an_older_pickled_one_still_counts(db):
    """A rate limit counts on every request: `incr` is one UPDATE, with no read or transaction around it. A
    whole number stored pickled (as before counters were plain text) is incremented and then kept plain."""
    import base64
    import pickle

    cache = caches["default"]
    cache.set("n", 1, 60)
    with CaptureQueriesContext(connection) as queries:
        assert cache.incr("n", 2) == 3
    assert [q["sql"].split()[0] for q in queries] == ["UPDATE"]
    assert cache.get("n") == 3 and cache.decr("n") == 2
    key = cache.make_and_validate_key("old")
    cache.set("old", "placeholder", 60)
    with connection.cursor() as cursor:
        pickled = base64.b64encode(pickle.dumps(41)).decode()
        cursor.execute("UPDATE samhandling_cache SET value = %s WHERE cache_key = %s", [pickled, key])
    assert cache.incr("old") == 42 and cache.get("old") == 42
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM samhandling_cache WHERE cache_key = %s", [key])
        assert cursor.fetchone()[0] == "#42"
        cursor.execute("UPDATE samhandling_cache SET expires = %s WHERE cache_key = %s", ["2000-01-01", key])
    with pytest.raises(ValueError):
        cache.incr("old")  # expired
    cache.set("flag", True, 60)
    cache.set("text", "#7", 60)  # a text that looks like a counter is still a text
    assert cache.get("flag") is True and cache.get("text") == "#7"
    assert cache.get_many(["n", "flag", "text", "missing"]) == {"n": 2, "flag": True, "text": "#7"}


def test_a_large_value_is_stored_compressed_and_one_stored_before_still_reads(db):
    """A search page (tens of kilobytes) is written on every new search: from COMPRESS_FROM bytes of pickle a
    value is stored compressed; a smaller one, and a large one stored before compression, read as they were."""
    import base64
    import pickle

    from samhandling.core.cache import COMPRESS_FROM

    cache = caches["default"]
    page = "<li>Kompetensutveckling i Botkyrka</li>" * 2000
    cache.set_many({"page": page, "small": "x" * (COMPRESS_FROM // 2), "old": "placeholder"}, 60)
    stored = dict(_stored_rows(cache))
    assert stored["page"].startswith("~") and len(stored["page"]) < len(page) / 10
    assert not stored["small"].startswith("~")
    with connection.cursor() as cursor:
        unpacked = base64.b64encode(pickle.dumps(page)).decode()
        cursor.execute(
            "UPDATE samhandling_cache SET value = %s WHERE cache_key = %s",
            [unpacked, cache.make_and_validate_key("old")],
        )
    assert cache.get_many(["page", "small", "old"]) == {"page": page, "small": "x" * (COMPRESS_FROM // 2), "old": page}


def _stored_rows(cache):
    """(key as given, stored text) of every entry of the cache table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM samhandling_cache")
        return [(key.split(":", 2)[-1], value) for key, value in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_is_one_statement_and_inside_one_has_its_savepoint():
    """Every new search writes its page: outside a transaction that is the upsert alone (no BEGIN and COMMIT,
    two more round trips on PostgreSQL). Inside a caller's transaction it has a savepoint of its own, so a
    failed cache write (which is not an error) does not spoil the caller's transaction."""
    from django.db import transaction

    cache = caches["default"]
    with CaptureQueriesContext(connection) as queries:
        cache.set("page", "text", 60)
    assert [q["sql"].split()[0] for q in queries] == ["INSERT"] and cache.get("page") == "text"
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        cache.set("inside", "kept", 60)
    assert [q["sql"].split()[0] for q in queries] == ["SAVEPOINT", "INSERT", "RELEASE"]
    assert cache.get("inside") == "kept"


def test_a_rate_limit_count_reads_its_key_by_the_keys_index_when_the_statistics_are_stale(db):
    """The rate limit's read (`add` of an existing counter) and count (`incr`) look the key up by its own index,
    also when the table's statistics say every entry has expired (after a clear, or while a fresh table
    fills): PostgreSQL had then chosen the expiry's index, read every live entry and unpacked every stored
    page while filtering on the counter's value (2 ms a request, growing with each page stored)."""
    cache = caches["default"]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO samhandling_cache (cache_key, value, expires) VALUES " + ", ".join(["(%s, %s, %s)"] * 300),
            [v for n in range(300) for v in (f"old{n}", "x", "2000-01-01 00:00:00")],
        )
        cursor.execute("ANALYZE samhandling_cache")
        cursor.execute("DELETE FROM samhandling_cache")
    for n in range(300):
        cache.set(f"page{n}", "sida " * 1000, 600)
    cache.add("count", 0, 60)
    with CaptureQueriesContext(connection) as queries:
        assert cache.add("count", 0, 60) is False and cache.incr("count") == 1
    assert [q["sql"].split()[0] for q in queries] == ["SELECT", "UPDATE"]
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    for query in queries:
        with connection.cursor() as cursor:
            cursor.execute(f"{explain} {query['sql']}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "samhandling_cache_pkey" in plan or "(cache_key=?)" in plan, plan
        assert "samhandling_cache_expires" not in plan, plan


def test_set_overwrites_and_add_writes_only_over_a_missing_or_expired_entry(db):
    cache = caches["default"]
    cache.set("k", "first", 60)
    cache.set("k", "second", 60)
    assert cache.get("k") == "second"
    assert cache.add("k", "third", 60) is False and cache.get("k") == "second"
    with CaptureQueriesContext(connection) as queries:
        assert cache.add("k", "fourth", 60) is False
    assert [q["sql"].split()[0] for q in queries] == ["SELECT"]  # a live entry is read, never written
    assert cache.add("new", 1, 60) is True and cache.get("new") == 1
    cache.set("old", "stale", 60)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE samhandling_cache SET expires = %s WHERE cache_key LIKE %s", ["2000-01-01", "%old"])
    assert cache.get("old") is None
    assert cache.add("old", "fresh", 60) is True and cache.get("old") == "fresh"
    cache.set("forever", "kept", None)
    assert cache.get("forever") == "kept" and cache.touch("forever", 60) and cache.get("forever") == "kept"


def test_the_table_is_counted_once_per_cull_every_writes_and_culled_beyond_its_size(db, monkeypatch):
    """Django's database cache counted every row on every write; here only every CULL_EVERY writes."""
    from django.test.utils import CaptureQueriesContext

    from samhandling.core import cache as module

    monkeypatch.setattr(module, "CULL_EVERY", 10)
    cache = caches["default"]
    monkeypatch.setattr(cache, "_max_entries", 15)
    monkeypatch.setattr(cache, "writes", 0)
    with CaptureQueriesContext(connection) as queries:
        for n in range(30):
            cache.set(f"key-{n}", n, 60)
    assert sum("COUNT(*)" in q["sql"] for q in queries.captured_queries) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM samhandling_cache")
        assert cursor.fetchone()[0] < 30  # culled at the 20th write (20 > 15 entries), by Django's own rule


@pytest.fixture
def redis_url():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    pytest.importorskip("redis")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.time() < deadline, "redis-server did not start"
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_rate_limits_count_in_redis_when_cache_url_says_so(client, db, redis_url):
    with override_settings(CACHES=caches_from_url(redis_url), API_RATE_LIMIT=2):
        caches["default"].clear()
        assert [client.get("/api/v1/objectives").status_code for _ in range(3)] == [200, 200, 429]
        assert any(key.startswith(b":1:rl:") for key in caches["default"]._cache.get_client().keys("*"))
        caches["default"].close()
