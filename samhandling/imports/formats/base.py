"""What every format module produces (a Record per row) and the parsers for the files' quirks.

A format module has `SOURCE` (the provenance stored on its projects), `DEFAULTS` (fund, period, status…
that the file itself does not say) and `rows(path)`, which streams (row number, Record or RowError) pairs:
the whole file is never held in memory. Parsers raise RowError naming the field, so the report can say
file, row and field.
"""

import csv
import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import chain

from django.utils.translation import gettext as _

from samhandling.core.text import CONTROL

MISSING = {"", "uppgift saknas", "-", "n/a"}


def sent_by_fields(cls):
    """Pickles a slotted dataclass as its constructor's arguments: the worker that reads ahead (imports.ahead)
    sends every record, and the slots' own state loads at half the speed."""
    names = tuple(f.name for f in fields(cls))

    def __reduce__(self):
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__
    return cls


class RowError(Exception):
    def __init__(self, field: str, message: str):
        message = CONTROL.sub("\ufffd", message)  # a quoted bad value must not make the report unstorable
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message

    def __reduce__(self):  # as it was made: the worker that reads ahead (imports.ahead) sends it whole
        return type(self), (self.field, self.message)


@sent_by_fields
@dataclass(slots=True)
class Participant:
    """One organisation of a project as a partner list gives it (formats read through a mapping)."""

    name: str
    org_number: str = ""
    pic: str = ""
    vat: str = ""
    lead: bool = False
    role_text: str = ""
    amount: Decimal | None = None
    country: str = "SE"
    county: str = ""  # a county code
    nuts3: str = ""


@sent_by_fields
@dataclass(slots=True)
class Record:
    source_id: str
    name: str
    fund: str
    source: str = ""
    beneficiary: str = ""
    partners: list[str] = field(default_factory=list)
    summary: str = ""
    period: int | None = None
    programme_region: str = ""
    objective: str = ""
    thematic_objective: str = ""
    priority: str = ""
    intervention_type: str = ""
    amount_granted: Decimal | None = None
    total_cost: Decimal | None = None
    cofinancing_rate: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None
    country: str = "SE"
    counties: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    location_text: str = ""
    status: str = ""
    contacts: list[tuple[str, str, str, str]] | None = None  # None: the format has none, keep what is stored
    local_id: str = ""  # another id of the operation, which may end with a twin list's id (see Importer._twins)
    programme: str = ""
    objective_code: str = ""  # the regulation's code, e.g. RSO1.1
    participants: list[Participant] | None = None  # None: the format has no partner list, keep what is stored


def text(value) -> str:
    """A cell as text: the literal `UPPGIFT SAKNAS` and friends are missing values, `¿` is repaired."""
    if value is None:
        return ""
    value = str(value).strip()
    if value.casefold() in MISSING:
        return ""
    return fix_lost_character(value)


def fix_lost_character(value: str) -> str:
    """`¿` stands where an export lost a character: a dash between spaces (a list bullet), a quote elsewhere."""
    if "¿" not in value:
        return value
    value = re.sub(r"(^|\s)¿(?=\s|$)", r"\1–", value)
    return value.replace("¿", "”")


def required(value, field_name: str) -> str:
    result = text(value)
    if not result:
        raise RowError(field_name, _("värde saknas"))
    return result


def split_list(value, separators: str = ",") -> list[str]:
    """`Arvika, Eda, Filipstad` (or a multi-line cell) as a list, without blanks or duplicates."""
    parts = re.split(f"[{re.escape(separators)}\\n]", text(value))
    seen, out = set(), []
    for part in (p.strip() for p in parts):
        if part and part not in seen:
            seen.add(part)
            out.append(part)
    return out


_DOTTED_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_SPACED = re.compile(r"[\s\u00a0\u202f]")
# `7500000` or `7500000.50`, as exports write amounts: taken as they are (under 1e13, at most two decimals,
# so never the `7.500` that _DOTTED_THOUSANDS reads as thousands). Anything else goes the long way.
_PLAIN_NUMBER = re.compile(r"-?\d{1,13}(\.\d{1,2})?")


def number(value, field_name: str) -> Decimal | None:
    """Amounts as the files write them: `7500000`, `7.500.000`, `7 500 000,50`, `7500000.50`. Empty is None."""
    if type(value) is str and _PLAIN_NUMBER.fullmatch(value):
        return Decimal(value)
    raw = text(value)
    if not raw:
        return None
    cleaned = _SPACED.sub("", raw)
    if _DOTTED_THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        result = Decimal(cleaned)
    except InvalidOperation:
        raise RowError(field_name, _("”%(value)s” är inte ett tal") % {"value": raw[:40]}) from None
    if not result.is_finite() or abs(result) >= Decimal("1e13"):
        raise RowError(field_name, _("”%(value)s” är inte ett rimligt belopp") % {"value": raw[:40]})
    return result


def rate(value, field_name: str) -> Decimal | None:
    """A percentage: `50%`, `50`, `49,5 %`; 0–100."""
    if type(value) is str and _PLAIN_NUMBER.fullmatch(value):
        raw, result = value, Decimal(value)
    else:
        raw = text(value)
        result = number(raw.rstrip("%").strip(), field_name) if raw else None
    if result is not None and not 0 <= result <= 100:
        raise RowError(field_name, _("”%(value)s” ligger inte mellan 0 och 100 %%") % {"value": raw[:40]})
    return result.quantize(Decimal("0.01")) if result is not None else None


_DAY_FIRST = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def day(value, field_name: str) -> date | None:
    """Dates as the files write them: `2015-01-01`, `2016-10-14 01:17:38`, `26.01.2016`, `1.3.2015`."""
    if type(value) is str and len(value) == 10 and value[4] == "-":  # the common case, without the checks below
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # reported below
    raw = text(value)
    if not raw:
        return None
    try:
        match = _DAY_FIRST.match(raw)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        return datetime.fromisoformat(raw).date() if len(raw) > 10 else date.fromisoformat(raw)
    except ValueError:
        raise RowError(
            field_name, _("”%(value)s” är inte ett datum (t.ex. 2016-01-26)") % {"value": raw[:40]}
        ) from None


CELL_LIMIT = 1 << 23  # characters one CSV cell may have before the file is refused as broken (8 Mi)


def csv_rows(path, check_header=None, delimiter=","):
    """(row number, dict) for each data row of a UTF-8 CSV file, streamed; row 1 is the header.

    The number is the record's number counted from the header as row 1 (what a spreadsheet shows when
    no cell spans lines); a multi-line cell stays one record. A file that is not UTF-8, or that has a cell
    too long to be text, ends with one RowError naming the row (and, for the encoding, the field).
    """
    csv.field_size_limit(max(csv.field_size_limit(), CELL_LIMIT))  # longer cells are refused per field, by name
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(
            handle, delimiter=delimiter
        )  # what csv.DictReader does, without its per-row Python overhead
        number_ = 1
        try:
            header = next(reader, None)
            if check_header:
                check_header(header)
            width = len(header or ())
            for cells in reader:
                if not cells:
                    continue  # a blank line is no record
                number_ += 1
                if len(cells) > width:
                    yield number_, RowError("-", _("raden har fler fält än rubrikraden"))
                    continue
                row = dict(zip(header, cells))
                if len(cells) < width:  # missing cells at the end of a short row are missing values
                    row.update(dict.fromkeys(header[len(cells) :]))
                yield number_, row
        except UnicodeDecodeError:
            line, field_name = _first_undecodable(path, delimiter)
            yield line, RowError(field_name, _("filen är inte UTF-8 (ogiltiga byte på rad %(line)s)") % {"line": line})
        except csv.Error as exc:
            yield number_ + 1, RowError("-", _("raden kan inte läsas som CSV (%(error)s)") % {"error": str(exc)[:80]})


def _first_undecodable(path, delimiter=",") -> tuple[int, str]:
    """(line, column name) of the first byte that is not UTF-8; the column counted by commas before it."""
    with open(path, "rb") as handle:
        header = handle.readline()
        for number_, line in enumerate(chain([header], handle), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                names = header.decode("utf-8", "replace").lstrip("\ufeff").strip().split(delimiter)
                column = line[: exc.start].count(delimiter.encode())
                return number_, names[column] if number_ > 1 and column < len(names) else "-"
    return 1, "-"


def parsed(pairs, parse):
    """(row number, Record or RowError) from (row number, raw row) pairs."""
    for number_, raw in pairs:
        if isinstance(raw, RowError):
            yield number_, raw
            continue
        try:
            yield number_, parse(raw)
        except RowError as exc:
            yield number_, exc
