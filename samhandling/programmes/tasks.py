"""Background tasks of the programmes app (see samhandling.core.background)."""

from datetime import date

from samhandling.core.background import task

from . import followup


@task()
def take_snapshot(day: str, partnership_id: int | None = None) -> int:
    """The money followed through on `day` (ISO date), as the `money_snapshot` command takes it."""
    from samhandling.partnership.models import Partnership

    partnership = Partnership.objects.get(pk=partnership_id) if partnership_id else None
    return followup.take_snapshot(date.fromisoformat(day), partnership=partnership)
