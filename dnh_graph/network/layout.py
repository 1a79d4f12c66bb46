"""Node positions: seeded force layout per connected part, packed and fitted to a projector's screen."""

from __future__ import annotations

import hashlib
import math
import random
import threading
from collections.abc import Mapping

import networkx as nx

_IGRAPH_LOCK = threading.Lock()  # igraph's random generator is process-wide
EDGE_LENGTH = 110.0  # median edge length of a computed layout, in vis-network pixels
NEAREST = 70.0  # median distance from a node to its nearest neighbour in a part, at least (pixels)
# The screen a layout is made for (a projector at 1280×800): a small picture is spread to fill it, a
# large one is packed to its proportions. FIT_* is the view the page opens with (fit_view, network.js).
SCREEN = (1280.0, 800.0)
FIT_MARGIN = 40.0  # screen pixels kept free around the picture (node sizes, labels)
FIT_MAX_SCALE = 1.0  # the page never opens zoomed in: node sizes stay as drawn
CROWDED = 16.0  # screen pixels: a first view whose nodes are closer than this is evened out
STRETCH = 8.0  # at most this much taller (or wider) to fill the screen
_NN_SAMPLE = 400  # nodes whose nearest neighbour is measured (all of a smaller part)


def _median_nearest(xy) -> float:
    """Median distance from a node (a seeded-stride sample of them) to its nearest other node."""
    import numpy as np

    n = len(xy)
    if n < 2:
        return 0.0
    sample = xy[:: max(1, n // _NN_SAMPLE)]
    # |a - b|² = |a|² + |b|² - 2 a·b: one matrix product instead of a (sample × n × 2) array
    d2 = (sample**2).sum(axis=1)[:, None] + (xy**2).sum(axis=1)[None, :] - 2.0 * sample @ xy.T
    scale = max(float(np.abs(xy).max()), 1.0) ** 2
    d2[d2 <= 1e-9 * scale] = np.inf  # the node itself (and any node on the very same spot, which FR never gives)
    nearest = np.sqrt(d2.min(axis=1))
    nearest = nearest[np.isfinite(nearest)]
    return float(np.median(nearest)) if len(nearest) else 0.0


def _upright(xy):
    """Turned so that its longest direction is horizontal (a part packs better, reads left to right)."""
    import numpy as np

    centred = xy - xy.mean(axis=0)
    if len(xy) < 2 or not centred.any():
        return centred
    _, vectors = np.linalg.eigh(centred.T @ centred)
    main = vectors[:, -1]
    angle = math.atan2(main[1], main[0])
    c, s = math.cos(-angle), math.sin(-angle)
    return centred @ np.array([[c, s], [-s, c]])


def _part_layout(g, part: list[int], real: int, grid: bool):
    """One connected part laid out by Fruchterman–Reingold and scaled to its edges and its crowding.

    The scale takes the larger of "median edge EDGE_LENGTH" and "median nearest neighbour NEAREST";
    both are medians of lengths, never areas: a part laid out on a line has no area, and dividing by it
    sent a node millions of pixels away (issue 11).
    """
    import numpy as np

    sub = g.induced_subgraph(part)
    xy = np.array(sub.layout_fruchterman_reingold(niter=500, grid="grid" if grid else "nogrid").coords, float)
    ends = np.array(sub.get_edgelist(), dtype=int).reshape(-1, 2)
    lengths = np.sort(np.hypot(*(xy[ends[:, 0]] - xy[ends[:, 1]]).T)) if len(ends) else None
    by_edges = EDGE_LENGTH / max(float(lengths[len(lengths) // 2]), 1e-9) if lengths is not None else 1.0
    mine = np.array([i < real for i in part])  # the question hubs are invisible: not counted
    nearest = _median_nearest(xy[mine])
    by_crowding = NEAREST / nearest if nearest > 0 else by_edges
    return _upright(xy * max(by_edges, by_crowding))


def _igraph_layout(graph: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    import igraph as ig  # imported here: only the layout needs it
    import numpy as np

    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    pairs = set()
    for u, v in graph.edges():
        a, b = index[u], index[v]
        if a != b:
            pairs.add((a, b) if a < b else (b, a))
    # Details are "grouped by question": an invisible hub per question pulls its details together.
    hubs: dict[str, int] = {}
    for node, data in graph.nodes(data=True):
        if data.get("node_type") == "detail":
            hub = hubs.setdefault(data.get("question", ""), len(nodes) + len(hubs))
            pairs.add((index[node], hub))
    g = ig.Graph(n=len(nodes) + len(hubs), edges=sorted(pairs))
    # Force layouts have no gravity: lay out each connected part on its own and pack the parts,
    # largest first, else isolated actors fly to the edges and the context shrinks to a dot.
    parts = sorted((list(c) for c in g.connected_components(mode="weak")), key=lambda c: (-len(c), c[0]))
    blocks = []  # (members, coordinates in pixels)
    singles = [c[0] for c in parts if len(c) == 1]
    with _IGRAPH_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            for part in parts:
                if len(part) == 1:
                    continue
                if len(part) == 2:
                    blocks.append((part, np.array([(0.0, 0.0), (EDGE_LENGTH, 0.0)])))
                    continue
                # the grid makes big parts near-linear
                blocks.append((part, _part_layout(g, part, len(nodes), grid=len(part) > 300)))
        finally:
            ig.set_random_number_generator(random)  # igraph's default generator
    if singles:  # isolated nodes side by side in a block of the screen's proportions
        step = 0.6 * EDGE_LENGTH
        width = max(1, math.ceil(math.sqrt(len(singles) * SCREEN[0] / SCREEN[1])))
        blocks.append((singles, np.array([((i % width) * step, (i // width) * step)
                                          for i in range(len(singles))])))
    placed = _pack(blocks, gap=0.8 * EDGE_LENGTH)
    xy = np.array([placed[i] for i in range(len(nodes))], float)
    if _crowded(xy):
        even = _even_out(xy)
        # as little evening out as the crowding needs: more of the force layout's shape is kept
        lo, hi, even_lo, even_hi = xy.min(axis=0), xy.max(axis=0), even.min(axis=0), even.max(axis=0)
        forced = (xy - lo) / np.maximum(hi - lo, 1e-9) * (even_hi - even_lo) + even_lo
        for share in (0.4, 0.7, 1.0):
            mixed = share * even + (1 - share) * forced
            if share == 1.0 or not _crowded(mixed):
                xy = mixed
                break
    xy = _fill_screen(xy)
    return {n: (round(float(xy[i, 0]), 1), round(float(xy[i, 1]), 1)) for n, i in index.items()}


def _crowded(xy) -> bool:
    """Whether nodes would sit closer than :data:`CROWDED` screen pixels in the first view."""
    if len(xy) < 3:
        return False
    w, h = xy.max(axis=0) - xy.min(axis=0)
    scale = min((SCREEN[0] - 2 * FIT_MARGIN) / max(w, 1e-9), (SCREEN[1] - 2 * FIT_MARGIN) / max(h, 1e-9), 1.0)
    return _median_nearest(xy) * scale < CROWDED


def _even_out(xy):
    """The same order of nodes, spread evenly: columns of equal counts, evenly spaced within a column.

    A force layout of thousands of nodes is dense in places and empty in others; fitted to a screen,
    half its nodes sit on top of a neighbour. Nodes are cut into columns by x (as many as the screen's
    proportions ask), each column ordered by y, and placed on an offset grid of spacing NEAREST: who is
    left of, above, and next to whom is kept, the crowding is gone. A node keeps a little of its own x
    inside its column so the picture does not look like a table.
    """
    import numpy as np

    n = len(xy)
    columns = max(1, round(math.sqrt(n * SCREEN[0] / SCREEN[1])))
    by_x = np.lexsort((xy[:, 1], xy[:, 0]))
    out = np.empty_like(xy)
    for c, chunk in enumerate(np.array_split(by_x, columns)):
        if not len(chunk):
            continue
        xs = xy[chunk, 0]
        spread = xs.max() - xs.min()
        inner = (xs - xs.min()) / spread - 0.5 if spread > 0 else np.zeros(len(chunk))
        order = chunk[np.lexsort((xy[chunk, 0], xy[chunk, 1]))]
        rows = np.arange(len(chunk)) + (0.5 if c % 2 else 0.0)  # odd columns half a step down
        out[order, 1] = rows * NEAREST
        out[chunk, 0] = (c + 0.25 * inner) * NEAREST
    return out


def _fill_screen(xy):
    """The whole picture centred on (0, 0), spread to fill :data:`SCREEN` when it is smaller.

    A picture with no height (a pair, a chain drawn straight) is turned along the screen's diagonal,
    so that it reaches across the screen both ways instead of lying on one line; a long thin one is
    stretched across (at most :data:`STRETCH` times).
    """
    import numpy as np

    if len(xy) == 0:
        return xy
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    xy = xy - (lo + hi) / 2
    w, h = hi - lo
    if w > 0 and h < 0.02 * w:
        angle = math.atan2(SCREEN[1], SCREEN[0])
        c, s = math.cos(angle), math.sin(angle)
        xy = np.column_stack([xy[:, 0] * c - xy[:, 1] * s, xy[:, 0] * s + xy[:, 1] * c])
        w, h = xy.max(axis=0) - xy.min(axis=0)
    elif w > 0 and h > 0:  # a long thin picture (a core with a tail) is stretched towards the screen's shape
        aspect = SCREEN[0] / SCREEN[1]
        xy = xy * np.array([min(max(h * aspect / w, 1.0), STRETCH), min(max(w / aspect / h, 1.0), STRETCH)])
        w, h = xy.max(axis=0) - xy.min(axis=0)
    room_w, room_h = SCREEN[0] - 2 * FIT_MARGIN, SCREEN[1] - 2 * FIT_MARGIN
    grow = min(room_w / w if w > 0 else math.inf, room_h / h if h > 0 else math.inf)
    if math.isfinite(grow) and grow > 1:
        xy = xy * grow
    return xy


def _pack(blocks: list, gap: float) -> dict[int, tuple[float, float]]:
    """Shelf packing: blocks in rows (biggest first), rows as wide as the screen's proportions ask."""
    boxes = []
    for members, coords in blocks:
        xs, ys = [c[0] for c in coords], [c[1] for c in coords]
        boxes.append((members, coords, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    area = sum((w + gap) * (h + gap) for *_, w, h in boxes)
    row_width = max([boxes[0][4] if boxes else 0.0, math.sqrt(area * SCREEN[0] / SCREEN[1])])
    placed: dict[int, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for members, coords, left, top, w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for member, (cx, cy) in zip(members, coords):
            placed[member] = (x + cx - left, y + cy - top)
        x += w + gap
        row_height = max(row_height, h)
    return placed


def fit_box(positions: Mapping[str, tuple[float, float]]) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of a layout: what the page's first view shows."""
    if not positions:
        return (0.0, 0.0, 0.0, 0.0)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    return (min(xs), min(ys), max(xs), max(ys))


def fit_view(box: tuple[float, float, float, float], width: float, height: float) -> tuple[float, float, float]:
    """(scale, centre x, centre y) of the page's first view of ``box`` on a ``width`` × ``height`` canvas.

    The one definition of the fit: network.js applies the same formula to the same box (sent with the
    data), so a test of the positions here is a test of what the page shows. A node at canvas (x, y)
    appears at ((x - cx) × scale + width / 2, (y - cy) × scale + height / 2).
    """
    w, h = box[2] - box[0], box[3] - box[1]
    scale = min((width - 2 * FIT_MARGIN) / w if w > 0 else math.inf,
                (height - 2 * FIT_MARGIN) / h if h > 0 else math.inf, FIT_MAX_SCALE)
    return max(scale, 1e-4), (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def on_screen(positions: Mapping[str, tuple[float, float]], width: float, height: float,
              box: tuple[float, float, float, float] | None = None) -> dict[str, tuple[float, float]]:
    """Where each node appears (screen pixels from the canvas's top-left) in the page's first view."""
    scale, cx, cy = fit_view(box or fit_box(positions), width, height)
    return {n: ((x - cx) * scale + width / 2, (y - cy) * scale + height / 2) for n, (x, y) in positions.items()}


def _place_new(graph: nx.Graph, placed: dict, missing: list) -> None:
    """Put nodes without a position next to their placed neighbours; the rest in a row below."""
    left = list(missing)
    while left:
        progress = []
        for node in left:
            near = [placed[m] for m in nx.all_neighbors(graph, node) if m in placed]
            if near:
                # a direction of its own, so that new nodes next to the same neighbour do not coincide
                digest = hashlib.blake2b(str(node).encode(), digest_size=2).digest()
                angle = int.from_bytes(digest, "big") / 65536 * math.tau
                x = sum(p[0] for p in near) / len(near) + 0.5 * EDGE_LENGTH * math.cos(angle)
                y = sum(p[1] for p in near) / len(near) + 0.5 * EDGE_LENGTH * math.sin(angle)
                progress.append((node, (round(x, 1), round(y, 1))))
        if not progress:
            break
        placed.update(progress)
        done = {n for n, _ in progress}
        left = [n for n in left if n not in done]
    if left:
        bottom = max((p[1] for p in placed.values()), default=0.0) + EDGE_LENGTH
        width = max(1, int(math.sqrt(len(left))))
        for i, node in enumerate(left):
            placed[node] = ((i % width) * EDGE_LENGTH * 0.6, bottom + (i // width) * EDGE_LENGTH * 0.6)


def compute_layout(graph: nx.Graph, seed: int = 0, *, pinned: Mapping[str, tuple[float, float]] | None = None,
                   base: Mapping[str, tuple[float, float]] | None = None) -> dict[str, tuple[float, float]]:
    """Node id -> (x, y) in vis-network pixels, the same for the same graph and seed.

    Fruchterman–Reingold from igraph (C, with its grid approximation above 1,000 nodes): 5,000 nodes
    and 15,000 edges in well under a second, where networkx's spring_layout takes about a minute.

    ``base``: positions to keep (e.g. the layout of the "now" graph, so the picture stays put from one
    review to the next); nodes it lacks are placed next to their neighbours, and no layout is run.
    ``pinned``: positions a person set; they win over everything.
    """
    nodes = list(graph.nodes)
    if base:
        positions = {n: tuple(base[n]) for n in nodes if n in base}
        _place_new(graph, positions, [n for n in nodes if n not in positions])
    elif len(nodes) <= 1:
        positions = {n: (0.0, 0.0) for n in nodes}
    else:
        positions = _igraph_layout(graph, seed)
    for node, xy in (pinned or {}).items():
        if node in positions:
            positions[node] = (float(xy[0]), float(xy[1]))
    return positions
