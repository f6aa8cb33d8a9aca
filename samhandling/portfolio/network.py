"""The collaboration network: organisations as nodes, shared projects as edges (applicant and partners)."""

import io
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from samhandling.core import cells
from samhandling.projects.models import Project


def project_members(projects) -> dict[int, dict]:
    """Per project: its organisations (applicant first), their sectors, and its counties."""
    projects = projects.select_related("applicant").prefetch_related("partners", "counties")
    result = {}
    for p in projects:
        orgs = ([p.applicant] if p.applicant else []) + [o for o in p.partners.all() if o.pk != p.applicant_id]
        result[p.pk] = {"name": p.name, "orgs": orgs, "counties": {c.name for c in p.counties.all()}}
    return result


def build_graph(projects) -> nx.Graph:
    graph = nx.Graph()
    for pk, info in project_members(projects).items():
        for org in info["orgs"]:
            if org.pk not in graph:
                graph.add_node(org.pk, name=org.name, sector=org.get_sector_display(), projects=set(), counties=set())
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
    betweenness = nx.betweenness_centrality(graph) if len(graph) > 2 else dict.fromkeys(graph, 0.0)
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


def portfolio_shares(projects) -> dict:
    """Shares (0–100) of projects whose organisations span several sectors, and that span several counties."""
    members = project_members(projects)
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
