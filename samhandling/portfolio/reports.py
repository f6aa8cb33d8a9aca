"""The follow-up report of granted projects (as in § 10 of minutes 1/2026): PDF and DOCX, charts and tables."""

import base64
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.core.documents import render_pdf
from samhandling.core.money import format_sek

from . import charts, selectors
from .network import build_graph, portfolio_shares

REPORT_TABLES = ("objective", "rso", "intervention", "area", "theme", "county", "sector", "size", "year")


def context(year_from: int, year_to: int) -> dict:
    """Figures of the internal dashboard for projects decided in the years given (targets incl. unpublished)."""
    data = selectors.dashboard(public=False, year_from=year_from, year_to=year_to)
    qs = selectors.granted_projects(year_from, year_to)
    data["tables"] = [t for t in data["tables"] if t.key in REPORT_TABLES]
    data["shares"] = portfolio_shares(qs)
    data["network"] = build_graph(qs)
    data.update(year_from=year_from, year_to=year_to, created=timezone.localdate())
    return data


def pdf(year_from: int, year_to: int) -> bytes:
    data = context(year_from, year_to)
    for table in data["tables"]:
        svg = charts.table_chart(table)
        table.chart_uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    return render_pdf("portfolio/report.html", data)


def docx(year_from: int, year_to: int) -> bytes:
    from docx import Document
    from docx.shared import Cm

    data = context(year_from, year_to)
    doc = Document()
    doc.add_heading(_("Uppföljning av beviljade projekt %(a)s–%(b)s") % {"a": year_from, "b": year_to}, 0)
    doc.add_paragraph(
        _("%(n)s beviljade projekt, sammanlagt %(amount)s.")
        % {"n": data["count"], "amount": format_sek(data["amount"])}
    )
    shares = data["shares"]
    doc.add_paragraph(
        _("Sektorsövergripande projekt: %(s)s %%. Projekt i flera län: %(m)s %%.")
        % {"s": shares["cross_sector_share"], "m": shares["multi_county_share"]}
    )
    if data["gaps"]:
        doc.add_heading(_("Andel mot partnerskapets mål"), 1)
        for gap in data["gaps"]:
            doc.add_paragraph(gap.text, style="List Bullet")
    for table in data["tables"]:
        doc.add_heading(str(table.title), 1)
        if table.rows:
            doc.add_picture(io.BytesIO(charts.table_chart(table, fmt="png")), width=Cm(15))
        grid = doc.add_table(rows=1, cols=4)
        grid.style = "Table Grid"
        for cell, text in zip(
            grid.rows[0].cells, [str(table.dimension), _("Antal projekt"), _("Beviljat belopp"), _("Andel")]
        ):
            cell.text = text
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, [row.label, str(row.count), format_sek(row.amount), row.share_text]):
                cell.text = text
    _docx_followup(doc, data)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_followup(doc, data) -> None:
    """Indicators (target, planned, achieved) per objective and the money snapshots, as in the PDF."""

    def grid(header, rows):
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = str(text)
        for row in rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = str(text)

    doc.add_heading(_("Indikatorer per specifikt mål"), 1)
    for group in data["indicators"]:
        doc.add_heading(f"{group.objective.fund.code} {group.objective.code} {group.objective.name}", 2)
        grid(
            [_("Indikator"), _("Enhet"), _("Målvärde"), _("Planerat i beviljade projekt"), _("Uppnått")],
            [
                [f"{r.indicator.code} {r.indicator.name}", r.indicator.unit, r.target or "–", r.planned, r.achieved]
                for r in group.rows
            ],
        )
    doc.add_heading(_("Ekonomi över tid per specifikt mål"), 1)
    for series in data["money"]:
        objective = series["objective"]
        doc.add_heading(f"{objective.fund.code} {objective.code} {objective.name}", 2)
        grid(
            [_("Datum"), _("Planerat"), _("Beslutat"), _("Utbetalt")],
            [
                [
                    p.date.isoformat(),
                    format_sek(p.planned),
                    format_sek(p.decided),
                    _("uppgift saknas") if p.paid is None else format_sek(p.paid),
                ]
                for p in series["points"]
            ],
        )
