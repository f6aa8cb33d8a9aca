"""The ORM's project writes (single saves and deletes, place links, the applicant) reach the one change hook."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from samhandling.projects.models import Organisation, Project

from . import changes


@receiver(post_save, sender=Project, dispatch_uid="project-saved")
@receiver(post_delete, sender=Project, dispatch_uid="project-deleted")
def _project_written(sender, instance, raw=False, **kwargs):
    if not raw:
        changes.projects_changed([instance.pk])


@receiver(m2m_changed, sender=Project.counties.through, dispatch_uid="project-counties")
@receiver(m2m_changed, sender=Project.municipalities.through, dispatch_uid="project-municipalities")
def _places_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Place links added or removed from either side (a place cleared: its projects as they were before)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            changes.projects_changed([instance.pk])
    elif action == "pre_clear":
        instance._projects_cleared = list(instance.projects.values_list("id", flat=True))
    elif action == "post_clear":
        changes.projects_changed(instance.__dict__.pop("_projects_cleared", []))
    elif action in ("post_add", "post_remove"):
        changes.projects_changed(pk_set or [])


@receiver(post_save, sender=Organisation, dispatch_uid="project-applicant-saved")
def _applicant_saved(sender, instance, created=False, raw=False, **kwargs):
    """The applicant's name is searched and its sector is a facet and a dashboard dimension."""
    if not (created or raw):
        changes.projects_changed(instance.projects_as_applicant.values_list("id", flat=True))
