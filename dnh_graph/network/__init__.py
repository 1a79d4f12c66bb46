"""The context of an analysis as a graph: :mod:`.graph` (build, filter, focus), :mod:`.metrics`,
:mod:`.compare`, :mod:`.layout`, :mod:`.cache` (layouts by structure), :mod:`.readwrite` (files).

The entry points most callers need are re-exported here; everything else is imported from its module.
"""

from dnh_graph.network.graph import build_graph, filter_graph, focus
from dnh_graph.network.layout import compute_layout

__all__ = ["build_graph", "compute_layout", "filter_graph", "focus"]
