"""Background tasks of the project bank (django-tasks, run by `samhandling serve`'s worker; see
samhandling.core.background): the open-data files per data version, and the rebuilds of the search index
(which idea matching reads too).

Writes never wait for the index rebuilds: each server process takes in the logged changes on its own (see
`changes`). A rebuild only keeps that delta short, and runs in the worker process, never in a web worker.
"""

import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from samhandling.core.background import task

from . import changes, opendata
from .loader import stored_version
from .models import OpenDataBuild


@task()
def write_open_data(version: int) -> dict:
    """Writes the open-data files of data version `version` into the default storage (shared by every app
    server, e.g. a network file system or object storage), then marks them ready. Skipped when the data has
    moved on meanwhile: that version's own task is queued."""
    if stored_version() != version:
        OpenDataBuild.objects.filter(version=version).exclude(state=OpenDataBuild.State.READY).delete()
        return {"version": version, "written": False}
    started = time.perf_counter()
    target = OpenDataBuild(version=version)
    with tempfile.TemporaryDirectory() as folder:
        written = opendata.export(folder, formats=opendata.FORMATS)
        for fmt in opendata.FORMATS:
            name = target.name(fmt)
            if default_storage.exists(name):
                default_storage.delete(name)
            with Path(written[fmt]).open("rb") as handle:
                default_storage.save(name, File(handle))
    with transaction.atomic():
        replaced = list(OpenDataBuild.objects.filter(state=OpenDataBuild.State.READY).exclude(version=version).all())
        target, _created = OpenDataBuild.objects.select_for_update().get_or_create(version=version)
        target.mark_ready(started)
    for old in replaced:  # their rows went with mark_ready; their files go now (downloads under way keep theirs)
        for fmt in opendata.FORMATS:
            default_storage.delete(old.name(fmt))
    return {"version": version, "written": True, "seconds": target.seconds}


@task()
def rebuild_indexes() -> int:
    """Rebuilds the search snapshots (which idea matching reads too) from the current data, then drops the
    change log they cover. Returns the log position they were built at."""
    from . import facetindex

    sequence, _version = changes.position()
    facetindex.build_snapshots()
    changes.forget_until(sequence)
    return sequence
