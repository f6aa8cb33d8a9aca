"""Keeps the dashboard's sums (`summary`) in step with label writes.

Project writes of every kind (saves, deletes, place links, applicant changes, imports, the generator) reach
the sums through the one change hook, `projectbank.changes.projects_changed`.
"""

from . import summary


def label_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.kind != instance.Kind.OBJECTIVE:  # objective labels only train the classifier
        summary.refresh([instance.project_id])
