"""Public API for mobilisation: public ideas with their matches, and current partner-search notices.

Only what the public pages show: no contact addresses, no interested users, no attendees.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from samhandling.core.api import NOT_FOUND, BoundedPages, Id, Money, Text

from .matching import match_idea
from .models import ProjectIdea
from .selectors import current_notices, filter_ideas

router = Router(tags=["Mobilisering"])


class IdeaOut(Schema):
    id: int
    title: str
    description: str
    organisation: str
    themes: list[str]
    target_groups: str
    counties: list[str]
    budget_min: Money | None
    budget_max: Money | None
    partner_sectors: list[str]
    partner_countries: list[str]
    seeks_transnational: bool

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_themes(obj):
        return [t.name for t in obj.themes.all()]

    @staticmethod
    def resolve_counties(obj):
        return [c.code for c in obj.counties.all()]


class CallMatchOut(Schema):
    call: str
    title: str
    score: float
    words: list[str]
    themes: list[str]


class ProjectMatchOut(Schema):
    id: int
    name: str
    country: str
    score: float
    words: list[str]


class PartnerOut(Schema):
    organisation: str
    sector: str
    country: str
    wishes: list[str]
    evidence: list[int]


class MatchesOut(Schema):
    calls: list[CallMatchOut]
    projects: list[ProjectMatchOut]
    partners: list[PartnerOut]


class NoticeOut(Schema):
    id: int
    title: str
    description: str
    organisation: str
    theme: str
    country: str
    role_sought: str
    deadline: date

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_theme(obj):
        return obj.theme.name


def _public_ideas():
    return (
        ProjectIdea.objects.filter(is_public=True).select_related("organisation").prefetch_related("themes", "counties")
    )


@router.get("/ideas", response=list[IdeaOut], summary="Publika projektidéer")
@paginate(BoundedPages, page_size=50)
def ideas(request, q: Text = "", transnational: bool = False):
    return filter_ideas(_public_ideas(), q=q[:200], transnational=transnational).order_by("-created_at", "-id")


@router.get(
    "/ideas/{idea_id}/matches",
    response={200: MatchesOut, **NOT_FOUND},
    summary="Utlysningar, projekt och parter för en publik idé",
)
def idea_matches(request, idea_id: Id):
    m = match_idea(get_object_or_404(_public_ideas(), pk=idea_id))
    return {
        "calls": [
            {
                "call": str(c.call),
                "title": c.call.title,
                "score": round(c.score, 4),
                "words": c.words,
                "themes": c.themes,
            }
            for c in m.calls
        ],
        "projects": [
            {
                "id": p.project.pk,
                "name": p.project.name,
                "country": p.project.country,
                "score": round(p.score, 4),
                "words": p.words,
            }
            for p in m.projects
        ],
        "partners": [
            {
                "organisation": s.organisation.name,
                "sector": s.organisation.sector,
                "country": s.organisation.country,
                "wishes": s.wishes,
                "evidence": [p.pk for p in s.evidence],
            }
            for s in m.partners
        ],
    }


@router.get("/partner-notices", response=list[NoticeOut], summary="Aktuella partnersökningar")
@paginate(BoundedPages, page_size=50)
def partner_notices(request, theme: Id | None = None, country: Text = ""):
    return current_notices(theme=theme, country=country.upper()[:2]).order_by("deadline", "id")
