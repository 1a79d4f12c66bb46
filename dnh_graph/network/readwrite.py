"""The graph as files: GEXF (Gephi), GraphML, and actor metrics as CSV. Spreadsheet escaping lives here only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from dnh_graph.io.cells import neutralise

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain(value: Any) -> str | int | float | bool:
    """A value GEXF and GraphML can hold: None -> '', lists -> ';'-joined, dates -> ISO text."""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return "" if math.isnan(value) else value
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ";".join(str(v) for v in value)
    return _XML_UNSAFE.sub("", str(value))


def export_ready(graph: nx.Graph) -> nx.Graph:
    """A copy whose every attribute GEXF and GraphML can hold (the graph from build_graph already is,
    but for characters XML 1.0 forbids, which are dropped)."""
    out = graph.__class__()
    out.graph.update({k: _plain(v) for k, v in graph.graph.items()})
    out.add_nodes_from((n, {k: _plain(v) for k, v in d.items()}) for n, d in graph.nodes(data=True))
    if graph.is_multigraph():
        out.add_edges_from((u, v, k, {**{a: _plain(b) for a, b in d.items()}, "id": d.get("id", str(k))})
                           for u, v, k, d in graph.edges(keys=True, data=True))
    else:
        out.add_edges_from((u, v, {a: _plain(b) for a, b in d.items()}) for u, v, d in graph.edges(data=True))
    return out


def to_gexf(graph: nx.Graph, path: str | Path, *,
            positions: Mapping[str, tuple[float, float]] | None = None) -> Path:
    """Write GEXF 1.2 for Gephi. With ``positions``, nodes also carry a ``viz`` position, and the colour,
    size and shape the Network screen gives them (:func:`dnh_graph.render.styles.gexf_viz`).

    Graph-level attributes (analysis, review) are not part of GEXF and are left out.
    """
    from networkx.readwrite.gexf import GEXFWriter

    from dnh_graph.render.styles import gexf_viz  # the Network screen's symbols, for Gephi

    out = export_ready(graph)
    if positions:
        for node, (x, y) in positions.items():
            if node in out:
                out.nodes[node]["viz"] = {"position": {"x": float(x), "y": float(-y), "z": 0.0},
                                          **gexf_viz(out.nodes[node])}
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(out)
    # networkx writes a node attribute called "key" as "networkx_key" (its name for a multigraph
    # edge key) and reads it back under that name; our nodes' key is the DNH key, so name it so.
    for attributes in writer.xml.iter("attributes"):
        if attributes.get("class") == "node":
            for attribute in attributes:
                if attribute.get("title") == "networkx_key":
                    attribute.set("title", "key")
    with open(path, "wb") as fh:
        writer.write(fh)
    return Path(path)


def to_graphml(graph: nx.Graph, path: str | Path) -> Path:
    """Write GraphML with every node, edge and graph attribute, typed (string, int, double, boolean)."""
    nx.write_graphml(export_ready(graph), path)
    return Path(path)


def metrics_csv(rows: list[dict[str, Any]], review: str | None) -> bytes:
    """Actor metrics as CSV for a spreadsheet: UTF-8 with BOM (Excel), formula-like text neutralised
    (README.md#privacy), one ``review`` column first ("now" when none).
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    columns = [c for c in rows[0] if c != "node"] if rows else []
    writer.writerow(["review", *columns])
    for row in rows:
        cells = [review or "now", *(row[c] for c in columns)]
        writer.writerow([neutralise(c) if isinstance(c, str) else c for c in cells])
    return buffer.getvalue().encode("utf-8-sig")
