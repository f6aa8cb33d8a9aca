"""Signed minutes are final: the meeting and everything the minutes are made of freeze on signing.

The guard sits on every write path Django offers — `Model.save()`, `Model.delete()` (including cascades,
through `pre_delete`), `QuerySet.update()/delete()/bulk_create()/bulk_update()` and many-to-many changes —
so forms, admin, API, services and shell code all meet the same refusal. Raw SQL is out of reach on
purpose; `samhandling minutes verify` catches that.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

FROZEN_MESSAGE = _(
    "Protokollet för sammanträde %(code)s är justerat och signerat och får inte ändras. "
    "Rätta i stället genom en rättelse (ny signerad anteckning) på paragrafen."
)


class MinutesFrozenError(ValidationError):
    """Refusal to change a record of signed minutes (a ValidationError so forms show it on the form)."""

    def __init__(self, meeting_ids):
        from .models import Meeting

        codes = ", ".join(m.code for m in Meeting.objects.filter(pk__in=meeting_ids)) or "?"
        super().__init__(FROZEN_MESSAGE % {"code": codes}, code="frozen")


def signed_meeting_ids(meeting_ids) -> set[int]:
    from .models import SignedMinutes

    ids = {i for i in meeting_ids if i is not None}
    if not ids:
        return set()
    return set(SignedMinutes.objects.filter(meeting_id__in=ids).values_list("meeting_id", flat=True))


class FrozenQuerySet(models.QuerySet):
    """Bulk writes check the stored rows (and new rows' meetings) before touching anything."""

    def _refuse_rows(self, changes=None):
        field = self.model.meeting_id_lookup
        frozen = signed_meeting_ids(self.values_list(field, flat=True).distinct())
        if frozen and not (changes is not None and self.model.frozen_update_allowed(changes)):
            raise MinutesFrozenError(frozen)

    def update(self, **kwargs):
        self._refuse_rows(kwargs)
        return super().update(**kwargs)

    def delete(self):
        self._refuse_rows()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        frozen = signed_meeting_ids(o.target_meeting_id() for o in objs)
        if frozen:
            raise MinutesFrozenError(frozen)
        return super().bulk_create(objs, *args, **kwargs)


class FreezableModel(models.Model):
    """A record that belongs to one meeting's minutes. Subclasses say how to reach the meeting."""

    meeting_id_lookup = "meeting_id"  # lookup from this model to its meeting's id

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def target_meeting_id(self):
        """The meeting this (possibly unsaved) instance points at."""
        obj = self
        *hops, last = self.meeting_id_lookup.split("__")
        for hop in hops:
            obj = getattr(obj, hop, None)
            if obj is None:
                return None
        return getattr(obj, last)

    def stored_meeting_id(self):
        if self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk).values_list(self.meeting_id_lookup, flat=True).first()

    @classmethod
    def frozen_update_allowed(cls, changes: dict) -> bool:  # noqa: ARG003 (overridden by subclasses)
        return False

    def frozen_save_allowed(self) -> bool:
        return False

    def refuse_if_frozen(self, *, deleting=False):
        stored = signed_meeting_ids([self.stored_meeting_id()])
        if stored and (deleting or not self.frozen_save_allowed()):
            raise MinutesFrozenError(stored)
        if not deleting:
            target = signed_meeting_ids([self.target_meeting_id()])
            if target and not stored:
                raise MinutesFrozenError(target)

    def clean(self):
        super().clean()
        self.refuse_if_frozen()

    def save(self, *args, **kwargs):
        self.refuse_if_frozen()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # checked before Django's delete opens its transaction, so the caller's transaction stays usable
        self.refuse_if_frozen(deleting=True)
        return super().delete(*args, **kwargs)


def refuse_frozen_delete(sender, instance, **kwargs):  # noqa: ARG001 (signal signature)
    """pre_delete receiver: the last line for rows removed by a cascade from a parent."""
    if isinstance(instance, FreezableModel):
        instance.refuse_if_frozen(deleting=True)


def refuse_frozen_m2m(sender, instance, action, **kwargs):  # noqa: ARG001 (signal signature)
    """m2m_changed receiver for the many-to-many fields of frozen records."""
    if action in ("pre_add", "pre_remove", "pre_clear") and isinstance(instance, FreezableModel):
        instance.refuse_if_frozen(deleting=True)
