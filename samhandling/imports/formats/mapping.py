"""Any list of projects and their partners, read through a declarative mapping file (docs/import-mapping.md).

A mapping (TOML) names, for each field Samhandling knows, the column of the file that holds it. It is
checked whole before a row is read: an unknown section or key, a wrong type and a column the file lacks are
refused naming the key and the column. Rows then stream through one parser into the same Records as every
other format; rows with the same project id are one project, one row per partner, and must follow each
other (as every list sorted by project writes them). The built-in formats for Kohesio, Svenska ESF-rådet's
project bank and keep.eu are mappings too (builtin/*.toml), so there is one import engine.
"""

import html
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import ijson
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samhandling.projects.selectors import regulation_objective_code
from samhandling.projects.validators import normalise_org_number

from .base import Participant, Record, RowError, csv_rows, day, number, rate, text

BUILTIN = Path(__file__).with_name("builtin")
TEMPLATE_FIELD = re.compile(r"\{([^{}]+)\}")
# Keys of each section, with the kind of value: "column" names a column, "literal" is a value, others say.
KEYS: dict[str, dict[str, str]] = {
    "source": {
        "format": "choice",
        "delimiter": "literal",
        "sheet": "literal",
        "partner_sheet": "literal",
        "join": "joins",
        "fund": "literal",
        "programme_period": "literal",
        "name": "literal",
        "same_as": "list",
        "unknown_objectives": "choice",
        "summary_format": "choice",
        "sek_per_eur": "number",
        "currency": "choice",
        "optional_columns": "list",
    },
    "project": {
        "id": "template",
        "local_id": "column",
        "name": "column",
        "summary": "column",
        "start_date": "column",
        "end_date": "column",
        "programme": "column",
        "specific_objective": "column",
        "intervention_field": "column",
        "priority": "column",
        "total_cost": "column",
        "eu_amount": "column",
        "cofinancing_rate": "column",
        "currency": "column",
        "fund": "column",
        "programme_period": "column",
    },
    "partner": {
        "name": "column",
        "organisation_number": "column",
        "pic": "column",
        "vat": "column",
        "role": "column",
        "lead_when": "list",
        "amount": "column",
        "county": "column",
        "country": "column",
    },
}
CHOICES = {
    "format": ("csv", "xlsx", "json"),
    "unknown_objectives": ("refuse", "keep-code"),
    "summary_format": ("text", "html"),
    "currency": ("SEK", "EUR"),
}
EXTENSIONS = {"csv": ".csv", "xlsx": ".xlsx", "json": ".json"}
# Fund names and codes as lists write them, to Samhandling's fund codes.
FUNDS = {
    "eruf": "ERUF",
    "erdf": "ERUF",
    "efru": "ERUF",
    "europeiska regionala utvecklingsfonden": "ERUF",
    "european regional development fund": "ERUF",
    "esf": "ESF",
    "esf+": "ESF+",
    "esf plus": "ESF+",
    "europeiska socialfonden+": "ESF+",
    "european social fund plus": "ESF+",
    "fro": "FRO",
    "jtf": "FRO",
    "fonden för en rättvis omställning": "FRO",
    "just transition fund": "FRO",
}
OBJECTIVE = re.compile(r"^\s*(?:(RSO|ESO|ISO|JSO)\s*)?(\d{1,2}\.\d{1,2}|[A-Z]\.\d{1,2})(?![\d.])", re.IGNORECASE)
INTERVENTION = re.compile(r"^\s*(\d{1,3})(?:\.0+)?(?!\d)")
PERIOD = re.compile(r"^\s*(\d{4})(?:\s*[-–/]\s*(\d{4}))?\s*$")
NUTS3 = re.compile(r"^[A-Z]{2}[0-9A-Z]{3}$")
# Swedish NUTS 3 regions to county codes (NUTS 2021).
SWEDISH_NUTS3 = {
    "SE110": "01",
    "SE121": "03",
    "SE122": "04",
    "SE123": "05",
    "SE124": "18",
    "SE125": "19",
    "SE211": "06",
    "SE212": "07",
    "SE213": "08",
    "SE214": "09",
    "SE221": "10",
    "SE224": "12",
    "SE231": "13",
    "SE232": "14",
    "SE311": "17",
    "SE312": "20",
    "SE313": "21",
    "SE321": "22",
    "SE322": "23",
    "SE331": "24",
    "SE332": "25",
}
NUTS_COUNTRY = {"EL": "GR", "UK": "GB"}
COUNTRY_NAMES = {
    "sweden": "SE",
    "sverige": "SE",
    "finland": "FI",
    "suomi": "FI",
    "norway": "NO",
    "norge": "NO",
    "denmark": "DK",
    "danmark": "DK",
    "estonia": "EE",
    "estland": "EE",
    "latvia": "LV",
    "lettland": "LV",
    "lithuania": "LT",
    "litauen": "LT",
    "poland": "PL",
    "polen": "PL",
    "germany": "DE",
    "tyskland": "DE",
    "iceland": "IS",
    "island": "IS",
    "ireland": "IE",
    "irland": "IE",
    "netherlands": "NL",
    "nederländerna": "NL",
    "france": "FR",
    "frankrike": "FR",
    "spain": "ES",
    "spanien": "ES",
    "italy": "IT",
    "italien": "IT",
    "faroe islands": "FO",
    "färöarna": "FO",
    "greenland": "GL",
    "grönland": "GL",
    "united kingdom": "GB",
    "storbritannien": "GB",
    "ukraine": "UA",
    "ukraina": "UA",
}
DEFAULT_SEK_PER_EUR = Decimal("11.4788")  # ECB reference rate, 2023 average


class MappingError(Exception):
    """The mapping itself is wrong: `key` names the key (section.key) or the column."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key, self.message = key, message

    def __reduce__(self):  # as it was made: the worker that reads ahead (imports.ahead) sends it whole
        return type(self), (self.key, self.message)


@dataclass
class Mapping:
    source: dict = field(default_factory=dict)
    project: dict = field(default_factory=dict)
    partner: dict = field(default_factory=dict)
    label: str = "mapping"

    @property
    def format(self) -> str:
        return self.source["format"]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    def columns(self) -> dict[str, str]:
        """{column: key naming it} of every column the mapping reads from the (projects) file."""
        out = {}
        for section in ("project", "partner"):
            for key, value in getattr(self, section).items():
                kind = KEYS[section][key]
                if kind == "column":
                    out.setdefault(value, f"{section}.{key}")
                elif kind == "template":
                    for name in TEMPLATE_FIELD.findall(value) if "{" in value else [value]:
                        out.setdefault(name, f"{section}.{key}")
        return out


def parse_mapping(content: str, label: str = "mapping") -> Mapping:
    """The mapping in a TOML text, checked; MappingError names the key that is wrong."""
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError("-", _("filen är inte giltig TOML (%(error)s)") % {"error": str(exc)[:120]}) from None
    mapping = Mapping(label=label)
    for section, values in data.items():
        if section not in KEYS:
            raise MappingError(
                section, _("okänd sektion; sektionerna är %(names)s") % {"names": ", ".join(f"[{k}]" for k in KEYS)}
            )
        if not isinstance(values, dict):
            raise MappingError(section, _("ska vara en sektion, [%(name)s]") % {"name": section})
        for key, value in values.items():
            kind = KEYS[section].get(key)
            name = f"{section}.{key}"
            if kind is None:
                raise MappingError(
                    name,
                    _("okänd nyckel; nycklarna i [%(s)s] är %(keys)s")
                    % {"s": section, "keys": ", ".join(KEYS[section])},
                )
            getattr(mapping, section)[key] = _checked(name, kind, key, value)
    source = mapping.source
    if "format" not in source:
        raise MappingError("source.format", _("saknas; ange csv, xlsx eller json"))
    if source.get("delimiter") and source["format"] != "csv":
        raise MappingError("source.delimiter", _("gäller bara csv"))
    if len(source.get("delimiter", ",")) != 1:
        raise MappingError("source.delimiter", _("ska vara ett enda tecken"))
    for key in ("sheet", "partner_sheet", "join"):
        if key in source and source["format"] != "xlsx":
            raise MappingError(f"source.{key}", _("gäller bara xlsx"))
    if ("partner_sheet" in source) != ("join" in source):
        raise MappingError("source.join", _("partner_sheet och join anges tillsammans"))
    if "id" not in mapping.project:
        raise MappingError("project.id", _("saknas; projektets id är en kolumn eller en mall som {program}/{id}"))
    if "name" not in mapping.project:
        raise MappingError("project.name", _("saknas; projektets namn behövs"))
    if "fund" not in mapping.project and "fund" not in source:
        raise MappingError("source.fund", _("saknas; ange fonden här eller som kolumn i [project]"))
    if "fund" in source:
        source["fund"] = _fund(source["fund"], "source.fund", MappingError)
    if "programme_period" in source:
        source["programme_period"] = _period(source["programme_period"], "source.programme_period", MappingError)
    if mapping.partner and "name" not in mapping.partner:
        raise MappingError("partner.name", _("saknas; en partner behöver ett namn"))
    if "lead_when" in mapping.partner and "role" not in mapping.partner:
        raise MappingError("partner.lead_when", _("kräver partner.role, kolumnen vars värden anger huvudparten"))
    return mapping


def _checked(name: str, kind: str, key: str, value):
    if kind in ("column", "template", "literal", "choice"):
        if not isinstance(value, str) or not value.strip():
            raise MappingError(name, _("ska vara en text"))
        if kind == "choice" and value not in CHOICES[key]:
            raise MappingError(
                name, _("”%(v)s” är inte ett av %(all)s") % {"v": value[:40], "all": ", ".join(CHOICES[key])}
            )
        if kind == "template" and "{" in value:
            if not TEMPLATE_FIELD.findall(value) or TEMPLATE_FIELD.sub("", value).count("{"):
                raise MappingError(name, _("mallen ska ha kolumnnamn inom klamrar, t.ex. {program}/{id}"))
        return value if kind == "literal" and key == "delimiter" else value.strip()
    if kind == "list":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise MappingError(name, _('ska vara en lista med texter, t.ex. ["LP"]'))
        return [v.strip() for v in value]
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise MappingError(name, _("ska vara ett positivt tal"))
        return Decimal(str(value))
    # joins: a list of alternatives, each a list of columns found in both sheets
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        value = [value]
    if not (
        isinstance(value, list)
        and value
        and all(isinstance(alt, list) and alt and all(isinstance(c, str) and c for c in alt) for alt in value)
    ):
        raise MappingError(name, _('ska vara en lista med kolumner, t.ex. ["Programme", "Project ID"]'))
    return value


def _fund(value: str, where: str, error=RowError) -> str:
    found = FUNDS.get(value.strip().casefold())
    if found is None:
        raise error(where, _("okänd fond ”%(v)s” (t.ex. ERUF, ESF+, FRO)") % {"v": value[:40]})
    return found


def _period(value: str, where: str, error=RowError) -> int:
    match = PERIOD.match(value)
    if not match or int(match[1]) not in (2014, 2021, 2028):
        raise error(where, _("”%(v)s” är ingen programperiod (t.ex. 2021-2027)") % {"v": value[:40]})
    return int(match[1])


def load(path) -> Mapping:
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError("-", _("mappningsfilen kan inte läsas (%(e)s)") % {"e": str(exc)[:80]}) from None
    return parse_mapping(content, label=path.name)


def builtin(name: str) -> "MappingFormat":
    return MappingFormat(load(BUILTIN / f"{name}.toml"), builtin=True)


# --- reading the file ---------------------------------------------------------------------------------


def _cell(value):
    """A spreadsheet's or JSON's typed value as the text a CSV would hold."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    raise RowError("-", _("cellen har inget enkelt värde (%(type)s)") % {"type": type(value).__name__})


def _sheet_rows(workbook, sheet: str, where: str):
    """(row number, header, values) of one sheet; the header is the first row."""
    if sheet not in workbook.sheetnames:
        raise MappingError(
            where,
            _("bladet ”%(s)s” finns inte; bladen är %(all)s") % {"s": sheet, "all": ", ".join(workbook.sheetnames)},
        )
    rows = workbook[sheet].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    return header, rows


def _xlsx(mapping: Mapping, path):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise MappingError("-", _("filen kan inte läsas som XLSX (%(e)s)") % {"e": str(exc)[:80]}) from None
    try:
        sheet = mapping.source.get("sheet") or workbook.sheetnames[0]
        header, rows = _sheet_rows(workbook, sheet, "source.sheet")
        partners = None
        if "partner_sheet" in mapping.source:
            partners, header = _partner_table(mapping, workbook, header)
        yield header
        for number_, values in enumerate(rows, start=2):
            if values is None or all(v is None or v == "" for v in values):
                continue
            try:
                row = dict(zip(header, map(_cell, values)))
            except RowError as exc:
                yield number_, exc
                continue
            if partners is None:
                yield number_, row
                continue
            own = partners.get(tuple(text(row.get(c)) for c in partners["columns"]), ())
            if not own:
                yield number_, row
            for partner_number, partner in own:
                yield f"{number_} ({mapping.source['partner_sheet']} {partner_number})", {**row, **partner}
    finally:
        workbook.close()


def _partner_table(mapping: Mapping, workbook, project_header):
    """The partner sheet by join key, and the combined header: the projects' columns, then the partners'."""
    header, rows = _sheet_rows(workbook, mapping.source["partner_sheet"], "source.partner_sheet")
    columns = next(
        (alt for alt in mapping.source["join"] if all(c in header and c in project_header for c in alt)), None
    )
    if columns is None:
        raise MappingError(
            "source.join",
            _("ingen av kolumnuppsättningarna finns i båda bladen: %(alts)s")
            % {"alts": "; ".join(", ".join(alt) for alt in mapping.source["join"])},
        )
    table: dict = {"columns": columns}
    for number_, values in enumerate(rows, start=2):
        if values is None or all(v is None or v == "" for v in values):
            continue
        row = dict(zip(header, map(_cell, values)))
        table.setdefault(tuple(text(row.get(c)) for c in columns), []).append((number_, row))
    return table, [*project_header, *(h for h in header if h not in project_header)]


def _json(path):
    """The header (the first object's names: later objects may leave a field out), then (position, object)."""
    with open(path, "rb") as handle:
        position = 0
        items = ijson.items(handle, "item")
        try:
            for position, item in enumerate(items, start=1):
                if position == 1:
                    yield list(item) if isinstance(item, dict) else []
                if not isinstance(item, dict):
                    yield position, RowError("-", _("posten är inte ett JSON-objekt"))
                    continue
                try:
                    yield position, {k: _cell(v) for k, v in item.items()}
                except RowError as exc:
                    yield position, exc
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            if position == 0:
                yield []
            yield (
                "-",
                RowError(
                    "-",
                    _("JSON-filen är trasig efter post %(n)s (%(error)s)") % {"n": position, "error": str(exc)[:80]},
                ),
            )
            return
        if position == 0:
            yield []


def _csv(mapping: Mapping, path):
    header_seen = []

    def check_header(header):
        header_seen.append(header or [])

    delimiter = mapping.source.get("delimiter", ",")
    rows = csv_rows(path, check_header=check_header, delimiter=delimiter)
    first = next(rows, None)
    yield header_seen[0] if header_seen else []
    if first is not None:
        yield first
    yield from rows


# --- one row ------------------------------------------------------------------------------------------


class MappingFormat:
    """A mapping as an import format: SOURCE and rows(path), as the format modules have."""

    def __init__(self, mapping: Mapping, *, builtin: bool = False):
        self.mapping = mapping
        self.builtin = builtin
        self.SOURCE = mapping.source.get("name") or "mapping"
        self.same_as = tuple(mapping.source.get("same_as", ()))
        self.objectives_optional = mapping.source.get("unknown_objectives") == "keep-code"
        self.lead_when = {v.casefold() for v in mapping.partner.get("lead_when", ())}
        self.optional = set(mapping.source.get("optional_columns", ()))
        self.sek_per_eur = mapping.source.get("sek_per_eur", DEFAULT_SEK_PER_EUR)
        self.counties: dict[str, str] = {}
        self.template_columns = TEMPLATE_FIELD.findall(mapping.project["id"]) if "{" in mapping.project["id"] else []
        self.cache: dict[tuple[str, str], object] = {}  # organisation numbers, places and countries, each read once
        # The fields the importer names in its own checks (services._prepare), as the columns of this file.
        project, partner = mapping.project, mapping.partner
        self.column_of = {
            field: column
            for field, column in [
                ("name", project.get("name")),
                ("summary", project.get("summary")),
                ("priority", project.get("priority")),
                ("programme_name", project.get("programme")),
                ("specific_objective", project.get("specific_objective")),
                ("objective_code", project.get("specific_objective")),
                ("end_date", project.get("end_date")),
                ("source_id", project.get("id")),
                ("beneficiary_name", partner.get("name")),
                ("partners", partner.get("name")),
                ("partner", partner.get("name")),
            ]
            if column
        }

    @property
    def extension(self) -> str:
        return self.mapping.extension

    def _pairs(self, path):
        fmt = self.mapping.format
        if fmt == "csv":
            return _csv(self.mapping, path)
        if fmt == "xlsx":
            return _xlsx(self.mapping, path)
        return _json(path)

    def rows(self, path):
        """(row number, Record or RowError), one Record per project; a MappingError ends the run at once."""
        from samhandling.projects.models import County

        for pk_code, name in County.objects.values_list("code", "name"):
            short = name.removesuffix(" län")
            for key in (pk_code, name, short, short.removesuffix("s")):
                self.counties[key.casefold()] = pk_code
        pairs = self._pairs(path)
        header = next(pairs, None)
        if header is not None:
            self._check_columns(header)
        group: list = []  # [first row number, id, Record, identities, failed]
        finished: set[str] = set()
        id_column = self.mapping.project["id"]
        for number_, raw in pairs:
            if isinstance(raw, RowError):
                yield number_, raw
                continue
            key = None
            try:
                key = self._id(raw)
                if group and key == group[1]:
                    if not group[4]:
                        self._add_partner(group, raw)
                    continue
                if key in finished:
                    raise RowError(
                        id_column,
                        _("projektet ”%(id)s” har rader på flera ställen; ett projekts rader ska stå efter varandra")
                        % {"id": key[:60]},
                    )
            except RowError as exc:
                if group and key == group[1]:
                    group[4] = True
                yield number_, exc
                continue
            if group:
                finished.add(group[1])
                if not group[4]:
                    yield group[0], group[2]
            group = [number_, key, None, set(), False]
            try:
                group[2] = self._project(raw, key)
                self._add_partner(group, raw)
            except RowError as exc:
                group[4] = True
                yield number_, exc
        if group and not group[4]:
            yield group[0], group[2]

    def _check_columns(self, header) -> None:
        present = set(header)
        for column, key in self.mapping.columns().items():
            if column not in present and column not in self.optional:
                raise MappingError(
                    key,
                    _("kolumnen ”%(c)s” finns inte i filen; kolumnerna är %(all)s")
                    % {"c": column, "all": ", ".join(h for h in header if h)[:600]},
                )

    def _get(self, raw: dict, section: str, key: str) -> str:
        column = getattr(self.mapping, section).get(key)
        return text(raw.get(column)) if column else ""

    def _id(self, raw: dict) -> str:
        template = self.mapping.project["id"]
        if not self.template_columns:
            value = text(raw.get(template))
        else:
            parts = {}
            for column in self.template_columns:
                parts[column] = text(raw.get(column))
                if not parts[column]:
                    raise RowError(column, _("värde saknas (ingår i projektets id)"))
            value = TEMPLATE_FIELD.sub(lambda m: parts[m[1]], template)
        if not value:
            raise RowError(template, _("värde saknas (projektets id)"))
        if len(value) > 128:
            raise RowError(template, _("projektets id är längre än 128 tecken"))
        return value

    def _project(self, raw: dict, key: str) -> Record:
        project, source = self.mapping.project, self.mapping.source
        get = lambda k: self._get(raw, "project", k)  # noqa: E731
        fund_column = project.get("fund")
        fund = _fund(required(get("fund"), fund_column), fund_column) if fund_column else source["fund"]
        period_column = project.get("programme_period")
        period = source.get("programme_period")
        if period_column and get("programme_period"):
            period = _period(get("programme_period"), period_column)
        name_column = project["name"]
        name = required(get("name"), name_column)
        summary = get("summary")
        if summary and source.get("summary_format") == "html":
            summary = html_to_text(summary)
        total_cost = self._money(raw, project.get("total_cost"))
        eu_amount = self._money(raw, project.get("eu_amount"))
        code, objective = self._objective(get("specific_objective"), fund)
        return Record(
            source_id=key,
            name=name,
            fund=fund,
            source=self.SOURCE,
            local_id=get("local_id"),
            summary=summary,
            period=period,
            programme=get("programme"),
            objective=objective,
            objective_code=code,
            priority=get("priority"),
            intervention_type=self._intervention(get("intervention_field")),
            amount_granted=eu_amount,
            total_cost=total_cost,
            cofinancing_rate=self._rate(raw, project.get("cofinancing_rate")),
            start_date=day(get("start_date"), project.get("start_date", "start_date")),
            end_date=day(get("end_date"), project.get("end_date", "end_date")),
            participants=[] if self.mapping.partner else None,
        )

    def _money(self, raw: dict, column: str | None) -> Decimal | None:
        if not column:
            return None
        amount = number(raw.get(column), column)
        if amount is None:
            return None
        currency_column = self.mapping.project.get("currency")
        currency = text(raw.get(currency_column)).upper() if currency_column else ""
        currency = currency or self.mapping.source.get("currency", "SEK")
        if currency == "SEK":
            return amount
        if currency == "EUR":
            return (amount * self.sek_per_eur).quantize(Decimal("0.01"))
        raise RowError(currency_column, _("okänd valuta ”%(v)s” (SEK eller EUR)") % {"v": currency[:10]})

    def _rate(self, raw: dict, column: str | None) -> Decimal | None:
        """A percentage (`60`, `60 %`) or a share (`0.6`, as Kohesio writes it)."""
        if not column:
            return None
        value = text(raw.get(column))
        if value and "%" not in value and re.fullmatch(r"0?[.,]\d+|1[.,]0*", value):
            share = number(value, column)
            return rate(str(share * 100), column) if share is not None else None
        return rate(value, column)

    def _objective(self, value: str, fund: str) -> tuple[str, str]:
        """(the regulation's code, e.g. RSO1.1; the code Samhandling's programmes use, e.g. 1.1)."""
        if not value:
            return "", ""
        match = OBJECTIVE.match(value)
        column = self.mapping.project["specific_objective"]
        if not match:
            raise RowError(column, _("”%(v)s” är inget specifikt mål (t.ex. RSO1.1, ESO4.1, 1.1)") % {"v": value[:40]})
        prefix, code = (match[1] or "").upper(), match[2].upper()
        return (prefix + code if prefix else regulation_objective_code(code, fund)), code

    def _intervention(self, value: str) -> str:
        """A category of intervention as its three-digit code: `117.0`, `117 Stöd till…` and `17` are read."""
        if not value:
            return ""
        match = INTERVENTION.match(value)
        if not match:
            raise RowError(
                self.mapping.project["intervention_field"],
                _("”%(v)s” är inget interventionsområde (en kod som 117)") % {"v": value[:40]},
            )
        return match[1].zfill(3)

    def _add_partner(self, group: list, raw: dict) -> None:
        record: Record = group[2]
        if record.participants is None:
            return
        partner = self.mapping.partner
        get = lambda k: self._get(raw, "partner", k)  # noqa: E731
        name = get("name")
        if not name:
            if not any(get(k) for k in ("organisation_number", "pic", "vat")):
                return  # a project row without a partner (a project without partners in the partner sheet)
            raise RowError(partner["name"], _("värde saknas"))
        org_number = self._org_number(get("organisation_number"))
        pic = get("pic")
        if pic and not re.fullmatch(r"\d{9}", pic):
            raise RowError(partner["pic"], _("”%(v)s” är ingen PIC (nio siffror)") % {"v": pic[:20]})
        vat = re.sub(r"[\s.-]", "", get("vat")).upper()
        if vat and not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2,18}", vat):
            raise RowError(partner["vat"], _("”%(v)s” är inget momsregistreringsnummer") % {"v": vat[:20]})
        county, nuts3, nuts_country = self._place(get("county"))
        country = self._country(get("country")) or nuts_country or "SE"
        if county and country != "SE":
            raise RowError(partner["county"], _("ett svenskt län men landet är %(c)s") % {"c": country})
        role_text = get("role")
        lead = role_text.casefold() in self.lead_when if self.lead_when else not record.participants
        identity = org_number or pic or vat or f"{country}:{name.casefold()}"
        if identity in group[3]:
            raise RowError(partner["name"], _("”%(n)s” står två gånger i projektet") % {"n": name[:60]})
        group[3].add(identity)
        if lead and any(p.lead for p in record.participants):
            raise RowError(partner.get("role", partner["name"]), _("projektet har redan en huvudpart"))
        participant = Participant(
            name=name,
            org_number=org_number,
            pic=pic,
            vat=vat,
            lead=lead,
            role_text=role_text[:100],
            amount=self._money(raw, partner.get("amount")),
            country=country,
            county=county,
            nuts3=nuts3,
        )
        record.participants.append(participant)
        if lead:
            record.beneficiary = name
            record.country = country
        else:
            record.partners.append(name)
        if county and county not in record.counties:
            record.counties.append(county)

    def _cached(self, kind: str, value: str, parse):
        key = (kind, value)
        if key not in self.cache:
            self.cache[key] = parse(value)  # a RowError is raised each time, never cached
        return self.cache[key]

    def _org_number(self, value: str) -> str:
        return self._cached("org_number", value, self._parse_org_number) if value else ""

    def _place(self, value: str) -> tuple[str, str, str]:
        return self._cached("place", value, self._parse_place) if value else ("", "", "")

    def _country(self, value: str) -> str:
        return self._cached("country", value, self._parse_country) if value else ""

    def _parse_org_number(self, value: str) -> str:
        raw = value.upper().removeprefix("SE").replace(" ", "")
        if len(raw) == 12 and raw.endswith("01") and raw[:10].isdigit():  # a VAT number: SE + number + 01
            raw = raw[:10]
        try:
            return normalise_org_number(raw)
        except ValidationError as exc:
            raise RowError(self.mapping.partner["organisation_number"], " ".join(exc.messages)) from None

    def _parse_place(self, value: str) -> tuple[str, str, str]:
        """(county code, NUTS 3 code, country from NUTS) of a county's name or code or a NUTS 3 code."""
        upper = value.upper().replace(" ", "")
        if NUTS3.match(upper):
            country = NUTS_COUNTRY.get(upper[:2], upper[:2])
            if country == "SE":
                if upper not in SWEDISH_NUTS3:
                    raise RowError(
                        self.mapping.partner["county"], _("okänd svensk NUTS 3-kod ”%(v)s”") % {"v": value[:10]}
                    )
                return SWEDISH_NUTS3[upper], upper, "SE"
            return "", upper, country
        code = self.counties.get(value.casefold()) or self.counties.get(value.casefold().removesuffix(" län"))
        if code is None:
            raise RowError(
                self.mapping.partner["county"], _("”%(v)s” är inget län eller NUTS 3-kod") % {"v": value[:40]}
            )
        nuts3 = next((n for n, c in SWEDISH_NUTS3.items() if c == code), "")
        return code, nuts3, "SE"

    def _parse_country(self, value: str) -> str:
        upper = value.strip().upper()
        if re.fullmatch(r"[A-Z]{2}", upper):
            return NUTS_COUNTRY.get(upper, upper)
        found = COUNTRY_NAMES.get(value.strip().casefold())
        if found is None:
            raise RowError(
                self.mapping.partner["country"],
                _("okänt land ”%(v)s” (ange t.ex. SE eller Sweden)") % {"v": value[:40]},
            )
        return found


def required(value: str, column: str) -> str:
    if not value:
        raise RowError(column, _("värde saknas"))
    return value


_BLOCK = re.compile(r"<\s*(?:br|/p|/div|/li|/h\d|/tr)\b[^>]*>", re.IGNORECASE)
_ITEM = re.compile(r"<\s*li\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(value: str) -> str:
    """A summary written as HTML as plain text: paragraphs and list items on lines of their own, no tags
    (the text is stored and shown as text, so nothing in it is ever markup)."""
    value = _ITEM.sub("\n– ", _BLOCK.sub("\n", value))
    value = html.unescape(_TAG.sub("", value)).replace("\u00a0", " ")
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in value.splitlines())
    return "\n".join(line for line in lines if line)
