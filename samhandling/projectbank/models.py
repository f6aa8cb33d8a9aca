"""Denormalised read models of the public project bank, kept in step by `services` (never edited by hand)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samhandling.core.models import DataVersionBuild
from samhandling.projects.models import Project


class ProjectFacet(models.Model):
    """One compact row per public project (granted, ongoing or completed) with its facet values.

    Search and facet counts read this table once into memory (`facetindex`), so counting nine facets over a
    million projects never joins the project tables. Places are id lists ("3,17") because a project has
    several; amounts are whole öre so range filters compare exactly.
    """

    project = models.OneToOneField(Project, primary_key=True, on_delete=models.CASCADE, related_name="+")
    fund_id = models.IntegerField()
    period_year = models.SmallIntegerField(null=True)
    region_id = models.IntegerField(null=True)
    objective = models.CharField(max_length=12, blank=True)
    sector = models.CharField(max_length=32, blank=True)
    amount_ore = models.BigIntegerField(null=True)
    start_date = models.DateField(null=True)
    counties = models.CharField(max_length=200, blank=True)
    municipalities = models.CharField(max_length=2000, blank=True)
    intervention_id = models.IntegerField(null=True)  # programmes.InterventionField
    regulation_objective_id = models.IntegerField(null=True)  # programmes.RegulationObjective (RSO1.1 …)

    class Meta:
        db_table = "projectbank_facet"


class IndexState(models.Model):
    """A single row whose (random) version changes whenever the index or the facet table does.

    Each server process compares it with the version of the facet index it holds and reloads on change.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "projectbank_state"


class OpenDataBuild(DataVersionBuild):
    """The open-data files (CSV, JSON, XLSX) written for one data version by a background task
    (projectbank.tasks.write_open_data) into the default storage: downloads serve the newest ready set."""

    class Meta:
        verbose_name = _("öppna data-filer")
        verbose_name_plural = _("öppna data-filer")

    def name(self, fmt: str) -> str:
        return f"oppna-data/{self.version}/{fmt}"


class Change(models.Model):
    """A project written since the indexes were last rebuilt, in write order (the id is the sequence).

    `changes.projects_changed` appends one row per written project; each server process's search index (which
    idea matching reads too) takes in the projects changed after the point it was built at, so a write is
    searchable and matched at once without a rebuild. The background rebuild (`tasks.rebuild_indexes`) folds the log in
    and deletes the rows it has covered.

    `follows` is the data version the write found: an index built at (sequence, version) may take in the rows
    after its sequence only when the first of them was written after that very version. A log rolled back
    or restored under it (sequence numbers used again for other writes) breaks that chain.
    """

    project_id = models.BigIntegerField()
    follows = models.BigIntegerField(default=0)

    class Meta:
        db_table = "projectbank_change"
