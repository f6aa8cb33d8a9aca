"""Charts drawn offline with matplotlib: SVG for the web and PDF, PNG for DOCX. No CDN, no script."""

import io
from decimal import Decimal
from functools import cache

COLOUR = "#1f4e79"  # dark blue: contrast against white well above 4.5:1


def bar_chart(
    title: str, labels: list[str], values: list[Decimal | float], unit: str = "mnkr", fmt: str = "svg"
) -> bytes:
    """Horizontal bar chart of amounts (given in SEK, drawn in millions)."""
    Figure = _figure_class()
    labels = [label if len(label) <= 48 else label[:45] + "…" for label in labels] or ["–"]
    numbers = [float(v) / 1_000_000 for v in values] or [0.0]
    fig = Figure(figsize=(7, 0.45 * len(labels) + 1.2))
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, numbers, color=COLOUR)
    ax.set_yticks(positions, labels)
    ax.set_xlabel(unit)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None, dpi=150)
    return buffer.getvalue()


@cache
def _figure_class():
    """matplotlib, set up once on first use: importing it costs every process that never draws a chart."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.hashsalt": "samhandling", "svg.fonttype": "none", "font.size": 9})
    from matplotlib.figure import Figure

    return Figure


def table_chart(table, fmt: str = "svg", limit: int = 15) -> bytes:
    rows = table.rows[:limit]
    return bar_chart(str(table.title), [r.label for r in rows], [r.amount for r in rows], fmt=fmt)
