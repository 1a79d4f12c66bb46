"""The Streamlit script: declares the screens (``app.screens.SCREENS``) and draws the sidebar:
the analysis picker (new, rename, copy, delete), the "Hide sensitive names" switch, the seven DNH
steps, and the language.

It lives in ``app/``, not beside ``pages/``: a script next to a ``pages/`` folder starts every server in
Streamlit's legacy pages-folder mode, which runs a deep-linked screen without this script
(docs/architecture.md, "Entry point"). ``streamlit_app.py`` serves it (``make run``).
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from app import auth, drafts, messages, presence_ui, selection, session, words
from app.screens import available
from dnh_graph import steps
from dnh_graph.i18n import available_languages
from dnh_graph.keys import slug
from dnh_graph.model import AnalysisInfo, InvalidInput
from dnh_graph.render import styles
from dnh_graph.roles import AccessError
from dnh_graph.store import NotFoundError, StaleEditError

NEXT = "dnh_next_analysis"  # an analysis to select at the start of the next run (after a create/rename)
SHOWN = "dnh_shown_analysis"  # the analysis the picker showed last
MISSING = "dnh_missing_link"  # the key of a deep link whose analysis this person cannot open
NEW_FORM = ("side_new_name", "side_new_key")  # the new-analysis form's fields, emptied after a create

st.set_page_config(page_title="dnh-graph", page_icon="🕊", layout="wide",
                   initial_sidebar_state="expanded")
# A bookmark or a reload (a new session) opens in the language of its URL, before anything is translated.
if session.LANG not in st.session_state and st.query_params.get("lang") in available_languages():
    st.session_state[session.LANG] = st.query_params["lang"]
session.begin_run()
auth.gate()  # with accounts: nothing below runs before the person has logged in (issue 13)
drafts.unload_guard()


def _navigation():
    sections: dict[str, list] = {}
    pages = {}
    for n, screen in enumerate(available()):
        page = st.Page(screen.path, title=words.t(screen.title), icon=screen.icon, url_path=screen.id, default=n == 0)
        sections.setdefault(words.t(screen.section) if screen.section else "", []).append(page)
        pages[screen.id] = page
    return st.navigation(sections, position="top"), pages


def _slug(name: str) -> str:
    """A free key for a new analysis, made from its name by the one rule of :func:`dnh_graph.keys.slug`."""
    return slug(name, [s.key for s in session.summaries()])


def _after_write(select: str | None) -> None:
    session.clear_caches()
    st.session_state[NEXT] = select or ""
    st.rerun()


def _picker() -> str | None:
    """The analysis picker; returns the key of a deep link whose analysis this person cannot open, if so."""
    wanted = st.session_state.pop(NEXT, None)
    linked = wanted is None and selection.selected_key() is None  # a new session: the URL says which
    if linked:
        wanted = st.query_params.get("analysis")
    summaries = session.summaries()
    if wanted is not None and not _opens(wanted, summaries, linked) and st.session_state.get(MISSING) != wanted:
        # the list is cached for seconds: an analysis made since (a link shared right after an import)
        # would be missing from it; read it afresh, once per link (a mistyped link must not do it every run)
        session.refresh_summaries()
        summaries = session.summaries()
    if linked and wanted is not None and not _opens(wanted, summaries, linked):
        # A link to an analysis this person cannot open: mistyped, deleted, or not open to them (one
        # sentence for all three, so a link does not tell whether an analysis exists). None is shown
        # in its place: another analysis in its place is one the person would edit believing it the
        # linked one. The link stays in the URL, so a reload says the same, until they choose.
        st.session_state[MISSING] = wanted
        selection.select(None)
        _choose(summaries)
        return wanted
    keys = [s.key for s in summaries]
    if wanted is not None:
        selection.select(wanted)
    if selection.selected_key() not in keys:
        # The browser answers with the label it last showed; after someone renames the analysis that
        # label is gone and Streamlit would switch to the first analysis without a word (issue 10).
        shown = st.session_state.get(SHOWN)
        selection.select(shown if shown in keys and wanted is None else keys[0] if keys else None)
    if not keys:
        st.caption(words.t("sidebar.no_analysis"))
        st.query_params.pop("analysis", None)
        return None
    st.session_state[SHOWN] = _select(summaries)
    st.query_params["analysis"] = selection.selected_key()
    return None


def _opens(key: str, summaries: list, linked: bool) -> bool:
    """Whether ``key`` is in the list; for a link, also whether it is still there for this person (the
    list may be seconds old; the revision is read for the screen anyway, once per run)."""
    if key not in {s.key for s in summaries}:
        return False
    try:
        return not linked or selection.revision(key) is not None
    except (NotFoundError, AccessError):
        return False


def _select(summaries: list, placeholder: str | None = None) -> str | None:
    names = {s.key: s.name for s in summaries}
    return st.selectbox(words.t("sidebar.analysis"), list(names), key=session.ANALYSIS, placeholder=placeholder,
                        format_func=lambda k: f"{names[k]} ({k})")


def _choose(summaries: list) -> None:
    """The picker with nothing chosen, asking for a choice (the screen says why: :func:`_link_missing`)."""
    if summaries:
        st.session_state[SHOWN] = _select(summaries, words.t("sidebar.choose"))
    else:
        st.caption(words.t("sidebar.no_analysis"))


def _link_missing(key: str) -> None:
    """Above the screen, where the person looks: the linked analysis is not there, none is shown."""
    st.warning(words.t("common.link_missing", key=words.md(key, 100)), icon=":material/link_off:")


def _steps(pages: dict) -> None:
    analysis = selection.analysis()
    if analysis is None:
        return
    st.markdown(f"**{words.t('sidebar.steps')}**")
    for step in steps.progress(analysis):
        text = words.t("sidebar.step", n=step.number, name=words.t(step.msgid), count=step.count)
        icon = ":material/check_circle:" if step.done else ":material/radio_button_unchecked:"
        if step.page in pages:
            st.page_link(pages[step.page], label=text, icon=icon)
        else:
            st.markdown(f"{icon} {text}")
    st.caption(words.t("sidebar.steps_hint"))


def _new_analysis() -> None:
    # Not clear_on_submit: a refused name or key stays for the person to correct; a create empties it.
    with st.form("side_new", border=False):
        name = st.text_input(words.t("sidebar.new_name"), max_chars=200, key=NEW_FORM[0])
        key = st.text_input(words.t("sidebar.new_key"), max_chars=100, help=words.t("sidebar.key_help"),
                            key=NEW_FORM[1])
        if st.form_submit_button(words.t("sidebar.create"), icon=":material/add:"):
            info = AnalysisInfo(key.strip() or _slug(name), name.strip())
            try:
                session.store().create_analysis(info)
            except InvalidInput as error:
                messages.show_problems(error.problems, "analysis")
                return
            except StaleEditError as error:  # a busy database or a create racing another
                st.error(words.md(words.said(error)), icon=":material/sync_problem:")
                return
            for field in NEW_FORM:
                st.session_state.pop(field, None)
            _after_write(info.key)


def _rename(info: AnalysisInfo) -> None:
    with st.form(f"side_rename_{info.key}", border=False):
        name = st.text_input(words.t("sidebar.new_name"), value=info.name, max_chars=200)
        key = st.text_input(words.t("sidebar.new_key"), value=info.key, max_chars=100, help=words.t("sidebar.key_help"))
        if st.form_submit_button(words.t("sidebar.rename"), icon=":material/edit:"):
            try:
                session.store().update_info(dataclasses.replace(info, key=key.strip(), name=name.strip()), key=info.key)
            except InvalidInput as error:
                messages.show_problems(error.problems, "analysis")
                return
            except (StaleEditError, NotFoundError) as error:
                st.error(words.md(words.said(error)))
                return
            _after_write(key.strip())


def _duplicate(info: AnalysisInfo) -> None:
    with st.form(f"side_copy_{info.key}", border=False):
        name = st.text_input(words.t("sidebar.new_name"), value=words.t("sidebar.copy_name", name=info.name),
                             max_chars=200)
        key = st.text_input(words.t("sidebar.new_key"), value=_slug(f"{info.key}_copy"), max_chars=100)
        if st.form_submit_button(words.t("sidebar.copy"), icon=":material/content_copy:"):
            try:
                session.store().duplicate_analysis(info.key, key.strip(), name.strip() or None)
            except InvalidInput as error:
                messages.show_problems(error.problems, "analysis")
                return
            except (NotFoundError, StaleEditError) as error:
                st.error(words.md(words.said(error)))
                return
            _after_write(key.strip())


def _delete(info: AnalysisInfo) -> None:
    sure = st.checkbox(words.t("sidebar.delete_sure", name=words.md(info.name)), key=f"side_delete_sure_{info.key}")
    if st.button(words.t("sidebar.delete"), disabled=not sure, type="primary", icon=":material/delete_forever:",
                 key=f"side_delete_{info.key}", help=None if sure else words.t("sidebar.delete_first_tick")):
        try:
            session.store().delete_analysis(info.key, version=info.version)
        except (StaleEditError, NotFoundError) as error:
            st.error(words.md(words.said(error)))
            return
        _after_write(None)


def _manage() -> None:
    analysis = selection.editable_analysis()  # the rename form writes the stored name back
    with st.expander(words.t("sidebar.manage"), icon=":material/folder_open:", expanded=analysis is None):
        if analysis is None:
            _new_analysis()
            return
        manage = session.may("manage")  # deleting and inviting are a facilitator's (the store checks it too)
        more = [words.t("sidebar.tab_delete"), words.t("members.tab")] if manage else []
        new, rename, copy, *more = st.tabs([words.t("sidebar.tab_new"), words.t("sidebar.tab_rename"),
                                            words.t("sidebar.tab_copy"), *more])
        with new:
            _new_analysis()
        with rename:
            _rename(analysis.info)
        with copy:
            _duplicate(analysis.info)
        if more:
            with more[0]:
                _delete(analysis.info)
            with more[1]:
                auth.members_panel(analysis.info.key)


def _hide_names() -> None:
    """The app-wide switch every screen reads (``session.names_hidden``): on for every new session, kept for
    the session, never put in the URL (a forwarded link must not reveal names)."""
    st.session_state.setdefault(session.HIDE, True)
    if not session.access().reveal:  # a viewer or editor: names stay hidden (session.names_hidden), no switch
        return
    st.toggle(words.t("sidebar.hide_names"), key=session.HIDE, help=words.t("sidebar.hide_names_help"))


def _language() -> None:
    """The language picker; the choice is also in the URL (``?lang=km``), so a bookmark or a reload keeps it."""
    languages = available_languages()
    if st.session_state.get(session.LANG) not in languages:
        st.session_state[session.LANG] = "en"
    st.selectbox(words.t("sidebar.language"), list(languages), key=session.LANG, format_func=languages.get)
    if st.session_state[session.LANG] == "en":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = st.session_state[session.LANG]


# The app's one style block. Less side padding than Streamlit's default: at 1280 px on a projector the
# grids need the room. The shipped Khmer font (named after Streamlit's own in .streamlit/config.toml
# theme.font) and a line height where Khmer's stacked marks are not clipped (dnh_graph.render.styles).
st.html(f"<style>{styles.font_faces_css()}"
        "[data-testid='stMainBlockContainer']{padding-top:4rem;padding-left:2rem;padding-right:2rem;max-width:none}"
        f"[data-testid='stMarkdownContainer'] p,[data-testid='stMarkdownContainer'] li,"
        f"[data-testid='stCaptionContainer'],[data-testid='stWidgetLabel'] p{{line-height:{styles.LINE_HEIGHT}}}"
        # a page link's label is a sentence on the Overview and the workshop ("4 details that do harm have no
        # option yet"): wrapped, not cut to "... have no opt" at 1024 px
        "[data-testid='stPageLink-NavLink'] *{white-space:normal;overflow:visible;text-overflow:clip}"
        "</style>")
navigation, pages = _navigation()
with st.sidebar:
    missing = _picker()
    presence_ui.sidebar()  # who else is here; "changed by X just now"
    _hide_names()
    _steps(pages)
    if session.may("edit"):
        try:
            _manage()
        except AccessError as refused:  # e.g. an editor invited to one analysis creating another
            st.error(words.md(str(refused)), icon=":material/block:")
    _language()
    auth.account_box()
if missing is not None:
    _link_missing(missing)
try:
    navigation.run()
except AccessError as refused:  # a control the screen should have hidden: the store's sentence, nothing saved
    st.error(words.md(str(refused)), icon=":material/block:")
