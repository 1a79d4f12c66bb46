"""Bring in an actor map drawn in another tool: GEXF (Gephi), GraphML (yEd, Cytoscape, networkx) and
Kumu-style JSON.

:func:`import_actor_map` turns nodes into actors and edges into relationships and returns a minimal
valid analysis (the header, actors and relationships; no factors yet) with a :class:`MappingReport`
saying what was mapped to what, so a person can check it before saving.

Rules (docs/file-formats.md, README.md#privacy):

- **Guarded.** The file is refused above ``DNH_MAX_UPLOAD_MB`` before it is read; an XML file that
  declares a ``<!DOCTYPE`` or ``<!ENTITY`` is refused before any parser sees it (and ``defusedxml``
  parses it once with DTDs forbidden, so an encoding trick cannot slip one through) — only then does
  networkx read it; more than ``DNH_MAX_ROWS`` nodes or edges are refused.
- **Actor types.** A node's ``type`` (also ``actor_type``, ``category``, ``group``, ``kind``, or Kumu's
  ``element type``) is matched to the vocabulary by key or English label (``Civil society``), then by
  a few common synonyms (``NGO`` → civil_society, ``police`` → security_forces, …); anything else,
  and a missing type, becomes ``other``.
- **Relationship types.** An edge's ``relationship_type`` / ``type`` / ``relationship`` / ``label`` (or
  Kumu's ``connection type``) is matched the same way; anything else becomes **weak** ("Weak /
  informal"): a tie whose nature the file does not say is not claimed to be an alliance or a conflict.
- **Strength.** A valid ``strength`` (1–3) is kept; otherwise numeric edge weights are mapped to 1–3
  by thirds of their range (all equal: 2); otherwise 2.
- **Direction.** Edges of a directed graph (and Kumu connections with ``direction: directed``) are
  directed; others are not. An edge from a node to itself is skipped (an actor cannot have a
  relationship with itself) and reported.
- **Keys.** When every node id is a short safe id (a letter, then letters, digits, ``_ . -``; at most
  30 characters) the ids become the actor keys; otherwise actors are numbered ``A1``, ``A2``, … in file
  order. A file written by dnh-graph's own network export keeps its actor keys and its other actor
  fields, and only its actor nodes and relationship edges are brought in.
- All or nothing: every actor and relationship is validated by :func:`dnh_graph.model.validate_analysis`;
  any problem raises :class:`~dnh_graph.model.InvalidInput` with every problem at once.

Examples
--------
>>> data = (b'{"elements": [{"label": "Commune council", "type": "Local authority"},'
...         b' {"label": "Fishers", "type": "fishing group"}],'
...         b' "connections": [{"from": "Commune council", "to": "Fishers", "type": "tension"}]}')
>>> analysis, report = import_actor_map(data, key="bay", name="Bay")
>>> [(a.key, a.name, a.type) for a in analysis.actors]
[('A1', 'Commune council', 'local_authority'), ('A2', 'Fishers', 'other')]
>>> analysis.relationships[0].type, report.unknown_actor_types
('conflict', ['fishing group'])
"""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from dnh_graph import vocab
from dnh_graph.i18n import translate
from dnh_graph.io import guards
from dnh_graph.model import MAX_KEY, MAX_TEXT, InvalidInput, Problem, validate_analysis

__all__ = ["FORMATS", "DEFAULT_RELATIONSHIP_TYPE", "TypeMapping", "MappingReport", "detect_format",
           "import_actor_map"]

FORMATS = ("gexf", "graphml", "kumu")
DEFAULT_ACTOR_TYPE = "other"
DEFAULT_RELATIONSHIP_TYPE = "weak"
_SAFE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,29}")
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

_ACTOR_TYPE_FIELDS = ("actor_type", "type", "element type", "element_type", "category", "group", "kind")
_RELATIONSHIP_TYPE_FIELDS = ("relationship_type", "type", "connection type", "connection_type", "relationship",
                             "label", "kind")
_NAME_FIELDS = ("name", "label", "title")
# Common words of other tools for our vocabulary (lowercase). Anything not here falls to the default.
_ACTOR_SYNONYMS = {
    "ngo": "civil_society", "cso": "civil_society", "civil society organisation": "civil_society",
    "civil society organization": "civil_society", "association": "civil_society",
    "ingo": "international", "un": "international", "un agency": "international", "international ngo": "international",
    "ministry": "government", "state": "government", "national government": "government",
    "local government": "local_authority", "commune": "local_authority", "district": "local_authority",
    "province": "local_authority", "municipality": "local_authority",
    "community": "community_group", "cbo": "community_group", "community-based organisation": "community_group",
    "church": "religious", "pagoda": "religious", "mosque": "religious", "faith-based": "religious",
    "business": "private_sector", "company": "private_sector", "private": "private_sector",
    "funder": "donor", "police": "security_forces", "military": "security_forces", "army": "security_forces",
    "militia": "armed_group", "rebel group": "armed_group", "press": "media", "person": "individual",
    "people": "individual",
}
_RELATIONSHIP_SYNONYMS = {
    "ally": "alliance", "allies": "alliance", "partner": "cooperation", "partnership": "cooperation",
    "collaboration": "cooperation", "collaborates": "cooperation", "support": "cooperation",
    "tension": "conflict", "hostile": "conflict", "hostility": "conflict", "opposition": "conflict",
    "rivalry": "conflict", "broken relationship": "broken", "informal": "weak", "weak / informal": "weak",
    "grant": "funding", "funds": "funding", "money": "funding", "donation": "funding",
    "power": "influence", "influences": "influence", "coordinates": "coordination",
}


@dataclass(frozen=True)
class TypeMapping:
    """How one type written in the file was read: ``how`` is ``exact``, ``synonym`` or ``default``."""

    original: str  # as written in the file ("" when none was given)
    mapped: str  # a key of our vocabulary
    how: str
    count: int


@dataclass
class MappingReport:
    """What :func:`import_actor_map` did with the file, for a person to check before saving."""

    source_format: str
    actors: int = 0
    relationships: int = 0
    actor_types: list[TypeMapping] = field(default_factory=list)
    relationship_types: list[TypeMapping] = field(default_factory=list)
    keys_from_ids: bool = False
    strength: str = "default"  # "kept", "weights" (mapped by thirds of their range) or "default"
    weight_range: tuple[float, float] | None = None
    skipped: list[str] = field(default_factory=list)
    ignored_attributes: list[str] = field(default_factory=list)

    @property
    def unknown_actor_types(self) -> list[str]:
        """Types written in the file that became ``other`` (a missing type is not listed)."""
        return [m.original for m in self.actor_types if m.how == "default" and m.original]

    @property
    def unknown_relationship_types(self) -> list[str]:
        return [m.original for m in self.relationship_types if m.how == "default" and m.original]

    def lines(self, lang: str = "en") -> list[str]:
        """The report as sentences a person reads (the Report page lists them)."""

        def t(msgid: str, **params) -> str:
            return translate(msgid, lang, **params)

        out = [t("report.import.counts", fmt=self.source_format, actors=self.actors, relationships=self.relationships)]
        out.append(t("report.import.keys_from_ids") if self.keys_from_ids else t("report.import.keys_generated"))
        for what, vocabulary, mappings in (("actor", "actor_type", self.actor_types),
                                           ("relationship", "relationship_type", self.relationship_types)):
            for m in mappings:
                label = vocab.label(vocabulary, m.mapped, lang)
                if m.how == "default":
                    out.append(t(f"report.import.{what}_missing", n=m.count, mapped=label) if not m.original
                               else t(f"report.import.{what}_unknown", n=m.count, original=m.original, mapped=label))
                elif m.how == "synonym":
                    out.append(t("report.import.synonym", n=m.count, original=m.original, mapped=label))
        if self.strength == "weights" and self.weight_range:
            low, high = self.weight_range
            out.append(t("report.import.weights", low=_number(low), high=_number(high)))
        out.extend(self.skipped)
        if self.ignored_attributes:
            out.append(t("report.import.ignored", names=", ".join(self.ignored_attributes)))
        return out


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# ------------------------------------------------------------------------------------ reading
def detect_format(data: bytes, name: str = "") -> str:
    """``gexf``, ``graphml`` or ``kumu`` from the file name's suffix, else from the content."""
    suffix = Path(name).suffix.lower()
    if suffix == ".gexf":
        return "gexf"
    if suffix == ".graphml":
        return "graphml"
    if suffix == ".json":
        return "kumu"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "kumu"
    if b"<gexf" in head:
        return "gexf"
    if b"<graphml" in head:
        return "graphml"
    raise guards.refuse(name or "file", "refusal.not_a_map")


def _check_xml(data: bytes, name: str):
    """Refuse DTDs and entity declarations before networkx's (xml.etree) parser sees the file.

    Returns the root element parsed by defusedxml (None when defusedxml is missing)."""
    if _XML_DECLARATIONS.search(data):
        raise guards.refuse(name, "refusal.xml_dtd")
    try:
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import fromstring
    except ImportError:  # pragma: no cover - defusedxml is a dependency (requirements.txt)
        return None
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise guards.refuse(name, "refusal.xml_dtd") from None
    except Exception as error:  # noqa: BLE001 - any parse error is a broken file, said in one sentence
        raise guards.refuse(name, "refusal.xml_broken", error=error) from None


_GEXF_DIRECTIONS = {"directed", "undirected", "mutual"}


def _read_graph(data: bytes, fmt: str, name: str) -> nx.Graph:
    root = _check_xml(data, name)
    try:
        graph = nx.read_gexf(io.BytesIO(data)) if fmt == "gexf" else nx.read_graphml(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - networkx raises many kinds for a broken file
        raise guards.refuse(name, "refusal.graph_unreadable", format=fmt.upper(), error=error) from None
    if fmt == "gexf" and root is not None:
        # GEXF keeps an edge's "type" for its direction, and networkx drops it on reading; a tool (networkx
        # itself) that wrote a relationship type there gets it back, matched by edge id.
        types = {e.get("id"): e.get("type") for e in root.iter() if str(e.tag).rsplit("}", 1)[-1] == "edge"
                 and e.get("type") and e.get("type").strip().lower() not in _GEXF_DIRECTIONS}
        if types:
            edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else (
                (u, v, None, d) for u, v, d in graph.edges(data=True))
            for _, _, _, d in edges:
                if "type" not in d and str(d.get("id")) in types:
                    d["type"] = types[str(d.get("id"))]
    return graph


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _graph_items(graph: nx.Graph) -> tuple[list[tuple[str, dict]], list[tuple[str, str, dict, bool]], bool]:
    """Nodes and edges of a graph; a dnh-graph export keeps only its actors and relationships."""
    nodes = [(str(n), {str(k): _plain(v) for k, v in d.items()}) for n, d in graph.nodes(data=True)]
    ours = any(d.get("node_type") == "actor" for _, d in nodes)
    if ours:
        nodes = [(n, d) for n, d in nodes if d.get("node_type") == "actor"]
    edge_iter = graph.edges(keys=True, data=True) if graph.is_multigraph() else (
        (u, v, None, d) for u, v, d in graph.edges(data=True))
    edges = []
    for u, v, _, d in edge_iter:
        d = {str(k): _plain(val) for k, val in d.items()}
        if ours and d.get("edge_type", "relationship") != "relationship":
            continue
        directed = graph.is_directed()
        if "directed" in d and isinstance(d["directed"], bool):
            directed = d["directed"]
        edges.append((str(u), str(v), d, directed))
    return nodes, edges, ours


def _read_kumu(data: bytes, name: str) -> tuple[list[tuple[str, dict]], list[tuple[str, str, dict, bool]]]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise guards.refuse(name, "refusal.json_because", error=error) from None
    except RecursionError:  # e.g. 200,000 nested lists: Python's parser gives up; say so, do not crash
        raise guards.refuse(name, "refusal.map_too_deep") from None
    except ValueError as error:  # e.g. a number with more digits than Python converts
        raise guards.refuse(name, "refusal.json_because", error=error) from None
    if isinstance(doc, dict) and "format_version" in doc and "analyses" in doc:
        raise guards.refuse(name, "refusal.map_is_backup")
    if not isinstance(doc, dict) or not isinstance(doc.get("elements"), list):
        raise guards.refuse(name, "refusal.not_kumu")
    problems: list[Problem] = []
    nodes, by_ref, seen = [], {}, set()
    for n, element in enumerate(doc["elements"], start=1):
        if not isinstance(element, dict):
            problems.append(Problem("elements", n, None, "problem.kumu_element"))
            continue
        flat = _flatten_kumu(element)
        ident = str(flat.get("_id") or flat.get("id") or flat.get("label") or f"#{n}")
        if ident in seen:  # two elements with one label: both become actors
            ident = f"{ident}#{n}"
        seen.add(ident)
        nodes.append((ident, flat))
        for ref in (flat.get("_id"), flat.get("id"), flat.get("label")):
            if ref not in (None, ""):
                by_ref.setdefault(str(ref), ident)
                by_ref.setdefault(str(ref).strip().casefold(), ident)
    edges = []
    connections = doc.get("connections") or []
    if not isinstance(connections, list):
        problems.append(Problem("connections", None, None, "problem.kumu_connections_not_list"))
        connections = []
    for n, conn in enumerate(connections, start=1):
        if not isinstance(conn, dict):
            problems.append(Problem("connections", n, None, "problem.kumu_connection"))
            continue
        flat = _flatten_kumu(conn)
        ends = []
        for end in ("from", "to"):
            ref = flat.get(end)
            found = None if ref in (None, "") else by_ref.get(str(ref), by_ref.get(str(ref).strip().casefold()))
            if found is None:
                problems.append(Problem("connections", n, end,
                                        f"'{ref}' is not the label or id of any element." if ref not in (None, "")
                                        else "is empty; every connection needs \"from\" and \"to\"."))
            ends.append(found)
        if None in ends:
            continue
        direction = str(flat.get("direction", "")).strip().lower()
        edges.append((ends[0], ends[1], flat, direction == "directed"))
    if problems:
        raise InvalidInput(problems)
    return nodes, edges


def _flatten_kumu(item: dict) -> dict:
    """Kumu exports keep fields under ``attributes``; imports put them at the top. Accept both."""
    flat = {str(k).strip().lower(): v for k, v in item.items() if k != "attributes"}
    attributes = item.get("attributes")
    if isinstance(attributes, dict):
        for k, v in attributes.items():
            flat.setdefault(str(k).strip().lower(), v)
    return flat


# ------------------------------------------------------------------------------------ mapping
def _lookup(vocabulary: str, synonyms: Mapping[str, str], raw: Any) -> tuple[str | None, str]:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None, ""
    low = " ".join(text.lower().replace("_", " ").split())
    for key in vocab.VOCABULARIES[vocabulary]:
        if key and (low == key.replace("_", " ") or low == vocab.label(vocabulary, key).lower()):
            return key, "exact"
    if low in synonyms:
        return synonyms[low], "synonym"
    return None, ""


def _first(data: Mapping[str, Any], names: tuple[str, ...]) -> tuple[str | None, Any]:
    for name in names:
        for key, value in data.items():
            if key.lower() == name and value not in (None, ""):
                return key, value
    return None, None


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return str(value).strip()[:limit]


def _tags(value: Any) -> str:
    parts = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value or "").split(";")
    return ";".join(p.strip().replace(";", ",") for p in parts if p and p.strip())


def _strengths(edges: list[tuple[str, str, dict, bool]], report: MappingReport) -> list[int]:
    def valid(value: Any) -> int | None:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return int(number) if number.is_integer() and 1 <= number <= 3 else None

    given = [valid(d.get("strength")) for _, _, d, _ in edges]
    if edges and all(g is not None for g in given):
        report.strength = "kept"
        return [int(g) for g in given]
    weights = []
    for _, _, d, _ in edges:
        try:
            weights.append(float(d.get("weight")))
        except (TypeError, ValueError):
            weights.append(None)
    known = [w for w in weights if w is not None and not math.isnan(w)]
    if not known:
        return [g or 2 for g in given]
    low, high = min(known), max(known)
    report.strength, report.weight_range = "weights", (low, high)
    out = []
    for g, w in zip(given, weights):
        if g is not None:
            out.append(g)
        elif w is None or math.isnan(w) or high == low:
            out.append(2)
        else:
            out.append(1 + min(2, int(3 * (w - low) / (high - low))))
    return out


def _type_mappings(counter: Counter) -> list[TypeMapping]:
    return [TypeMapping(original, mapped, how, n) for (original, mapped, how), n in
            sorted(counter.items(), key=lambda item: (-item[1], item[0]))]


_NODE_FIELDS_USED = {"id", "_id", "label", "name", "title", "key", "type", "actor_type", "element type", "element_type",
                     "category", "group", "kind", "stance", "influence", "description", "sensitive", "tags",
                     "node_type", "base_influence", "base_stance", "reading_review", "networkx_key"}
_EDGE_FIELDS_USED = {"id", "_id", "from", "to", "type", "relationship_type", "connection type", "connection_type",
                     "relationship", "label", "kind", "strength", "weight", "directed", "direction", "note",
                     "description", "edge_type", "source_actor", "target_actor", "networkx_key"}


def import_actor_map(source: str | Path | bytes | Any, fmt: str | None = None, *, key: str = "imported",
                     name: str | None = None) -> tuple[Any, MappingReport]:
    """Actors and relationships from a GEXF, GraphML or Kumu JSON file, as a new minimal analysis.

    Parameters
    ----------
    source : path, bytes or a binary file (an upload)
    fmt : ``"gexf"``, ``"graphml"`` or ``"kumu"``; default: from the file name, else the content
    key, name : the new analysis' key and name (name default: the file's name)

    Returns
    -------
    (Analysis, MappingReport)
        Raises :class:`~dnh_graph.model.InvalidInput` (every problem at once) when the file is refused.
    """
    file_name = guards.source_name(source, "actor map")
    data = guards.read_limited(source, file_name)
    fmt = (fmt or detect_format(data, file_name)).lower()
    if fmt == "json":
        fmt = "kumu"
    if fmt not in FORMATS:
        raise guards.refuse(file_name, "refusal.map_format", format=fmt, formats=", ".join(FORMATS))
    ours = False  # written by dnh-graph's own network export
    if fmt == "kumu":
        nodes, edges = _read_kumu(data, file_name)
    else:
        nodes, edges, ours = _graph_items(_read_graph(data, fmt, file_name))
    cap = guards.max_rows()
    for what, items in (("actors", nodes), ("relationships", edges)):
        if len(items) > cap:
            raise InvalidInput([guards.too_many_rows(what, "map")])

    report = MappingReport({"gexf": "GEXF", "graphml": "GraphML", "kumu": "Kumu JSON"}[fmt])
    # keys: a dnh-graph export's own keys, else safe node ids, else A1, A2, ...
    # (networkx writes a node attribute "key" to GEXF as "networkx_key")
    own_keys = [str(d.get("key") or d.get("networkx_key") or "").strip() for _, d in nodes]
    if ours and nodes and all(own_keys) and len(set(own_keys)) == len(own_keys) \
            and all(len(k) <= MAX_KEY for k in own_keys):
        keys = own_keys
        report.keys_from_ids = True
    elif nodes and all(_SAFE_ID.fullmatch(n) for n, _ in nodes) and len({n for n, _ in nodes}) == len(nodes):
        keys = [n for n, _ in nodes]
        report.keys_from_ids = True
    else:
        keys = [f"A{i}" for i in range(1, len(nodes) + 1)]
    key_of = {node: k for (node, _), k in zip(nodes, keys)}

    actor_counter: Counter = Counter()
    ignored: set[str] = set()
    actor_rows = []
    for n, ((node, d), actor_key) in enumerate(zip(nodes, keys), start=1):
        _, raw_type = _first(d, _ACTOR_TYPE_FIELDS)
        mapped, how = _lookup("actor_type", _ACTOR_SYNONYMS, raw_type)
        original = _text(raw_type, 80)
        actor_counter[(original, mapped or DEFAULT_ACTOR_TYPE, how or "default")] += 1
        _, raw_name = _first(d, _NAME_FIELDS)
        row = {"key": actor_key, "name": _text(raw_name) or node, "type": mapped or DEFAULT_ACTOR_TYPE,
               "description": _text(d.get("description"))}
        stance, _ = _lookup("stance", {}, d.get("base_stance") or d.get("stance"))
        if stance:
            row["stance"] = stance
        influence = d.get("base_influence", d.get("influence"))
        if isinstance(influence, (int, float)) and not isinstance(influence, bool) and 1 <= influence <= 5 \
                and float(influence).is_integer():
            row["influence"] = int(influence)
        if isinstance(d.get("sensitive"), bool) or str(d.get("sensitive", "")).lower() in ("true", "false"):
            row["sensitive"] = str(d["sensitive"]).lower()
        if d.get("tags"):
            row["tags"] = _tags(d["tags"])
        ignored.update(k for k in d if k.lower() not in _NODE_FIELDS_USED and not k.startswith("viz"))
        actor_rows.append((n, row))

    relationship_counter: Counter = Counter()
    relationship_rows = []
    strengths = _strengths(edges, report)
    for n, ((u, v, d, directed), strength) in enumerate(zip(edges, strengths), start=1):
        if u == v:
            report.skipped.append(translate("report.import.self_loop", name=_text(dict(nodes).get(u, {}).get(
                "label") or u, 80)))
            continue
        field_name, raw_type = _first(d, _RELATIONSHIP_TYPE_FIELDS)
        mapped, how = _lookup("relationship_type", _RELATIONSHIP_SYNONYMS, raw_type)
        original = _text(raw_type, 80)
        relationship_counter[(original, mapped or DEFAULT_RELATIONSHIP_TYPE, how or "default")] += 1
        note = _text(d.get("note") or d.get("description"))
        if field_name == "label" and not mapped and not note:
            note = original  # a free label that is no type stays readable as the note
        relationship_rows.append((n, {"source": key_of[u], "target": key_of[v],
                                      "type": mapped or DEFAULT_RELATIONSHIP_TYPE, "strength": strength,
                                      "directed": "true" if directed else "false", "note": note}))
        ignored.update(k for k in d if k.lower() not in _EDGE_FIELDS_USED)

    analysis, problems = validate_analysis({
        "analysis": [(1, {"key": key, "name": name or Path(file_name).stem or key})],
        "actors": actor_rows,
        "factors": [],
        "relationships": relationship_rows,
    })
    if problems:
        raise InvalidInput(problems)
    report.actors = len(analysis.actors)
    report.relationships = len(analysis.relationships)
    report.actor_types = _type_mappings(actor_counter)
    report.relationship_types = _type_mappings(relationship_counter)
    report.ignored_attributes = sorted(ignored)
    return analysis, report
