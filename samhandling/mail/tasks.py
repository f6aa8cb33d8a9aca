"""Background tasks of the mail app (see samhandling.core.background)."""

from samhandling.core.background import task

from . import services


@task()
def deliver(mail_id: int) -> str:
    return services.deliver(mail_id)
