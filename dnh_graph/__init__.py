"""dnh-graph: the domain of a Do No Harm (DNH) conflict-sensitivity analysis.

Nothing in this package imports streamlit: pages call into it, it never calls back. See
``docs/architecture.md`` for the layers.
"""

__version__ = "0.1.0"
