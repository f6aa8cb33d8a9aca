"""Keeps the matching index in step: every saved or deleted project is scored live until the next rebuild."""

from django.utils import timezone

from .models import IndexChange


def project_changed(sender, instance, raw=False, **kwargs):
    """One row per project, stamped with its latest change (a rebuild forgets rows older than itself)."""
    if raw:
        return
    if not IndexChange.objects.filter(project_id=instance.pk).update(at=timezone.now()):
        IndexChange.objects.create(project_id=instance.pk)
