"""Shared model building blocks used by several domain apps."""

from datetime import timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _("%(obj)s har ändrats av någon annan sedan du öppnade den. Ladda om sidan och gör om ändringen.")


class ConcurrentEditError(ValidationError):
    """A record was changed by someone else since it was read (optimistic locking).

    A ValidationError on the whole form, so every view that shows a service's errors shows this one too.
    """

    def __init__(self, obj):
        super().__init__({NON_FIELD_ERRORS: [STALE_MESSAGE % {"obj": obj}]}, code="concurrent_edit")


def edited_from(obj, version) -> None:
    """The editor started from `version` (a form's hidden field): the next save() succeeds only if the stored
    record is still at that version. Without one (API clients, commands) it is checked against the copy read."""
    try:
        obj.version = int(version)
    except (TypeError, ValueError):
        return


class VersionedModel(models.Model):
    """Optimistic locking: a save from a stale copy is refused instead of silently overwriting.

    Forms carry `version` as a hidden field; `save()` only succeeds when the stored version still
    equals the one the editor started from.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        expected = self.version
        updated = type(self)._base_manager.filter(pk=self.pk, version=expected).update(version=expected + 1)
        if not updated:
            raise ConcurrentEditError(self)
        self.version = expected + 1
        kwargs.pop("force_insert", None)
        return super().save(*args, **kwargs)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True


class AuditCaseLink(models.Model):
    """Files an audit-log entry under a case (a project, call, meeting…) so a case's history is one query.

    An entry is linked to the record it is about and to the audited records that record points at, e.g. a
    change to an item of the agenda shows in the item's and the meeting's history.
    """

    entry = models.ForeignKey("auditlog.LogEntry", on_delete=models.CASCADE, related_name="samhandling_cases")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_pk = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ärende i granskningsloggen")
        verbose_name_plural = _("ärenden i granskningsloggen")
        indexes = [models.Index(fields=["content_type", "object_pk"])]


class DataVersionBuild(models.Model):
    """Work a public page needs that grows with the data (the network, the open-data files), done once per
    data version by a background task and stored; the pages serve the newest ready build and never do the
    work in a request. `request` queues the build of a version once (per kind, and per scope where it has one).

    A kind whose builds differ per scope (the network: one per partnership) names its scope columns in
    SCOPE; the methods then take them as keyword arguments, and the task gets them too."""

    class State(models.TextChoices):
        QUEUED = "queued", _("köad")
        READY = "ready", _("klar")

    STALLED_AFTER = timedelta(hours=1)  # a queued build older than this (its worker died) is queued again
    SCOPE: tuple[str, ...] = ()

    version = models.BigIntegerField(_("dataversion"), unique=True)
    state = models.CharField(_("läge"), max_length=10, choices=State.choices, default=State.QUEUED)
    queued_at = models.DateTimeField(_("köad"), auto_now_add=True)
    built_at = models.DateTimeField(_("beräknad"), null=True, blank=True)
    seconds = models.FloatField(_("beräkningstid (s)"), null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def newest_ready(cls, **scope):
        return cls.objects.filter(state=cls.State.READY, **scope).order_by("-built_at", "-pk").first()

    @classmethod
    def current(cls, version: int, task_, **scope) -> tuple["DataVersionBuild | None", bool]:
        """(the newest ready build or None, whether the data changed since), queuing `task_(version)` when the
        build of `version` is not queued yet. Two small queries: cheap enough for every request."""
        ready = cls.newest_ready(**scope)
        if ready is None or ready.version != version:
            cls.request(version, task_, **scope)
        return ready, ready is not None and ready.version != version

    @classmethod
    def request(cls, version: int, task_, **scope) -> None:
        from django.utils import timezone

        from .background import enqueue

        wanted, created = cls.objects.get_or_create(version=version, **scope)
        stalled = wanted.state == cls.State.QUEUED and wanted.queued_at < timezone.now() - cls.STALLED_AFTER
        if created or stalled:
            if stalled:
                cls.objects.filter(pk=wanted.pk).update(queued_at=timezone.now())
            enqueue(task_, version, **scope)

    def mark_ready(self, started: float) -> None:
        """Stores this build as ready (inside the caller's transaction) and drops the older ready ones."""
        import time

        from django.utils import timezone

        self.state, self.built_at = self.State.READY, timezone.now()
        self.seconds = round(time.perf_counter() - started, 2)
        self.save()
        scope = {column: getattr(self, column) for column in self.SCOPE}
        type(self).objects.filter(state=self.State.READY, **scope).exclude(pk=self.pk).delete()
