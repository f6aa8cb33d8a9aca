"""Projects saved or deleted one at a time through the ORM (admin, applications, services) stay searchable.

Bulk writes (imports, the generator) index their rows themselves through `services.reindex`.
"""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from samhandling.projects.models import Project

from . import search, services


@receiver(post_save, sender=Project, dispatch_uid="projectbank-index-project")
def _index_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_project(instance)


@receiver(post_delete, sender=Project, dispatch_uid="projectbank-unindex-project")
def _unindex_deleted(sender, instance, **kwargs):
    search.remove([instance.pk])
