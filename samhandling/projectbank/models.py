"""Denormalised read models of the public project bank, kept in step by `services` (never edited by hand)."""

from django.db import models

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
