"""Projects saved or deleted one at a time through the ORM (admin, applications, services) stay searchable.

The facet table also depends on a project's counties and municipalities (set after the project is saved)
and on its applicant's sector, so changes to those refresh the project's facets too. Bulk writes (imports,
the generator) index their rows themselves through `services.reindex`.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from samhandling.projects.models import Organisation, Project

from . import services


@receiver(post_save, sender=Project, dispatch_uid="projectbank-index-project")
def _index_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_project(instance)


@receiver(post_delete, sender=Project, dispatch_uid="projectbank-unindex-project")
def _unindex_deleted(sender, instance, **kwargs):
    services.unindex([instance.pk])


@receiver(m2m_changed, sender=Project.counties.through, dispatch_uid="projectbank-project-counties")
@receiver(m2m_changed, sender=Project.municipalities.through, dispatch_uid="projectbank-project-municipalities")
def _places_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        services.refresh_facets([instance.pk])
    elif pk_set:
        services.refresh_facets(pk_set)


@receiver(post_save, sender=Organisation, dispatch_uid="projectbank-applicant-sector")
def _organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        services.refresh_facets(instance.projects_as_applicant.values_list("id", flat=True))
