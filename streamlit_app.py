"""dnh-graph, served: ``streamlit run streamlit_app.py`` (``make run``) or any ASGI server (``uvicorn
streamlit_app:app``).

The app itself is ``app/entry.py`` (navigation and sidebar) with one script per screen in ``pages/``.
``st.App`` lets the server tell the browser where its root is (:mod:`app.asgi`), so a link straight to
a screen (``/impacts?analysis=K``) opens that screen and analysis at once, without the failed probes
of ``/impacts/_stcore/*`` that Streamlit's page otherwise makes.
"""

import streamlit as st
from starlette.middleware import Middleware

from app.asgi import ServerRootInPage
from app.login_asgi import LoginRoutes

# LoginRoutes answers the login and logout forms (it sets the HttpOnly login cookie, app/login_asgi.py).
app = st.App("app/entry.py", middleware=[Middleware(LoginRoutes), Middleware(ServerRootInPage)])
