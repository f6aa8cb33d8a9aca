"""Background rebuilds of the search and matching indexes (django-tasks, run by `samhandling serve`'s worker).

Writes never wait for these: each server process takes in the logged changes on its own (see `changes`).
A rebuild only keeps that delta short, and runs in the worker process, never in a web worker.
"""

from samhandling.core.background import task

from . import changes


@task()
def rebuild_indexes() -> int:
    """Rebuilds the matching index and the search snapshot from the current data, then drops the change log
    they cover. Returns the log position they were built at."""
    from samhandling.mobilisation import matching

    from . import facetindex

    sequence = changes.last_sequence()
    matching.rebuild_index()
    facetindex.build_snapshots()
    changes.forget_until(sequence)
    return sequence
