"""Writes for the project bank: keeping the full-text index in step with the projects."""
from django.db import connection

from samhandling.projects.models import Project

from . import search

INDEXED = ("id", "name", "summary", "applicant__name", "location_text")


def reindex(project_ids=None, *, batch_size: int = 5000, progress=None) -> int:
    """(Re)indexes the given projects, or all of them (clearing the index first). Returns how many."""
    if project_ids is None:
        search.clear()
        qs = Project.objects.order_by("id")
    else:
        qs = Project.objects.filter(id__in=list(project_ids)).order_by("id")
    done, last = 0, 0
    while True:
        rows = list(qs.filter(id__gt=last).values_list(*INDEXED)[:batch_size])
        if not rows:
            return done
        search.index_rows(rows)
        done += len(rows)
        last = rows[-1][0]
        if progress:
            progress.update(len(rows))


def index_project(project: Project) -> None:
    applicant = project.applicant.name if project.applicant_id else ""
    search.index_rows([(project.pk, project.name, project.summary, applicant, project.location_text)])


def index_is_ready() -> bool:
    table = "projectbank_search" if connection.vendor == "postgresql" else "projectbank_fts"
    return table in connection.introspection.table_names()
