"""Background tasks of the imports app (see samhandling.core.background)."""

from samhandling.core.background import task

from . import web


@task()
def check_upload(upload_id: int) -> int:
    return web.check(upload_id)


@task()
def run_upload(upload_id: int) -> int:
    return web.run(upload_id)
