"""Every kind of project write reaches every derived store through the one change hook.

Each case writes one way (the ORM, place links from either side, the applicant, an import and a re-import,
the generator, a raw UPDATE followed by the hook, a delete) and then asks every store as a user reaches
it: the public search (API), its facet counts, the dashboard's sums and the idea matching.
"""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from test_imports_rules import art49_row, write_art49

from samhandling.imports import services as import_services
from samhandling.mobilisation import matching
from samhandling.portfolio import summary
from samhandling.portfolio.models import FigureSum
from samhandling.programmes.models import Fund
from samhandling.projectbank import changes, facetindex, services
from samhandling.projectbank.models import ProjectFacet
from samhandling.projectbank.synthetic import Generator
from samhandling.projects.models import County, Organisation, Project

WORD = "vätgasdrivna"  # a word no generated text has


@pytest.fixture(autouse=True)
def setup(db):
    from samhandling.programmes import demo

    demo.load()
    Generator(seed=3).generate(40)
    facetindex.current()  # loaded before the write: the write must reach it without a rebuild


def granted(name, summary_text="Ett projekt.", applicant=None):
    project = Project.objects.create(
        name=name,
        summary=summary_text,
        status=Project.Status.GRANTED,
        fund=Fund.objects.get(code="ERUF"),
        applicant=applicant,
        amount_granted=Decimal(2_000_000),
        start_date=date(2023, 1, 1),
    )
    project.counties.set(County.objects.filter(code="01"))
    return project


def _orm_create(tmp_path):
    return granted(f"Bussar {WORD}").pk


def _orm_save(tmp_path):
    project = Project.objects.filter(status__in=Project.GRANTED_STATES).order_by("id").first()
    project.name = f"Färjor {WORD}"
    project.save()
    return project.pk


def _place_from_the_place(tmp_path):
    project = granted(f"Lastbilar {WORD}")
    County.objects.get(code="25").projects.add(project)  # the reverse side of the link
    return project.pk


def _applicant_renamed(tmp_path):
    organisation = Organisation.objects.create(name="Bussbolaget", sector=Organisation.Sector.COMPANY)
    project = granted("Kollektivtrafik", applicant=organisation)
    organisation.name = f"Bussbolaget {WORD}"
    organisation.sector = Organisation.Sector.UNIVERSITY
    organisation.save()
    return project.pk


def _import(tmp_path):
    path = write_art49(tmp_path / "first.csv", [art49_row(1, operation_name=f"Tåg {WORD}")])
    call_command("import", "art49-csv", str(path))
    return Project.objects.get(source_id="op-1").pk


def _reimport(tmp_path):
    call_command("import", "art49-csv", str(write_art49(tmp_path / "first.csv", [art49_row(1)])))
    facetindex.current()  # the index knows the first version; the re-import must not leave it stale
    path = write_art49(tmp_path / "again.csv", [art49_row(1, operation_name=f"Tåg {WORD}", counties="25")])
    call_command("import", "art49-csv", str(path))
    return Project.objects.get(source_id="op-1").pk


def _generator(tmp_path):
    Generator(seed=9).generate(5)
    return Project.objects.order_by("-id").values_list("id", flat=True).first()


def _raw_update(tmp_path):
    project = Project.objects.filter(status__in=Project.GRANTED_STATES).order_by("id").first()
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(name=f"Cyklar {WORD}", amount_granted=Decimal(7_000_000))
        changes.projects_changed([project.pk])
    return project.pk


WRITES = [_orm_create, _orm_save, _place_from_the_place, _applicant_renamed, _import, _reimport, _generator]


def assert_derived_stores_fresh():
    """Facet rows and dashboard sums kept write by write equal those rebuilt from scratch."""
    facets = sorted(ProjectFacet.objects.values_list())
    sums = sorted(FigureSum.objects.values_list("dimension", "value", "year", "projects", "amount_ore"))
    with transaction.atomic():
        services.refresh_facets()
        summary.refresh()
        assert sorted(ProjectFacet.objects.values_list()) == facets
        assert sorted(FigureSum.objects.values_list("dimension", "value", "year", "projects", "amount_ore")) == sums
        transaction.set_rollback(True)


def found_in_search(client, pk, q, **filters) -> bool:
    """Whether any page of the search's results holds the project."""
    page, pages = 1, 1
    while page <= pages:
        answer = client.get("/api/v1/projects", {"q": q, "page": page, **filters}).json()
        if pk in [r["id"] for r in answer["results"]]:
            return True
        page, pages = page + 1, answer["pages"]
    return False


def matched(project, q) -> bool:
    return project.pk in [p for p, _score in matching.search_projects(q, 100)]


@pytest.mark.parametrize("write", [*WRITES, _raw_update], ids=lambda f: f.__name__.strip("_"))
def test_every_store_is_fresh_after_each_kind_of_write(write, client, tmp_path):
    pk = write(tmp_path)
    project = Project.objects.get(pk=pk)
    q = project.name if write is _generator else WORD
    assert found_in_search(client, pk, q)
    for county in project.counties.values_list("code", flat=True):
        assert found_in_search(client, pk, q, county=county)  # the facet row came along
    if write in (_reimport, _place_from_the_place):
        assert found_in_search(client, pk, q, county="25")
    if write is _applicant_renamed:
        assert found_in_search(client, pk, q, sector="university")
    if write is _raw_update:
        assert found_in_search(client, pk, q, amount_min="6000000")
    # matching reads a project's own texts (not its applicant's name)
    assert matched(project, project.name if write in (_generator, _applicant_renamed) else WORD)
    assert_derived_stores_fresh()


def test_a_project_the_loaded_index_holds_is_neither_found_nor_matched_once_deleted(client):
    """Deleted after the index was loaded, a project's old postings are still in it: the delta marks its
    position dead, and neither the search nor the idea matching may return it."""
    project = Project.objects.granted().order_by("id").first()
    assert found_in_search(client, project.pk, project.name) and matched(project, project.name)
    Project.objects.filter(pk=project.pk).delete()
    assert not found_in_search(client, project.pk, project.name)
    assert not matched(project, project.name)


@pytest.mark.parametrize("write", WRITES, ids=lambda f: f.__name__.strip("_"))
def test_a_deleted_project_leaves_every_store(write, client, tmp_path):
    project = Project.objects.get(pk=write(tmp_path))
    q = project.name if write is _generator else WORD
    Project.objects.filter(pk=project.pk).delete()  # a queryset delete: one signal per project
    assert not found_in_search(client, project.pk, q)
    assert not matched(project, q)
    assert_derived_stores_fresh()


def test_an_import_counts_its_new_projects_in_the_sums_as_a_fresh_count_does(tmp_path, monkeypatch):
    """The importer hands the hook the new projects' figures from the rows at hand instead of having them
    read back, and writes the sums once at its end: every dimension (objective and its regulation code,
    intervention field, sector, places, size, year, programme region) must come out as a count from the
    tables does, for both periods and both funds, over several batches and a re-import that moves figures."""
    monkeypatch.setattr(import_services, "BATCH", 3)
    rows = [
        art49_row(1, specific_objective="1.1", intervention_type="013 Digitalisering", beneficiary_name="KTH"),
        art49_row(2, fund="ESF+", specific_objective="A.1", counties="01,03", municipalities="", eu_amount="90000.00"),
        art49_row(3, programme_period="2014", thematic_objective="1", beneficiary_name="Region Stockholm"),
        art49_row(4, programme_region="", counties="", municipalities="", start_date="", eu_amount="30000000.00"),
    ]
    counted = FigureSum.objects.filter(dimension__in=["rso", "intervention"], value__in=["RSO1.1", "013"])
    before = sum(counted.values_list("projects", flat=True))
    call_command("import", "art49-csv", str(write_art49(tmp_path / "list.csv", rows)))
    assert sum(counted.values_list("projects", flat=True)) == before + 2  # project 1, by both codes
    assert_derived_stores_fresh()
    rows[0].update(specific_objective="1.2", intervention_type="", eu_amount="8000000.00")  # out of both codes
    rows[1].update(counties="25", start_date="2019-05-01")
    rows.append(art49_row(5, specific_objective="1.1"))
    call_command("import", "art49-csv", str(write_art49(tmp_path / "again.csv", rows)))
    assert sum(counted.values_list("projects", flat=True)) == before + 1  # project 5, by its objective
    assert_derived_stores_fresh()


def test_the_hook_writes_in_the_callers_transaction_without_a_savepoint():
    """A savepoint makes SQLite journal every page written under it; the hook is part of its caller's write."""
    project = Project.objects.granted().order_by("id").first()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        changes.projects_changed([project.pk])
    statements = [q["sql"].upper() for q in queries.captured_queries]
    assert statements and not [s for s in statements if "SAVEPOINT" in s]


def test_a_raw_update_without_the_hook_is_what_the_hook_is_for(client, tmp_path):
    """Breaks the contract once to show the test above depends on the hook call, not on a rebuild."""
    project = Project.objects.filter(status__in=Project.GRANTED_STATES).order_by("id").first()
    Project.objects.filter(pk=project.pk).update(name=f"Cyklar {WORD}")
    assert not found_in_search(client, project.pk, WORD)
    changes.projects_changed([project.pk])
    assert found_in_search(client, project.pk, WORD)


SEARCHES = [
    {},
    {"q": "projekt"},
    {"q": WORD},
    {"q": "utveckling", "sort": "amount"},
    {"sort": "date"},
    {"county": "25"},
    {"q": "och", "fund": "ERUF", "sort": "date", "page": "2"},
    {"amount_min": "1000000", "sort": "amount"},
]


def test_the_written_projects_are_taken_in_without_a_rebuild_and_answer_as_a_fresh_index(client, monkeypatch):
    """After writes the loaded index takes in the changed projects as a delta; every answer (hits in order,
    counts, facet counts) equals the answer of an index loaded afresh from the same data. Only the order by
    relevance may differ slightly: the delta scores its texts with the loaded index's word statistics."""

    monkeypatch.setattr(facetindex, "_current", None)
    loaded = facetindex.current()
    projects = list(Project.objects.filter(status__in=Project.GRANTED_STATES).order_by("id")[:6])
    projects[0].name = f"Färjor {WORD}"
    projects[0].amount_granted = Decimal(90_000_000)
    projects[0].save()
    projects[1].status = Project.Status.WITHDRAWN
    projects[1].save()
    projects[2].start_date = date(2030, 1, 1)
    projects[2].save()
    County.objects.get(code="25").projects.add(projects[3])
    projects[4].delete()
    granted(f"Bussar {WORD}")
    organisation = Organisation.objects.create(name="Ny stiftelse", sector=Organisation.Sector.UNIVERSITY)
    Project.objects.filter(pk=projects[5].pk).update(applicant=organisation, thematic_objective="Ett nytt tema")
    changes.projects_changed([projects[5].pk])

    with_delta = facetindex.current()
    assert with_delta.base is loaded  # taken in, not rebuilt
    answers = [answer(client, params) for params in SEARCHES]
    monkeypatch.setattr(facetindex, "_current", None)
    assert facetindex.current().base is None  # loaded afresh
    assert [answer(client, params) for params in SEARCHES] == answers
    assert answers[2]["count"] == 2 and answers[2]["ids"] == {projects[0].pk, Project.objects.latest("id").pk}


def answer(client, params):
    found = client.get("/api/v1/projects", params).json()
    if found.get("sort") == "relevance":
        ids = {r["id"] for r in found.pop("results")}
        found["ids"] = ids if found["pages"] == 1 else None
    return found


def test_many_changes_queue_one_rebuild_that_the_worker_runs(
    client, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Past REBUILD_AFTER logged changes the hook queues a rebuild for the task worker (never a web worker):
    it writes the search snapshots (which idea matching reads too), and empties the change log they cover."""
    from samhandling.core.background import run_pending
    from samhandling.projectbank import loader, snapshots
    from samhandling.projectbank.models import Change

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(changes, "REBUILD_AFTER", 3)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        Generator(seed=11).generate(4)
    assert len(queued) == 1
    assert Change.objects.exists()
    run_pending()
    assert not Change.objects.exists()
    database = loader.DatabaseLoader().database_key()
    assert snapshots.path(database, loader.stored_version(), facetindex.FACETS, ".npz").exists()
    latest = Project.objects.granted().latest("id")
    assert matched(latest, latest.name)
    assert (
        client.get("/api/v1/projects").json()["count"]
        == Project.objects.filter(status__in=Project.GRANTED_STATES).count()
    )


def test_a_rebuild_waiting_to_start_is_not_queued_again(monkeypatch, django_capture_on_commit_callbacks):
    """A bulk write asks for a rebuild every REBUILD_AFTER changes; one waiting to start covers them all, and
    once it has run, the next bulk write queues a new one."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from samhandling.core.background import run_pending
    from samhandling.projectbank.tasks import rebuild_indexes

    def waiting():
        return DBTaskResult.objects.filter(task_path=rebuild_indexes.module_path, status=TaskResultStatus.READY)

    monkeypatch.setattr(changes, "REBUILD_AFTER", 3)
    for seed in (11, 12):
        with django_capture_on_commit_callbacks(execute=True) as queued:
            Generator(seed=seed).generate(4)
        assert len(queued) == 1  # asked each time
    assert waiting().count() == 1
    run_pending()
    assert not waiting().exists()
    with django_capture_on_commit_callbacks(execute=True):
        Generator(seed=13).generate(4)
    assert waiting().count() == 1


def test_an_index_read_inside_a_rolled_back_write_is_not_extended_by_later_writes(client, monkeypatch):
    """A rolled-back write takes its log rows with it, and the next writes may get the same sequence numbers
    (SQLite does that). An index read inside the rolled-back transaction must then be loaded afresh, not
    extended as if those numbers went on from it: it would keep the project that never was."""
    from samhandling.projectbank import facetindex

    monkeypatch.setattr(facetindex, "_current", None)
    phantom = "fantomprojektet"
    with transaction.atomic():
        never = granted(f"Bussar {phantom}")
        assert found_in_search(client, never.pk, phantom)  # read (taken in) inside the transaction
        assert matched(never, phantom)
        transaction.set_rollback(True)
    real = granted(f"Tåg {WORD}")
    Generator(seed=5).generate(3)  # the log now goes on past the numbers the rolled-back write had
    assert found_in_search(client, real.pk, WORD)
    assert client.get("/api/v1/projects", {"q": phantom}).json()["count"] == 0
    assert not matching.search_projects(phantom, 10)
    assert matched(real, WORD)


def test_a_bulk_write_larger_than_a_delta_logs_only_as_much_as_sends_every_index_to_load_afresh(
    client, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    """An import of more projects than an index takes in as a delta stops logging just past that many: an index
    from before it then loads afresh and finds every imported project, and the rebuild is queued."""
    from samhandling.projectbank.models import Change

    monkeypatch.setattr(import_services, "BATCH", 1)
    monkeypatch.setattr(facetindex, "DELTA_LIMIT", 2)
    monkeypatch.setattr(changes, "REBUILD_AFTER", 2)
    before, loaded = changes.position(), facetindex.current()
    rows = [art49_row(n, operation_name=f"Tåg {WORD}") for n in range(6)]
    with django_capture_on_commit_callbacks() as queued:
        call_command("import", "art49-csv", str(write_art49(tmp_path / "many.csv", rows)))
    imported = set(Project.objects.filter(source_id__startswith="op-").values_list("id", flat=True))
    logged = set(Change.objects.filter(id__gt=before[0]).values_list("project_id", flat=True))
    assert len(imported) == 6 and len(logged) == 3 and logged < imported
    assert changes.changed_since(before, 2)[1] is None and queued
    deadline = time.monotonic() + 60
    while ((index := facetindex.current()) is loaded or index.base is not None) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(found_in_search(client, pk, WORD) for pk in imported)
