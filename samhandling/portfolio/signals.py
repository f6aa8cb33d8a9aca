"""Keeps the dashboard's sums (`summary`) in step with writes made one at a time through the ORM.

A project's figures change when the project is saved or deleted, and from other tables: its labels, its
county and municipality links (changed from either side) and its applicant's sector. Bulk writes (the
importer, the generator) send no signals and call `summary.refresh` themselves.
"""

from samhandling.projects.models import Project

from . import summary


def project_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        summary.refresh([instance.pk])


def label_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.kind != instance.Kind.OBJECTIVE:  # objective labels only train the classifier
        summary.refresh([instance.project_id])


def applicant_changed(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        summary.refresh(Project.objects.filter(applicant=instance).values_list("id", flat=True))


def places_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """County or municipality links added or removed, from either side (a cleared county: its projects as
    they were before the clear)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            summary.refresh([instance.pk])
    elif action == "pre_clear":
        instance._portfolio_cleared = list(instance.projects.values_list("id", flat=True))
    elif action == "post_clear":
        summary.refresh(instance.__dict__.pop("_portfolio_cleared", []))
    elif action in ("post_add", "post_remove"):
        summary.refresh(pk_set)
