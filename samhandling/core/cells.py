"""Every CSV and XLSX cell the product writes goes through `cell()`: one place that makes stored text safe to open.

Two things a spreadsheet does with text that nobody typed it for:
- text starting with = + - @ tab or CR is run as a formula (CSV/formula injection), so such text gets a
  leading apostrophe, which spreadsheets show as plain text (numbers such as "-12" are left alone);
- XML 1.0 cannot hold control characters, so one stored \\x0b would make the whole XLSX fail to write.
  They are dropped from every cell (tab, line feed and carriage return inside the text are kept).

Use `writer(file)` instead of `csv.writer(file)` and `xlsx_row(values)` for each row appended to a sheet;
importers read such a cell back with `uncell()`, so an export imported again is the same data.
"""

import csv
import re
from datetime import date
from decimal import Decimal

from .text import CONTROL_CLASS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(f"[{CONTROL_CLASS}]")  # the stored-text rule's characters (core.text)


def cell(value):
    """The value as a safe cell: numbers and dates as they are, text without control characters or formulas."""
    if value is None or isinstance(value, (bool, int, float, Decimal, date)):
        return value
    text = CONTROL.sub("", str(value))
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def uncell(text: str) -> str:
    """The text `cell()` neutralised, as it was: what an importer reads back from the product's own files."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) and not _is_number(text[1:]):
        return text[1:]
    return text


def xlsx_row(values) -> list:
    return [cell(v) for v in values]


class _Writer:
    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)
        # csv quotes a field only for the characters of its own line terminator: with "\n", a CR inside
        # text would be written bare and split the row for every reader. Such rows are written fully quoted.
        self._quoted = csv.writer(file, **{**options, "quoting": csv.QUOTE_ALL})

    def writerow(self, values):
        row = [cell(v) for v in values]
        bare_cr = any(isinstance(v, str) and "\r" in v for v in row)
        return (self._quoted if bare_cr else self._writer).writerow(row)

    def writerows(self, rows):
        for values in rows:
            self.writerow(values)


def writer(file, **options) -> _Writer:
    """A csv.writer whose every cell passes through `cell()`."""
    return _Writer(file, **options)
