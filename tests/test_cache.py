"""CACHE_URL: the database cache by default (its table made by migrate), Redis/Valkey when it says so, and the
rate limits counting in whichever is configured."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.db import connection
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
