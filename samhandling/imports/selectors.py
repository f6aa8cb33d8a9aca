"""Reads for the secretariat's import pages."""

from .models import ImportRun, MatchProposal


def recent_runs(limit: int = 100):
    return ImportRun.objects.select_related("by")[:limit]


def proposals(status: str = MatchProposal.Status.PENDING, limit: int = 200):
    return MatchProposal.objects.filter(status=status).select_related(
        "candidate", "new_organisation", "run", "decided_by"
    )[:limit]
