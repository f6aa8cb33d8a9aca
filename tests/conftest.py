import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture(scope="session")
def _migrated_state(django_db_setup, django_db_blocker):
    """Every table of the freshly migrated test database (SQLite), written back after a transactional test."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    from demo_snapshot import read_state

    with django_db_blocker.unblock():
        return read_state()


@pytest.fixture(autouse=True)
def _geography(request):
    """The regions, counties and municipalities (and the 2021–2027 reference lists) that migrations load, present
    in every database test.

    A transactional test (the browser tests, the killed import) empties every table when it ends, and the flush
    gives the content types new ids; pytest-django runs those tests last, but a later test on the same worker
    may still start on that state. One query finds out. On SQLite every table is then written back as migrations
    left it (so the demo's copy in tests/demo_snapshot.py fits again); elsewhere the geography is loaded again.
    """
    if not ({"db", "transactional_db"} & set(request.fixturenames) or request.node.get_closest_marker("django_db")):
        yield
        return
    migrated = request.getfixturevalue("_migrated_state")
    request.getfixturevalue("_django_db_helper")  # the database the test asks for, by fixture or by marker
    from django.contrib.contenttypes.models import ContentType

    from samhandling.projects.geography import load_geography
    from samhandling.projects.models import County, Municipality, ProgrammeRegion

    if not ProgrammeRegion.objects.exists():
        ContentType.objects.clear_cache()  # the emptied tables got new content-type ids; the cache holds old ones
        if migrated is not None:
            migrated.write()
        else:
            load_geography(ProgrammeRegion, County, Municipality)
    from samhandling.programmes import reference
    from samhandling.programmes.models import Indicator, InterventionField

    if not InterventionField.objects.exists():  # the 2021–2027 reference lists, loaded by migrations too
        reference.sync()
    if not Indicator.objects.exists():
        reference.sync_indicators()
    yield


@pytest.fixture
def demo(db):
    """The demo partnership, as the command `make run` uses loads it (written back from a copy after the first
    load in each test process: tests/demo_snapshot.py)."""
    from demo_snapshot import load_demo

    load_demo()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Argon2 spends a good part of a second on each password by design; tests that create users (and the demo's
    accounts) use a fast hasher. tests/test_security_web.py checks the project's own hasher."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def make_user(db):
    """Creates a user holding the given roles (Django groups named after samhandling.access.roles.Role)."""

    def make(username="user", *roles, password="korrekt-hast-batteri-1"):
        user = User.objects.create_user(username=username, password=password)
        for role in roles:
            group, _ = Group.objects.get_or_create(name=str(role))
            user.groups.add(group)
        return user

    return make


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Each database test starts with an empty cache (the database cache, see core.cache), so rate-limit
    counts and remembered pages do not leak between tests; a transactional test's rows outlive it. What the
    process keeps goes too, the pages' renderings (core.pages) and the loaded search index's remembered pages
    (projectbank.selectors.remembered): two tests with the same data reach the same data version, and a test
    that counts renderings would find those an earlier test on the same worker made."""
    if not ({"db", "transactional_db"} & set(request.fixturenames) or request.node.get_closest_marker("django_db")):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from django.core.cache import cache

    from samhandling.core import pages
    from samhandling.projectbank import facetindex

    cache.clear()
    pages._shells.clear()
    if facetindex._current is not None:
        facetindex._current.cache.clear()
    yield


@pytest.fixture(autouse=True)
def _one_rate_window(monkeypatch):
    """django-ratelimit counts in fixed windows (a minute, staggered per key): a test's few requests that
    straddled a window's end were counted in two, and a limit test saw its last request let through. Its clock
    stands still at the test's start, so a test's requests fall in one window, as they do in a real burst."""
    import time

    from django_ratelimit import core

    now = time.time()
    monkeypatch.setattr(core, "time", type("StoppedClock", (), {"time": staticmethod(lambda: now)}))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Swedish: a request in English leaves English active in the thread after it ends,
    and service messages (translated at raise time) would otherwise follow a previous test's language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def open_call(db):
    """`open_call(objective_code="A.1", number=9)`: a call on one demo objective, open from yesterday for a week."""
    from datetime import timedelta

    from django.utils import timezone

    from samhandling.calls import services
    from samhandling.calls.models import Call, CallObjective
    from samhandling.programmes.models import SpecificObjective

    def make(objective_code="A.1", number=9, amount=5_000_000, title="Kompetens i välfärden"):
        today = timezone.localdate()
        objective = SpecificObjective.objects.get(code=objective_code, programme__period__start_year=2021)
        call = Call.objects.create(
            fund=objective.fund,
            year=today.year,
            number=number,
            status=Call.Status.APPROVED,
            title=title,
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=7),
        )
        CallObjective.objects.create(call=call, objective=objective, amount=amount)
        return services.change_status(call, Call.Status.OPEN)

    return make


@pytest.fixture
def run_tasks(db, settings):
    """`run_tasks()` does what `samhandling serve`'s worker does. The test's transaction never commits, so it
    first runs what committed work left for after the commit (queueing the tasks), then the worker until
    nothing is due, as often as that queues more (retries, which wait 0 s here)."""
    from django.db import connection

    from samhandling.core.background import run_pending

    settings.TASK_RETRY_DELAYS = [0, 0]

    def run():
        for _ in range(10):
            pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
            for _sids, func, _robust in pending:
                func()
            run_pending()
            if not connection.run_on_commit:
                return

    return run


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    """The task worker closes "old" connections between tasks; inside a test's transaction (autocommit off) that
    would close the test's own connection on PostgreSQL. A real worker runs in its own process in autocommit."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory):
    """A SQLite file database that `samhandling migrate` has migrated, built once for the whole run (the folder
    and a lock are shared by the pytest-xdist workers): migrating takes some 15 s of CPU."""
    import fcntl
    import hashlib
    import os
    import subprocess
    import sys
    from pathlib import Path

    shared = tmp_path_factory.getbasetemp().parent  # without xdist: the folder of every run, so keyed below
    migrations = hashlib.sha256()
    for path in sorted(Path(__file__).parent.parent.glob("samhandling/*/migrations/*.py")):
        migrations.update(str(path).encode() + path.read_bytes())
    template = shared / f"migrated-{migrations.hexdigest()[:12]}.sqlite3"
    with open(shared / "migrated.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = shared / "migrating.sqlite3"
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{building}", "SAMHANDLING_VAR": str(shared)}
            exe = os.path.join(os.path.dirname(sys.executable), "samhandling")
            subprocess.run([exe, "migrate", "--noinput", "--skip-checks", "-v", "0"], env=env, check=True)
            assert not building.with_name(building.name + "-wal").exists()  # checkpointed when the process ended
            building.rename(template)
    return template


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, request):
    """On SQLite the in-memory test database starts as a copy of the migrated template, so Django's test set-up
    (pytest-django's `django_db_setup`) finds every migration applied instead of running them all in each test
    process. The connection that fills it keeps the shared in-memory database alive until the run ends."""
    import sqlite3

    from django.db import connection

    name = connection.creation._get_test_db_name() if connection.vendor == "sqlite" else None
    if name is None or not connection.creation.is_in_memory_db(name):
        yield
        return
    holder, source = sqlite3.connect(name, uri=True), sqlite3.connect(request.getfixturevalue("_migrated_template"))
    source.backup(holder)
    source.close()
    yield
    holder.close()


@pytest.fixture(scope="session")
def migrated_sqlite(_migrated_template):
    """`migrated_sqlite(path)` copies the SQLite file database that `samhandling migrate` has migrated to `path`,
    for the tests that run the CLI or a child process on a database of their own."""
    import shutil

    def copy(path):
        shutil.copyfile(_migrated_template, path)
        return path

    return copy
