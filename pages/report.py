"""Report & export: the printable report (full or summary) with a preview, a download button for every
export format of docs/file-formats.md, and actor maps brought in from other tools (GEXF, GraphML, Kumu JSON).

The preview is the very file the HTML download gives: it carries no script and a Content-Security-Policy
(``default-src 'none'``), and every user string in it is escaped (:mod:`dnh_graph.render.report`). Every file
goes through :func:`dnh_graph.exports.export_bytes`, which pseudonymises once, before any writer.
"""

from __future__ import annotations

import streamlit as st

from app import messages, pickers, selection, session, words
from dnh_graph import exports, interop, keys, timeline
from dnh_graph.model import InvalidInput
from dnh_graph.render import report
from dnh_graph.store import NotFoundError, StaleEditError

t = words.t

P = "rep_"  # session-state keys of this page
PREVIEW_HEIGHT = 900


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _export(_analysis, url: str, key: str, revision: int, fmt: str, review: str | None, pseudonymise: bool,
            summary: bool, sections: tuple[str, ...], lang: str) -> tuple[bytes, str, str]:
    """One export file, cached per (database, analysis, revision, choices): a rerun does not rebuild it."""
    options = {"sections": sections, "lang": lang, "revision": revision,
               "updated_at": _updated_at(key)} if fmt == "html" else None
    return exports.export_bytes(_analysis, fmt, review=review, pseudonymise=pseudonymise, summary=summary,
                                report_options=options)


def _updated_at(key: str):
    return next((s.updated_at for s in session.store().list_analyses() if s.key == key), None)


def _choices(a) -> tuple[bool, str | None, bool, tuple[str, ...]]:
    """The widgets: variant, review, pseudonymise, sections."""
    left, middle, right = st.columns([1, 1.4, 1])
    with left:
        variant = st.segmented_control(t("report.page.variant"), ["full", "summary"], default="full", required=True,
                                       key=P + "variant", format_func=lambda v: t(f"report.page.variant_{v}"))
    summary = variant == "summary"
    reviews = timeline.reviews_in_order(a)
    with middle:
        if reviews:
            by_key = {r.key: r for r in reviews}
            review = pickers.pick(t("report.page.review"), list(by_key), P + "review",
                                  lambda k: " · ".join(x for x in (k, by_key[k].date.isoformat(), by_key[k].title[:40])
                                                  if x), fallback=reviews[-1].key, help=t("report.page.review_help"))
        else:
            review = None
            st.caption(t("report.page.no_review"))
    sensitive = sum(1 for x in a.actors if x.sensitive)
    # the sidebar switch: while names are hidden ``a`` is pseudonymised and so is every file (locked on);
    # once it is turned off, this toggle starts from where the switch was
    locked = session.names_hidden() and sensitive > 0
    with right:
        toggle = P + "pseudo_" + a.key
        if locked:
            st.session_state[toggle] = True
        st.session_state.setdefault(toggle, False)
        pseudonymise = st.toggle(t("report.page.pseudonymise"), key=toggle, disabled=locked,
                                 help=t("report.page.pseudonymise_locked") if locked else
                                 t("report.page.pseudonymise_help", n=sensitive)) or locked
    allowed = report.SUMMARY_SECTIONS if summary else report.SECTIONS
    chosen = st.multiselect(t("report.page.sections"), list(allowed), default=list(allowed),
                            key=P + ("sections_summary" if summary else "sections_full"),
                            format_func=lambda s: report.section_title(s, words.lang()))
    return summary, review, pseudonymise, tuple(chosen)


def _report_panel(a) -> None:
    summary, review, pseudonymise, sections = _choices(a)
    if not sections:
        st.info(t("report.page.no_sections"), icon=":material/info:")
        return
    url, revision, lang = session.database_url(), selection.revision(a.key), words.lang()
    formats = list(exports.FORMATS)
    files = {}
    progress = st.progress(0.0, text=t("report.page.preparing", fmt="html"))
    try:
        for n, fmt in enumerate(["html"] + [f for f in formats if f != "html"]):
            progress.progress(n / len(formats), text=t("report.page.preparing", fmt=fmt))
            files[fmt] = _export(a, url, a.key, revision, fmt, review, pseudonymise, summary, sections, lang)
    except (InvalidInput, ValueError) as error:
        st.error(words.md(words.said(error)), icon=":material/error:")
        return
    finally:
        progress.empty()

    st.subheader(t("report.page.downloads"), anchor=False)
    if pseudonymise:
        st.caption(t("report.page.pseudonymised_note"))
    columns = st.columns(min(len(formats), 4))
    for n, fmt in enumerate(formats):
        data, name, mime = files[fmt]
        with columns[n % len(columns)]:
            st.download_button(_format_label(fmt), data, file_name=name, mime=mime, key=P + "dl_" + fmt,
                               icon=":material/download:", on_click="ignore", width="stretch")
            st.caption(f"{name} · {_size(len(data))}")

    st.subheader(t("report.page.preview"), anchor=False)
    st.caption(t("report.page.preview_help"))
    # The report has no script and a CSP meta tag (default-src 'none'): safe in the app's iframe.
    st.iframe(files["html"][0].decode("utf-8"), height=PREVIEW_HEIGHT)


def _format_label(fmt: str) -> str:
    msgid = f"report.page.format_{fmt}"
    found = t(msgid)
    return fmt.upper() if found == msgid else found


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _import_panel() -> None:
    st.subheader(t("report.page.import_title"), anchor=False)
    st.markdown(t("report.page.import_help"))
    messages.show_flash(P + "import")
    # A new uploader after each import: the file just saved must not be offered again as a new analysis.
    uploads = st.session_state.setdefault(P + "imports", 0)
    upload = st.file_uploader(t("report.page.import_file"), type=["gexf", "graphml", "xml", "json"],
                              key=f"{P}import_file_{uploads}")
    left, right = st.columns(2)
    name = left.text_input(t("sidebar.new_name"), key=P + "import_name", max_chars=200,
                           placeholder=upload.name.rsplit(".", 1)[0] if upload else "")
    key = right.text_input(t("sidebar.new_key"), key=P + "import_key", max_chars=100, help=t("sidebar.key_help"))
    if upload is None:
        return
    stem = upload.name.rsplit(".", 1)[0]
    new_key = key.strip() or keys.slug(stem, [x.key for x in session.summaries()], default="imported")
    try:
        with st.spinner(t("report.page.import_reading")):
            analysis, mapping = interop.import_actor_map(upload.getvalue(), key=new_key, name=name.strip() or stem,
                                                         fmt=_upload_format(upload.name))
    except InvalidInput as error:
        st.error(t("report.page.import_refused"), icon=":material/error:")
        messages.show_problems(error.problems)
        return
    with st.container(border=True):
        st.markdown(t("report.page.import_mapping"))
        st.markdown("\n".join(f"- {words.md(line)}" for line in mapping.lines(words.lang())))
    exists = session.store().exists(new_key)
    if exists:
        st.warning(t("report.page.import_exists", key=words.md(new_key)), icon=":material/warning:")
    if st.button(t("report.page.import_save", key=new_key), type="primary",
                 disabled=exists or not session.may("edit", ""), icon=":material/save:", key=P + "import_save"):
        try:
            session.store().import_analysis(analysis)
        except (InvalidInput, NotFoundError, StaleEditError) as error:
            problems = getattr(error, "problems", None)
            if problems:
                messages.show_problems(problems)
            else:
                st.error(words.md(words.said(error)), icon=":material/error:")
            return
        session.clear_caches()
        st.session_state["dnh_next_analysis"] = new_key  # the entry point selects it on the next run
        st.session_state[P + "imports"] = uploads + 1
        for field in ("import_name", "import_key"):
            st.session_state.pop(P + field, None)
        messages.flash(P + "import", "report.page.imported", key=new_key, actors=len(analysis.actors),
                       relationships=len(analysis.relationships))
        st.rerun()


def _upload_format(file_name: str) -> str | None:
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return {"gexf": "gexf", "graphml": "graphml", "json": "kumu"}.get(suffix)


st.title(t("page.report"), anchor=False)
current = selection.analysis()
if current is None:
    st.info(t("common.no_analysis"), icon=":material/info:")
else:
    st.caption(t("report.page.intro", name=words.md(current.info.name)))
    _report_panel(current)
st.divider()
_import_panel()
