"""Background work: the one place the project queues work that must not run in a web request.

The queue is django-tasks (the backport of Django's tasks API) with its database backend (django-tasks-db),
so it needs nothing but the project's own database, SQLite or PostgreSQL. `samhandling serve` starts the
worker (`samhandling db_worker`) beside the web server; a deployment may run more workers the same way.

Each app declares its tasks in its own `tasks.py` with `@task` from here and queues them with `enqueue`,
which waits for the surrounding transaction to commit: a refused request (rolled back) queues nothing, and
the worker never sees a row the request has not yet stored. Retries are explicit: a task that wants another
try calls `retry_later`, with the delays in settings.TASK_RETRY_DELAYS.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task  # noqa: F401 (re-exported: every app's tasks.py imports it from here)


def enqueue(task_, *args, **kwargs) -> None:
    """Queues the task once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(task_.enqueue, *args, **kwargs))


def enqueue_once(task_) -> None:
    """Queues the argument-less task once the current transaction commits, unless one is already waiting to
    start: a task that rebuilds from the current data, once started, covers every request made before it. A
    million-row import asks for a rebuild every few thousand rows; queued each time, the worker would then run
    some 200 rebuilds of the same data back to back."""

    def queue():
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        if not DBTaskResult.objects.filter(task_path=task_.module_path, status=TaskResultStatus.READY).exists():
            task_.enqueue()

    transaction.on_commit(queue)


def submit(task_, *args, **kwargs) -> str:
    """Queues the task at once and returns its result id, for a page that follows it (outside transactions:
    the worker must be able to see everything the task needs)."""
    return task_.enqueue(*args, **kwargs).id


def result_of(task_, result_id: str):
    """The task's result (status, return value), or None for an unknown id or one of another task."""
    from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

    try:
        return task_.get_result(result_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, ValueError, ValidationError):
        return None


def retry_later(task_, attempt: int, *args, **kwargs) -> bool:
    """Queues the task again after the delay for this attempt (1 = first try); False when no tries are left."""
    delays = settings.TASK_RETRY_DELAYS
    if attempt > len(delays):
        return False
    run_after = timezone.now() + timedelta(seconds=delays[attempt - 1])
    enqueue(task_.using(run_after=run_after), *args, **kwargs)
    return True


def run_pending() -> None:
    """Runs every task that is due, then returns: the worker in batch mode (tests, cron-style deployments)."""
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
