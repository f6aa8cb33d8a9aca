"""Stamps the projects whose dashboard figures change without a save of the project row itself.

The dashboard's cached figures are keyed on the projects' last change (selectors.change_key); a label, a
county or municipality link or the applicant's sector changes a project's figures from another table, so
the projects concerned get a fresh `updated_at`. `update()` sends no signals: nothing is reindexed.
"""
from django.utils import timezone

from samhandling.projects.models import Project


def _stamp(projects):
    projects.update(updated_at=timezone.now())


def label_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _stamp(Project.objects.filter(pk=instance.project_id))


def applicant_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _stamp(Project.objects.filter(applicant=instance))


def places_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """County or municipality links added or removed, from either side."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        _stamp(Project.objects.filter(pk=instance.pk))
    elif action == "pre_clear":
        _stamp(instance.projects.all())
    else:
        _stamp(Project.objects.filter(pk__in=pk_set))
