"""Mina uppgifter: what waits for the signed-in user, per role, read through each app's selectors.

Each section is shown only to the roles it concerns and says so plainly when nothing waits.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samhandling.access.roles import PARTNERSHIP_ROLES, Role, roles_of
from samhandling.partnership import scope

CLOSING_SOON_DAYS = 30


@dataclass
class Row:
    text: str
    url: str = ""
    detail: str = ""


@dataclass
class Section:
    key: str
    title: str
    empty: str
    rows: list[Row] = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""


def _date(value) -> str:
    return formats.date_format(value, "Y-m-d") if value else ""


def _meeting_url(meeting, route="partnership:meeting") -> str:
    return reverse(route, kwargs={"year": meeting.year, "number": meeting.number})


def minutes_section(user) -> Section:
    from samhandling.partnership.selectors import minutes_awaiting

    person = getattr(user, "person", None)
    rows = [
        Row(
            _("Protokoll %(code)s") % {"code": w["meeting"].code},
            _meeting_url(w["meeting"]),
            _("Justera senast %(d)s") % {"d": _date(w["deadline"])},
        )
        for w in minutes_awaiting(person)
    ]
    return Section("minutes", _("Protokoll att justera och signera"), _("Inga protokoll väntar på dig."), rows)


def notices_section(today) -> Section:
    from samhandling.partnership.selectors import current_partnership, notices_to_send

    rows = [
        Row(
            _("Sammanträde %(code)s den %(d)s") % {"code": w["meeting"].code, "d": _date(w["meeting"].date)},
            _meeting_url(w["meeting"], "partnership:manage"),
            _("Kallelsen ska gå ut senast %(d)s") % {"d": _date(w["deadline"])},
        )
        for w in notices_to_send(current_partnership(), today)
    ]
    return Section(
        "notices",
        _("Kallelser att skicka"),
        _("Inga planerade sammanträden väntar på kallelse."),
        rows,
        reverse("partnership:meetings"),
        _("Alla sammanträden"),
    )


def assessment_section(user) -> Section:
    from samhandling.assessment.selectors import work_list

    rows = []
    for w in work_list(user):
        assessment = w["assessment"]
        if assessment is not None and assessment.completed_at:
            continue
        application = w["application"]
        if w["conflicts"]:
            detail = _("Du kan vara jävig – bedöm inte")
        elif assessment is None:
            detail = _("Inte påbörjad")
        else:
            detail = _("Påbörjad, inte klar")
        rows.append(
            Row(f"{application.name} ({application.call})", reverse("assessment:score", args=[application.pk]), detail)
        )
    return Section(
        "assessment",
        _("Ansökningar att bedöma"),
        _("Inga ansökningar väntar på din bedömning."),
        rows,
        reverse("assessment:mine"),
        _("Alla mina bedömningar"),
    )


def closing_section(today) -> Section:
    from samhandling.calls.selectors import closing_soon

    rows = [
        Row(
            f"{call} {call.title}".strip(),
            reverse("calls:detail", args=[call.pk]),
            _("Stänger %(d)s") % {"d": _date(call.closes_on)},
        )
        for call in closing_soon(today, CLOSING_SOON_DAYS)
    ]
    return Section(
        "closing",
        _("Utlysningar som stänger snart"),
        _("Ingen öppen utlysning stänger inom %(n)s dagar.") % {"n": CLOSING_SOON_DAYS},
        rows,
        reverse("calls:list"),
        _("Alla utlysningar"),
    )


def preparation_section() -> Section:
    from samhandling.calls.selectors import in_preparation

    rows = [
        Row(f"{call} {call.title}".strip(), reverse("calls:detail", args=[call.pk]), call.get_status_display())
        for call in in_preparation()
    ]
    return Section("preparation", _("Utlysningar under beredning"), _("Inga utlysningar är under beredning."), rows)


def applications_section(user) -> Section:
    from samhandling.calls.selectors import applications_for

    rows = [
        Row(f"{a.name} ({a.call})", reverse("calls:application", args=[a.pk]), a.get_status_display())
        for a in applications_for(user)[:50]
    ]
    return Section(
        "applications",
        _("Mina ansökningar"),
        _("Du har inga ansökningar ännu. Öppna en utlysning för att söka."),
        rows,
        reverse("calls:my-applications"),
        _("Alla mina ansökningar"),
    )


def meetings_section() -> Section:
    from samhandling.partnership.selectors import current_partnership, upcoming_notices

    partnership = current_partnership()
    meetings = upcoming_notices(partnership) if partnership else []
    rows = [
        Row(_("Sammanträde %(code)s den %(d)s") % {"code": m.code, "d": _date(m.date)}, _meeting_url(m))
        for m in meetings
    ]
    return Section("meetings", _("Kommande sammanträden"), _("Inga sammanträden är utlysta."), rows)


def sections_for(user, today=None, *, everything: bool = True) -> list[Section]:
    """The sections of the user's start page in the current partnership, in the order a working day takes
    them; without `everything`, only the partnership-bound work (an applicant's own and the open calls once)."""
    today = today or timezone.localdate()
    roles = roles_of(user) if everything else roles_of(user) & PARTNERSHIP_ROLES
    sections = []
    if getattr(user, "person", None) is not None or roles & {Role.MEMBER, Role.SUBSTITUTE}:
        sections.append(minutes_section(user))
    if Role.SECRETARIAT in roles:
        sections.append(notices_section(today))
    if roles & {Role.MEMBER, Role.SUBSTITUTE}:
        sections.append(meetings_section())
    if Role.ASSESSOR in roles:
        sections.append(assessment_section(user))
    if roles & {Role.SECRETARIAT, Role.MA_OFFICER}:
        sections.append(preparation_section())
    if everything and Role.APPLICANT in roles:
        sections.append(applications_section(user))
    if everything:
        sections.append(closing_section(today))
    return sections


def by_partnership(user, today=None) -> list[tuple[object, list[Section]]]:
    """(partnership, sections): the request's partnership in full, then the partnership-bound work of each
    other partnership the user holds a role in, with its links under that partnership's pages."""
    current = scope.current()
    groups = [(current, sections_for(user, today))]
    for partnership in scope.partnerships_of(user):
        if current is None or partnership.pk != current.pk:
            with scope.within(partnership):
                groups.append((partnership, sections_for(user, today, everything=False)))
    return groups
