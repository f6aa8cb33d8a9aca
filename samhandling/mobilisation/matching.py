"""Matching an idea to open and upcoming calls, similar granted projects and partner organisations.

Projects are scored through the persisted inverted index (`index.py`), kept in step with the database: a
project written after the index was built is in the project bank's change log (`projectbank.changes`, the
one hook every project write calls); such projects are scored live and their stale rows ignored. Past
REBUILD_AFTER of them a background task rebuilds the index (`projectbank.tasks`); with no index on disk, or
if that task has not run yet, it is rebuilt here (`samhandling matchindex` does it on demand).
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.calls.models import Call, CallObjective
from samhandling.portfolio.models import SmartSpecialisationArea, Theme
from samhandling.portfolio.textanalysis import tokens, variants, words
from samhandling.projects.models import Organisation, Project

from samhandling.projectbank import changes

from . import index as idx
from .models import ProjectIdea

PROJECT_TEXT_FIELDS = ("name", "summary", "target_group", "thematic_objective", "priority")
# Per-objective texts of a call (focus areas, types of intervention) where the calls app stores them.
OBJECTIVE_TEXT_FIELDS = ("focus_areas", "intervention_types")
MATCHING_CALL_STATUSES = (Call.Status.APPROVED, Call.Status.OPEN)

_cache: dict = {}


def index_dir() -> Path:
    return Path(getattr(settings, "MOBILISATION_INDEX_DIR", settings.VAR_DIR / "mobilisation"))


def _documents(queryset):
    """(id, text, granted) of every project: all shape the IDF, granted ones can be matched."""
    rows = queryset.order_by("id").values_list("id", "status", *PROJECT_TEXT_FIELDS)
    for row in rows.iterator(chunk_size=5000):
        yield row[0], "\n".join(filter(None, row[2:])), row[1] in Project.GRANTED_STATES


def rebuild_index() -> idx.Index:
    """Indexes every project, noting the change log's position it covers."""
    log_position = changes.position()  # read first: a change logged meanwhile is scored live, maybe twice
    index = idx.build(_documents(Project.objects.all()))
    index.meta.update(built_at=timezone.now().isoformat(), log_position=list(log_position))
    idx.save(index, index_dir())
    _cache.clear()
    return index


def project_index() -> idx.Index:
    """The index on disk, loaded once per process and reloaded when the file changes."""
    path = index_dir() / "projects.npz"
    if not path.exists():
        return rebuild_index()
    key = (str(path), path.stat().st_mtime_ns)
    if _cache.get("key") != key:
        _cache.update(key=key, index=idx.load(path))
    return _cache["index"]


def _changed_ids(index: idx.Index) -> set[int] | None:
    """The projects written since the index was built, or None when there are too many to score live."""
    _last, changed = changes.changed_since(tuple(index.meta.get("log_position", (0, 0))), changes.REBUILD_AFTER)
    return None if changed is None else set(changed)


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(w * b[t] for t, w in a.items() if t in b)


def search_projects(text: str, limit: int = 20) -> list[tuple[int, float]]:
    """(project id, cosine) of the granted projects most like a text, best first."""
    index = project_index()
    changed = _changed_ids(index)
    if changed is None:
        index, changed = rebuild_index(), set()
    hits = index.search(text, limit, exclude_ids=sorted(changed))
    if changed:
        query = index.vector(text)
        live = [
            (pk, _dot(query, index.vector(doc)))
            for pk, doc, granted in _documents(Project.objects.filter(id__in=changed))
            if granted
        ]
        hits = sorted(hits + [h for h in live if h[1] > 0], key=lambda h: (-h[1], h[0]))[:limit]
    return hits


def shared_words(query_text: str, doc_tokens: set[str], weights: idx.Index | None = None, limit: int = 8) -> list[str]:
    """The query's words found (in any inflection) in a document: the reasons shown for a match."""
    found: dict[str, float] = {}
    seen: set[str] = set()
    for word in words(query_text):
        stems = variants(word)
        if seen.isdisjoint(stems) and any(s in doc_tokens for s in stems):
            seen.update(stems)
            known = [weights.vocabulary[s] for s in stems if weights and s in weights.vocabulary]
            found[word] = max((float(weights.idf[col]) for col in known), default=0.0)
    return sorted(found, key=lambda w: -found[w])[:limit]


def _phrase_present(phrase: str, doc_tokens: set[str]) -> bool:
    stems = [variants(w) for w in words(phrase)]
    return bool(stems) and all(any(s in doc_tokens for s in alternatives) for alternatives in stems)


def detected_themes(doc_tokens: set[str], candidates) -> list:
    """Themes or areas one of whose keywords (or name) occurs in the text."""
    return [
        c
        for c in candidates
        if any(_phrase_present(k, doc_tokens) for k in [c.name, *c.keywords.splitlines()] if k.strip())
    ]


@dataclass
class CallMatch:
    call: Call
    score: float
    words: list[str]
    themes: list[str]


@dataclass
class ProjectMatch:
    project: Project
    score: float
    words: list[str]


@dataclass
class PartnerSuggestion:
    organisation: Organisation
    score: float
    evidence: list[Project] = field(default_factory=list)
    wishes: list[str] = field(default_factory=list)


@dataclass
class IdeaMatches:
    calls: list[CallMatch]
    projects: list[ProjectMatch]
    partners: list[PartnerSuggestion]


def call_text(call: Call) -> str:
    parts = [call.title, call.orientation]
    for co in call.call_objectives.all():
        parts += [co.objective.name, *(getattr(co, f, "") for f in OBJECTIVE_TEXT_FIELDS)]
    return "\n".join(filter(None, parts))


def open_and_upcoming_calls(today: date | None = None):
    today = today or timezone.localdate()
    objectives = CallObjective.objects.select_related("objective").order_by("objective__code")
    return (
        Call.objects.filter(status__in=MATCHING_CALL_STATUSES)
        .exclude(closes_on__lt=today)
        .select_related("fund")
        .prefetch_related(Prefetch("call_objectives", queryset=objectives))
    )


def idea_query(idea: ProjectIdea) -> str:
    """The idea's words plus the names of the themes and areas its owner chose."""
    labels = [t.name for t in idea.themes.all()] + [a.name for a in idea.areas.all()]
    return "\n".join([idea.text, *labels])


def _idea_themes(idea: ProjectIdea, query: str) -> list:
    candidates = list(Theme.objects.all()) + list(SmartSpecialisationArea.objects.all())
    chosen = {(type(t), t.pk) for t in [*idea.themes.all(), *idea.areas.all()]}
    found = detected_themes(set(tokens(query)), candidates)
    return [c for c in candidates if (type(c), c.pk) in chosen or c in found]


def match_calls(query: str, themes: list) -> list[CallMatch]:
    calls = {c.pk: c for c in open_and_upcoming_calls()}
    texts = {pk: call_text(c) for pk, c in sorted(calls.items())}
    corpus = idx.build((pk, text, True) for pk, text in texts.items())
    matches = []
    for pk, score in corpus.search(query, limit=len(calls) or 1):
        doc = set(tokens(texts[pk]))
        shared_themes = sorted({t.name for t in detected_themes(doc, themes)})
        matches.append(CallMatch(calls[pk], score, shared_words(query, doc, corpus), shared_themes))
    return matches


def match_projects(query: str, limit: int) -> list[ProjectMatch]:
    hits = search_projects(query, limit)
    projects = Project.objects.select_related("applicant", "fund").in_bulk([pk for pk, _ in hits])
    index = project_index()
    matches = []
    for pk, score in hits:
        if pk in projects:
            project = projects[pk]
            doc = set(tokens("\n".join(filter(None, (getattr(project, f) for f in PROJECT_TEXT_FIELDS)))))
            matches.append(ProjectMatch(project, score, shared_words(query, doc, index, limit=6)))
    return matches


def suggest_partners(idea: ProjectIdea, projects: list[ProjectMatch], limit: int = 12) -> list[PartnerSuggestion]:
    """Organisations that ran or took part in the similar projects, those fitting the idea's wishes first."""
    by_id = {m.project.pk: m for m in projects}
    pairs = list(
        Project.partners.through.objects.filter(project_id__in=by_id).values_list("project_id", "organisation_id")
    )
    pairs += [(m.project.pk, m.project.applicant_id) for m in projects if m.project.applicant_id]
    suggestions: dict[int, PartnerSuggestion] = {}
    organisations = Organisation.objects.in_bulk({org for _, org in pairs})
    for project_id, org_id in pairs:
        if org_id == idea.organisation_id:
            continue
        s = suggestions.setdefault(org_id, PartnerSuggestion(organisations[org_id], 0.0))
        match = by_id[project_id]
        if match.project not in s.evidence:
            s.score += match.score
            s.evidence.append(match.project)
    for s in suggestions.values():
        s.evidence.sort(key=lambda p: -by_id[p.pk].score)
        s.wishes = _wishes(idea, s.organisation)
    ranked = sorted(suggestions.values(), key=lambda s: (-len(s.wishes), -s.score, s.organisation.name))
    return ranked[:limit]


def _wishes(idea: ProjectIdea, organisation: Organisation) -> list[str]:
    wishes = []
    if organisation.sector in idea.partner_sectors:
        wishes.append(_("önskad sektor"))
    if organisation.country in idea.partner_countries:
        wishes.append(_("önskat land"))
    if idea.seeks_transnational and organisation.country != "SE":
        wishes.append(_("transnationell part"))
    return wishes


def match_idea(idea: ProjectIdea, *, project_limit: int = 15, evidence_pool: int = 50) -> IdeaMatches:
    query = idea_query(idea)
    themes = _idea_themes(idea, query)
    pool = match_projects(query, evidence_pool)
    return IdeaMatches(
        calls=match_calls(query, themes),
        projects=pool[:project_limit],
        partners=suggest_partners(idea, pool),
    )


def index_status() -> dict:
    """For the command's report: size of the index and changes waiting for the next rebuild."""
    index = project_index()
    return {
        "projects": index.size,
        "terms": len(index.vocabulary),
        "pending": len(_changed_ids(index) or ()),
        "built_at": index.meta.get("built_at"),
    }
