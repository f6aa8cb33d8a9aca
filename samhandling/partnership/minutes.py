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
from itertools import count, groupby

from django.conf import settings
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext as _, gettext_lazy, override

from . import public as public_version, signing
from .models import Approval, Meeting, MeetingParticipant, Membership, items_text
from .rules import rules_for
from .selectors import attendances, memberships_at

ROLE_SUFFIX = {
    Membership.Role.CHAIR: gettext_lazy("Ordförande"),
    Membership.Role.VICE_CHAIR: gettext_lazy("Vice ordförande"),
    Membership.Role.CO_OPTED: gettext_lazy("Adjungerande"),
}


def _s(value):
    return "" if value is None else str(value)


def canonical_content(meeting: Meeting) -> dict:
    recorded = attendances(meeting)
    attendance = []
    for m in memberships_at(meeting).order_by("order", "id"):
        a = recorded.get(m.id)
        attendance.append(
            {
                "person": m.person.name,
                "role": m.role,
                "party": m.party,
                "organisation": m.organisation.name,
                "detail": m.organisation_detail,
                "present": bool(a and a.present),
                "from_item": a.from_item if a else None,
                "until_item": a.until_item if a else None,
                "serving_for": a.serving_for.person.name if a and a.present and a.serving_for_id else None,
            }
        )
        if a and a.present and a.absences:
            attendance[-1]["absences"] = sorted(a.absences)
    items = []
    for item in meeting.items.order_by("number"):
        items.append(
            {
                "number": item.number,
                "order": item.order,
                "kind": item.kind,
                "title": item.title,
                "registry_number": item.registry_number,
                "presenter": item.presenter,
                "matter": item.matter,
                "proposal": item.proposal,
                "decision_intro": item.decision_intro,
                "decided_without_quorum": item.decided_without_quorum,
                "projects": sorted(item.projects.values_list("name", flat=True)),
                "project_ids": sorted(item.projects.values_list("pk", flat=True)),
                "decision_points": [
                    {
                        "number": p.number,
                        "text": p.text,
                        "outcome": p.outcome,
                        "amount": _s(p.amount),
                        "project": _s(p.project_id and p.project.name),
                        "call": _s(p.call_id and p.call),
                        "project_id": p.project_id,
                        "call_id": p.call_id,
                    }
                    for p in item.decision_points.select_related("project", "call").order_by("number")
                ],
                "notes": [
                    {"person": n.person.name, "person_id": n.person_id, "text": n.text}
                    for n in item.notes.select_related("person").order_by("id")
                ],
                "votes": [
                    {
                        "number": v.number,
                        "kind": v.kind,
                        "proposal_yes": v.proposal_yes,
                        "proposal_no": v.proposal_no,
                        "yes": v.yes,
                        "no": v.no,
                        "abstain": v.abstain,
                        "winner": v.winner,
                        "outcome": v.outcome,
                        "ballots": [
                            {"person": b.membership.person.name, "membership_id": b.membership_id, "choice": b.choice}
                            for b in v.ballots.select_related("membership__person").order_by("membership__order", "id")
                        ],
                    }
                    for v in item.votes.order_by("number")
                ],
                "dissents": [
                    {
                        "person": d.person.name,
                        "person_id": d.person_id,
                        "text": d.text,
                        "vote": d.vote and d.vote.number,
                    }
                    for d in item.dissents.select_related("person", "vote").order_by("id")
                ],
                "conflicts": [
                    {"person": c.person.name, "person_id": c.person_id, "reason": c.reason}
                    for c in item.conflicts.select_related("person").order_by("person__name")
                ],
                "attachments": [{"title": f.title, "sha256": f.sha256} for f in item.attachments.order_by("id")],
            }
        )
        # what the public version leaves out; only when set, so minutes signed before these existed still verify
        if not item.public:
            items[-1].update(public=False, withheld_reason=item.withheld_reason)
        if item.personal_data.strip():
            items[-1]["personal_data"] = item.personal_data
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
        "chair_id": meeting.chair_id,
        "adjuster_ids": sorted(meeting.adjusters.values_list("pk", flat=True)),
        "secretary_id": meeting.secretary_id,
        "signatories": signatories(meeting),
        "adjustment_date": _s(meeting.adjustment_date),
        "attendance": attendance,
        "attendance_records": [
            {
                "membership_id": a.membership_id,
                "present": a.present,
                "from_item": a.from_item,
                "until_item": a.until_item,
                "serving_for_id": a.serving_for_id,
                **({"absences": sorted(a.absences)} if a.absences else {}),
            }
            for a in sorted(recorded.values(), key=lambda a: a.membership_id)
        ],
        "participants": [
            {"kind": p.kind, "name": p.name, "title": p.title, "organisation": p.organisation, "order": p.order}
            for p in meeting.participants.order_by("order", "id")
        ],
        "items": items,
    }


def signatories(meeting: Meeting) -> list[dict]:
    """Who signs, in the order of the minutes' closing block: chair, adjusters, secretary where the rules say so."""
    rows = [{"name": meeting.chair.name, "role": Approval.Role.CHAIR}] if meeting.chair_id else []
    rows += [{"name": p.name, "role": Approval.Role.ADJUSTER} for p in meeting.adjusters.order_by("name")]
    if meeting.secretary_id and rules_for(meeting.partnership).secretary_signs:
        rows.append({"name": meeting.secretary.name, "role": Approval.Role.SECRETARY})
    return rows


def content_bytes(content: dict) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- presentation: always from the content (the frozen content once signed), never from live records ------


def document(meeting: Meeting, *, public: bool = False) -> dict:
    """What the minutes show: the content frozen at signing, or the records as they stand while a draft;
    `public` gives the public version (frozen at signing too)."""
    signed = getattr(meeting, "signed_minutes", None)
    if signed is None:
        content = canonical_content(meeting)
        return public_version.public_content(content) if public else content
    if public:
        return signed.public_content or public_version.public_content(signed.content)
    return signed.content


def person_line(a: dict) -> str:
    """'Arvid Vikman Rindevall (s), tom § 8' / 'Andrea Irving (mp), tjänstgör för Viktor Morawski'."""
    parts = [a["person"] + (f" ({a['party']})" if a["party"] else "")]
    if a["role"] in ROLE_SUFFIX:
        parts.append(str(ROLE_SUFFIX[a["role"]]))
    if a["present"] and a["from_item"]:
        parts.append(_("fr.o.m. § %(n)s") % {"n": a["from_item"]})
    if a["present"] and a["until_item"]:
        parts.append(_("tom § %(n)s") % {"n": a["until_item"]})
    for gap in a.get("absences", []) if a["present"] else []:
        parts.append(_("ej närvarande %(items)s") % {"items": items_text(*gap)})
    if a["present"] and a["serving_for"]:
        parts.append(_("tjänstgör för %(name)s") % {"name": a["serving_for"]})
    return ", ".join(parts)


def organisation_line(a: dict) -> str:
    return a["organisation"] + (f" ({a['detail']})" if a["detail"] else "")


def _names_by_organisation(participants) -> str:
    """'A, B (Region Stockholm), C (Storsthlm)': consecutive people of one organisation share it."""
    chunks = []
    for org, people in groupby(participants, key=lambda p: p["organisation"]):
        names = ", ".join(p["name"] for p in people)
        chunks.append(f"{names} ({org})" if org else names)
    return ", ".join(chunks)


def officials_lines(participants: list[dict]) -> list[tuple[str, str]]:
    """(label, names) rows: secretariat by title, managing authorities by organisation, then groups."""
    K = MeetingParticipant.Kind
    rows = []
    for p in (p for p in participants if p["kind"] == K.SECRETARIAT):
        rows.append((p["title"] or str(K.SECRETARIAT.label), p["name"]))
    managing = (p for p in participants if p["kind"] == K.MANAGING_AUTHORITY)
    for org, people in groupby(managing, key=lambda p: p["organisation"]):
        rows.append((org, ", ".join(p["name"] for p in people)))
    for kind, label in ((K.PREPARATION_GROUP, _("Beredningsgrupp")), (K.GUEST, _("Gäster"))):
        group = [p for p in participants if p["kind"] == kind]
        if group:
            rows.append((label, _names_by_organisation(group)))
    return rows


@dataclass
class Paragraph:
    """One § as the minutes show it, from the content; `item_id` only links the page to the live item."""

    number: int
    title: str
    anchor: str
    registry_number: str
    presenter: str
    matter: str
    decision_intro: str
    decision_points: list
    notes: list
    dissents: list
    conflicts: list
    attachments: list
    corrections: list
    votes: list
    item_id: int | None = None
    withheld: bool = False
    withheld_reason: str = ""

    @property
    def has_decision(self):
        return bool(self.decision_points)


CHOICE_LABELS = {"yes": gettext_lazy("Ja"), "no": gettext_lazy("Nej"), "abstain": gettext_lazy("Avstår")}


def vote_view(v: dict) -> dict:
    """A vote as the minutes print it: the proposals, the count per choice with names (open vote), the outcome."""
    kinds = {"open": _("Öppen omröstning"), "closed": _("Sluten omröstning")}
    rows = []
    for choice in ("yes", "no", "abstain"):
        names = [b["person"] for b in v["ballots"] if b["choice"] == choice]
        rows.append({"label": str(CHOICE_LABELS[choice]), "count": v[choice], "names": ", ".join(names)})
    return {**v, "kind_label": kinds.get(v["kind"], v["kind"]), "rows": rows}


def vote_lines(v: dict) -> list[str]:
    lines = [
        f"{v['kind_label']} {v['number']}: ja för {v['proposal_yes']}; nej för {v['proposal_no']}.",
    ]
    for r in v["rows"]:
        lines.append(f"{r['label']}: {r['count']}" + (f" ({r['names']})" if r["names"] else ""))
    lines.append(v["outcome"])
    return lines


def section_range(numbers) -> str:
    """'§§ 1–12' (or '§ 4' for a single item)."""
    numbers = sorted(numbers)
    if not numbers:
        return ""
    return f"§ {numbers[0]}" if len(numbers) == 1 else f"§§ {numbers[0]}–{numbers[-1]}"


def _time(value: str) -> str:
    return value[:5] if value else ""


def _file_id(item, attachment: dict) -> int | None:
    """The stored file whose content the minutes name (by SHA-256), so a reader can open the bilaga itself."""
    if item is None:
        return None
    return next((f.pk for f in item.attachments.all() if f.sha256 == attachment["sha256"]), None)


def _public_corrections(item, phrases) -> list:
    """Corrections as the public version shows them: none on a withheld §, personal data masked."""
    shown = []
    for c in item.corrections.all():
        c.text = public_version.mask_text(c.text, phrases)  # for showing only: a correction is never saved again
        shown.append(c)
    return shown


def minutes_context(meeting: Meeting, *, public: bool = False) -> dict:
    doc = document(meeting, public=public)
    phrases = public_version.personal_data_phrases(document(meeting)) if public else []
    live = {i.number: i for i in meeting.items.prefetch_related("corrections__signed_by", "attachments")}
    paragraphs = []
    appendix = count(1)  # bilagor are numbered through the minutes, in the order of the items
    for i in doc["items"]:
        item = live.get(i["number"])
        paragraphs.append(
            Paragraph(
                number=i["number"],
                title=i["title"],
                anchor=f"p{i['number']}",
                registry_number=i.get("registry_number", ""),
                presenter=i["presenter"],
                matter=i["matter"],
                decision_intro=i["decision_intro"],
                decision_points=i["decision_points"],
                notes=i["notes"],
                dissents=i["dissents"],
                conflicts=i["conflicts"],
                attachments=[{**a, "number": next(appendix), "id": _file_id(item, a)} for a in i["attachments"]],
                corrections=(
                    []
                    if item is None or i.get("withheld")
                    else _public_corrections(item, phrases)
                    if public
                    else list(item.corrections.all())
                ),
                votes=[vote_view(v) for v in i.get("votes", [])],
                item_id=item.pk if item else None,
                withheld=bool(i.get("withheld")),
                withheld_reason=i.get("withheld_reason", ""),
            )
        )
    att = doc["attendance"]
    seated = [a for a in att if a["role"] != Membership.Role.SUBSTITUTE]
    subs = [a for a in att if a["role"] == Membership.Role.SUBSTITUTE]

    def rows(entries):
        return [(person_line(a), organisation_line(a)) for a in entries]

    roles = dict(Approval.Role.choices)
    signed = getattr(meeting, "signed_minutes", None)
    signed_pdf = (bytes(signed.public_pdf) if public else bytes(signed.pdf)) if signed is not None else b""
    return {
        "public_version": public,
        "public_notice": public_version.NOTICE,
        "meeting": meeting,
        "doc": doc,
        "partnership_name": doc["partnership"],
        "start": _time(doc["start_time"]),
        "end": _time(doc["end_time"]),
        "range": section_range(p.number for p in paragraphs),
        "groups": [
            (_("Närvarande ledamöter"), rows(a for a in seated if a["present"])),
            (_("Frånvarande ledamöter"), rows(a for a in seated if not a["present"])),
            (_("Närvarande ersättare"), rows(a for a in subs if a["present"])),
            (_("Frånvarande ersättare"), rows(a for a in subs if not a["present"])),
        ],
        "officials": officials_lines(doc["participants"]),
        "paragraphs": paragraphs,
        "adjusters": ", ".join(doc["adjusters"]),
        "signatories": [(s["name"], str(roles.get(s["role"], s["role"]))) for s in doc.get("signatories", [])],
        "signatures": signing.read_signatures(signed_pdf) if signed_pdf else [],
    }


def render_pdf(meeting: Meeting, *, public: bool = False) -> bytes:
    """The minutes are the official record in Swedish, whatever language the person rendering them reads."""
    from samhandling.core.documents import render_pdf as render

    with override(settings.LANGUAGE_CODE):
        return render("partnership/minutes_pdf.html", minutes_context(meeting, public=public))


def _title(p: Paragraph) -> str:
    return f"§ {p.number}. {p.title}"


def _adjustment_lines(ctx) -> list[str]:
    doc = ctx["doc"]
    return [
        f"Datum för justering: {doc['adjustment_date']}",
        f"Ordförande: {doc['chair']}",
        f"Justerare: {ctx['adjusters']}",
        f"Sekreterare: {doc['secretary']}",
    ]


def signature_lines(ctx) -> list[str]:
    """The 'Justerare / Vid protokollet' block: who signs, and the signatures the signed original carries."""
    lines = [f"{role}: {name}" for name, role in ctx["signatories"]]
    if ctx["signatures"]:
        lines.append("Protokollet har justerats och signerats digitalt (PAdES):")
        lines += [
            f"{s.signer_name}, {s.role.lower()}, {s.reason.lower()} {localtime(s.signed_at):%Y-%m-%d %H:%M}"
            for s in ctx["signatures"]
        ]
    else:
        lines.append("Underskrifterna görs elektroniskt (PAdES) i PDF-filen och kan kontrolleras av var och en.")
    return lines


def paragraph_lines(p: Paragraph) -> list[str]:
    """The body of a § as lines ('## ' marks a sub-heading): shared by DOCX; the PDF template mirrors it."""
    lines = []
    if p.registry_number:
        lines.append(f"Diarienummer: {p.registry_number}")
    if p.has_decision:
        lines.append("## Ärende")
    if p.presenter:
        lines.append(f"Föredragande: {p.presenter}")
    lines += [t for t in p.matter.split("\n\n") if t.strip()]
    for c in p.conflicts:
        lines.append(f"{c['person']} anmäler jäv ({c['reason']}) och deltar inte i handläggningen av ärendet.")
    for n in p.notes:
        lines.append(f"{n['person']} antecknar till protokollet: {n['text']}")
    if p.has_decision:
        lines.append("## Beslut")
        if p.decision_intro:
            lines.append(p.decision_intro)
        numbered = len(p.decision_points) > 1
        lines += [f"{d['number']}. {d['text']}" if numbered else d["text"] for d in p.decision_points]
    for v in p.votes:
        lines.append("## Omröstning")
        lines += vote_lines(v)
    for a in p.attachments:
        lines.append(f"Bilaga {a['number']}: {a['title']}")
    for d in p.dissents:
        lines.append(f"{d['person']} reserverar sig mot beslutet" + (f": {d['text']}" if d["text"] else "."))
    for c in p.corrections:
        lines.append(f"Rättelse {c.signed_at:%Y-%m-%d}, signerad av {c.signed_by_name or c.signed_by.name}: {c.text}")
    return lines


def _field(paragraph, instruction: str, placeholder: str = ""):
    """A Word field (PAGE, NUMPAGES, TOC) marked dirty, so Word computes it when the document opens."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("text", placeholder), ("end", None)):
        run = paragraph.add_run()
        if kind == "text":
            run.text = text
        elif kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                el.set(qn("w:dirty"), "true")
            run._r.append(el)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._r.append(el)


def _house_styles(doc):
    """Arial in black throughout: the partnership's own look, not Word's default blue theme headings."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    sizes = {"Normal": 11, "Title": 18, "Heading 1": 13, "Heading 2": 12, "Heading 3": 11}
    for name, size in sizes.items():
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = name != "Normal"
        rfonts = style.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            rfonts.set(qn(attr), "Arial")
        ppr = style.element.pPr
        border = ppr.find(qn("w:pBdr")) if ppr is not None else None
        if border is not None:  # the default title's blue rule
            ppr.remove(border)


def _update_fields_on_open(doc):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    doc.settings.element.append(el)


TEMPLATE_BODY = "innehall"  # the docxtpl placeholder {{p innehall }} where the minutes go in a partnership's template
TEMPLATE_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3")


def template_context(ctx: dict) -> dict:
    """The placeholders a partnership's DOCX template may use besides {{p innehall }}."""
    doc = ctx["doc"]
    return {
        "partnerskap": ctx["partnership_name"],
        "protokoll": f"Protokoll {doc['number']}/{doc['year']}",
        "datum": doc["date"],
        "diarienummer": doc["registry_number"],
        "paragrafer": ctx["range"],
    }


def _ensure_styles(doc):
    """A letterhead template made in Word may lack the heading styles the minutes use: they are added plain."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    names = {s.name for s in doc.styles}
    for name, size in zip(TEMPLATE_STYLES, (16, 13, 12, 11), strict=True):
        if name not in names:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
            style.font.bold, style.font.size = True, Pt(size)


def render_docx(meeting: Meeting) -> bytes:
    """The same minutes as a Word document: in the partnership's own template where it has uploaded one,
    else with a header, page x of y, house styles; both with a table of contents."""
    from docx import Document

    with override(settings.LANGUAGE_CODE):  # the official record is Swedish, like the PDF
        ctx = minutes_context(meeting)
    template = meeting.partnership.minutes_template
    if template:
        from docxtpl import DocxTemplate

        with template.open("rb") as handle:
            tpl = DocxTemplate(io.BytesIO(handle.read()))
        tpl.init_docx()
        _ensure_styles(tpl.docx)
        body = tpl.new_subdoc()
        _write_body(body, ctx)
        tpl.render({**template_context(ctx), TEMPLATE_BODY: body}, autoescape=True)
        _update_fields_on_open(tpl.docx)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()
    doc = Document()
    _house_styles(doc)
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{ctx['partnership_name']}\t{template_context(ctx)['protokoll']}"
    footer = section.footer.paragraphs[0]
    footer.add_run("Sida ")
    _field(footer, "PAGE", "1")
    footer.add_run(" av ")
    _field(footer, "NUMPAGES", "1")
    _write_body(doc, ctx)
    _update_fields_on_open(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _write_body(doc, ctx):
    """The minutes from the title to the signatures, into a python-docx document or a docxtpl subdocument."""
    doc_content = ctx["doc"]
    code = f"{doc_content['number']}/{doc_content['year']}"
    doc.add_paragraph(ctx["partnership_name"])
    doc.add_heading(f"PROTOKOLL {code}", level=0)
    head = doc.add_table(rows=0, cols=2)
    for label, value in (
        ("Sammanträde", doc_content["date"]),
        ("Kl.", f"{ctx['start']} – {ctx['end']}"),
        ("Diarienummer", doc_content["registry_number"]),
        ("Paragrafer", ctx["range"]),
    ):
        row = head.add_row().cells
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
    room = f", lokal: {doc_content['room']}" if doc_content["room"] else ""
    doc.add_paragraph(f"Plats för sammanträde: {doc_content['place']}{room}")
    doc.add_paragraph(f"Tid för sammanträde: {ctx['start']} – {ctx['end']}")
    for line in _adjustment_lines(ctx):
        doc.add_paragraph(line)
    doc.add_heading("Innehållsförteckning", level=2)
    _field(doc.add_paragraph(), 'TOC \\o "1-1" \\h \\z', "\n".join(_title(p) for p in ctx["paragraphs"]))
    for p in ctx["paragraphs"]:
        doc.add_heading(_title(p), level=1)
        for line in paragraph_lines(p):
            if line.startswith("## "):
                doc.add_heading(line[3:], level=3)
            else:
                doc.add_paragraph(line)
    doc.add_heading("Justerare / Vid protokollet", level=2)
    for line in signature_lines(ctx):
        doc.add_paragraph(line)


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


# Names and descriptions of people, organisations, projects and calls are frozen into the content for showing;
# they live on in their own records, which may change (a person renamed). Comparing the signed content with
# the meeting's records now therefore looks at the meeting's own rows and the ids they point to.
RELATED_DISPLAY = {
    "partnership",
    "chair",
    "adjusters",
    "secretary",
    "signatories",
    "attendance",
    "person",
    "projects",
    "project",
    "call",
}


def own_records(content):
    if isinstance(content, dict):
        return {k: own_records(v) for k, v in content.items() if k not in RELATED_DISPLAY}
    if isinstance(content, list):
        return [own_records(v) for v in content]
    return content


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
    if signed.public_pdf_sha256 and sha256(bytes(signed.public_pdf)) != signed.public_pdf_sha256:
        problems.append("den signerade offentliga versionen stämmer inte med sin SHA-256")
    if signed.public_content is not None and signed.public_content != public_version.public_content(signed.content):
        problems.append("den offentliga versionens innehåll är inte det som följer av det signerade innehållet")
    then, now = own_records(signed.content), own_records(canonical_content(meeting))
    if then != now:
        problems += [f"ändrat: {p}" for p in _diff(then, now)] or ["innehållet skiljer sig från det signerade"]
    for item in meeting.items.all():
        for c in item.corrections.all():
            if sha256(correction_bytes(c)) != c.sha256:
                problems.append(
                    f"rättelse till § {item.number} ({timezone.localdate(c.signed_at):%Y-%m-%d}) "
                    "stämmer inte med sin SHA-256"
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


# --- open data: one record per decision of published minutes ----------------------------------------------


def decision_records(meeting: Meeting, build_url) -> list[dict]:
    """Each decided § of signed minutes as a structured record (in the manner of the Besluit model and ELI):
    from the frozen public version only (vote counts and outcome, no names; withheld § left out), linking to
    the signed public version."""
    signed = getattr(meeting, "signed_minutes", None)
    if signed is None:
        return []
    doc = document(meeting, public=True)
    code = f"{doc['number']}/{doc['year']}"
    records = []
    for i in doc["items"]:
        if not i["decision_points"] or i.get("withheld"):
            continue
        records.append(
            {
                "id": build_url("partnership:decision", meeting.year, meeting.number, i["number"]),
                "type": "beslut",
                "partnership": doc["partnership"],
                "meeting": code,
                "meeting_date": doc["date"],
                "section": i["number"],
                "registry_number": i.get("registry_number") or doc["registry_number"],
                "title": i["title"],
                "decision_intro": i["decision_intro"],
                "decision": [{"number": p["number"], "text": p["text"]} for p in i["decision_points"]],
                "decided_without_quorum": i["decided_without_quorum"],
                "votes": [
                    {
                        "kind": v["kind"],
                        "proposal_yes": v["proposal_yes"],
                        "proposal_no": v["proposal_no"],
                        "yes": v["yes"],
                        "no": v["no"],
                        "abstain": v["abstain"],
                        "outcome": v["outcome"],
                    }
                    for v in i.get("votes", [])
                ],
                "adjusted_on": doc["adjustment_date"],
                "signed_at": signed.signed_at.isoformat(),
                "signed_pdf": build_url("partnership:public-pdf", meeting.year, meeting.number),
                "signed_pdf_sha256": signed.public_pdf_sha256,
            }
        )
    return records


# (name, Frictionless type, description) of each field of a decision record, for datapackage.json
DECISION_FIELDS = [
    ("id", "string", "Beslutets stabila adress (URL), som också är dess identitet"),
    ("type", "string", "Alltid 'beslut'"),
    ("partnership", "string", "Partnerskapet som fattade beslutet"),
    ("meeting", "string", "Sammanträdets protokollnummer, t.ex. 1/2026"),
    ("meeting_date", "date", "Sammanträdets datum"),
    ("section", "integer", "Paragrafnummer (§)"),
    ("registry_number", "string", "Ärendets diarienummer (annars sammanträdets)"),
    ("title", "string", "Paragrafens rubrik"),
    ("decision_intro", "string", "Beslutsinledning"),
    ("decision", "array", "Beslutet i numrerade punkter: objekt med number och text"),
    ("decided_without_quorum", "boolean", "Beslutet fattades trots att partnerskapet inte var beslutfört"),
    ("votes", "array", "Omröstningar: typ, förslagen, antal ja, nej och avstår samt utfall (inga namn)"),
    ("adjusted_on", "date", "Datum för justering"),
    ("signed_at", "datetime", "När protokollet signerades (UTC)"),
    ("signed_pdf", "string", "Adress till den signerade offentliga versionen av protokollet (PDF)"),
    ("signed_pdf_sha256", "string", "SHA-256 för den signerade offentliga versionen"),
]


def decisions_resource(url: str) -> dict:
    """The decisions of published minutes as a resource of the open data's datapackage.json."""
    return {
        "name": "beslut",
        "path": url,
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
        "profile": "data-resource",
        "title": "Beslut i justerade och signerade protokoll",
        "description": "Ett objekt per beslutad paragraf under nyckeln 'decisions', ur protokollens offentliga "
        "version (Besluit/ELI-mönster). Inga personuppgifter; paragrafer som inte är offentliga ingår inte.",
        "schema": {
            "fields": [{"name": n, "type": t, "description": d} for n, t, d in DECISION_FIELDS],
            "primaryKey": ["id"],
        },
    }
