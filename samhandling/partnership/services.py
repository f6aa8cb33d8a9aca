"""Writes for meetings and minutes, shared by the web UI, the admin actions and the commands.

Every service refuses what the rules of procedure forbid with a Swedish ValidationError naming the field;
the freeze of signed minutes is enforced below this layer (see freeze.py), so nothing here can bypass it.
"""

import hashlib
import os
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samhandling.core import audit
from samhandling.core.models import edited_from
from samhandling.core.uploads import validate_attachment
from samhandling.mail import services as mail
from samhandling.mail.calendar import event_ics
from samhandling.mail.models import OutgoingMail

from . import conflict_of_interest, minutes, public, signing
from .models import (
    Approval,
    Ballot,
    Attendance,
    ConflictOfInterest,
    Correction,
    DecisionPoint,
    Dissent,
    Item,
    ItemAttachment,
    Meeting,
    MeetingParticipant,
    Membership,
    Note,
    Notice,
    Partnership,
    Person,
    SignedMinutes,
    SigningCopy,
    Vote,
    WrittenAnswer,
    WrittenProcedure,
)
from .rules import adjustment_deadline, notice_deadline, rules_for
from .selectors import SEATED, attendances, memberships_at, seat_count, took_part, votes_at

K = Item.Kind
STANDARD_BEFORE = [
    (K.OPENING, gettext_noop("Sammanträdet öppnas")),
    (K.ADJUSTER, gettext_noop("Val av justerare av protokoll")),
    (K.AGENDA, gettext_noop("Godkännande av dagordning")),
    (K.CHAIR_DECISIONS, gettext_noop("Anmälan av ordförandebeslut")),
]
STANDARD_AFTER = [(K.OTHER, gettext_noop("Övriga frågor")), (K.CLOSING, gettext_noop("Sammanträdet avslutas"))]
# The titles are stored in Swedish (the minutes' language); Item.name_en gives their English names.
# standard wording of the formal items, offered as their text; the secretariat edits it like any other text
STANDARD_WORDING = {
    K.OPENING: "Ordföranden förklarar sammanträdet öppnat.",
    K.ADJUSTER: "Partnerskapet utser justerare att jämte ordföranden justera dagens protokoll.",
    K.AGENDA: "Dagordningen godkänns.",
    K.CHAIR_DECISIONS: "Ordförandebeslut sedan föregående sammanträde anmäls och läggs till handlingarna.",
    K.OTHER: "Inga övriga frågor anmäls.",
    K.CLOSING: "Ordföranden förklarar sammanträdet avslutat.",
}
TRAILING_KINDS = {K.OTHER, K.CLOSING}
REORDERABLE = (Meeting.Status.PLANNED, Meeting.Status.HELD)


# --- meetings and items ---------------------------------------------------------------------------------


@transaction.atomic
def create_meeting(partnership: Partnership, *, date, standard_items=True, number=None, **fields) -> Meeting:
    """A new meeting numbered next in its year, offered the standard items."""
    year = date.year
    if number is None:
        number = (Meeting.objects.filter(partnership=partnership, year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    elif Meeting.objects.filter(partnership=partnership, year=year, number=number).exists():
        raise ValidationError({"number": _("Det finns redan ett sammanträde %(n)s/%(y)s.") % {"n": number, "y": year}})
    meeting = Meeting.objects.create(partnership=partnership, year=year, number=number, date=date, **fields)
    if standard_items:
        for order, (kind, title) in enumerate(STANDARD_BEFORE + STANDARD_AFTER, start=1):
            Item.objects.create(
                meeting=meeting, kind=kind, title=title, number=order, order=order, matter=STANDARD_WORDING[kind]
            )
        renumber(meeting)
    return meeting


def _first_number(meeting: Meeting) -> int:
    """§ 1, or continuing from the year's previous meeting when the rules number items per year."""
    if rules_for(meeting.partnership).item_numbering != rules_for(meeting.partnership).Numbering.PER_YEAR:
        return 1
    previous = (
        Meeting.objects.filter(partnership=meeting.partnership, year=meeting.year, number__lt=meeting.number)
        .order_by("-number")
        .first()
    )
    last = previous.items.aggregate(n=Max("number"))["n"] if previous else None
    return (last or 0) + 1


def renumber(meeting: Meeting):
    """Numbers the items in their order (two passes so the unique (meeting, number) never collides)."""
    items = list(meeting.items.order_by("order", "number", "id"))
    start = _first_number(meeting)
    offset = 1000 + len(items)
    Item.objects.filter(pk__in=[i.pk for i in items]).update(number=F("number") + offset)
    for position, item in enumerate(items):
        Item.objects.filter(pk=item.pk).update(number=start + position, order=position + 1)


def _check_reorderable(meeting: Meeting):
    if meeting.status not in REORDERABLE:
        raise ValidationError(_("Dagordningen kan inte ändras när protokollet är upprättat."))


@transaction.atomic
def add_item(meeting: Meeting, *, title: str, kind=K.MATTER, **fields) -> Item:
    """A matter of the day goes in before 'Övriga frågor' and the closing."""
    _check_reorderable(meeting)
    if not title.strip():
        raise ValidationError({"title": _("Ange en rubrik för paragrafen.")})
    items = list(meeting.items.order_by("order"))
    trailing = [i for i in items if i.kind in TRAILING_KINDS] if kind not in TRAILING_KINDS else []
    position = items.index(trailing[0]) if trailing else len(items)
    Item.objects.filter(pk__in=[i.pk for i in items[position:]]).update(order=F("order") + 1)
    item = Item(meeting=meeting, kind=kind, title=title.strip(), number=999, order=position + 1, **fields)
    item.full_clean(exclude=["number"])
    item.save()
    renumber(meeting)
    item.refresh_from_db()
    return item


@transaction.atomic
def move_item(item: Item, step: int):
    """Moves an item up (-1) or down (+1) in the agenda, until the minutes are drafted."""
    meeting = item.meeting
    _check_reorderable(meeting)
    items = list(meeting.items.order_by("order", "number"))
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    target = index + step
    if not 0 <= target < len(items):
        return
    before = _agenda(items)
    items[index], items[target] = items[target], items[index]
    for position, x in enumerate(items, start=1):
        Item.objects.filter(pk=x.pk).update(order=position)
    renumber(meeting)
    audit.record(meeting, {"agenda": [before, _agenda(meeting.items.order_by("order", "number"))]})


def _agenda(items) -> str:
    return "; ".join(f"§ {i.number} {i.title}" for i in items)


@transaction.atomic
def set_status(meeting: Meeting, status: str) -> Meeting:
    """Planned → held → minutes drafted. Adjusting, signing and publishing have their own services."""
    allowed: dict[str, str] = {
        Meeting.Status.PLANNED: Meeting.Status.HELD,
        Meeting.Status.HELD: Meeting.Status.MINUTES_DRAFTED,
    }
    if allowed.get(meeting.status) != status:
        raise ValidationError(
            {
                "status": _("Statusen kan inte ändras från %(a)s till %(b)s.")
                % {"a": meeting.get_status_display(), "b": Meeting.Status(status).label}
            }
        )
    meeting.status = status
    meeting.save()
    return meeting


# --- attendance -----------------------------------------------------------------------------------------


def _check_serving(meeting: Meeting, substitute: Membership, member: Membership, att: Attendance):
    rule = rules_for(meeting.partnership)
    R = rule.Replacement
    if substitute.role != Membership.Role.SUBSTITUTE:
        raise ValidationError({"serving_for": _("Bara en ersättare kan tjänstgöra för en ledamot.")})
    if member.role not in SEATED or member.partnership_id != meeting.partnership_id:
        raise ValidationError(
            {"serving_for": _("%(p)s har ingen plats med rösträtt att ersätta.") % {"p": member.person}}
        )
    same_org = substitute.organisation_id == member.organisation_id
    same_group = bool(member.group) and substitute.group == member.group
    recorded = attendances(meeting)
    numbers = list(meeting.items.values_list("number", flat=True)) or [1]
    if rule.replacement == R.ORGANISATION and not same_org:
        raise ValidationError(
            {
                "serving_for": _(
                    "Enligt arbetsordningen ersätts en ledamot bara av en ersättare från samma organisation."
                )
            }
        )
    if rule.replacement in (R.GROUP, R.ORGANISATION_THEN_GROUP) and not (same_org or same_group):
        raise ValidationError(
            {
                "serving_for": _("%(s)s hör inte till samma organisation eller grupp som %(m)s.")
                % {"s": substitute.person, "m": member.person}
            }
        )
    if rule.replacement == R.ORGANISATION_THEN_GROUP and not same_org:
        free = [
            a
            for a in recorded.values()
            if a.membership.role == Membership.Role.SUBSTITUTE
            and a.present
            and a.serving_for_id is None
            and a.membership.organisation_id == member.organisation_id
            and a.membership_id != substitute.id
        ]
        if free:
            raise ValidationError(
                {
                    "serving_for": _("%(o)s har en egen ersättare närvarande (%(p)s) som i första hand ska tjänstgöra.")
                    % {"o": member.organisation, "p": free[0].membership.person}
                }
            )
    mine = {n for n in numbers if att.present_at(n)}
    held = recorded.get(member.id)
    if held and mine & {n for n in numbers if held.present_at(n)}:
        raise ValidationError(
            {
                "serving_for": _(
                    "%(m)s är själv närvarande vid samma paragrafer; "
                    "ersättaren kan bara tjänstgöra när ledamoten är borta."
                )
                % {"m": member.person}
            }
        )
    for other in recorded.values():
        if (
            other.serving_for_id == member.id
            and other.membership_id != substitute.id
            and mine & {n for n in numbers if other.present_at(n)}
        ):
            raise ValidationError(
                {
                    "serving_for": _("%(o)s tjänstgör redan för %(m)s vid samma paragrafer.")
                    % {"o": other.membership.person, "m": member.person}
                }
            )


def _check_absences(absences: list[list[int]], from_item, until_item):
    """Stretches away lie between arrival and departure, in order, without overlapping."""
    previous = None
    for first, last in absences:
        if first > last:
            raise ValidationError(
                {"absences": _("§ %(a)s–%(b)s: slutet ligger före början.") % {"a": first, "b": last}}
            )
        if (from_item and first <= from_item) or (until_item and last >= until_item):
            raise ValidationError(
                {
                    "absences": _(
                        "Frånvaron §§ %(a)s–%(b)s ska ligga mellan ankomst och avgång; ändra i stället "
                        "fr.o.m. eller t.o.m. §."
                    )
                    % {"a": first, "b": last}
                }
            )
        if previous is not None and first <= previous:
            raise ValidationError({"absences": _("Frånvaroperioderna överlappar vid § %(n)s.") % {"n": first}})
        previous = last


@transaction.atomic
def record_attendance(
    meeting: Meeting,
    membership: Membership,
    *,
    present=True,
    from_item=None,
    until_item=None,
    serving_for: Membership | None = None,
    absences=(),
) -> Attendance:
    """Records presence (partial with fr.o.m./t.o.m. §, and stretches away in between: someone who leaves at § 4
    and returns at § 7 is away at §§ 4–6) and, for a substitute, whose seat it serves in."""
    if membership.partnership_id != meeting.partnership_id:
        raise ValidationError({"membership": _("%(p)s är inte med i partnerskapet.") % {"p": membership.person}})
    if from_item and until_item and from_item > until_item:
        raise ValidationError({"until_item": _("Till och med § kan inte vara före från och med §.")})
    absences = sorted([int(a), int(b)] for a, b in absences) if present else []
    _check_absences(absences, from_item, until_item)
    att = Attendance.objects.filter(meeting=meeting, membership=membership).first() or Attendance(
        meeting=meeting, membership=membership
    )
    att.present, att.from_item, att.until_item, att.absences = present, from_item, until_item, absences
    att.serving_for = serving_for if present else None
    if att.serving_for:
        _check_serving(meeting, membership, att.serving_for, att)
    att.full_clean(validate_unique=False)
    att.save()
    return att


@transaction.atomic
def add_participant(meeting: Meeting, *, kind: str, name: str, title="", organisation="") -> MeetingParticipant:
    order = (meeting.participants.aggregate(n=Max("order"))["n"] or 0) + 1
    p = MeetingParticipant(
        meeting=meeting, kind=kind, name=name.strip(), title=title, organisation=organisation, order=order
    )
    p.full_clean()
    p.save()
    return p


# --- decisions, notes, dissents, jäv --------------------------------------------------------------------


@transaction.atomic
def set_decision(item: Item, points: list[str], *, intro="", confirm_without_quorum=False) -> list[DecisionPoint]:
    """Records the decision in numbered points; deciding without quorum needs an explicit confirmation."""
    points = [p.strip() for p in points if p and p.strip()]
    count = votes_at(item)
    if points and not count.quorum and not confirm_without_quorum:
        raise ValidationError(
            {
                "confirm_without_quorum": _(
                    "Partnerskapet är inte beslutfört vid § %(n)s (%(v)s av %(s)s platser besatta). "
                    "Bekräfta om beslutet ändå ska tas."
                )
                % {"n": item.number, "v": count.votes, "s": count.seats}
            }
        )
    item.decision_points.all().delete()
    item.decision_intro = intro or item.decision_intro
    item.decided_without_quorum = bool(points) and not count.quorum
    item.save()
    return [DecisionPoint.objects.create(item=item, number=n, text=t) for n, t in enumerate(points, start=1)]


@transaction.atomic
def update_item(
    item: Item,
    *,
    title: str,
    registry_number="",
    presenter="",
    matter="",
    proposal="",
    decision=(),
    intro="",
    confirm_without_quorum=False,
    version=None,
    public=True,
    withheld_reason="",
    personal_data="",
) -> Item:
    """Saves an item's text and decision as one change: a refused decision (no quorum) stores nothing at all,
    and a copy someone else saved since `version` is refused."""
    edited_from(item, version)
    fields = {"title": title, "registry_number": registry_number, "presenter": presenter, "matter": matter}
    for name, value in (*fields.items(), ("proposal", proposal)):
        setattr(item, name, value.strip() if name == "title" else value)
    if not item.title:
        raise ValidationError({"title": _("Ange en rubrik för paragrafen.")})
    item.public, item.withheld_reason, item.personal_data = public, withheld_reason.strip(), personal_data
    if not public and not item.withheld_reason:
        raise ValidationError(
            {"withheld_reason": _("Ange skälet till att § %(n)s inte är offentlig.") % {"n": item.number}}
        )
    item.full_clean()
    item.save()
    set_decision(item, list(decision), intro=intro, confirm_without_quorum=confirm_without_quorum)
    return item


def _present_person(item: Item, person: Person) -> bool:
    return any(
        a.membership.person_id == person.id and a.present_at(item.number) for a in attendances(item.meeting).values()
    )


@transaction.atomic
def add_note(item: Item, person: Person, text: str) -> Note:
    if not text.strip():
        raise ValidationError({"text": _("Skriv anteckningen.")})
    if not _present_person(item, person):
        raise ValidationError({"person": _("%(p)s var inte närvarande vid § %(n)s.") % {"p": person, "n": item.number}})
    return Note.objects.create(item=item, person=person, text=text.strip())


@transaction.atomic
def add_dissent(item: Item, person: Person, text="", *, vote: Vote | None = None) -> Dissent:
    """A reservation only for someone who took part in the decision (not a non-serving substitute, not jävig);
    after a vote, only by someone who voted against the outcome (an open vote shows who did)."""
    if not item.decision_points.exists():
        raise ValidationError({"item": _("§ %(n)s har inget beslut att reservera sig mot.") % {"n": item.number}})
    if not took_part(item, person):
        raise ValidationError(
            {
                "person": _("%(p)s deltog inte i beslutet i § %(n)s och kan inte reservera sig.")
                % {"p": person, "n": item.number}
            }
        )
    vote = vote or item.votes.order_by("-number").first()
    if vote is not None:
        if vote.item_id != item.pk:
            raise ValidationError({"vote": _("Omröstningen hör inte till § %(n)s.") % {"n": item.number}})
        ballot = vote.ballots.filter(membership__person=person).first()
        if vote.kind == Vote.Kind.OPEN and (ballot is None or ballot.choice in (vote.winner, Ballot.Choice.ABSTAIN)):
            raise ValidationError(
                {
                    "person": _("%(p)s röstade inte emot beslutet i omröstningen i § %(n)s och kan inte reservera sig.")
                    % {"p": person, "n": item.number}
                }
            )
    return Dissent.objects.create(item=item, person=person, text=text.strip(), vote=vote)


def _winning_choice(vote: Vote) -> str | None:
    if vote.yes > vote.no:
        return Ballot.Choice.YES
    if vote.no > vote.yes:
        return Ballot.Choice.NO
    return None


@transaction.atomic
def record_vote(
    item: Item,
    *,
    proposal_yes: str,
    proposal_no: str,
    kind=Vote.Kind.OPEN,
    ballots: dict | None = None,
    counts: tuple[int, int, int] | None = None,
    casting_vote: str | None = None,
) -> Vote:
    """An omröstning: an open vote records each voter's choice (names in the minutes), a closed one the counts.

    Only those entitled to vote at the item (present, serving, not jäviga) may vote, each once; the counts
    cannot exceed them. On a tie the chair's casting vote (`casting_vote`: yes/no) decides, as in an open vote
    under Swedish rules of procedure; without it the tie is recorded as such.
    """
    if not proposal_yes.strip() or not proposal_no.strip():
        raise ValidationError({"proposal_yes": _("Ange båda förslagen som ställs mot varandra.")})
    count = votes_at(item)
    entitled = {m.pk: m for m in count.voters}
    if kind == Vote.Kind.OPEN:
        ballots = ballots or {}
        strangers = [m for m in ballots if m.pk not in entitled]
        if strangers:
            raise ValidationError(
                {
                    "ballots": _(
                        "%(p)s har inte rösträtt vid § %(n)s (inte närvarande, inte tjänstgörande eller jävig)."
                    )
                    % {"p": ", ".join(m.person.name for m in strangers), "n": item.number}
                }
            )
        tally = [sum(1 for c in ballots.values() if c == choice) for choice in Ballot.Choice.values]
    else:
        if ballots:
            raise ValidationError({"ballots": _("En sluten omröstning redovisar inga namn.")})
        tally = list(counts or (0, 0, 0))
    if sum(tally) == 0:
        raise ValidationError({"ballots": _("Ange hur ledamöterna röstade.")})
    if sum(tally) > count.votes:
        raise ValidationError(
            {
                "ballots": _("%(t)s röster men bara %(v)s röstberättigade vid § %(n)s.")
                % {"t": sum(tally), "v": count.votes, "n": item.number}
            }
        )
    number = (item.votes.aggregate(n=Max("number"))["n"] or 0) + 1
    vote = Vote(
        item=item,
        number=number,
        kind=kind,
        proposal_yes=proposal_yes.strip(),
        proposal_no=proposal_no.strip(),
        yes=tally[0],
        no=tally[1],
        abstain=tally[2],
    )
    winner = _winning_choice(vote)
    if winner is None and casting_vote in (Ballot.Choice.YES, Ballot.Choice.NO):
        winner = casting_vote
        tie = _(" efter ordförandens utslagsröst")
    else:
        tie = ""
    vote.winner = winner or ""
    if winner is None:
        vote.outcome = _("Lika röstetal (%(y)s–%(n)s); omröstningen gav inget utfall.") % {"y": vote.yes, "n": vote.no}
    else:
        chosen = vote.proposal_yes if winner == Ballot.Choice.YES else vote.proposal_no
        vote.outcome = _("Partnerskapet har beslutat enligt %(p)s%(tie)s.") % {"p": chosen, "tie": tie}
    vote.full_clean()
    vote.save()
    if kind == Vote.Kind.OPEN and ballots:
        Ballot.objects.bulk_create(Ballot(vote=vote, membership=m, choice=c) for m, c in ballots.items())
    return vote


@transaction.atomic
def declare_conflict(item: Item, person: Person, reason: str) -> ConflictOfInterest:
    """Jäv: the person leaves this item only, and is left out of its vote count."""
    if not reason.strip():
        raise ValidationError({"reason": _("Ange skälet till jävet.")})
    conflict = ConflictOfInterest(item=item, person=person, reason=reason.strip())
    conflict.full_clean()
    conflict.save()
    return conflict


@transaction.atomic
def record_conflicts(application, ties, stage: str, *, item: Item | None = None) -> list[ConflictOfInterest]:
    """Records the jäv each tie gives on an application (and on the item deciding it), once per person."""
    recorded = []
    for tie in ties:
        conflict, _created = ConflictOfInterest.objects.get_or_create(
            application=application,
            person=tie.person,
            stage=stage,
            item=item,
            defaults={"reason": conflict_of_interest.reason(tie, application)},
        )
        recorded.append(conflict)
    return recorded


@transaction.atomic
def add_attachment(item: Item, *, title: str, upload) -> ItemAttachment:
    """An attachment of an allowed type and size whose content is what its name says (core.uploads)."""
    try:
        validate_attachment(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    data = upload.read()
    upload.seek(0)
    attachment = ItemAttachment(
        item=item, title=title.strip() or upload.name, file=upload, sha256=hashlib.sha256(data).hexdigest()
    )
    attachment.save()
    return attachment


# --- notice ---------------------------------------------------------------------------------------------


def notice_is_late(meeting: Meeting, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    return timezone.localdate(at) > notice_deadline(meeting)


@transaction.atomic
def send_notice(meeting: Meeting, *, sent_by=None, at: datetime | None = None, confirm_late=False) -> Notice:
    """Records the notice and queues one e-mail per member and substitute (agenda, documents, .ics).

    The e-mails go after the transaction commits (a refused notice sends nothing) and each is recorded per
    recipient (samhandling.mail); those without an address are recorded as such and named on the page.
    """
    at = at or timezone.now()
    late = notice_is_late(meeting, at)
    deadline = notice_deadline(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Kallelse kan bara skickas till ett planerat sammanträde."))
    if late and not confirm_late:
        raise ValidationError(
            {
                "confirm_late": _(
                    "Kallelsen går ut för sent: enligt arbetsordningen senast %(d)s "
                    "(%(n)s arbetsdagar före sammanträdet). "
                    "Bekräfta för att skicka ändå."
                )
                % {"d": deadline, "n": rules_for(meeting.partnership).notice_working_days}
            }
        )
    people = [m.person for m in memberships_at(meeting)]
    notice = Notice.objects.create(
        meeting=meeting,
        sent_at=at,
        sent_by=sent_by,
        deadline=deadline,
        late=late,
        recipients=[{"name": p.name, "address": bool(p.email)} for p in people],
    )
    items = list(meeting.items.order_by("number").prefetch_related("attachments"))
    agenda = "\n".join(f"§ {i.number}. {i.title}" for i in items)
    body = _(
        "Kallelse till sammanträde %(code)s den %(date)s kl. %(time)s, %(place)s.\n\nDagordning:\n%(agenda)s\n"
    ) % {
        "code": meeting.code,
        "date": meeting.date,
        "time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
        "place": ", ".join(x for x in (meeting.place, meeting.room) if x),
        "agenda": agenda,
    }
    files = [(str(a.file.name), os.path.basename(str(a.file.name))) for i in items for a in i.attachments.all()]
    mail.queue(
        OutgoingMail.Kind.NOTICE,
        notice,
        [mail.Recipient(p.name, p.email) for p in people],
        subject=_("Kallelse: %(p)s, sammanträde %(code)s") % {"p": meeting.partnership, "code": meeting.code},
        body=body,
        calendar=_meeting_ics(meeting),
        files=files,
    )
    return notice


def _meeting_ics(meeting: Meeting) -> str:
    tz = timezone.get_current_timezone()
    start = datetime.combine(meeting.date, meeting.start_time or time(9, 0), tzinfo=tz)
    end = datetime.combine(meeting.date, meeting.end_time, tzinfo=tz) if meeting.end_time else None
    return event_ics(
        uid=f"meeting-{meeting.pk}@samhandling",
        summary=_("Sammanträde %(code)s, %(p)s") % {"code": meeting.code, "p": meeting.partnership},
        start=start,
        end=end,
        location=", ".join(x for x in (meeting.place, meeting.room) if x),
    )


# --- adjustment, signing, publication, corrections ------------------------------------------------------


def adjustment_is_late(meeting: Meeting, on) -> bool:
    return on > adjustment_deadline(meeting)


def signatory_roles(meeting: Meeting, person: Person) -> list[Approval.Role]:
    """The roles in which the person signs these minutes: chair, adjuster, and secretary where the rules say so."""
    roles = []
    if meeting.chair_id == person.id:
        roles.append(Approval.Role.CHAIR)
    if meeting.adjusters.filter(pk=person.pk).exists():
        roles.append(Approval.Role.ADJUSTER)
    if meeting.secretary_id == person.id and rules_for(meeting.partnership).secretary_signs:
        roles.append(Approval.Role.SECRETARY)
    return roles


def _required(meeting: Meeting) -> set[tuple[int | None, str]]:
    needed: set[tuple[int | None, str]] = {(meeting.chair_id, Approval.Role.CHAIR)} | {
        (pk, Approval.Role.ADJUSTER) for pk in meeting.adjusters.values_list("pk", flat=True)
    }
    if meeting.secretary_id and rules_for(meeting.partnership).secretary_signs:
        needed.add((meeting.secretary_id, Approval.Role.SECRETARY))
    return needed


def _signing_copy(meeting: Meeting, digest: str) -> SigningCopy:
    """The PDF of exactly this content; a change of content starts a new copy and voids earlier signatures."""
    copy = SigningCopy.objects.filter(meeting=meeting).first()
    if copy and copy.content_sha256 == digest:
        return copy
    meeting.approvals.exclude(content_sha256=digest).update(signed_at=None, signature_field="")
    copy = copy or SigningCopy(meeting=meeting)
    copy.content_sha256, copy.pdf = digest, minutes.render_pdf(meeting)
    copy.public_pdf = minutes.render_pdf(meeting, public=True)
    copy.save()
    return copy


def _add_signature(copy: SigningCopy, person: Person, role: str) -> tuple[str, datetime]:
    """One incremental PAdES signature by the configured signer; a failure refuses the whole approval."""
    done = copy.meeting.approvals.filter(content_sha256=copy.content_sha256, signed_at__isnull=False).count()
    label = str(Approval.Role(role).label)
    reason = "Signerat" if role == Approval.Role.SECRETARY else "Justerat"
    field = signing.field_name(done + 1, label, person.name)
    request = signing.SignatureRequest(person_name=person.name, role=label, reason=reason, field=field)
    try:
        pdf_signer = signing.signer()
        # the signatory signs the full version and the public version derived from the same content
        copy.pdf = pdf_signer.sign(bytes(copy.pdf), request)
        copy.public_pdf = pdf_signer.sign(bytes(copy.public_pdf), request)
    except Exception as exc:  # key, token, TSA: the signatory learns that nothing was signed, and why
        raise ValidationError(
            _("Protokollet kunde inte signeras elektroniskt (%(e)s). Inget har sparats; försök igen.")
            % {"e": type(exc).__name__ + (f": {exc}" if str(exc) else "")}
        ) from exc
    copy.save()
    return field, timezone.now()


@transaction.atomic
def approve_minutes(meeting: Meeting, person: Person, *, at=None, confirm_late=False) -> Approval:
    """A signatory's approval adds their PAdES signature to the PDF of the content they approved; when every
    signatory has signed the same content, the minutes are adjusted and signed (frozen)."""
    at = at or timezone.now()
    on = timezone.localdate(at)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in (Meeting.Status.MINUTES_DRAFTED, Meeting.Status.ADJUSTED):
        raise ValidationError(_("Protokollet kan justeras först när det är upprättat."))
    roles = signatory_roles(meeting, person)
    if not roles:
        raise ValidationError(
            _("%(p)s är varken ordförande, justerare eller sekreterare som signerar sammanträdet.") % {"p": person}
        )
    if adjustment_is_late(meeting, on) and not confirm_late:
        raise ValidationError(
            {
                "confirm_late": _(
                    "Justeringen sker efter tidsgränsen i arbetsordningen (senast %(d)s). "
                    "Bekräfta för att justera ändå."
                )
                % {"d": adjustment_deadline(meeting)}
            }
        )
    digest = minutes.sha256(minutes.content_bytes(minutes.canonical_content(meeting)))
    copy = _signing_copy(meeting, digest)
    approval: Approval | None = None
    for role in roles:
        approval = Approval.objects.filter(meeting=meeting, person=person, role=role).first()
        if approval and approval.content_sha256 == digest and approval.signed_at:
            continue  # already signed this very content
        field, signed_at = _add_signature(copy, person, role)
        approval, _created = Approval.objects.update_or_create(
            meeting=meeting,
            person=person,
            role=role,
            defaults={"approved_on": on, "content_sha256": digest, "signed_at": signed_at, "signature_field": field},
        )
    if _fully_approved(meeting, digest):
        meeting.status = Meeting.Status.ADJUSTED
        meeting.save()
        sign_minutes(meeting)  # signed now, when the last signature went in (approvals keep their own dates)
    assert approval is not None  # roles is not empty: a person without a signatory role was refused above
    return approval


def _fully_approved(meeting: Meeting, digest: str) -> bool:
    needed = _required(meeting)
    done = set(
        meeting.approvals.filter(content_sha256=digest, signed_at__isnull=False).values_list("person_id", "role")
    )
    return meeting.chair_id is not None and len(needed) > 1 and needed <= done


@transaction.atomic
def sign_minutes(meeting: Meeting, *, at=None) -> SignedMinutes:
    """Stores the canonical content and the PDF carrying every signatory's signature; from here all is frozen."""
    if meeting.status != Meeting.Status.ADJUSTED:
        raise ValidationError(_("Protokollet måste vara justerat av ordföranden och justerarna innan det signeras."))
    content = minutes.canonical_content(meeting)
    digest = minutes.sha256(minutes.content_bytes(content))
    copy = SigningCopy.objects.filter(meeting=meeting, content_sha256=digest).first()
    if copy is None:
        raise ValidationError(_("Det finns ingen signerad PDF av protokollets nuvarande innehåll."))
    pdf, public_pdf = bytes(copy.pdf), bytes(copy.public_pdf)
    copy.delete()
    meeting.status = Meeting.Status.SIGNED
    meeting.save()
    return SignedMinutes.objects.create(
        meeting=meeting,
        signed_at=at or timezone.now(),
        content=content,
        content_sha256=digest,
        pdf=pdf,
        pdf_sha256=minutes.sha256(pdf),
        public_content=public.public_content(content),
        public_pdf=public_pdf,
        public_pdf_sha256=minutes.sha256(public_pdf),
    )


@transaction.atomic
def publish(meeting: Meeting) -> Meeting:
    if meeting.status != Meeting.Status.SIGNED:
        raise ValidationError(_("Bara signerade protokoll kan publiceras."))
    meeting.status = Meeting.Status.PUBLISHED
    meeting.save()
    return meeting


def _role_in(meeting: Meeting, person: Person) -> str:
    if meeting.chair_id == person.id:
        return str(Approval.Role.CHAIR.label)
    if meeting.adjusters.filter(pk=person.pk).exists():
        return str(Approval.Role.ADJUSTER.label)
    if meeting.secretary_id == person.id:
        return str(Approval.Role.SECRETARY.label)
    return _("Sekretariatet")


@transaction.atomic
def add_correction(item: Item, *, text: str, signed_by: Person, at=None) -> Correction:
    """A rättelse to signed minutes: a new record with its own PAdES-signed PDF referring to the signed original
    (by its SHA-256); the original stays as it was."""
    from samhandling.core.documents import render_pdf

    meeting = item.meeting
    if not meeting.is_signed:
        raise ValidationError(_("Ett protokoll som inte är signerat ändras direkt, inte genom rättelse."))
    if not text.strip():
        raise ValidationError({"text": _("Skriv rättelsen.")})
    correction = Correction(
        item=item,
        text=text.strip(),
        signed_by=signed_by,
        signed_by_name=signed_by.name,
        signed_at=at or timezone.now(),
        sha256="",
    )
    correction.sha256 = minutes.sha256(minutes.correction_bytes(correction))
    original = meeting.signed_minutes
    pdf = render_pdf(
        "partnership/correction_pdf.html",
        {"c": correction, "content": original.content, "original": original, "item_number": item.number},
    )
    role = _role_in(meeting, signed_by)
    field = signing.field_name(1, role, signed_by.name)
    request = signing.SignatureRequest(person_name=signed_by.name, role=role, reason="Rättelse", field=field)
    try:
        correction.pdf = signing.signer().sign(pdf, request)
    except Exception as exc:  # the signatory learns that nothing was signed, and why
        raise ValidationError(
            _("Rättelsen kunde inte signeras elektroniskt (%(e)s). Inget har sparats.") % {"e": type(exc).__name__}
        ) from exc
    correction.pdf_sha256 = minutes.sha256(correction.pdf)
    correction.save()
    return correction


# --- written procedure ----------------------------------------------------------------------------------


@transaction.atomic
def open_written_procedure(
    partnership: Partnership, *, title: str, proposal: str, closes_on, at=None
) -> WrittenProcedure:
    if not rules_for(partnership).written_procedure_allowed:
        raise ValidationError(_("Arbetsordningen tillåter inte beslut genom skriftlig procedur."))
    return WrittenProcedure.objects.create(
        partnership=partnership, title=title, proposal=proposal, closes_on=closes_on, opened_at=at or timezone.now()
    )


@transaction.atomic
def answer_written_procedure(
    procedure: WrittenProcedure, membership: Membership, answer: str, *, at=None
) -> WrittenAnswer:
    at = at or timezone.now()
    if membership.partnership_id != procedure.partnership_id or membership.role not in SEATED:
        raise ValidationError({"membership": _("Bara partnerskapets ledamöter svarar i en skriftlig procedur.")})
    if timezone.localdate(at) > procedure.closes_on:
        raise ValidationError({"answer": _("Tiden för svar gick ut %(d)s.") % {"d": procedure.closes_on}})
    obj, _c = WrittenAnswer.objects.update_or_create(
        procedure=procedure, membership=membership, defaults={"answer": answer, "answered_at": at}
    )
    return obj


@transaction.atomic
def record_written_procedure(procedure: WrittenProcedure, meeting: Meeting) -> Item:
    """Records the procedure and its answers as an item of the next minutes."""
    answers = list(procedure.answers.select_related("membership__person").order_by("membership__order"))
    tally = {
        choice: [a.membership.person.name for a in answers if a.answer == choice] for choice in WrittenAnswer.Answer
    }
    lines = [
        procedure.proposal,
        _("Frågan avgjordes genom skriftlig procedur %(a)s – %(b)s.")
        % {"a": timezone.localdate(procedure.opened_at), "b": procedure.closes_on},
    ]
    for choice, names in tally.items():
        if names:
            lines.append(f"{choice.label}: {', '.join(names)}.")
    item = add_item(meeting, title=procedure.title, kind=K.WRITTEN_PROCEDURE, matter="\n\n".join(lines))
    yes = len(tally[WrittenAnswer.Answer.YES])
    seats = seat_count(meeting)
    outcome = (
        _("Förslaget bifalls.") if yes * 2 > seats else _("Förslaget fick inte stöd av en majoritet av ledamöterna.")
    )
    DecisionPoint.objects.create(item=item, number=1, text=outcome)
    procedure.item = item
    procedure.save()
    return item


# --- the partnership's DOCX template for minutes --------------------------------------------------------


def _check_template(data: bytes):
    """A docxtpl template whose placeholders parse and that has {{p innehall }} for the minutes."""
    import io

    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        tpl = DocxTemplate(io.BytesIO(data))
        variables = tpl.get_undeclared_template_variables()
        if minutes.TEMPLATE_BODY in variables:  # a trial run finds what the variable listing lets pass
            tpl.render({minutes.TEMPLATE_BODY: tpl.new_subdoc()}, autoescape=True)
    except TemplateError as exc:
        raise ValidationError(
            {"file": _("Mallens platshållare kan inte läsas (%(e)s). Rätta mallen i Word.") % {"e": exc}}
        ) from None
    except Exception:  # a DOCX that python-docx cannot open: the user learns that, not a traceback
        raise ValidationError({"file": _("Mallen kan inte öppnas som Word-dokument.")}) from None
    if minutes.TEMPLATE_BODY not in variables:
        raise ValidationError(
            {
                "file": _("Mallen saknar platshållaren {{p %(name)s }} där protokollet ska stå.")
                % {"name": minutes.TEMPLATE_BODY}
            }
        )


@transaction.atomic
def set_minutes_template(partnership: Partnership, upload) -> Partnership:
    """The partnership's own DOCX template (letterhead, styles); generated Word minutes render into it."""
    try:
        validate_attachment(upload, types={"docx"})
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    data = upload.read()
    upload.seek(0)
    _check_template(data)
    old = partnership.minutes_template.name if partnership.minutes_template else ""
    partnership.minutes_template = upload
    partnership.save()
    audit.record(partnership, {"minutes_template": [old, partnership.minutes_template.name]})
    return partnership


@transaction.atomic
def remove_minutes_template(partnership: Partnership) -> Partnership:
    old = partnership.minutes_template.name if partnership.minutes_template else ""
    partnership.minutes_template = ""
    partnership.save()
    audit.record(partnership, {"minutes_template": [old, ""]})
    return partnership
