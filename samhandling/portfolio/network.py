"""The collaboration network: organisations as nodes, shared projects as edges (applicant and partners)."""

import io
import threading
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

import networkx as nx

from samhandling.core import cells
from samhandling.projects.models import Organisation, Project


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


def granted_network():
    return build_graph(Project.objects.granted())


@dataclass
class Network:
    """Everything the public network pages show, computed once per data version of the granted portfolio."""

    version: int
    graph: nx.Graph
    measures: list
    shares: dict
    csv: str


_latest: Network | None = None
_building = threading.Lock()


def current_network() -> Network:
    """The network of the current data version (the project bank's, which every project write changes).

    Built once per version and server process: the request that finds the data changed builds it, while
    requests arriving meanwhile get the previous version's figures at once instead of queueing behind the
    build (or each starting one of their own, which is what let eight anonymous clients stall the site).
    """
    global _latest
    from samhandling.projectbank.models import IndexState

    version = IndexState.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    latest = _latest
    if latest is not None and latest.version == version:
        return latest
    if not _building.acquire(blocking=latest is None):
        return latest
    try:
        if _latest is None or _latest.version != version:
            members = project_members(Project.objects.granted())
            graph = build_graph(None, members)
            _latest = Network(version, graph, measures(graph), portfolio_shares(None, members), "")
            _latest.csv = edges_csv(graph)
        return _latest
    finally:
        _building.release()
