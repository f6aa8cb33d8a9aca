"""Matching an idea to open and upcoming calls, similar granted projects and partner organisations.

Projects are scored by the public search's own in-memory text index (`projectbank.facetindex`): the idea's
stems, any of them, ranked by BM25 as a share of the best score they could give. So matching sees every
write as the search does, through the one change hook, with no index of its own to keep in step. Calls are
scored the same way, with the project bank's statistics (a handful of calls is no corpus to weigh words by).
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.calls.models import Call, CallObjective
from samhandling.portfolio.models import SmartSpecialisationArea, Theme
from samhandling.portfolio.textanalysis import tokens, variants, words
from samhandling.projectbank import facetindex, search, textindex
from samhandling.projects.models import Organisation, Project

from .models import ProjectIdea

# Per-objective texts of a call (focus areas, types of intervention) where the calls app stores them.
OBJECTIVE_TEXT_FIELDS = ("focus_areas", "intervention_types")
MATCHING_CALL_STATUSES = (Call.Status.APPROVED, Call.Status.OPEN)


def search_projects(text: str, limit: int = 20) -> list[tuple[int, float]]:
    """(project id, likeness from 0 to 1) of the public projects most like a text, best first."""
    return facetindex.current().most_like(text, limit)


def _bank_text() -> textindex.TextIndex | None:
    """The project bank's loaded text index (under a delta, the one whose statistics the delta scores with):
    its statistics weigh the words of calls and the reasons shown for a match."""
    index = facetindex.current()
    index.text_ready.wait()
    return getattr(index.text, "base", index.text)


def shared_words(query_text: str, doc_tokens: set[str], weight=None, limit: int = 8) -> list[str]:
    """The query's words found (in any inflection) in a document: the reasons shown for a match, the rarest
    in the project bank first (`weight`: a stem's weight, None when unknown)."""
    found: dict[str, float] = {}
    seen: set[str] = set()
    for word in words(query_text):
        stems = variants(word)
        if seen.isdisjoint(stems) and any(s in doc_tokens for s in stems):
            seen.update(stems)
            weights = [w for s in stems if weight and (w := weight(s)) is not None]
            found[word] = max(weights, default=0.0)
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
    base = _bank_text()
    rows = [(pk, *search.document(calls[pk].title, text)[:2]) for pk, text in texts.items()]
    pks = np.array(list(texts), dtype=np.int64)
    corpus = textindex.build([rows], pks, base=base)
    positions, scores = textindex.likeness(corpus, query)
    weight = base.idf if base is not None else None
    matches = []
    for at in np.lexsort((positions, -scores)):
        pk = int(pks[positions[at]])
        doc = set(tokens(texts[pk]))
        shared_themes = sorted({t.name for t in detected_themes(doc, themes)})
        matches.append(CallMatch(calls[pk], float(scores[at]), shared_words(query, doc, weight), shared_themes))
    return matches


def match_projects(query: str, limit: int) -> list[ProjectMatch]:
    hits = search_projects(query, limit)
    projects = Project.objects.granted().select_related("applicant", "fund").in_bulk([pk for pk, _ in hits])
    bank = _bank_text()
    weight = bank.idf if bank is not None else None
    matches = []
    for pk, score in hits:
        if pk in projects:  # public when the index was read, and still so
            project = projects[pk]
            doc = set(tokens("\n".join(filter(None, (project.name, project.summary)))))
            matches.append(ProjectMatch(project, score, shared_words(query, doc, weight, limit=6)))
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
