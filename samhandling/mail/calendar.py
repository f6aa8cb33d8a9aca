"""Calendar files (.ics, RFC 5545) for meetings, written with the icalendar library."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


def event_ics(
    *, uid: str, summary: str, start: datetime, end: datetime | None = None, location="", description=""
) -> str:
    """One event; times are written in UTC so every calendar program places them right."""
    calendar = Calendar()
    calendar.add("prodid", "-//Samhandling//%s//SV" % settings.PARTNERSHIP_NAME)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", (end or start + timedelta(hours=2)).astimezone(UTC))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
