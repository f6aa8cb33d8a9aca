"""The rules of procedure as computations: Swedish working days, notice deadline, quorum, adjustment limit."""

from datetime import date, timedelta
from functools import cache

import holidays

from .models import Partnership, RulesOfProcedure

Quorum = RulesOfProcedure.Quorum


@cache
def _public_holidays(year: int) -> frozenset[date]:
    """Public holidays plus the eves that Swedish law on time limits treats like them (lag 1930:173)."""
    days = set(holidays.Sweden(years=year, include_sundays=False))
    midsummer = next(d for d, name in holidays.Sweden(years=year, language="en_US").items() if "Midsummer" in name)
    days |= {midsummer - timedelta(days=1), date(year, 12, 24), date(year, 12, 31)}
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def working_days_before(day: date, count: int) -> date:
    """The date `count` Swedish working days before `day` (the last day a notice may go out)."""
    current = day
    while count > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def rules_for(partnership: Partnership) -> RulesOfProcedure:
    """The partnership's rules, or the defaults (unsaved) when none are configured."""
    return RulesOfProcedure.objects.filter(partnership=partnership).first() or RulesOfProcedure(partnership=partnership)


def quorum_reached(votes: int, seats: int, rule: str) -> bool:
    if seats == 0:
        return False
    if rule == Quorum.AT_LEAST_HALF:
        return votes * 2 >= seats
    if rule == Quorum.TWO_THIRDS:
        return votes * 3 >= seats * 2
    return votes * 2 > seats


def notice_deadline(meeting) -> date:
    return working_days_before(meeting.date, rules_for(meeting.partnership).notice_working_days)


def adjustment_deadline(meeting) -> date:
    return meeting.date + timedelta(days=rules_for(meeting.partnership).adjustment_days)
