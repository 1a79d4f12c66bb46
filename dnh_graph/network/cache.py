"""Layouts kept by graph structure, so a rerun or another review of the same structure lays out nothing."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping

import networkx as nx

from dnh_graph.network.layout import compute_layout


def graph_fingerprint(graph: nx.Graph) -> str:
    """A hash of the node ids and edge ends: graphs with the same structure share a layout."""
    h = hashlib.blake2b(digest_size=16)
    h.update("\x1f".join(map(str, graph.nodes)).encode())
    h.update(b"\x1e")
    h.update("\x1f".join(f"{u}\x1d{v}" for u, v in graph.edges()).encode())
    return h.hexdigest()


class LayoutCache:
    """Layouts by graph structure and seed, least recently used first out; safe across threads.

    Keep one in ``st.cache_resource``. Positions hold no names (node ids are generated), so sharing the
    cache between users of one server shares nothing about their analyses beyond a graph's shape.
    """

    def __init__(self, maxsize: int = 32):
        self.maxsize = maxsize
        self._items: OrderedDict[tuple[str, int], dict] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def layout(self, graph: nx.Graph, seed: int = 0, *,
               pinned: Mapping[str, tuple[float, float]] | None = None) -> dict[str, tuple[float, float]]:
        """:func:`compute_layout`, once per structure; ``pinned`` is applied on top of the cached one."""
        key = (graph_fingerprint(graph), seed)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
        if found is None:
            found = compute_layout(graph, seed)
            with self._lock:
                self.misses += 1
                self._items[key] = found
                while len(self._items) > self.maxsize:
                    self._items.popitem(last=False)
        positions = dict(found)
        for node, xy in (pinned or {}).items():
            if node in positions:
                positions[node] = (float(xy[0]), float(xy[1]))
        return positions

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
