"""Queueing and delivering e-mail through Django's e-mail framework, recorded per recipient."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.utils import timezone

from samhandling.core.background import enqueue, retry_later

from .models import OutgoingMail

log = logging.getLogger(__name__)
ERROR_LIMIT = 2000


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str = ""


def queue(
    kind: str,
    about,
    recipients: list[Recipient],
    *,
    subject: str,
    body: str,
    calendar: str = "",
    files: Sequence[tuple[str, str]] = (),
    reply_to: str = "",
) -> list[OutgoingMail]:
    """One row per recipient; those with an address are sent after the caller's transaction commits.

    Call it inside the transaction that makes the change the mail reports: a refused change sends nothing.
    A recipient without an address gets a row saying so, never a pretend delivery.
    """
    about_type = ContentType.objects.get_for_model(about)
    rows = OutgoingMail.objects.bulk_create(
        [
            OutgoingMail(
                kind=kind,
                about_type=about_type,
                about_id=about.pk,
                recipient=r.name[:200],
                address=r.address.strip(),
                subject=subject[:300],
                body=body,
                calendar=calendar,
                reply_to=reply_to,
                files=[list(f) for f in files],
                status=OutgoingMail.Status.QUEUED if r.address.strip() else OutgoingMail.Status.NO_ADDRESS,
            )
            for r in recipients
        ]
    )
    if any(row.pk is None for row in rows):  # backends that return no ids from bulk inserts (none we use)
        rows = list(OutgoingMail.objects.filter(about_type=about_type, about_id=about.pk, kind=kind))
    from .tasks import deliver

    for row in rows:
        if row.status == OutgoingMail.Status.QUEUED:
            enqueue(deliver, row.pk)
    return rows


def message(mail: OutgoingMail) -> EmailMessage:
    email = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.address],
        reply_to=[mail.reply_to] if mail.reply_to else None,
    )
    for stored, filename in mail.files:
        with default_storage.open(stored, "rb") as fh:
            email.attach(filename or PurePath(stored).name, fh.read())
    if mail.calendar:
        email.attach(
            "kallelse.ics" if mail.kind == OutgoingMail.Kind.NOTICE else "mote.ics", mail.calendar, "text/calendar"
        )
    return email


def deliver(mail_id: int) -> str:
    """Hands one message to the mail server; on failure records the error and tries again later.

    No transaction is held while the server is talking (SQLite would stay locked); the queue runs each task
    once, and the final update is conditional on the row still waiting, so a message is never recorded twice.
    """
    from .tasks import deliver as deliver_task

    mail = OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.QUEUED).first()
    if mail is None:
        return "skipped"
    attempt = mail.attempts + 1
    try:
        accepted = message(mail).send(fail_silently=False)
        if accepted != 1:
            raise OSError("the mail backend accepted no message")
    except Exception as exc:  # any failure of the backend or of the stored files: record it and retry
        log.warning("E-mail %s failed (attempt %s): %s", mail.pk, attempt, exc)
        retrying = retry_later(deliver_task, attempt, mail.pk)
        status = OutgoingMail.Status.QUEUED if retrying else OutgoingMail.Status.FAILED
        error = f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]
        OutgoingMail.objects.filter(pk=mail.pk).update(attempts=attempt, status=status, error=error)
        return status
    OutgoingMail.objects.filter(pk=mail.pk).update(
        attempts=attempt, status=OutgoingMail.Status.SENT, sent_at=timezone.now(), error=""
    )
    return OutgoingMail.Status.SENT
