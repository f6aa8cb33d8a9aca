"""`samhandling import`: any list of operations in, as projects, in one transaction.

The file is streamed (format modules yield one Record at a time) and written in batches with the fast
inserter, so a million rows fit in well under a gigabyte. Each project is keyed on `source` + `source_id`:
a new key is created, a known key whose fields differ is updated (and the update written to the audit
log, since bulk writes bypass auditlog's signals; a creation too, compactly), an identical one is left alone.
Any invalid row stops the run and nothing is kept, unless rejects are asked for: then the valid rows are
kept and each reject is written with its reason. Derived things stay in step in the same transaction: the project bank's
full-text index, county, municipality and partner links, contact persons, the portfolio dashboard's sums.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from pathlib import Path
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import CharField, Q, TextField
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samhandling.core import cells
from samhandling.core.collector import fewer_collections
from samhandling.core.models import AuditCaseLink
from samhandling.core.text import TEXT_MAX_LENGTH
from samhandling.core.text import limit_of as text_limit
from samhandling.core.text import reason as text_reason
from samhandling.portfolio import summary
from samhandling.programmes.models import Fund, InterventionField, ProgrammePeriod, SpecificObjective
from samhandling.programmes.reference import intervention_code
from samhandling.projectbank import changes, search
from samhandling.projectbank import services as projectbank
from samhandling.projects.models import (
    ContactPerson,
    County,
    Municipality,
    Organisation,
    Participation,
    ProgrammeRegion,
    Project,
)
from samhandling.projects.selectors import regulation_objective_code

from .ahead import ReaderDied, ahead
from .bulk import BulkInserter, DeferredIndexes, _plain, delete_links, insert_links, page_cache
from .formats import FORMATS
from .formats.base import Participant, Record, RowError, sent_by_fields
from .formats.mapping import Mapping, MappingError, MappingFormat
from .formats.mapping import load as load_mapping
from .models import ImportRun
from .organisations import OrganisationMatcher

BATCH = 1000  # rows per write: 1 000 kept pace with the read-ahead worker better than 500 or 2 000 (bench_import)
READ_AHEAD_FROM_BYTES = 4 * 2**20  # a smaller file is read in the importer itself: a worker costs more than it saves
MAPPING = "mapping"  # the format name of an import through a mapping file (formats/mapping.py)
TWIN_SUFFIX_LENGTH = 5  # the shortest end of an id that can be a twin list's id
REGION, COUNTY, MUNICIPALITY = gettext_lazy("programområde"), gettext_lazy("län"), gettext_lazy("kommun")
MAX_REPORTED = 50
# Funds a list may name that a fresh database may not hold yet (created on first use).
KNOWN_FUNDS = {
    "ERUF": ("Europeiska regionala utvecklingsfonden", "European Regional Development Fund (ERDF)", "Tillväxtverket"),
    "ESF": ("Europeiska socialfonden", "European Social Fund (ESF)", "Svenska ESF-rådet"),
    "ESF+": ("Europeiska socialfonden+", "European Social Fund Plus (ESF+)", "Svenska ESF-rådet"),
    "FRO": ("Fonden för en rättvis omställning", "Just Transition Fund (JTF)", "Tillväxtverket"),
}
# The fields an import owns; everything else on a project (call, owner, flagship…) is left as it is.
FIELDS = (
    "name",
    "applicant_id",
    "fund_id",
    "period_id",
    "programme_region_id",
    "objective_id",
    "objective_code",
    "programme_name",
    "thematic_objective",
    "priority",
    "amount_granted",
    "total_cost",
    "cofinancing_rate",
    "intervention_type",
    "intervention_field_id",
    "start_date",
    "end_date",
    "country",
    "location_text",
    "summary",
    "status",
)
MONEY = ("amount_granted", "total_cost")
NATIVE_SOURCE = Project._meta.get_field("source").default
LINKS = [
    ("counties", Project.counties.through, "county"),
    ("municipalities", Project.municipalities.through, "municipality"),
    ("partners", Project.partners.through, "organisation"),
]
LIMITS = [  # every text column the importer writes, with its length limit (core.text)
    (f.attname, text_limit(f))
    for f in Project._meta.concrete_fields
    if f.attname in (*FIELDS, "source", "source_id") and isinstance(f, (CharField, TextField)) and not f.choices
]
CENT = Decimal("0.01")
ORGANISATION_NAME_LIMIT: int = Organisation._meta.get_field("name").max_length  # type: ignore[assignment]


class ImportFailed(Exception):
    """The run was rolled back; `errors` are lines naming file, row and field."""

    def __init__(self, errors: list[str], total: int):
        super().__init__("\n".join(errors))
        self.errors, self.total = errors, total


@dataclass
class Result:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    proposals: int = 0


def _key(value: str) -> str:
    """Names compared the way the files garble them: `Upplands Väsby`, `UpplandsVäsby` and `Stenungssund`
    all find Upplands Väsby and Stenungsund (no two of the 290 municipalities share a key)."""
    letters = re.sub(r"[\W\d_]", "", value.casefold().replace(" med ", " och "))
    return re.sub(r"(.)\1+", r"\1", letters)


class Lookups:
    """Codes and names of the reference data, each resolved once per run."""

    def __init__(self):
        self.funds = {code.upper(): pk for code, pk in Fund.objects.values_list("code", "id")}
        self.periods = dict(ProgrammePeriod.objects.values_list("start_year", "id"))
        self.regions = {}
        for pk, code, name in ProgrammeRegion.objects.values_list("id", "code", "name"):
            self.regions[code] = self.regions[_key(name)] = pk
        self.counties = {}
        for pk, code, name in County.objects.values_list("id", "code", "name"):
            short = name.removesuffix(" län")
            self.counties[code] = pk
            for key in (name, short, short.removesuffix("s")):
                self.counties.setdefault(_key(key), pk)
        self.municipalities = {}
        for pk, code, name in Municipality.objects.values_list("id", "code", "name"):
            self.municipalities[code] = pk
            self.municipalities.setdefault(_key(name), pk)
        self.objectives: defaultdict[tuple[int, int | None, str], list[tuple[int, int | None]]] = defaultdict(list)
        for pk, code, fund, year, region in SpecificObjective.objects.values_list(
            "id", "code", "fund_id", "programme__period__start_year", "programme__programme_region_id"
        ):
            self.objectives[(fund, year, code.casefold())].append((pk, region))
        self.intervention_fields = dict(InterventionField.objects.values_list("code", "id"))
        self.regulation_objectives = {}
        self.regulation_codes = {}  # the dashboard's sums count a project under its objective's code
        for pk, regulation_id, code in SpecificObjective.objects.exclude(regulation_objective=None).values_list(
            "id", "regulation_objective_id", "regulation_objective__code"
        ):
            self.regulation_objectives[pk], self.regulation_codes[pk] = regulation_id, code
        self.intervention_codes = {pk: code for code, pk in self.intervention_fields.items()}

    def fund(self, code: str) -> int:
        key = code.strip().upper()
        if key not in self.funds:
            if key not in KNOWN_FUNDS:
                raise RowError("fund", _("okänd fond ”%(code)s”") % {"code": code[:40]})
            name, name_en, authority = KNOWN_FUNDS[key]
            self.funds[key] = Fund.objects.create(code=key, name=name, name_en=name_en, managing_authority=authority).pk
        return self.funds[key]

    def period(self, year: int | None) -> int | None:
        if year is None:
            return None
        if year not in self.periods:
            if year not in (2014, 2021, 2028):
                raise RowError("programme_period", _("okänd programperiod %(year)s") % {"year": year})
            self.periods[year] = ProgrammePeriod.objects.create(start_year=year, end_year=year + 6).pk
        return self.periods[year]

    def one(self, table: dict, value: str, field_name: str, what: str | Promise) -> int | None:
        if not value:
            return None
        found = table.get(value.strip().upper()) or table.get(_key(value))
        if found is None:
            raise RowError(field_name, _("okänd %(what)s ”%(value)s”") % {"what": str(what), "value": value[:60]})
        return found

    def objective(
        self, code: str, fund_id: int, year: int | None, region_id: int | None, optional: bool = False
    ) -> int | None:
        if not code:
            return None
        found = self.objectives.get((fund_id, year, code.casefold()))
        if not found and optional:
            return None
        if not found:
            raise RowError(
                "specific_objective", _("okänt specifikt mål ”%(code)s” för fonden och perioden") % {"code": code[:20]}
            )
        return next((pk for pk, region in found if region == region_id), found[0][0])


@sent_by_fields  # the read-ahead worker sends it
@dataclass(slots=True)
class Refs:
    """What the importer still resolves of a record once the worker has checked it and built its row: its ids
    (twins, the project it updates), its fund, period and specific objective, its organisations. Only these
    cross the pipe: unpickling whole records was half of what the importer spent receiving them."""

    source_id: str
    local_id: str
    fund: str
    period: int | None
    objective: str
    beneficiary: str
    partners: list[str]
    participants: list[Participant] | None

    @classmethod
    def of(cls, record: Record) -> "Refs":
        return cls(
            record.source_id,
            record.local_id,
            record.fund,
            record.period,
            record.objective,
            record.beneficiary,
            record.partners,
            record.participants,
        )


@sent_by_fields  # the read-ahead worker sends it
@dataclass(slots=True)
class Prepared:
    refs: Refs
    source: str
    row: dict
    counties: tuple
    municipalities: tuple
    contacts: tuple | None
    partners: tuple = ()
    participations: tuple | None = None
    pk: int | None = None
    changes: dict | None = None
    document: tuple = ()  # search.document's (analysed name, analysed body, raw text)


def _objective_code(record: Record) -> str:
    """The regulation's code of the objective (RSO1.1…), from the list's own code where it gives only `1.1`."""
    code = record.objective_code or record.objective
    return regulation_objective_code(code, record.fund) if code else ""


def _prepare(record: Record, default_source: str, lookups: Lookups) -> Prepared:
    """Checks one record and resolves its codes and names, reading `lookups` only: this runs in the read-ahead
    worker, which must not write. The fund, period and objective are resolved by `_resolve`, in the importer,
    since a fund or period a fresh database lacks is created; organisations are resolved per batch."""
    region_id = lookups.one(lookups.regions, record.programme_region, "programme_region", REGION)
    if record.status and record.status not in Project.GRANTED_STATES:
        raise RowError(
            "status", _("”%(value)s” är inte beviljat, pågående eller avslutat") % {"value": record.status[:30]}
        )
    row: dict[str, Any] = {
        "name": record.name,
        "fund_id": None,  # _resolve
        "period_id": None,
        "programme_region_id": region_id,
        "objective_id": None,
        "objective_code": _objective_code(record),
        "programme_name": record.programme,
        "thematic_objective": record.thematic_objective,
        "priority": record.priority,
        "amount_granted": record.amount_granted,
        "total_cost": record.total_cost,
        "cofinancing_rate": record.cofinancing_rate,
        "intervention_type": record.intervention_type,
        # the intervention field when the text starts with its code ("013", Kohesio's "13.0"); free text is kept
        "intervention_field_id": lookups.intervention_fields.get(intervention_code(record.intervention_type) or ""),
        "start_date": record.start_date,
        "end_date": record.end_date,
        "country": record.country or "SE",
        "location_text": record.location_text,
        "summary": record.summary,
        "status": record.status or Project.Status.GRANTED,
        "source": record.source or default_source,
        "source_id": record.source_id,
    }
    for name in MONEY:
        if row[name] is not None:
            row[name] = row[name].quantize(CENT)
    for name, limit in LIMITS:
        found = text_reason(row[name], limit)
        if found:
            raise RowError(name, found)
    for name in (record.beneficiary, *record.partners):
        found = text_reason(name, ORGANISATION_NAME_LIMIT)
        if found:
            raise RowError("beneficiary_name" if name == record.beneficiary else "partners", found)
    for participant in record.participants or ():
        found = text_reason(participant.name, ORGANISATION_NAME_LIMIT) or text_reason(participant.role_text, 100)
        if found:
            raise RowError("partner", found)
    for value in chain.from_iterable(record.contacts or ()):
        found = text_reason(value or "", TEXT_MAX_LENGTH)
        if found:
            raise RowError("contacts", found)
    if record.start_date and record.end_date and record.end_date < record.start_date:
        raise RowError("end_date", _("slutdatum före startdatum"))
    counties = tuple(
        sorted(
            {pk for c in record.counties if (pk := lookups.one(lookups.counties, c, "counties", COUNTY)) is not None}
        )
    )
    municipalities = tuple(
        sorted(
            {
                pk
                for m in record.municipalities
                if (pk := lookups.one(lookups.municipalities, m, "municipalities", MUNICIPALITY)) is not None
            }
        )
    )
    contacts = (
        None
        if record.contacts is None
        else tuple((c[0][:200], c[1][:200], c[2][:50], c[3][:254]) for c in record.contacts)
    )
    return Prepared(Refs.of(record), row["source"], row, counties, municipalities, contacts)


def _resolve(prepared: Prepared, lookups: Lookups, objectives_optional: bool) -> None:
    """The record's fund, period and specific objective, each created first where a fresh database lacks it."""
    refs, row = prepared.refs, prepared.row
    row["fund_id"] = lookups.fund(refs.fund)
    row["period_id"] = lookups.period(refs.period)
    row["objective_id"] = lookups.objective(
        refs.objective, row["fund_id"], refs.period, row["programme_region_id"], objectives_optional
    )


def _prepared(module, path: Path, only, lookups: Lookups):
    """(row number, Prepared or RowError, source id) of the rows to import, each parsed, checked and with its
    index document (`Prepared.document`): what the read-ahead worker hands the importer."""
    for number, record, document in _documented(module.rows(path), only):
        source_id = getattr(record, "source_id", "")
        item = record
        if isinstance(record, Record):
            try:
                item = _prepare(record, module.SOURCE, lookups)
                item.document = document
            except RowError as wrong:
                item = wrong
        yield number, item, source_id


class Importer:
    def __init__(self, fmt: str, path, *, rejects_path=None, user=None, progress=None, only=None, mapping=None):
        """`fmt` names a format (FORMATS), or is "mapping" with `mapping` the mapping file's path or Mapping."""
        if fmt == MAPPING:
            try:
                mapping = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
            except MappingError as wrong:
                raise ImportFailed([_("Mappningen: %(error)s") % {"error": wrong}], 1) from None
            module: Any = MappingFormat(mapping)
        elif fmt in FORMATS:
            module = FORMATS[fmt]
        else:
            raise ImportFailed(
                [
                    _("Okänt format ”%(fmt)s”; välj bland %(all)s.")
                    % {"fmt": fmt, "all": ", ".join([*FORMATS, MAPPING])}
                ],
                1,
            )
        self.fmt, self.module = fmt, module
        self.path = Path(path)
        self.rejects_path, self.user, self.progress = rejects_path, user, progress
        self.only = only  # a predicate on Record: import a slice of a file (the demo takes one region)
        self.result = Result()
        self.errors: list[str] = []
        self.error_count = 0

    # --- the run ---------------------------------------------------------------------------------------

    def run(self, *, dry_run: bool = False) -> Result:
        """Imports the file; raises ImportFailed (nothing kept) when a row is invalid and rejects are not asked for."""
        started = timezone.now()
        if not self.path.is_file():
            raise ImportFailed([_("%(file)s: filen finns inte") % {"file": self.path}], 1)
        rejects = open(self.rejects_path, "w", encoding="utf-8", newline="") if self.rejects_path else None
        try:
            with page_cache(), fewer_collections(), transaction.atomic():
                self.run_record = ImportRun.objects.create(
                    format=self.fmt,
                    file_name=self.path.name[:500],
                    source=self.module.SOURCE,
                    by=self.user,
                    started_at=started,
                )
                try:
                    with summary.deferred(), changes.bulk():  # each sum written once; the log only as long as read
                        self._import(cells.writer(rejects) if rejects else None)
                    self.indexes.restore()
                except MappingError as wrong:  # the file does not fit the mapping (a column or sheet missing)
                    raise ImportFailed(
                        [_("%(file)s: %(error)s") % {"file": self.path.name, "error": wrong}], 1
                    ) from None
                except ReaderDied:
                    raise ImportFailed(
                        [_("%(file)s: läsningen av filen avbröts oväntat; försök igen.") % {"file": self.path.name}],
                        1,
                    ) from None
                if self.errors and not rejects:
                    raise ImportFailed(self.errors, self.error_count)
                for name in ("rows", "created", "updated", "unchanged", "rejected", "proposals"):
                    setattr(self.run_record, name, getattr(self.result, name))
                self.run_record.errors = "\n".join(self.errors)
                self.run_record.save()
                if dry_run:
                    transaction.set_rollback(True)
        except ImportFailed as failed:
            ImportRun.objects.create(
                format=self.fmt,
                file_name=self.path.name[:500],
                source=self.module.SOURCE,
                by=self.user,
                started_at=started,
                status=ImportRun.Status.FAILED,
                rows=self.result.rows,
                errors="\n".join(failed.errors),
            )
            raise
        finally:
            if rejects:
                rejects.close()
        return self.result

    def _import(self, rejects):
        self.lookups = Lookups()
        self.matcher = OrganisationMatcher(self.run_record)
        self.projects = BulkInserter(Project)
        self.contacts = BulkInserter(ContactPerson)
        self.participations = BulkInserter(Participation)
        self.entries, self.cases = BulkInserter(LogEntry), BulkInserter(AuditCaseLink)
        self.indexes = DeferredIndexes(
            Project, *(through for _kind, through, _column in LINKS), LogEntry, AuditCaseLink
        )
        self._load_twins()
        self.seen: set = set()
        self.sources: dict[str, bool] = {}
        if rejects:
            rejects.writerow([_("rad"), _("fält"), _("fel"), "source_id"])
        self._read(rejects)
        self.result.proposals = self.matcher.proposals

    def _read(self, rejects):
        batch = []
        optional = getattr(self.module, "objectives_optional", False)
        for number, prepared, source_id in self._records():
            self.result.rows += 1
            if self.progress is not None:
                self.progress.update(1)
            try:
                if isinstance(prepared, RowError):
                    raise prepared
                _resolve(prepared, self.lookups, optional)
                self._twin(prepared)
                key = (prepared.source, prepared.refs.source_id)
                if key in self.seen:
                    raise RowError(
                        "source_id", _("”%(id)s” förekommer mer än en gång i filen") % {"id": source_id[:60]}
                    )
                self.seen.add(key)
            except RowError as exc:
                self._reject(rejects, number, exc, source_id)
                continue
            if self.errors and not rejects:
                continue  # the run will be rolled back: only keep validating, for a full report
            batch.append(prepared)
            if len(batch) >= BATCH:
                self._write(batch)
                batch = []
        if batch and not (self.errors and not rejects):
            self._write(batch)

    def _records(self):
        """`_prepared` of the file; a large file is read ahead by a worker process."""
        rows = _prepared(self.module, self.path, self.only, self.lookups)
        return ahead(rows) if self.path.stat().st_size >= READ_AHEAD_FROM_BYTES else rows

    def _reject(self, rejects, number, exc: RowError, source_id):
        exc.field = getattr(self.module, "column_of", {}).get(exc.field, exc.field)  # a mapping names its columns
        self.result.rejected += 1
        self.error_count += 1
        line = _("%(file)s, rad %(row)s, fältet %(field)s: %(message)s") % {
            "file": self.path.name,
            "row": number,
            "field": exc.field,
            "message": exc.message,
        }
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(line)
        if rejects:
            rejects.writerow([number, exc.field, exc.message, source_id])

    # --- the same operation in two lists ---------------------------------------------------------------

    def _load_twins(self):
        """Ids of the projects of the lists this one shares operations with (`same_as`), and their ends.

        Kohesio's identifier of an ESF+ operation ends with the diarienummer Svenska ESF-rådet's project bank
        gives it: either list, imported after the other, updates the project the first one made.
        """
        self.twins: dict[str, tuple[str, str]] = {}
        self.twin_ends: dict[str, tuple[str, str]] = {}
        for source in getattr(self.module, "same_as", ()):
            ids = Project.objects.filter(source=source).exclude(source_id="").values_list("source_id", flat=True)
            for source_id in ids.iterator(chunk_size=5000):
                self.twins[source_id] = (source, source_id)
                for end in _ends(source_id):
                    self.twin_ends.setdefault(end, (source, source_id))

    def _twin(self, prepared: Prepared) -> None:
        if not self.twins:
            return
        refs = prepared.refs
        for own in filter(None, (refs.source_id, refs.local_id)):
            found = self.twins.get(own) or self.twin_ends.get(own)
            found = found or next((self.twins[end] for end in _ends(own) if end in self.twins), None)
            if found:
                prepared.source, refs.source_id = found
                prepared.row["source"], prepared.row["source_id"] = found
                return

    # --- one batch -------------------------------------------------------------------------------------

    def _write(self, batch: list[Prepared]):
        plain = [p for p in batch if p.refs.participants is None]
        names = {p.refs.beneficiary for p in plain} | {n for p in plain for n in p.refs.partners}
        orgs = self.matcher.resolve(sorted(n for n in names if n))
        parties = {self._party(pt) for p in batch for pt in p.refs.participants or ()}
        found = self.matcher.resolve_parties(sorted(parties, key=str)) if parties else {}
        for p in batch:
            if p.refs.participants is not None:
                self._participations(p, found)
                continue
            p.row["applicant_id"] = orgs.get(p.refs.beneficiary)
            p.partners = tuple(sorted({orgs[n] for n in p.refs.partners if n in orgs} - {p.row["applicant_id"]}))
        existing = self._existing(batch)
        created, updated = [], []
        for p in batch:
            current = existing.get((p.source, p.refs.source_id))
            if current is None:
                created.append(p)
            else:
                p.pk, p.changes = current["id"], _changes(current, p)
                if p.changes:
                    updated.append(p)
                else:
                    self.result.unchanged += 1
        if created:
            ids = self.projects.insert([p.row for p in created])
            for p, pk in zip(created, ids):
                p.pk = pk
            self._links(created)
            for p in created:
                p.changes = {"source_id": ["None", str(p.refs.source_id)], "name": ["None", p.row["name"]]}
            self._audit(created, timezone.now(), LogEntry.Action.CREATE)
            self.result.created += len(created)
        if updated:
            self._update(updated)
            self.result.updated += len(updated)
        if created:  # the dashboard's sums are counted from the rows at hand: a new project has no labels yet
            self._index(created, figures=[self._figures(p) for p in created], created=True)
        if updated:
            self._index(updated)
        self.indexes.added(self.result.created)

    def _party(self, participant) -> tuple:
        county = self.lookups.counties.get(participant.county) if participant.county else None
        return (
            participant.name,
            participant.org_number,
            participant.pic,
            participant.vat,
            participant.country,
            county,
        )

    def _participations(self, p: Prepared, found: dict) -> None:
        """The applicant (the lead partner), the partners and each one's participation, from the partner rows."""
        rows: dict[int, tuple] = {}
        for participant in p.refs.participants or ():
            party = self._party(participant)
            org = found.get(party)
            if org is None or org in rows:
                continue  # one organisation named twice (by number and by name): its first row counts
            amount = None if participant.amount is None else participant.amount.quantize(CENT)
            role = Participation.Role.LEAD if participant.lead else Participation.Role.PARTNER
            rows[org] = (
                org,
                str(role),
                participant.role_text,
                amount,
                participant.country,
                party[5],
                participant.nuts3,
            )
        lead = next((org for org, row in rows.items() if row[1] == Participation.Role.LEAD), None)
        p.row["applicant_id"] = lead
        p.partners = tuple(sorted(set(rows) - {lead}))
        p.participations = tuple(sorted(rows.values()))

    def _index(self, prepared, figures=None, created=False):
        """The one change hook for these projects, given the index documents, facet rows (and the dashboard's
        figures) at hand."""
        sectors = self.matcher.sectors
        changes.projects_changed(
            [p.pk for p in prepared],
            created=created,
            figures=figures,
            documents=[(p.pk, *p.document) for p in prepared],
            facets=[
                projectbank.facet_values(
                    p.pk,
                    p.row["fund_id"],
                    p.refs.period,
                    p.row["programme_region_id"],
                    p.row["objective_id"],
                    p.row["thematic_objective"],
                    sectors.get(p.row["applicant_id"]),
                    p.row["amount_granted"],
                    p.row["start_date"],
                    p.row["intervention_field_id"],
                    self.lookups.regulation_objectives.get(p.row["objective_id"]),
                    county_ids=p.counties,
                    municipality_ids=p.municipalities,
                )
                for p in prepared
            ],
        )

    def _figures(self, p: Prepared) -> tuple:
        """A new project's contribution to the dashboard's sums (`summary.fact`)."""
        row = p.row
        return summary.fact(
            p.pk,
            row["start_date"],  # an imported project has no decision date
            row["objective_id"],
            row["thematic_objective"],
            self.matcher.sectors.get(row["applicant_id"]),
            row["amount_granted"],
            row["programme_region_id"],
            self.lookups.regulation_codes.get(row["objective_id"]),
            self.lookups.intervention_codes.get(row["intervention_field_id"]),
            counties=p.counties,
            municipalities=p.municipalities,
        )

    def _existing(self, batch) -> dict:
        """Current values of the projects in the batch that already exist, with their links and contacts."""
        by_source = defaultdict(list)
        for p in batch:
            by_source[p.source].append(p.refs.source_id)
        current = {}
        for source, ids in by_source.items():
            if source not in self.sources:  # asked when the source first comes up, before this run wrote any of it
                self.sources[source] = Project.objects.filter(source=source).exists()
            if not self.sources[source]:
                continue  # none stored: every row is new (a key repeated in the file is refused before it gets here)
            # `source_id <> ''` is the condition of the partial unique index: without it SQLite scans the table.
            queries = [Q(source_id__in=ids) & ~Q(source_id="")]
            if source == NATIVE_SOURCE:  # Samhandling's own projects have no source id: the export gives their id
                queries.append(Q(source_id="", id__in=[int(i) for i in ids if i.isdigit()]))
            found = (
                Project.objects.filter(q, source=source).order_by().values("id", "source_id", *FIELDS) for q in queries
            )
            for values in (v for rows in found for v in rows):
                values.update(counties=(), municipalities=(), partners=(), contacts=(), participations=())
                current[(source, values["source_id"] or str(values["id"]))] = values
        if not current:
            return current
        by_id = {v["id"]: v for v in current.values()}
        for name, through, column in LINKS:
            links = defaultdict(list)
            for project_id, other in through._default_manager.filter(project_id__in=by_id).values_list(
                "project_id", f"{column}_id"
            ):
                links[project_id].append(other)
            for project_id, others in links.items():
                by_id[project_id][name] = tuple(sorted(others))
        people = defaultdict(list)
        for row in (
            ContactPerson.objects.filter(project_id__in=by_id)
            .order_by("id")
            .values_list("project_id", "name", "role", "phone", "email")
        ):
            people[row[0]].append(tuple(row[1:]))
        for project_id, contacts in people.items():
            by_id[project_id]["contacts"] = tuple(contacts)
        parts = defaultdict(list)
        for part in Participation.objects.filter(project_id__in=by_id).values_list(
            "project_id", "organisation_id", "role", "role_in_source", "amount", "country", "county_id", "nuts3"
        ):
            amount = None if part[4] is None else Decimal(part[4]).quantize(CENT)
            parts[part[0]].append((part[1], part[2], part[3], amount, *part[5:]))
        for project_id, rows in parts.items():
            by_id[project_id]["participations"] = tuple(sorted(rows))
        return current

    def _links(self, prepared, kinds=("counties", "municipalities", "partners", "contacts", "participations")):
        for kind, through, column in LINKS:
            if kind in kinds:
                insert_links(through, "project", column, [(p.pk, o) for p in prepared for o in getattr(p, kind)])
        if "contacts" in kinds:
            self.contacts.insert(
                [
                    {"project_id": p.pk, "name": c[0], "role": c[1], "phone": c[2], "email": c[3]}
                    for p in prepared
                    for c in p.contacts or ()
                ]
            )
        if "participations" in kinds:
            names = ("organisation_id", "role", "role_in_source", "amount", "country", "county_id", "nuts3")
            self.participations.insert(
                [{"project_id": p.pk, **dict(zip(names, row))} for p in prepared for row in p.participations or ()]
            )

    def _update(self, updated):
        columns = [Project._meta.get_field(f).column for f in FIELDS]  # type: ignore[union-attr]  # concrete fields
        sql = (
            f"UPDATE {Project._meta.db_table} SET {', '.join(f'{c} = %s' for c in columns)}, updated_at = %s"
            f" WHERE id = %s"
        )
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.executemany(sql, [[*(_plain(p.row[f]) for f in FIELDS), _plain(now), p.pk] for p in updated])
        for kind, through, _column in LINKS:
            relinked = [p for p in updated if kind in p.changes]
            delete_links(through, "project", [p.pk for p in relinked])
            self._links(relinked, kinds=(kind,))
        relinked = [p for p in updated if "contacts" in p.changes]
        ContactPerson.objects.filter(project_id__in=[p.pk for p in relinked]).delete()
        self._links(relinked, kinds=("contacts",))
        relinked = [p for p in updated if "participations" in p.changes]
        Participation.objects.filter(project_id__in=[p.pk for p in relinked]).delete()
        self._links(relinked, kinds=("participations",))
        self._audit(updated, now)

    def _audit(self, updated, now, action=LogEntry.Action.UPDATE):
        """One auditlog entry per created or updated project, as auditlog itself would write it (a creation
        compactly: its key and name), filed under the project with the import run that made it. Written by
        the fast inserter: through the ORM the entries took half of a large import's time."""
        ct = ContentType.objects.get_for_model(Project)
        actor = self.user.pk if self.user and self.user.pk else None
        extra = {"source": f"import:{self.fmt}", "import_run": self.run_record.pk}
        entries = self.entries.insert(
            [
                {
                    "content_type_id": ct.pk,
                    "object_pk": str(p.pk),
                    "object_id": p.pk,
                    "object_repr": p.row["name"][:200],
                    "action": int(action),
                    "changes": p.changes,
                    "actor_id": actor,
                    "timestamp": now,
                    "additional_data": extra,
                }
                for p in updated
            ]
        )
        self.cases.insert(
            [{"entry_id": e, "content_type_id": ct.pk, "object_pk": str(p.pk)} for e, p in zip(entries, updated)]
        )


def _documented(rows, only):
    """(row number, Record or RowError, index document) of the rows `only` keeps (all when None); a broken
    file (truncated JSON…) ends the rows with one error instead of an exception."""
    try:
        for number, record in rows:
            if not isinstance(record, Record):
                yield number, record, None
            elif not only or only(record):
                yield (
                    number,
                    record,
                    search.document(record.name, record.summary, record.beneficiary, record.location_text),
                )
    except RowError as broken:
        yield "-", broken, None


def _changes(current: dict, p: Prepared) -> dict:
    """{field: [before, after]} as strings, the way auditlog records a change; empty when nothing differs."""
    changes = {}
    for name in FIELDS:
        before, after = current[name], p.row[name]
        if name in MONEY or name == "cofinancing_rate":
            before = None if before is None else Decimal(before)
        if before != after and not (before in (None, "") and after in (None, "")):
            changes[name.removesuffix("_id")] = [_show(before), _show(after)]
    for name, after in [
        ("counties", p.counties),
        ("municipalities", p.municipalities),
        ("partners", p.partners),
        ("contacts", p.contacts),
        ("participations", p.participations),
    ]:
        if after is not None and tuple(current[name]) != tuple(after):
            if name == "contacts":  # personal data: the audit log says that they changed, not what they were
                changes[name] = [_("(kontaktpersoner)"), _("(ändrade kontaktpersoner)")]
            elif name == "participations":
                changes[name] = [_("(deltagande organisationer)"), _("(ändrade deltagande organisationer)")]
            else:
                changes[name] = [_show(current[name]), _show(after)]
    return changes


def _ends(value: str) -> list[str]:
    """The ends of an id after each separator (`SE-ESF-2023/00123` → `ESF-2023/00123`, `2023/00123`, …)."""
    return [
        value[i + 1 :]
        for i, char in enumerate(value)
        if not char.isalnum() and len(value) - i - 1 >= TWIN_SUFFIX_LENGTH
    ]


def _show(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(value)


def import_file(
    fmt: str, path, *, dry_run=False, rejects_path=None, user=None, progress=None, only=None, mapping=None
) -> Result:
    return Importer(fmt, path, rejects_path=rejects_path, user=user, progress=progress, only=only, mapping=mapping).run(
        dry_run=dry_run
    )
