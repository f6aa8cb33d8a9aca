"""Shared model building blocks used by several domain apps."""

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
