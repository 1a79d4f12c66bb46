"""Pictures and HTML built from the results of scoring, network and timeline.

Nothing here computes a score or reads a database; nothing here imports streamlit. Import the module
you need (``from dnh_graph.render import trends``): each pulls in only its own dependencies.
"""
