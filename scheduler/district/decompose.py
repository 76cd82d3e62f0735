"""Which schools must be solved together: the graph of schools joined by shared providers.

Two schools are joined when one provider could staff sections at both (vetted, serving
both, with a skill an activity of each needs), or when visits of both go to one venue on
one date (they share its capacity, SPEC §8.4). Schools of different connected components
never compete for anything, so they are independent problems (SPEC §7).
"""

from __future__ import annotations

import networkx as nx

from models.district import District, Provider, School


def could_staff(district: District, provider: Provider, school: School) -> bool:
    """The provider may lead some activity of the school (its skills, its schools)."""
    if not provider.vetted(district.term.end) or not provider.serves_school(school.id):
        return False
    return any(a.skill in provider.skills for a in school.activities)


def sharing_graph(district: District) -> nx.Graph:
    """Schools as nodes; an edge for each pair a provider could staff, naming the providers."""
    graph = nx.Graph()
    graph.add_nodes_from(s.id for s in district.schools)
    for provider in district.providers:
        served = [s.id for s in district.schools if could_staff(district, provider, s)]
        for i, a in enumerate(served):
            for b in served[i + 1:]:
                if graph.has_edge(a, b):
                    graph.edges[a, b]["providers"].append(provider.id)
                else:
                    graph.add_edge(a, b, providers=[provider.id])
    _shared_venues(district, graph)
    return graph


def _shared_venues(district: District, graph: nx.Graph) -> None:
    """Join schools whose visits go to one venue on one date (an edge with no provider)."""
    trips: dict[tuple[str, object], list[str]] = {}
    for school in district.schools:
        for activity in school.activities:
            if activity.is_visit and activity.venue:
                for date in activity.dates:
                    trips.setdefault((activity.venue, date), []).append(school.id)
    for schools in trips.values():
        for i, a in enumerate(schools):
            for b in schools[i + 1:]:
                if a != b and not graph.has_edge(a, b):
                    graph.add_edge(a, b, providers=[])


def components(district: District) -> list[list[str]]:
    """Groups of schools that share providers, in file order (largest school count first)."""
    order = {s.id: i for i, s in enumerate(district.schools)}
    parts = [sorted(c, key=order.__getitem__) for c in nx.connected_components(
        sharing_graph(district))]
    return sorted(parts, key=lambda c: (-len(c), order[c[0]]))


def rounds(district: District, schools: list[str]) -> list[list[str]]:
    """Schools in rounds such that no two in one round share a provider: a round can be
    solved side by side, each school around what earlier rounds reserved."""
    graph = sharing_graph(district).subgraph(schools)
    colour = nx.greedy_color(graph, strategy="largest_first")
    order = {s: i for i, s in enumerate(schools)}
    by_colour: dict[int, list[str]] = {}
    for school, c in colour.items():
        by_colour.setdefault(c, []).append(school)
    return [sorted(by_colour[c], key=order.__getitem__) for c in sorted(by_colour)]


def part(district: District, schools: list[str]) -> District:
    """The district with only these schools (providers, term, policy and travel kept)."""
    wanted = set(schools)
    return district.model_copy(update={"schools": [s for s in district.schools
                                                   if s.id in wanted]})
