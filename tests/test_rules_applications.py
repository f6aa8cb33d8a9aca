"""A submission's rules as a table: the call's dates, completeness and the objective's amount (the strands' caps and
co-financing shares have their own table in test_calls_lifecycle.py).

calls.applications.check_submission is the one check the web form, the API and the import share; the rows
here are its boundaries. The call and objective are unsaved model instances: the rules read only their fields.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from samhandling.calls.applications import check_submission
from samhandling.calls.models import Call, CallObjective
from samhandling.programmes.models import Fund, SpecificObjective

TZ = ZoneInfo("Europe/Stockholm")
OPENS, CLOSES = date(2026, 3, 2), date(2026, 4, 30)
NOON = datetime(2026, 4, 1, 12, tzinfo=TZ)


def _call(**fields) -> Call:
    values = {"status": Call.Status.OPEN, "opens_on": OPENS, "closes_on": CLOSES, "year": 2026, "number": 2}
    return Call(fund=Fund(code="ERUF"), **{**values, **fields})


def _values(amount, cofinancing, objective_amount=10_000_000) -> dict:
    objective = CallObjective(objective=SpecificObjective(code="1.1"), amount=Decimal(objective_amount))
    return {
        "name": "Projekt",
        "summary": "Sammanfattning",
        "applicant_name": "Sökande AB",
        "applicant_org_number": "5560000001",
        "objective": objective,
        "amount_applied": None if amount is None else Decimal(amount),
        "cofinancing": None if cofinancing is None else Decimal(cofinancing),
        "start_date": date(2026, 9, 1),
        "end_date": date(2028, 8, 31),
        "target_group": "Små företag",
        "counties": ["01"],
        "criterion_texts": {"1": "Text"},
    }


def _errors(call, values, at=NOON) -> dict:
    try:
        check_submission(call, values, at=at)
    except ValidationError as exc:
        return {field: " ".join(messages) for field, messages in exc.message_dict.items()}
    return {}


@pytest.mark.parametrize(
    ("call_fields", "amount", "cofinancing", "objective_amount", "field", "message"),
    [
        ({}, "1000000", "1000000", 10_000_000, None, None),
        ({}, "0", "1000000", 10_000_000, "amount_applied", "större än noll"),
        ({}, "3000000", "3000000", 3_000_000, None, None),  # all of the objective's amount
        ({}, "3000000.01", "3000000", 3_000_000, "amount_applied", "hela utlysningens belopp"),
        ({}, None, "1000000", 10_000_000, "amount_applied", "saknas"),
        ({}, "1000000", None, 10_000_000, "cofinancing", "saknas"),
    ],
)
def test_caps_and_cofinancing(call_fields, amount, cofinancing, objective_amount, field, message):
    errors = _errors(_call(**call_fields), _values(amount, cofinancing, objective_amount))
    if field is None:
        assert errors == {}
    else:
        assert list(errors) == [field] and message in errors[field]


@pytest.mark.parametrize(
    ("at", "status", "message"),
    [
        (datetime(2026, 3, 2, 0, 0, tzinfo=TZ), Call.Status.OPEN, None),  # the first minute of the opening day
        (datetime(2026, 3, 1, 23, 59, tzinfo=TZ), Call.Status.OPEN, "öppnar först 2026-03-02"),
        (datetime(2026, 4, 30, 23, 59, tzinfo=TZ), Call.Status.OPEN, None),  # the last minute of the closing day
        (datetime(2026, 5, 1, 0, 0, tzinfo=TZ), Call.Status.OPEN, "för sent"),
        (datetime(2026, 4, 30, 21, 59, tzinfo=ZoneInfo("UTC")), Call.Status.OPEN, None),  # 23:59 in Stockholm
        (datetime(2026, 4, 30, 22, 0, tzinfo=ZoneInfo("UTC")), Call.Status.OPEN, "för sent"),  # 00:00 in Stockholm
        (NOON, Call.Status.APPROVED, "inte öppen"),
        (NOON, Call.Status.CLOSED, "inte öppen"),
    ],
)
def test_the_calls_dates_and_status(at, status, message):
    errors = _errors(_call(status=status), _values("1000000", "1000000"), at=at)
    if message is None:
        assert errors == {}
    else:
        assert list(errors) == ["call"] and message in errors["call"]


def test_incomplete_application_names_each_missing_field():
    values = {**_values("1000000", "1000000"), "summary": "", "counties": [], "criterion_texts": {"1": "", "2": "x"}}
    errors = _errors(_call(), values)
    assert set(errors) == {"summary", "counties", "criterion_texts"}
    assert "kriterium 1;" in errors["criterion_texts"]
