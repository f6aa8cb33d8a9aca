"""Reads for the public project bank: one search (query, facets, sorting, paging) for the pages and the API.

Only granted, ongoing and completed projects are public (the facet table holds nothing else), and nothing
here reads contact persons, owners or the applicants' criterion texts.
"""

import hashlib
from html import escape
import math
import threading
import time
from collections import Counter
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

import numpy as np
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.db import connections, router
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samhandling.core.text import reason as text_reason
from samhandling.portfolio.textanalysis import query_terms, variants, words
from samhandling.projects.models import Organisation, Project
from samhandling.projects.selectors import public_org_number

from . import facetindex
from .facetindex import AMOUNT_EDGES
from .highlight import highlight, query_stems
from .textindex import MAX_QUERY_WORDS

PAGE_SIZE = 20
MAX_QUERY_CHARS = 500
CACHED_POSITIONS = 50 * PAGE_SIZE  # deeper pages are ordered afresh
CODE_FACETS = (
    "fund",
    "period",
    "region",
    "county",
    "municipality",
    "objective",
    "specific_objective",
    "intervention",
    "sector",
)
FACETS = (
    ("fund", gettext_lazy("Fond")),
    ("period", gettext_lazy("Programperiod")),
    ("region", gettext_lazy("Programområde")),
    ("county", gettext_lazy("Län")),
    ("municipality", gettext_lazy("Kommun")),
    ("objective", gettext_lazy("Specifikt eller tematiskt mål")),
    ("specific_objective", gettext_lazy("Specifikt mål 2021–2027 (förordningens kod)")),
    ("intervention", gettext_lazy("Interventionsområde")),
    ("sector", gettext_lazy("Stödmottagarens sektor")),
    ("start_year", gettext_lazy("Startår")),
    ("amount", gettext_lazy("Beviljat belopp")),
)
BY_CODE = ("fund", "period", "region", "county", "specific_objective", "intervention")  # listed by code, not label
SORTS = (  # "" is the default: relevance when there are words, otherwise the newest first
    ("", gettext_lazy("Relevans")),
    ("amount", gettext_lazy("Belopp, störst först")),
    ("date", gettext_lazy("Startdatum, senast först")),
)


class BadParameter(ValueError):
    """A search parameter that cannot be used; `status` is 400, or 404 for a page beyond the last or a code the
    project bank does not know."""

    def __init__(self, param: str, message: str, status: int = 400):
        super().__init__(f"{param}: {message}")
        self.param, self.message, self.status = param, message, status

    @property
    def label(self) -> str:
        """What the search form calls the parameter: people see the label, API clients the parameter's name."""
        return str(PARAM_LABELS.get(self.param, self.param))


PARAM_LABELS = {
    **dict(FACETS),
    "q": gettext_lazy("Sökord"),
    "amount_min": gettext_lazy("Från (kr)"),
    "amount_max": gettext_lazy("Under (kr)"),
    "sort": gettext_lazy("Sortera efter"),
    "page": gettext_lazy("Sida"),
}


@dataclass(frozen=True)
class SearchParams:
    """Everything a search depends on; its query string is the search's shareable address."""

    q: str = ""
    fund: str = ""
    period: str = ""
    region: str = ""
    county: str = ""
    municipality: str = ""
    objective: str = ""
    specific_objective: str = ""
    intervention: str = ""
    sector: str = ""
    start_year: int | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    sort: str = ""
    page: int = 1

    def query_string(self, **changes) -> str:
        """URL query for this search with some parameters changed; defaults are left out."""
        state = replace(self, **changes)
        pairs = []
        for f in fields(state):
            value = getattr(state, f.name)
            if value in (None, "") or (f.name == "page" and value == 1):
                continue
            pairs.append((f.name, plain_value(value)))
        return urlencode(pairs)

    @property
    def amount_min_text(self) -> str:
        return "" if self.amount_min is None else plain_value(self.amount_min)

    @property
    def amount_max_text(self) -> str:
        return "" if self.amount_max is None else plain_value(self.amount_max)

    @property
    def filtered(self) -> bool:
        return any(
            getattr(self, name) not in (None, "") for name in (*CODE_FACETS, "start_year", "amount_min", "amount_max")
        )


def plain_value(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return str(value)


def _integer(param: str, raw: str, low: int, high: int | None = None) -> int:
    text = raw.strip()
    digits = text[1:] if text[:1] in ("+", "-") else text  # a signed whole number is one, only out of range
    if not digits.isascii() or not digits.isdigit():
        raise BadParameter(param, _("måste vara ett heltal, inte %(value)s") % {"value": repr(raw[:40])})
    value = int(text[:41])
    if value < low or (high is not None and value > high):
        if high is None:
            raise BadParameter(param, _("måste vara minst %(low)s") % {"low": low})
        raise BadParameter(param, _("måste vara mellan %(low)s och %(high)s") % {"low": low, "high": high})
    return value


def _amount(param: str, raw: str) -> Decimal:
    text = raw.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value > Decimal("1e15"):
        raise BadParameter(
            param, _("måste vara ett belopp i kronor (0 eller mer), inte %(value)s") % {"value": repr(raw[:40])}
        )
    return value.quantize(Decimal("0.01"))


FIELD_PARAMS = ("start_year", "amount_min", "amount_max", "sort", "page")  # typed values the form shows again


def parse_params_with_errors(data) -> tuple[SearchParams, dict[str, BadParameter]]:
    """Like `parse_params`, but a bad typed value (an amount, a year, the sort, the page) is left out of the
    search and returned by parameter name, so the form can show the message next to that field."""
    data, errors = {name: data.get(name) for name in data}, dict[str, BadParameter]()
    while True:
        try:
            return parse_params(data), errors
        except BadParameter as exc:
            if exc.param not in FIELD_PARAMS or exc.param in errors:
                raise
            errors[exc.param] = exc
            data.pop(exc.param, None)


def parse_params(data) -> SearchParams:
    """Reads and checks the form of search parameters (a QueryDict or a dict); values are checked in `search`."""

    def get(name):
        value = data.get(name)
        return "" if value is None else str(value)

    values = {name: get(name).strip()[:100] for name in CODE_FACETS}
    values["q"] = get("q")[:MAX_QUERY_CHARS]
    control = text_reason(values["q"], MAX_QUERY_CHARS)  # within its length: only a control character remains
    if control:  # no word has one; the page would show it back inside its HTML
        raise BadParameter("q", control)
    if get("start_year").strip():
        values["start_year"] = _integer("start_year", get("start_year"), 1900, 2100)
    for name in ("amount_min", "amount_max"):
        if get(name).strip():
            values[name] = _amount(name, get(name))
    sort = get("sort").strip()
    choices = ("relevance", *(value for value, _label in SORTS if value))
    if sort and sort not in choices:
        raise BadParameter("sort", _("måste vara något av %(choices)s") % {"choices": ", ".join(choices)})
    values["sort"] = sort
    values["page"] = _integer("page", get("page"), 1) if get("page").strip() else 1
    return SearchParams(**values)


@dataclass
class Option:
    label: str
    count: int
    params: dict
    selected: bool = False
    query: str = ""  # the search's query string with this option chosen


@dataclass
class Facet:
    """A facet: a <select> of `choices` (label, URL parameter, count) in the order it lists them, or, for the
    amount, `links` (Options with their own query strings)."""

    name: str
    label: str
    choices: list[tuple[str, str, int]] = field(default_factory=list)
    selected: str = ""
    links: list[Option] | None = None

    @cached_property
    def options(self) -> list[Option]:
        """Every choice as an Option (the API asks for them; a page's <select> uses `options_html`): building
        some 700 Options took a sixth of a new search's time."""
        if self.links is not None:
            return self.links
        return [Option(text, n, {self.name: param}, param == self.selected) for text, param, n in self.choices]

    @cached_property
    def options_html(self) -> SafeString:
        """The <option>s of the facet's <select>, built once per cached search rather than per page view.

        `format_html` per option took a third of a new search's time (some 500 options a search), and escaping
        each label afresh a tenth: each option's tag is escaped once per process (`_option_tag`)."""
        selected = self.selected
        return mark_safe(
            "".join(
                f"{_option_tag(text, param, param == selected)}{grouped(n)})</option>"
                for text, param, n in self.choices
            )
        )


@lru_cache(maxsize=8192)
def _option_tag(text: str, param: str, selected: bool) -> str:
    """An <option>'s start and label, escaped with the standard library's `html.escape` (the same five
    characters as Django's `escape`), up to its count."""
    return f'<option value="{escape(param)}"{" selected" if selected else ""}>{escape(text)} ('


def grouped(n: int) -> str:
    """A count with Swedish digit grouping (a no-break space between thousands)."""
    return f"{n:,}".replace(",", "\u00a0")


@dataclass(slots=True)
class Hit:
    """A project as a page of hits (and the API) shows it, read as plain values: model instances with their
    fund and applicant cost a new search about a millisecond more to build, and more to keep."""

    pk: int
    name: str
    summary: str
    amount_granted: Decimal | None
    start_date: date | None
    end_date: date | None
    source: str
    fund_code: str
    applicant_id: int | None
    applicant_name: str | None
    county_names: list[str] = field(default_factory=list)
    url: str = ""
    applicant_url: str = ""
    name_html: SafeString | str = ""
    snippet: SafeString | str = ""


def as_hit(project: Project) -> Hit:
    """A project from `public_project`, as a hit shows it (the API's detail gives a hit's fields and more)."""
    return Hit(
        pk=project.pk,
        name=project.name,
        summary=project.summary,
        amount_granted=project.amount_granted,
        start_date=project.start_date,
        end_date=project.end_date,
        source=project.source,
        fund_code=project.fund.code,
        applicant_id=project.applicant_id,
        applicant_name=project.applicant.name if project.applicant else None,
        county_names=getattr(project, "county_names", []),  # set by public_project
    )


_RELATED = {"fund_code": "fund__code", "applicant_name": "applicant__name"}  # Hit field → ORM path
HIT_FIELDS = tuple(  # what the query reads, in Hit's order: its fields without a default (the rest are set per page)
    _RELATED.get(f.name, f.name) for f in fields(Hit) if f.default is MISSING and f.default_factory is MISSING
)


@dataclass
class SearchResult:
    params: SearchParams
    sort: str
    count: int
    page: int
    pages: int
    results: list[Hit]
    facets: list[Facet]
    key: tuple  # identifies the search (not the page view) in the result cache
    index: facetindex.FacetIndex = field(repr=False, compare=False)  # the facet index that answered it

    @property
    def count_text(self) -> str:
        """The heading's "1 234 projekt": a plural, which the results template (Jinja2) takes from here."""
        return ngettext("%(number)s projekt", "%(number)s projekt", self.count) % {"number": intcomma(self.count)}

    @property
    def first_rank(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def previous_query(self) -> str | None:
        return self.params.query_string(page=self.page - 1) if self.page > 1 else None

    @property
    def next_query(self) -> str | None:
        return self.params.query_string(page=self.page + 1) if self.page < self.pages else None

    @property
    def clear_query(self) -> str:
        """The same words and sorting without any facet."""
        return SearchParams(q=self.params.q, sort=self.params.sort).query_string()


def _filters(index, params: SearchParams) -> dict:
    """Parameter values → array values, refusing codes the project bank does not know."""
    filters = {}
    for name in CODE_FACETS:
        raw = getattr(params, name)
        if not raw:
            continue
        value = index.by_param[name].get(raw)
        if value is None:
            # Not Found, not Bad Request: a well-formed filter naming nothing in the bank (fund=ESF+ before any
            # ESF+ project is imported) is a search for something that is not there.
            raise BadParameter(name, _("okänd kod %(value)s") % {"value": repr(raw[:40])}, 404)
        filters[name] = value
    if params.start_year is not None:
        filters["start_year"] = params.start_year
    if params.amount_min is not None or params.amount_max is not None:
        filters["amount"] = tuple(None if v is None else int(v * 100) for v in (params.amount_min, params.amount_max))
    return filters


def search(params: SearchParams) -> SearchResult:
    """Runs a public search: matching projects in order, the requested page, and facet counts."""
    index = facetindex.current()
    filters = _filters(index, params)
    sort = params.sort or ("relevance" if params.q.strip() else "date")
    if sort == "relevance" and not query_stems(params.q):
        sort = "date"
    key = (params.q, tuple(sorted(filters.items())), sort, params.sort, get_language())

    def match():
        return index.match(params.q, filters, ranked=sort == "relevance")

    def compute():
        found = match()
        head = index.order(found, sort, CACHED_POSITIONS)
        return len(found.selected), _facets(index, params, index.counts(found.selected)), head

    count, facets, head = index.cached(key, compute)
    pages = max(1, math.ceil(count / PAGE_SIZE))
    if params.page > pages:
        raise BadParameter("page", _("sidan finns inte: sökningen har %(pages)s sidor") % {"pages": pages}, 404)
    start = (params.page - 1) * PAGE_SIZE
    if start + PAGE_SIZE <= len(head) or count <= len(head):
        positions = head[start : start + PAGE_SIZE]
    else:
        positions = index.order(match(), sort, start + PAGE_SIZE)[start:]
    results = index.cached(
        (*key, params.page),
        lambda: _results({int(index.ids[p]): index.place_names("county", p) for p in positions}, params.q),
    )
    return SearchResult(params, sort, count, params.page, pages, results, facets, (*key, params.page), index)


REMEMBER_SECONDS = 600


SUGGESTIONS = 8
COMPLETIONS = 6  # the commonest stems the last word may begin; each more costs a posting list at a million


def suggest(q: str) -> list[dict]:
    """Search-as-you-type: places whose name begins with the last word typed, then the best projects for the
    words so far with the last one taken as a beginning. Each with its label and where it leads."""
    typed = words(q[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]
    if not typed:
        return []
    index, prefix = facetindex.current(), typed[-1]
    found = [
        {"kind": "place", "label": str(value.label), "url": f"{reverse('projectbank:search')}?{name}={value.param}"}
        for name in ("county", "municipality")
        for value in index.values[name].values()
        if str(value.label).lower().startswith(prefix)
    ][:3]
    if index.text is None or len(prefix) < 2:
        return found
    groups = [
        *query_terms(" ".join(typed[:-1])),
        tuple(index.text.completions(min(prefix, variants(prefix)[0], key=len), COMPLETIONS)),
    ]
    if not groups[-1]:
        return found
    positions, rank = index.text.match(groups, ranked=True)
    assert rank is not None  # asked ranked
    keep = ~np.isin(positions, index.dead) if index.dead is not None and len(index.dead) else slice(None)
    positions, rank = positions[keep], rank[keep]
    best = positions[_lowest(rank, SUGGESTIONS - len(found))]
    ids = [int(index.ids[p]) for p in best]
    names = dict(public_projects().filter(pk__in=ids).values_list("id", "name"))
    return found + [
        {"kind": "project", "label": names[pk], "url": reverse("projectbank:project", args=[pk])}
        for pk in ids
        if pk in names
    ]


def _lowest(rank: np.ndarray, k: int) -> np.ndarray:
    """The places of the k lowest ranks, lowest first: a partition, then a sort of those k only (a full sort
    of every match of a short prefix took most of a suggestion's time at a million projects)."""
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    if len(rank) <= k:
        return np.argsort(rank, kind="stable")
    kth = np.partition(rank, k - 1)[k - 1]
    below = np.flatnonzero(rank < kth)
    top = np.concatenate([below, np.flatnonzero(rank == kth)[: k - len(below)]])  # ties: the first, as stable
    return top[np.lexsort((top, rank[top]))]


def remembered(result: SearchResult, name: str, compute):
    """Something derived from a search result (e.g. its rendered HTML), kept in the shared cache (core.cache)
    under the data version it was read at, so every server process reuses what any of them rendered.

    Also kept in this process (the index's own cache, `FacetIndex.cached`) for as long as the shared cache keeps
    it at most: a popular search's page then costs no read of the shared cache and no unpacking of 57 KB. What a
    key names never changes, since the data version is part of it; the time window bounds how long a process
    serves a page whose rendering the data does not decide (a partnership's new name in its header)."""
    index = result.index
    versions = (index.version, getattr(index, "answering_for", index.version))
    key = "projectbank:" + hashlib.sha256(repr((versions, result.key, name)).encode()).hexdigest()
    return index.cached((key, int(time.time() // REMEMBER_SECONDS)), lambda: _shared(key, compute))


def _shared(key: str, compute):
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, REMEMBER_SECONDS)
    return found


def _results(counties: dict[int, list[str]], q: str) -> list[Hit]:
    """The projects of a page of hits (ids → county names, in order) with highlighted name and snippet."""
    hits = {hit.pk: hit for hit in (Hit(*row) for row in _hit_rows(list(counties)))}
    stems = query_stems(q)
    project_url, organisation_url = _url_maker("projectbank:project"), _url_maker("projectbank:organisation")
    results = []
    for pk, county_names in counties.items():
        hit = hits.get(pk)
        if hit is None:  # deleted or no longer public since the index was loaded
            continue
        hit.county_names = county_names
        hit.url = project_url(pk)
        hit.applicant_url = organisation_url(hit.applicant_id) if hit.applicant_id else ""
        hit.name_html = highlight(hit.name, stems)
        hit.snippet = highlight(hit.summary, stems, snippet=True)
        results.append(hit)
    return results


_hit_queries = threading.local()  # database alias → its compiled query, per thread (as Django's connections)


def _hit_rows(ids: list[int]) -> list[tuple]:
    """HIT_FIELDS of those of up to PAGE_SIZE projects that are public, in no order.

    Public ones only: a large index answers from the previous data version while the next one loads.
    Unordered: the page's order is the index's, and the model's default order made the database sort the
    rows with their summaries (a third of this query's time on SQLite at a million projects). The ORM's query
    is compiled once per thread and database with placeholder ids, which each page's ids then replace:
    building it took half a millisecond of every new search. Its compiler converts the values (dates and
    amounts come back as text on SQLite)."""
    alias = router.db_for_read(Project)
    connection = connections[alias]
    compiled = getattr(_hit_queries, alias, None)
    if compiled is None or compiled[0].connection is not connection:
        placeholders = range(-PAGE_SIZE, 0)  # ids no project has
        query = Project.objects.granted().filter(pk__in=placeholders).order_by().values_list(*HIT_FIELDS).query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = [i for i, value in enumerate(params) if type(value) is int and value in placeholders]
        compiled = compiler, sql, params, slots
        setattr(_hit_queries, alias, compiled)
    compiler, sql, params, slots = compiled
    params = list(params)
    for slot, pk in zip(slots, [*ids, *[-1] * (len(slots) - len(ids))], strict=True):  # more ids: an error
        params[slot] = pk
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(compiler.results_iter([cursor.fetchall()], tuple_expected=True))


_URL_SENTINEL = 987654321987


def _url_maker(name: str):
    """A maker of the URL `name` takes one id for, reversed once per page: under the profiler, `{% url %}` twice
    per hit was a tenth of a new search's time."""
    head, tail = reverse(name, args=[_URL_SENTINEL]).split(str(_URL_SENTINEL))
    return lambda pk: f"{head}{int(pk)}{tail}"


def _facets(index, params: SearchParams, counts: dict) -> list[Facet]:
    out = []
    for name, label in FACETS:
        if name == "amount":
            out.append(Facet(name, str(label), links=_amount_options(params, counts["amount"])))
            continue
        if name == "start_year":
            selected = "" if params.start_year is None else str(params.start_year)
            years = counts[name] if params.start_year is None else {params.start_year: 0, **counts[name]}
            choices = [(str(year), str(year), n) for year, n in sorted(years.items(), reverse=True)]
        else:
            selected, found = getattr(params, name) or "", counts[name]
            if selected:  # a chosen value stays visible (and chosen) even when nothing matches any more
                found = {index.by_param[name][selected]: 0, **found}
            labels = index.label_texts(name, by_param=name in BY_CODE)
            choices = [(text, param, found[v]) for v, (text, param) in labels.items() if v in found]
            if selected and index.by_param[name][selected] == -1:  # a known value no public project has
                objective = name == "objective"
                text = index.objective_labels.get(selected, selected) if objective else _sector_label(selected)
                choices = sorted([*choices, (text, selected, 0)], key=facetindex.label_order(name in BY_CODE))
        out.append(Facet(name, str(label), choices, selected))
    return out


def _sector_label(key: str) -> str:
    return str(Organisation.Sector(key).label) if key in Organisation.Sector.values else key


def _amount_options(params: SearchParams, counts: dict) -> list[Option]:
    options = []
    for bucket, low in enumerate(AMOUNT_EDGES, start=1):
        high = AMOUNT_EDGES[bucket] if bucket < len(AMOUNT_EDGES) else None
        if high is None:
            label = _("%(low)s mnkr eller mer") % {"low": low // 1_000_000}
        elif low == 0:
            label = _("under %(high)s mnkr") % {"high": high // 1_000_000}
        else:
            label = _("%(low)s–%(high)s mnkr") % {"low": low // 1_000_000, "high": high // 1_000_000}
        wanted = {"amount_min": Decimal(low), "amount_max": None if high is None else Decimal(high)}
        selected = params.amount_min == low and params.amount_max == high
        if counts.get(bucket) or selected:
            options.append(
                Option(label, counts.get(bucket, 0), wanted, selected, params.query_string(page=1, **wanted))
            )
    return options


# Single projects and organisations ---------------------------------------------------------------------


def public_projects():
    return Project.objects.granted()


MAX_ID = 2**63 - 1  # larger ids cannot exist, and would overflow the database's integer


def public_project(pk: int) -> Project:
    if not 0 < pk <= MAX_ID:
        raise Http404(_("Projektet finns inte i projektbanken."))
    project = (
        public_projects()
        .filter(pk=pk)
        .select_related(
            "fund", "period", "programme_region", "objective__fund", "objective__regulation_objective", "applicant"
        )
        .select_related("intervention_field")
        .prefetch_related("partners", "counties", "municipalities")
        .first()
    )
    if project is None:
        raise Http404(_("Projektet finns inte i projektbanken."))
    project.county_names = [c.name for c in project.counties.all()]  # as on a search hit
    return project


@dataclass
class OrganisationPage:
    organisation: Organisation
    projects: list
    project_count: int
    partners: list  # (organisation, shared public projects), most shared first

    @property
    def org_number(self) -> str | None:
        return public_org_number(self.organisation.org_number)


ORGANISATION_PROJECTS = 100


def public_organisation(pk: int) -> OrganisationPage:
    """An organisation with its public projects (as applicant or partner) and the organisations it works with.

    An organisation without any public project is not shown: it would only be known from applications.
    """
    organisation = Organisation.objects.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if organisation is None:
        raise Http404(_("Organisationen finns inte i projektbanken."))
    as_partner = Project.partners.through.objects.filter(organisation_id=pk).values_list("project_id", flat=True)
    ids = set(organisation.projects_as_applicant.values_list("id", flat=True)) | set(as_partner)
    projects = public_projects().filter(pk__in=ids)
    count = projects.count()
    if not count:
        raise Http404(_("Organisationen finns inte i projektbanken."))
    public_ids = list(projects.values_list("id", flat=True))
    return OrganisationPage(
        organisation,
        list(projects.select_related("fund").order_by("-start_date", "-id")[:ORGANISATION_PROJECTS]),
        count,
        _partners(pk, public_ids),
    )


def _partners(pk: int, project_ids: list[int], limit: int = 200) -> list[tuple[Organisation, int]]:
    """The other organisations on these projects (applicants and partners), by number of shared projects."""
    members: dict[int, set[int]] = {}
    for project_id, applicant_id in Project.objects.filter(pk__in=project_ids).values_list("id", "applicant_id"):
        members[project_id] = {applicant_id} if applicant_id else set()
    through = Project.partners.through.objects.filter(project_id__in=project_ids)
    for project_id, organisation_id in through.values_list("project_id", "organisation_id"):
        members[project_id].add(organisation_id)
    shared = Counter(org for orgs in members.values() for org in orgs if org != pk)
    organisations = Organisation.objects.in_bulk(list(shared))
    ranked = sorted(shared.items(), key=lambda item: (-item[1], organisations[item[0]].name))
    return [(organisations[org], n) for org, n in ranked[:limit]]
