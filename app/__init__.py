"""What the screens share: the Streamlit script (``entry``), the screen list, the store handle, caches,
translation and the grid (``ui``), the review forms (``over_time``) and the server hook (``asgi``).

The domain lives in ``dnh_graph`` (which never imports streamlit); ``pages/`` holds the screens only.
"""
