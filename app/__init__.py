"""What the screens share: the Streamlit script (``entry``), the screen list (``screens``), the store and
caches (``session``), the analysis shown (``selection``), words (``words``), the grid (``grid``,
``drafts``, ``grid_save``, ``table_files``), the review forms (``over_time``) and the server hook (``asgi``).

The domain lives in ``dnh_graph`` (which never imports streamlit); ``pages/`` holds the screens only.
"""
