"""Background tasks of the portfolio app (see samhandling.core.background)."""

from django.conf import settings

from samhandling.core.background import task

from . import network, reports


@task(takes_context=True)
def build_report(context, fmt: str, year_from: int, year_to: int) -> dict:
    """Writes the portfolio report to var/reports/ under the task's id; the page links it when done."""
    render = reports.pdf if fmt == "pdf" else reports.docx
    folder = settings.VAR_DIR / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{context.task_result.id}.{fmt}"
    path.write_bytes(render(year_from, year_to))
    return {"file": path.name, "name": f"portfoljrapport-{year_from}-{year_to}.{fmt}"}


@task()
def build_network(version: int, partnership_id: int | None = None) -> dict:
    """Computes the collaboration network of a partnership's portfolio at data version `version`, for the
    public pages (portfolio.network)."""
    built = network.build(version, partnership_id)
    return {
        "version": version,
        "partnership": partnership_id,
        "built": built is not None,
        "seconds": built.seconds if built else None,
    }
