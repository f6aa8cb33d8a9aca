"""Reads for meetings and minutes: attendance groups, votes and quorum per item, warnings, visibility."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from samhandling.access.roles import Role, has_role

from . import scope
from .conflict_of_interest import blocked_on_item
from .models import Attendance, Item, Meeting, Membership, Partnership
from .rules import adjustment_deadline, notice_deadline, quorum_reached, rules_for

SEATED = (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.MEMBER)


def current_partnership() -> Partnership | None:
    """The request's partnership (scope.PartnershipMiddleware), else the installation's default one."""
    return scope.active() or scope.default_partnership()


def memberships_at(meeting: Meeting):
    """Memberships whose term covers the meeting date."""
    return (
        Membership.objects.filter(partnership=meeting.partnership)
        .filter(Q(term_start__isnull=True) | Q(term_start__lte=meeting.date))
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=meeting.date))
        .select_related("person", "organisation")
    )


def seat_count(meeting: Meeting) -> int:
    """Seats with a vote for quorum: the rules' number of seats (vacant ones count), else the seated members."""
    seated = memberships_at(meeting).filter(role__in=SEATED).count()
    return max(rules_for(meeting.partnership).seats or 0, seated)


def attendances(meeting: Meeting) -> dict[int, Attendance]:
    """Attendance keyed by membership id."""
    rows = meeting.attendances.select_related("membership__person", "membership__organisation", "serving_for__person")
    return {a.membership_id: a for a in rows}


@dataclass
class AttendanceGroups:
    present_members: list = field(default_factory=list)
    absent_members: list = field(default_factory=list)
    present_substitutes: list = field(default_factory=list)
    absent_substitutes: list = field(default_factory=list)


def attendance_groups(meeting: Meeting) -> AttendanceGroups:
    """The four groups of the minutes; each entry is (membership, attendance or None)."""
    groups = AttendanceGroups()
    recorded = attendances(meeting)
    for m in memberships_at(meeting):
        a = recorded.get(m.id)
        present = bool(a and a.present)
        if m.role == Membership.Role.SUBSTITUTE:
            (groups.present_substitutes if present else groups.absent_substitutes).append((m, a))
        else:
            (groups.present_members if present else groups.absent_members).append((m, a))
    return groups


@dataclass
class VoteCount:
    number: int
    seats: int
    voters: list  # memberships voting at the item
    conflicted: list  # persons who declared jäv and took no part
    quorum: bool

    @property
    def votes(self) -> int:
        return len(self.voters)


def votes_at(item: Item, *, recorded=None, seats=None) -> VoteCount:
    """Who votes at an item: present members and serving substitutes, less those who declared jäv."""
    meeting = item.meeting
    recorded = attendances(meeting) if recorded is None else recorded
    if seats is None:
        seats = seat_count(meeting)
    conflicted = blocked_on_item(item)
    voters = [
        a.membership
        for a in recorded.values()
        if a.present_at(item.number)
        and (a.membership.role in SEATED or a.serving_for_id is not None)
        and a.membership.person_id not in conflicted
    ]
    rule = rules_for(meeting.partnership).quorum
    return VoteCount(item.number, seats, voters, list(conflicted.values()), quorum_reached(len(voters), seats, rule))


def votes_per_item(meeting: Meeting) -> dict[int, VoteCount]:
    recorded = attendances(meeting)
    seats = seat_count(meeting)
    return {i.id: votes_at(i, recorded=recorded, seats=seats) for i in meeting.items.all()}


def took_part(item: Item, person) -> bool:
    """Whether the person took part in the item's decision (a dissent needs that)."""
    return any(m.person_id == person.id for m in votes_at(item).voters)


def meeting_warnings(meeting: Meeting, *, today=None) -> list[str]:
    """What the rules of procedure say is wrong or at risk for this meeting."""
    from django.utils import timezone

    today = today or timezone.localdate()
    warnings = []
    deadline = notice_deadline(meeting)
    notice = meeting.notices.order_by("sent_at").first()
    if notice and notice.late:
        warnings.append(_("Kallelsen skickades för sent (senast %(d)s enligt arbetsordningen).") % {"d": deadline})
    elif not notice and today > deadline and meeting.status == Meeting.Status.PLANNED:
        warnings.append(_("Kallelsen har inte skickats och sista dag (%(d)s) har passerat.") % {"d": deadline})
    counts = votes_per_item(meeting)
    for item in meeting.items.all():
        vc = counts[item.id]
        if not vc.quorum and item.decision_points.exists():
            warnings.append(
                _("§ %(n)s beslutades utan att partnerskapet var beslutfört (%(v)s av %(s)s platser).")
                % {"n": item.number, "v": vc.votes, "s": vc.seats}
            )
    limit = adjustment_deadline(meeting)
    last = meeting.approvals.order_by("-approved_on").first()
    if (last and last.approved_on > limit) or (meeting.adjustment_date and meeting.adjustment_date > limit):
        warnings.append(_("Protokollet justeras efter tidsgränsen i arbetsordningen (senast %(d)s).") % {"d": limit})
    elif not meeting.is_signed and today > limit and meeting.status != Meeting.Status.PLANNED:
        warnings.append(_("Tiden för justering gick ut %(d)s.") % {"d": limit})
    return warnings


def can_see_drafts(user, partnership: Partnership) -> bool:
    """Drafts are for the secretariat and the partnership's own members and substitutes."""
    if has_role(user, Role.SECRETARIAT, Role.ADMINISTRATOR):
        return True
    if not has_role(user, Role.MEMBER, Role.SUBSTITUTE):
        return False
    person = getattr(user, "person", None) if user.is_authenticated else None
    return bool(person and person.memberships.filter(partnership=partnership).exists())


def visible_meetings(user, partnership: Partnership):
    qs = Meeting.objects.filter(partnership=partnership).order_by("-date", "-number")
    if can_see_drafts(user, partnership):
        return qs
    return qs.filter(status=Meeting.Status.PUBLISHED)


def upcoming_notices(partnership: Partnership):
    """Meetings whose notice is out and that are not yet held: their agenda is public."""
    return (
        Meeting.objects.filter(partnership=partnership, status=Meeting.Status.PLANNED, notices__isnull=False)
        .distinct()
        .order_by("date")
    )


# Meetings whose minutes can still take a new decision: neither adjusted nor signed.
OPEN_MEETING_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.HELD, Meeting.Status.MINUTES_DRAFTED)


def items():
    """The items (§) of the current partnership's meetings: the only ones its calls and decisions may cite."""
    return scope.scoped(Item.objects.select_related("meeting"), "meeting__partnership")


def open_items():
    """Items (§) of open meetings, for choosing where an approval or a decision is recorded; never a typed id."""
    return (
        items()
        .filter(meeting__status__in=OPEN_MEETING_STATUSES)
        .order_by("-meeting__date", "meeting__number", "number")
    )


def is_open_item(item: Item) -> bool:
    return item.meeting.status in OPEN_MEETING_STATUSES


def minutes_awaiting(person) -> list[dict]:
    """Drafted minutes of the current partnership that the person must still adjust (as chair or adjuster) as
    they now stand."""
    from . import minutes

    if person is None:
        return []
    meetings = (
        scope.scoped(Meeting.objects)
        .filter(status__in=[Meeting.Status.MINUTES_DRAFTED, Meeting.Status.ADJUSTED])
        .filter(Q(chair=person) | Q(adjusters=person))
        .distinct()
        .order_by("date")
    )
    waiting = []
    for meeting in meetings:
        digest = minutes.sha256(minutes.content_bytes(minutes.canonical_content(meeting)))
        if not meeting.approvals.filter(person=person, content_sha256=digest).exists():
            waiting.append({"meeting": meeting, "deadline": adjustment_deadline(meeting)})
    return waiting


def notices_to_send(partnership: Partnership | None, today) -> list[dict]:
    """Planned meetings from today on whose notice has not gone out, with the last day to send it."""
    if partnership is None:
        return []
    meetings = Meeting.objects.filter(
        partnership=partnership, status=Meeting.Status.PLANNED, date__gte=today, notices__isnull=True
    ).order_by("date")
    return [{"meeting": m, "deadline": notice_deadline(m)} for m in meetings]


def partnerships_overview() -> list[dict]:
    """Every partnership with the addresses of its meetings and its portfolio dashboard (under its prefix)."""
    from django.urls import reverse

    rows = []
    for partnership in Partnership.objects.select_related("programme_region").order_by("name"):
        urlconf = scope.urlconf_for(partnership.slug)
        rows.append(
            {
                "partnership": partnership,
                "meetings_url": reverse("partnership:meetings", urlconf=urlconf),
                "dashboard_url": reverse("portfolio:dashboard", urlconf=urlconf),
            }
        )
    return rows
