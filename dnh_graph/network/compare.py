"""What changed in the context from one review to another."""

from __future__ import annotations

from typing import Any

from dnh_graph.model import Analysis
from dnh_graph.network.graph import build_graph

_CHANGE_ORDER = {"factor": 0, "actor": 1, "impact": 2, "detail": 3, "relationship": 4, "factor_actor": 5}


def _trend(before: float, after: float) -> str | None:
    if before == after:
        return None
    if before == 0:
        return "appeared"
    if after == 0:
        return "disappeared"
    return "strengthened" if after > before else "weakened"


def compare_reviews(analysis: Analysis, r1: str | None, r2: str | None,
                    pseudonymise: bool = False) -> list[dict[str, Any]]:
    """What changed in the context from review ``r1`` to review ``r2`` (None = now).

    Each change is a dict: ``element`` (factor, actor, impact, or any other node/edge type), ``id``
    (graph id), ``key``, ``label``, ``change`` (appeared, disappeared, strengthened, weakened, changed),
    ``field``, ``before``, ``after``. A factor *appears* when its strength goes from 0 to more and
    *disappears* when it falls to 0; otherwise its contribution (strength × priority) rises or falls.
    An actor's influence rises or falls; a new stance is ``changed``. An impact appears or disappears
    with its ``observed_on`` date. Sorted by element, then the size of the change (largest first).
    """
    before = build_graph(analysis, r1, pseudonymise)
    after = build_graph(analysis, r2, pseudonymise)
    changes = []

    def add(element, ident, data, change, field, old, new):
        changes.append({"element": element, "id": ident, "key": data.get("key", ident),
                        "label": data.get("label", ""), "change": change, "field": field,
                        "before": old, "after": new})

    for node in before.nodes.keys() | after.nodes.keys():
        old, new = before.nodes.get(node), after.nodes.get(node)
        data = new or old
        element = data["node_type"]
        if old is None or new is None:
            add(element, node, data, "appeared" if old is None else "disappeared", "", "", "")
        elif element == "factor":
            change = (_trend(old["strength"], new["strength"])
                      or _trend(old["contribution"], new["contribution"]))
            if change:
                add(element, node, data, change, "contribution", old["contribution"], new["contribution"])
        elif element == "actor":
            change = _trend(old["influence"], new["influence"])
            if change:
                add(element, node, data, change, "influence", old["influence"], new["influence"])
            if old["stance"] != new["stance"]:
                add(element, node, data, "changed", "stance", old["stance"], new["stance"])

    old_edges = {k: d for _, _, k, d in before.edges(keys=True, data=True)}
    new_edges = {k: d for _, _, k, d in after.edges(keys=True, data=True)}
    for key in old_edges.keys() ^ new_edges.keys():
        data = new_edges.get(key) or old_edges[key]
        label = f"{data['detail']} → {data['factor']}" if data["edge_type"] == "impact" else ""
        weight = data.get("impact_weight", "")
        appeared = key in new_edges
        changes.append({"element": data["edge_type"], "id": key, "key": label or key, "label": label,
                        "change": "appeared" if appeared else "disappeared",
                        "field": "impact_weight" if weight != "" else "",
                        "before": "" if appeared else weight, "after": weight if appeared else ""})

    def size(c):
        numbers = [v for v in (c["before"], c["after"]) if isinstance(v, (int, float))]
        return -(abs(numbers[-1] - numbers[0]) if len(numbers) == 2 else max(numbers, default=0))

    changes.sort(key=lambda c: (_CHANGE_ORDER.get(c["element"], 9), size(c), str(c["key"]), c["field"]))
    return changes
