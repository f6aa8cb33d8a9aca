"""The minutes as a product of the meeting: canonical content, PDF and DOCX rendering, and verification.

The canonical content is the meeting's own records only (meeting, attendance, officials, items with their
decision points, notes, dissents, conflicts and attachments), as sorted JSON: the same data gives the same
bytes and the same SHA-256. Records that point at the meeting from other apps are not part of it.
"""

import hashlib
import io
import json
from datetime import UTC
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy, override

from .models import Meeting, Membership
from .selectors import attendance_groups

ROLE_SUFFIX = {
    Membership.Role.CHAIR: gettext_lazy("Ordförande"),
    Membership.Role.VICE_CHAIR: gettext_lazy("Vice ordförande"),
    Membership.Role.CO_OPTED: gettext_lazy("Adjungerande"),
}


def _s(value):
    return "" if value is None else str(value)


def canonical_content(meeting: Meeting) -> dict:
    attendance = [
        {
            "person": a.membership.person.name,
            "role": a.membership.role,
            "party": a.membership.party,
            "organisation": a.membership.organisation.name,
            "detail": a.membership.organisation_detail,
            "present": a.present,
            "from_item": a.from_item,
            "until_item": a.until_item,
            "serving_for": a.serving_for.person.name if a.serving_for_id else None,
        }
        for a in meeting.attendances.select_related(
            "membership__person", "membership__organisation", "serving_for__person"
        ).order_by("membership__order", "membership_id")
    ]
    items = []
    for item in meeting.items.order_by("number"):
        items.append(
            {
                "number": item.number,
                "order": item.order,
                "kind": item.kind,
                "title": item.title,
                "presenter": item.presenter,
                "matter": item.matter,
                "proposal": item.proposal,
                "decision_intro": item.decision_intro,
                "decided_without_quorum": item.decided_without_quorum,
                "projects": sorted(item.projects.values_list("name", flat=True)),
                "decision_points": [
                    {
                        "number": p.number,
                        "text": p.text,
                        "outcome": p.outcome,
                        "amount": _s(p.amount),
                        "project": _s(p.project_id and p.project.name),
                        "call": _s(p.call_id and p.call),
                    }
                    for p in item.decision_points.select_related("project", "call").order_by("number")
                ],
                "notes": [
                    {"person": n.person.name, "text": n.text}
                    for n in item.notes.select_related("person").order_by("id")
                ],
                "dissents": [
                    {"person": d.person.name, "text": d.text}
                    for d in item.dissents.select_related("person").order_by("id")
                ],
                "conflicts": [
                    {"person": c.person.name, "reason": c.reason}
                    for c in item.conflicts.select_related("person").order_by("person__name")
                ],
                "attachments": [{"title": f.title, "sha256": f.sha256} for f in item.attachments.order_by("id")],
            }
        )
    return {
        "partnership": meeting.partnership.name,
        "number": meeting.number,
        "year": meeting.year,
        "date": _s(meeting.date),
        "start_time": _s(meeting.start_time),
        "end_time": _s(meeting.end_time),
        "registry_number": meeting.registry_number,
        "place": meeting.place,
        "room": meeting.room,
        "chair": _s(meeting.chair),
        "adjusters": sorted(p.name for p in meeting.adjusters.all()),
        "secretary": _s(meeting.secretary),
        "adjustment_date": _s(meeting.adjustment_date),
        "attendance": attendance,
        "participants": [
            {"kind": p.kind, "name": p.name, "title": p.title, "organisation": p.organisation, "order": p.order}
            for p in meeting.participants.order_by("order", "id")
        ],
        "items": items,
    }


def content_bytes(content: dict) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- presentation ---------------------------------------------------------------------------------------


def person_line(m: Membership, a) -> str:
    """'Arvid Vikman Rindevall (s), tom § 8' / 'Andrea Irving (mp), tjänstgör' as in the Swedish minutes."""
    parts = [m.person.name + (f" ({m.party})" if m.party else "")]
    if m.role in ROLE_SUFFIX:
        parts.append(str(ROLE_SUFFIX[m.role]))
    if a and a.present and a.from_item:
        parts.append(f"from § {a.from_item}")
    if a and a.present and a.until_item:
        parts.append(_("tom § %(n)s") % {"n": a.until_item})
    if a and a.present and a.serving_for_id:
        parts.append(_("tjänstgör"))
    return ", ".join(parts)


def organisation_line(m: Membership) -> str:
    return m.organisation.name + (f" ({m.organisation_detail})" if m.organisation_detail else "")


def _names_by_organisation(participants) -> str:
    """'A, B (Region Stockholm), C (Storsthlm)': consecutive people of one organisation share it."""
    chunks = []
    for org, people in groupby(participants, key=lambda p: p.organisation):
        names = ", ".join(p.name for p in people)
        chunks.append(f"{names} ({org})" if org else names)
    return ", ".join(chunks)


def officials_lines(meeting: Meeting) -> list[tuple[str, str]]:
    """(label, names) rows: secretariat by title, managing authorities by organisation, then groups."""
    K = meeting.participants.model.Kind
    rows = []
    parts = list(meeting.participants.order_by("order", "id"))
    for p in (p for p in parts if p.kind == K.SECRETARIAT):
        rows.append((p.title or str(K.SECRETARIAT.label), p.name))
    for org, people in groupby((p for p in parts if p.kind == K.MANAGING_AUTHORITY), key=lambda p: p.organisation):
        rows.append((org, ", ".join(p.name for p in people)))
    for kind, label in ((K.PREPARATION_GROUP, _("Beredningsgrupp")), (K.GUEST, _("Gäster"))):
        group = [p for p in parts if p.kind == kind]
        if group:
            rows.append((label, _names_by_organisation(group)))
    return rows


@dataclass
class Paragraph:
    item: object
    anchor: str
    decision_points: list
    notes: list
    dissents: list
    conflicts: list
    corrections: list
    attachments: list

    @property
    def has_decision(self):
        return bool(self.decision_points)


def minutes_context(meeting: Meeting) -> dict:
    items = list(
        meeting.items.order_by("number").prefetch_related(
            "decision_points",
            "notes__person",
            "dissents__person",
            "conflicts__person",
            "corrections__signed_by",
            "attachments",
        )
    )
    paragraphs = [
        Paragraph(
            i,
            f"p{i.number}",
            list(i.decision_points.all()),
            list(i.notes.all()),
            list(i.dissents.all()),
            list(i.conflicts.all()),
            list(i.corrections.all()),
            list(i.attachments.all()),
        )
        for i in items
    ]
    numbers = [i.number for i in items]
    groups = attendance_groups(meeting)
    note_orgs = {m.person_id: m.organisation.name for m, _a in groups.present_members + groups.present_substitutes}
    return {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "range": f"§§ {min(numbers):02d} - {max(numbers):02d}" if numbers else "",
        "groups": [
            (_("Närvarande ledamöter"), [(person_line(m, a), organisation_line(m)) for m, a in groups.present_members]),
            (_("Frånvarande ledamöter"), [(person_line(m, a), organisation_line(m)) for m, a in groups.absent_members]),
            (
                _("Närvarande ersättare"),
                [(person_line(m, a), organisation_line(m)) for m, a in groups.present_substitutes],
            ),
            (
                _("Frånvarande ersättare"),
                [(person_line(m, a), organisation_line(m)) for m, a in groups.absent_substitutes],
            ),
        ],
        "officials": officials_lines(meeting),
        "paragraphs": paragraphs,
        "note_orgs": note_orgs,
        "adjusters": ", ".join(p.name for p in meeting.adjusters.order_by("name")),
        "signed": meeting.is_signed,
    }


def render_pdf(meeting: Meeting) -> bytes:
    """The minutes are the official record in Swedish, whatever language the person rendering them reads."""
    from samhandling.core.documents import render_pdf as render

    with override(settings.LANGUAGE_CODE):
        return render("partnership/minutes_pdf.html", minutes_context(meeting))


def render_docx(meeting: Meeting) -> bytes:
    """The same minutes as an editable Word document (python-docx)."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    with override(settings.LANGUAGE_CODE):  # the official record is Swedish, like the PDF
        ctx = minutes_context(meeting)
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_paragraph(meeting.partnership.name)
    doc.add_heading(f"PROTOKOLL {meeting.code}", level=0)
    header = doc.add_table(rows=0, cols=2)
    for label, value in (
        ("Sammanträde", str(meeting.date)),
        ("Kl.", _time_range(meeting)),
        ("Diarienummer", meeting.registry_number),
        ("Paragrafer", ctx["range"]),
    ):
        row = header.add_row().cells
        row[0].text, row[1].text = label, value
    for title, rows in ctx["groups"]:
        doc.add_heading(title, level=2)
        table = doc.add_table(rows=0, cols=2)
        for person, org in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = person, org
    doc.add_heading("Närvarande tjänstepersoner", level=2)
    table = doc.add_table(rows=0, cols=2)
    for label, names in ctx["officials"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = f"{label}:", names
    doc.add_paragraph(f"Plats för sammanträde: {meeting.place}" + (f", lokal: {meeting.room}" if meeting.room else ""))
    doc.add_paragraph(f"Tid för sammanträde: {_time_range(meeting)}")
    for line in _adjustment_lines(meeting, ctx):
        doc.add_paragraph(line)
    doc.add_heading("Innehållsförteckning", level=2)
    toc = doc.add_paragraph()
    for kind, text in (("begin", None), (None, 'TOC \\o "1-1" \\h'), ("separate", None), (None, None), ("end", None)):
        run = toc.add_run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._r.append(el)
        else:
            run.text = "\n".join(_title(p.item) for p in ctx["paragraphs"])
    for p in ctx["paragraphs"]:
        doc.add_heading(_title(p.item), level=1)
        for line in paragraph_lines(p):
            if line.startswith("## "):
                doc.add_heading(line[3:], level=3)
            else:
                doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _title(item) -> str:
    return f"§ {item.number}. {item.title}"


def _time_range(meeting) -> str:
    fmt = lambda t: t.strftime("%H:%M") if t else ""  # noqa: E731
    return f"{fmt(meeting.start_time)} – {fmt(meeting.end_time)}"


def _adjustment_lines(meeting, ctx) -> list[str]:
    lines = [
        f"Datum för justering: {meeting.adjustment_date or ''}",
        f"Ordförande: {meeting.chair or ''}",
        f"Justerare: {ctx['adjusters']}",
        f"Sekreterare: {meeting.secretary or ''}",
    ]
    if ctx["signed"]:
        lines.append("Protokollet har justerats och signerats digitalt.")
    return lines


def paragraph_lines(p: Paragraph) -> list[str]:
    """The body of a § as lines ('## ' marks a sub-heading): shared by DOCX; the PDF template mirrors it."""
    item, lines = p.item, []
    if p.has_decision:
        lines.append("## Ärende")
    if item.presenter:
        lines.append(f"Föredragande: {item.presenter}")
    lines += [t for t in item.matter.split("\n\n") if t.strip()]
    for c in p.conflicts:
        lines.append(f"{c.person.name} anmäler jäv ({c.reason}) och deltar inte i handläggningen av ärendet.")
    for n in p.notes:
        lines.append(f"{n.person.name} antecknar till protokollet: {n.text}")
    if p.has_decision:
        lines.append("## Beslut")
        if item.decision_intro:
            lines.append(item.decision_intro)
        numbered = len(p.decision_points) > 1
        lines += [f"{d.number}. {d.text}" if numbered else d.text for d in p.decision_points]
    for d in p.dissents:
        lines.append(f"{d.person.name} reserverar sig mot beslutet" + (f": {d.text}" if d.text else "."))
    for c in p.corrections:
        lines.append(f"Rättelse {timezone.localdate(c.signed_at):%Y-%m-%d}, signerad av {c.signed_by.name}: {c.text}")
    return lines


# --- verification ---------------------------------------------------------------------------------------


def _diff(old, new, path="") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            out += _diff(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        for i in range(max(len(old), len(new))):
            a = old[i] if i < len(old) else None
            b = new[i] if i < len(new) else None
            label = _label(a or b, i)
            out += _diff(a, b, f"{path}[{label}]")
        return out
    return [] if old == new else [path]


def _label(entry, index):
    if isinstance(entry, dict):
        if "number" in entry and "title" in entry:
            return f"§ {entry['number']}"
        if "person" in entry:
            return entry["person"]
        if "name" in entry:
            return entry["name"]
    return str(index + 1)


def verify(meeting: Meeting) -> list[str]:
    """What differs between the signed minutes and the records now; empty when intact."""
    signed = getattr(meeting, "signed_minutes", None)
    if signed is None:
        return [f"Protokoll {meeting.code} är inte signerat."]
    problems = []
    if sha256(content_bytes(signed.content)) != signed.content_sha256:
        problems.append("det sparade innehållet vid signering stämmer inte med sin SHA-256")
    if sha256(bytes(signed.pdf)) != signed.pdf_sha256:
        problems.append("den signerade PDF-filen stämmer inte med sin SHA-256")
    now = canonical_content(meeting)
    if sha256(content_bytes(now)) != signed.content_sha256:
        problems += [f"ändrat: {p}" for p in _diff(signed.content, now)] or [
            "innehållet skiljer sig från det signerade"
        ]
    for item in meeting.items.all():
        for c in item.corrections.all():
            if sha256(correction_bytes(c)) != c.sha256:
                problems.append(
                    f"rättelse till § {item.number} ({timezone.localdate(c.signed_at):%Y-%m-%d}) stämmer inte med sin SHA-256"
                )
    return problems


def correction_bytes(c) -> bytes:
    return content_bytes(
        {
            "item": c.item_id,
            "text": c.text,
            "signed_by": c.signed_by_id,
            "signed_at": c.signed_at.astimezone(UTC).isoformat(),
        }
    )
