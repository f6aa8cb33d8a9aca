"""The collaboration network: organisations as nodes, shared projects as edges (applicant and partners).

One network per partnership, of the granted projects its portfolio counts (selectors.in_partnership), built
by a background task per data version."""

import io
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

import networkx as nx

from django.db import transaction

from samhandling.core import cells
from samhandling.partnership import scope
from samhandling.partnership.models import Partnership
from samhandling.projects.models import Organisation, Project

from .models import NetworkBuild, NetworkOrganisation
from .selectors import in_partnership


class Org(NamedTuple):
    pk: int
    name: str
    sector: str
    sector_display: str


def project_members(projects) -> dict[int, dict]:
    """Per project: its organisations (applicant first), their sectors, and its counties.

    Read as plain rows in four queries, not as model instances: this runs over the whole granted portfolio.
    """
    rows = list(projects.values_list("pk", "name", "applicant_id"))
    ids = [pk for pk, _name, _applicant in rows]
    partners, counties = defaultdict(list), defaultdict(set)
    for chunk in _chunks(ids):
        for project_id, org_id in Project.partners.through.objects.filter(project_id__in=chunk).values_list(
            "project_id", "organisation_id"
        ):
            partners[project_id].append(org_id)
        for project_id, name in Project.counties.through.objects.filter(project_id__in=chunk).values_list(
            "project_id", "county__name"
        ):
            counties[project_id].add(name)
    wanted = {a for _pk, _name, a in rows if a} | {o for orgs in partners.values() for o in orgs}
    sectors = dict(Organisation.Sector.choices)
    orgs = {}
    for chunk in _chunks(sorted(wanted)):
        for pk, name, sector in Organisation.objects.filter(pk__in=chunk).values_list("pk", "name", "sector"):
            orgs[pk] = Org(pk, name, sector, str(sectors.get(sector, sector)))
    result = {}
    for pk, name, applicant in rows:
        members = [orgs[applicant]] if applicant else []
        members += [orgs[o] for o in sorted(set(partners[pk])) if o != applicant]
        result[pk] = {"name": name, "orgs": members, "counties": counties[pk]}
    return result


def _chunks(ids, size=5000):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def build_graph(projects, members=None) -> nx.Graph:
    graph = nx.Graph()
    for pk, info in (members if members is not None else project_members(projects)).items():
        for org in info["orgs"]:
            if org.pk not in graph:
                graph.add_node(org.pk, name=org.name, sector=org.sector_display, projects=set(), counties=set())
            graph.nodes[org.pk]["projects"].add(pk)
            graph.nodes[org.pk]["counties"] |= info["counties"]
        for a, b in combinations(sorted({o.pk for o in info["orgs"]}), 2):
            if graph.has_edge(a, b):
                graph[a][b]["projects"].append(info["name"])
            else:
                graph.add_edge(a, b, projects=[info["name"]])
    for _a, _b, data in graph.edges(data=True):
        data["weight"] = len(data["projects"])
    return graph


BETWEENNESS_SAMPLE = 300


@dataclass
class OrganisationMeasures:
    pk: int
    name: str
    sector: str
    projects: int
    partners: int
    sectors_spanned: int
    counties_spanned: int
    degree_centrality: float
    betweenness: float


def measures(graph: nx.Graph) -> list[OrganisationMeasures]:
    """Per organisation: projects, partners, sectors (own and partners') and counties spanned, centrality."""
    degree = nx.degree_centrality(graph) if len(graph) > 1 else dict.fromkeys(graph, 0.0)
    # Exact betweenness is O(nodes × edges): minutes for a large portfolio. Above BETWEENNESS_SAMPLE nodes it
    # is estimated from that many sampled sources (fixed seed, so the same data gives the same figures).
    sample = BETWEENNESS_SAMPLE if len(graph) > BETWEENNESS_SAMPLE else None
    betweenness = nx.betweenness_centrality(graph, k=sample, seed=0) if len(graph) > 2 else dict.fromkeys(graph, 0.0)
    out = []
    for pk, data in graph.nodes(data=True):
        sectors = {data["sector"]} | {graph.nodes[n]["sector"] for n in graph.neighbors(pk)}
        out.append(
            OrganisationMeasures(
                pk,
                data["name"],
                data["sector"],
                len(data["projects"]),
                graph.degree(pk),
                len(sectors),
                len(data["counties"]),
                round(degree[pk], 4),
                round(betweenness[pk], 4),
            )
        )
    return sorted(out, key=lambda m: (-m.degree_centrality, -m.projects, m.name))


def portfolio_shares(projects, members=None) -> dict:
    """Shares (0–100) of projects whose organisations span several sectors, and that span several counties."""
    members = members if members is not None else project_members(projects)
    n = len(members)
    cross = sum(1 for info in members.values() if len({o.sector for o in info["orgs"]}) > 1)
    multi = sum(1 for info in members.values() if len(info["counties"]) > 1)
    return {
        "projects": n,
        "cross_sector": cross,
        "multi_county": multi,
        "cross_sector_share": round(cross / n * 100, 1) if n else 0.0,
        "multi_county_share": round(multi / n * 100, 1) if n else 0.0,
    }


def edges_csv(graph: nx.Graph) -> str:
    out = io.StringIO()
    writer = cells.writer(out)
    writer.writerow(["organisation_a", "organisation_b", "shared_projects", "projects"])
    rows = sorted(
        (
            (graph.nodes[a]["name"], graph.nodes[b]["name"], d["weight"], "; ".join(sorted(d["projects"])))
            for a, b, d in graph.edges(data=True)
        ),
        key=lambda r: (-r[2], r[0], r[1]),
    )
    for a, b, w, names in rows:
        first, second = sorted((a, b))
        writer.writerow([first, second, w, names])
    return out.getvalue()


def data_version() -> int:
    """The project bank's data version, which every project write changes (projectbank.services.bump_version)."""
    from samhandling.projectbank.models import IndexState

    return IndexState.objects.filter(pk=1).values_list("version", flat=True).first() or 0


@dataclass
class Current:
    """What the public network pages show: the newest ready build (None before the first), and whether
    the data has changed since it was computed (a build of the new version is then queued or running)."""

    build: NetworkBuild | None
    outdated: bool


def current() -> Current:
    """The newest ready build of the current partnership's portfolio, queuing the build of the current data
    version if none is queued yet: no request computes the network, so no number of anonymous clients can
    stall the site with it."""
    from . import tasks

    partnership = scope.current()
    partnership_id = partnership.pk if partnership is not None else None
    return Current(*NetworkBuild.current(data_version(), tasks.build_network, partnership_id=partnership_id))


def build(version: int, partnership_id: int | None = None) -> NetworkBuild | None:
    """Computes the network of a partnership's granted portfolio (the current one when none is named) and
    stores it as the build of `version` (the task's body). Skipped (None) when the data has moved on
    meanwhile (that version's own build is queued) or the partnership is gone."""
    partnership = Partnership.objects.filter(pk=partnership_id).first() if partnership_id else scope.current()
    if partnership_id and partnership is None:
        return None  # the partnership is gone, and its builds with it
    key = {"version": version, "partnership": partnership}
    if data_version() != version:
        NetworkBuild.objects.filter(**key).exclude(state=NetworkBuild.State.READY).delete()
        return None
    started = time.perf_counter()
    projects = Project.objects.granted()
    if partnership is not None:
        with scope.within(partnership):
            projects = in_partnership(projects)
    members = project_members(projects)
    graph = build_graph(None, members)
    found = measures(graph)
    shares = portfolio_shares(None, members)
    text = edges_csv(graph)
    with transaction.atomic():
        target, _created = NetworkBuild.objects.select_for_update().get_or_create(**key)
        target.organisations.all().delete()
        NetworkOrganisation.objects.bulk_create(
            (_row(target, rank, m, graph) for rank, m in enumerate(found, 1)), batch_size=2000
        )
        target.nodes, target.edges, target.shares, target.csv = len(graph), graph.number_of_edges(), shares, text
        target.mark_ready(started)  # the pages switch to it, and older builds go, in this commit
    return target


def _row(target, rank: int, m: OrganisationMeasures, graph: nx.Graph) -> NetworkOrganisation:
    partners = sorted(
        (
            {
                "pk": n,
                "name": graph.nodes[n]["name"],
                "sector": graph.nodes[n]["sector"],
                "projects": graph[m.pk][n]["projects"],
            }
            for n in graph.neighbors(m.pk)
        ),
        key=lambda p: p["name"],
    )
    return NetworkOrganisation(
        build=target,
        rank=rank,
        organisation_id=m.pk,
        name=m.name,
        sector=m.sector,
        projects=m.projects,
        partners=m.partners,
        sectors_spanned=m.sectors_spanned,
        counties_spanned=m.counties_spanned,
        degree_centrality=m.degree_centrality,
        betweenness=m.betweenness,
        counties=sorted(graph.nodes[m.pk]["counties"]),
        partner_list=partners,
    )
