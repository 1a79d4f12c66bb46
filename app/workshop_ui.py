"""Workshop mode (issue 14): the screen that leads a room through the seven steps, one step at a time.

``pages/workshop.py`` only calls :func:`show`. The step is in the URL (``?step=N``) and in the database
with the timer (:mod:`dnh_graph.store.workshop`), so a facilitator who reloads, closes the laptop or
opens the workshop from another machine finds the room where it was; ``?projector=1`` is the view for
the wall. What each step says comes from :mod:`dnh_graph.workshop` and the catalog.

While "Hide sensitive names" is on, notes and comments are shown masked (:func:`dnh_graph.store.workshop.shown_notes`,
``shown_comments``) against the stored analysis, as every other screen shows free text; the writes
(park, delete, resolve) take the notes and comments as stored, and a note that names a sensitive actor
cannot be sorted into a row until names are shown (its text would become a name, or a pseudonym).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import streamlit as st

from app import messages, pickers, selection, session, steps_ui, words
from app.screens import available, screen
from dnh_graph import vocab, worksheets
from dnh_graph import workshop as guide
from dnh_graph.model import Analysis, InvalidInput
from dnh_graph.roles import AccessError
from dnh_graph.store import NotFoundError, StaleEditError
from dnh_graph.store import workshop as rooms

__all__ = ["show"]

t = words.t
ARRIVED = "ws_arrived_for"  # session key: the analysis whose room this browser has already joined
PICK = "ws_step_pick"

# The projector view and the timer, written once: large type, black on white, no sidebar or menus.
PROJECTOR_CSS = (
    "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],[data-testid='stHeader']"
    "{display:none}"
    "[data-testid='stApp'],[data-testid='stMain']{background:#fff;color:#000}"
    "[data-testid='stMainBlockContainer']{padding-top:1rem;font-size:1.3rem}"
    "[data-testid='stMainBlockContainer'] p,[data-testid='stMainBlockContainer'] li{font-size:1.3rem;"
    "line-height:1.45;color:#000}"
    "[data-testid='stMainBlockContainer'] h1{font-size:2.4rem}</style>"
)
TIMER_CSS = (
    "<style>.dnh-timer-value{font-size:3rem;font-weight:700;font-variant-numeric:tabular-nums;color:#000}"
    ".dnh-timer-done .dnh-timer-value{color:#b00020}</style>"
)


# ------------------------------------------------------------------------------------- the room
def _room(key: str) -> rooms.Session:
    return rooms.session(session.store(), key)


def _save(key: str, new: rooms.Session) -> rooms.Session:
    """Store where the room is; when someone else moved it meanwhile, say so and follow them."""
    try:
        return rooms.save_session(session.store(), key, new)
    except AccessError:  # a viewer moves their own screen, not the room
        return new
    except StaleEditError:
        st.session_state["ws_moved"] = True
        return _room(key)


def _go(key: str, number: int) -> None:
    """Callback of previous/next and the step picker: move the room, keep the URL in step."""
    room = _room(key)
    if room.step != number or room.version is None:
        room = _save(key, dataclasses.replace(room, step=number))
    st.query_params["step"] = str(room.step)
    st.session_state[PICK] = room.step


def _current_step(key: str, room: rooms.Session) -> rooms.Session:
    """The step shown: the room's (database), except a step asked in the URL by this browser."""
    asked = st.query_params.get("step")
    arrived = st.session_state.get(ARRIVED) == key
    st.session_state[ARRIVED] = key
    if asked is not None and (arrived or room.version is None):
        number = guide.clamp_step(asked)
        if number != room.step or room.version is None:
            room = _save(key, dataclasses.replace(room, step=number))
    st.query_params["step"] = str(room.step)
    return room


# ------------------------------------------------------------------------------------ the parts
def _projector_switch() -> bool:
    on = st.query_params.get("projector") == "1"

    def flip() -> None:
        if st.session_state["ws_projector"]:
            st.query_params["projector"] = "1"
        else:
            st.query_params.pop("projector", None)

    st.session_state["ws_projector"] = on
    st.toggle(t("workshop.projector"), key="ws_projector", on_change=flip, help=t("workshop.projector_help"))
    if on:
        st.html(PROJECTOR_CSS)
    return on


def _step_picker(key: str, number: int) -> None:
    st.session_state[PICK] = number
    st.segmented_control(
        t("workshop.steps_label"), [s.number for s in guide.STEPS], key=PICK, required=True,
        format_func=lambda n: t("workshop.step_pill", n=n, name=t(guide.step(n).title)),
        on_change=lambda: _go(key, st.session_state[PICK] or number), label_visibility="collapsed")


def _guidance(step: guide.WorkshopStep) -> None:
    st.markdown(f"**{t('workshop.purpose_title')}** {t(step.purpose)}")
    with st.container(border=True):
        st.markdown(f"**{t('workshop.guidance_title')}**")
        st.markdown(t(step.guidance))
    st.subheader(t("workshop.ask_title"), anchor=False)
    st.markdown("\n".join(f"{n}. {t(q)}" for n, q in enumerate(step.questions, start=1)))
    for heading, items in step.groups:
        st.markdown(f"**{t(heading)}**")
        st.markdown("\n".join(f"- {t(item)}" for item in items))


def _timer(key: str, room: rooms.Session) -> None:
    with st.container(border=True):
        st.markdown(f":material/timer: **{t('workshop.timer_title')}**")
        left = guide.remaining(room.timer_end, dt.datetime.now(dt.UTC))
        if left is None:
            st.caption(t("workshop.timer_none"))
        elif left == 0:
            st.markdown(f"### :red[{t('workshop.timer_done')}]")
        else:
            clock = guide.countdown_html(room.timer_end, t("workshop.timer_done"), t("workshop.timer_left"))
            st.html(TIMER_CSS + clock, unsafe_allow_javascript=True)
        if not session.may("edit", key):  # the timer is the room's: a viewer watches it, never sets it
            return
        minutes = st.number_input(t("workshop.timer_minutes"), min_value=1, max_value=240, step=1,
                                  value=room.timer_minutes, key=f"ws_minutes_{key}")
        if st.button(t("workshop.timer_start"), icon=":material/play_arrow:", key="ws_timer_start",
                        use_container_width=True):
            end = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=int(minutes))
            _save(key, dataclasses.replace(room, timer_end=end, timer_minutes=int(minutes)))
            st.rerun()
        if st.button(t("workshop.timer_stop"), icon=":material/stop:", key="ws_timer_stop",
                       disabled=room.timer_end is None, use_container_width=True):
            _save(key, dataclasses.replace(room, timer_end=None))
            st.rerun()


def _missing(a: Analysis, step: guide.WorkshopStep) -> None:
    st.subheader(t("workshop.missing_title"), anchor=False)
    gaps = guide.step_gaps(a, step.number)
    if not gaps:
        st.success(t("workshop.nothing_missing"), icon=":material/check_circle:")
    steps_ui.show_missing(a, gaps)


def _problems(error: InvalidInput) -> None:
    st.error(words.md("; ".join(p.message for p in error.problems)), icon=":material/error:")


def _capture(key: str, step: guide.WorkshopStep) -> None:
    st.subheader(t("workshop.capture_title"), anchor=False)
    st.caption(t("workshop.capture_help"))
    kinds = list(rooms.NOTE_KINDS)
    with st.form(f"ws_capture_{step.number}", clear_on_submit=True, border=True):
        text = st.text_input(t("workshop.capture_text"), max_chars=rooms.MAX_NOTE, key="ws_note_text")
        kind_col, park_col = st.columns([3, 1], vertical_alignment="bottom")
        kind = kind_col.segmented_control(t("workshop.capture_kind"), kinds, default=step.note_kind, required=True,
                                          format_func=lambda k: t(f"workshop.note_kind.{k}"),
                                          key=f"ws_note_kind_{step.number}")  # each step its own default
        park = park_col.checkbox(t("workshop.capture_park"), key="ws_note_park")
        if st.form_submit_button(t("workshop.capture_add"), icon=":material/add:", type="primary"):
            try:
                rooms.add_note(session.store(), key, text, kind or "unsorted", step.number, parked=park)
            except InvalidInput as error:
                _problems(error)
            else:
                st.toast(t("workshop.capture_added"), icon=":material/check:")


def _sort_fields(note: rooms.Note, kind: str) -> dict:
    """The few cells a note needs to become a row of its kind (the rest take the table's defaults)."""
    prefix = f"ws_sort_{note.id}_{note.version}"
    name = st.text_input(t("workshop.sort_name"), value=note.text, max_chars=200, key=f"{prefix}_name")
    if kind == "actor":
        types = vocab.keys("actor_type")
        chosen = st.selectbox(words.t("col.type"), types, index=types.index("other"), format_func=lambda k: words.label(
            "actor_type", k), key=f"{prefix}_type")
        return {"name": name, "type": chosen}
    if kind in ("divider", "connector"):
        categories = vocab.keys("factor_category")
        chosen = st.selectbox(words.t("col.category"), categories,
                              format_func=lambda k: words.label("factor_category", k),
                              key=f"{prefix}_category")
        return {"name": name, "kind": kind, "category": chosen}
    questions = vocab.keys("detail_question")
    chosen = st.selectbox(words.t("col.question"), questions, format_func=lambda k: words.label("detail_question", k),
                          key=f"{prefix}_question")
    return {"description": name, "question": chosen}


def _note_row(key: str, note: rooms.Note, shown: rooms.Note) -> None:
    """One note: ``shown`` is what the screen shows of it (masked while names are hidden), ``note`` as stored."""
    store = session.store()
    with st.container(border=True):
        st.markdown(f"**{words.md(shown.text)}** · :gray-badge[{t('workshop.note_kind.' + note.kind)}]")
        if note.parked:
            if st.button(t("workshop.unpark"), key=f"ws_unpark_{note.id}", icon=":material/undo:"):
                _write(lambda: rooms.update_note(store, key, dataclasses.replace(note, parked=False)))
                st.rerun()
            return
        targets = [k for k in rooms.NOTE_KINDS if k != "unsorted"]
        default = note.kind if note.kind in targets else None
        if shown.text != note.text:  # it names a sensitive actor: locked, as a masked cell of a grid
            st.caption(t("workshop.note_locked"))
            kind = None
        else:
            kind = st.segmented_control(t("workshop.sort_as"), targets, default=default,
                                        format_func=lambda k: t(f"workshop.note_kind.{k}"),
                                        key=f"ws_sort_{note.id}_{note.version}_kind")
        if kind:
            raw = _sort_fields(note, kind)
            if st.button(t("workshop.sort_button"), key=f"ws_sort_{note.id}_go", type="primary",
                         icon=":material/playlist_add:"):
                sheet = rooms.NOTE_SHEET[kind][0]
                done = _write(lambda: rooms.sort_note(store, key, note, sheet, raw))
                if done is not None:
                    messages.flash("workshop", "workshop.sorted", key=words.md(done.sorted_to))
                    st.rerun()
        park, delete = st.columns(2)
        if park.button(t("workshop.park"), key=f"ws_park_{note.id}", icon=":material/local_parking:"):
            _write(lambda: rooms.update_note(store, key, dataclasses.replace(note, parked=True)))
            st.rerun()
        if delete.button(t("workshop.delete_note"), key=f"ws_delete_{note.id}", icon=":material/delete:"):
            _write(lambda: rooms.delete_note(store, key, note))
            st.rerun()


def _write(action):
    """Run one store write; a refusal becomes its sentence, and the screen shows fresh data."""
    try:
        done = action()
    except InvalidInput as error:
        _problems(error)
        return None
    except (StaleEditError, NotFoundError, AccessError) as error:
        st.error(words.md(words.said(error)), icon=":material/error:")
        return None
    session.clear_caches()
    return done


def _notes(key: str, step: guide.WorkshopStep, stored: Analysis) -> None:
    messages.show_flash("workshop")
    every = rooms.notes(session.store(), key)
    shown = dict(zip((n.id for n in every), rooms.shown_notes(stored, every) if selection.hides_names(stored)
                     else every, strict=True))
    waiting = [n for n in every if not n.sorted_to and not n.parked]
    parked = [n for n in every if n.parked and not n.sorted_to]
    done = [shown[n.id] for n in every if n.sorted_to]
    st.markdown(f"**{t('workshop.notes_title', n=len(waiting))}**")
    if not waiting:
        st.caption(t("workshop.notes_none"))
    for note in waiting:
        _note_row(key, note, shown[note.id])
    with st.expander(t("workshop.parking_title", n=len(parked)), icon=":material/local_parking:",
                     expanded=bool(parked)):
        st.caption(t("workshop.parking_help"))
        if not parked:
            st.caption(t("workshop.parking_none"))
        for note in parked:
            _note_row(key, note, shown[note.id])
    if done:
        with st.expander(t("workshop.sorted_title", n=len(done)), icon=":material/done_all:"):
            st.markdown("\n".join(f"- {words.md(n.text)} → `{words.md(n.sorted_to)}`" for n in done))


def _row_label(sheet: str, record) -> str:
    if sheet == "impacts":
        return f"{record.detail} → {record.factor} ({words.label('effect', record.effect)})"
    return pickers.record_label(sheet, record, 50)


def _comments(a: Analysis, step: guide.WorkshopStep, stored: Analysis) -> None:
    """The coach comments on the step's rows (``a``: as shown; ``stored``: the records, to mask against)."""
    key = a.info.key
    rows = [(sheet, r) for sheet in step.sheets for r in a.rows(sheet)]
    every = rooms.comments(session.store(), key)
    if selection.hides_names(stored):
        every = rooms.shown_comments(stored, every)  # resolving writes only the flag, never the text
    live = {(sheet, r.id) for sheet, r in rows}
    open_here = sum(1 for c in every if not c.resolved and (c.sheet, c.row_id) in live)
    title = t("workshop.comments_title") + (f" · {t('workshop.comments_open', n=open_here)}" if open_here else "")
    # keyed: its title counts the open comments, and a new title must not close it on the person who just
    # added one
    with st.expander(title, icon=":material/forum:", expanded=False, key=f"ws_comments_box_{step.number}"):
        st.caption(t("workshop.comments_help"))
        if not rows:
            st.caption(t("workshop.comment_nothing"))
            return
        choices = list(range(len(rows)))
        pick = st.selectbox(t("workshop.comment_on"), choices, key=f"ws_comment_row_{step.number}",
                            format_func=lambda i: _row_label(*rows[i]))
        sheet, record = rows[pick]
        mine = [c for c in every if c.sheet == sheet and c.row_id == record.id]
        if not mine:
            st.caption(t("workshop.comments_none"))
        for c in mine:
            with st.container(border=True):
                when = c.created_at.strftime("%Y-%m-%d %H:%M") if c.created_at else ""
                head = t("workshop.comment_by", author=words.md(c.author), when=when)
                if c.resolved:
                    head += " · " + t("workshop.comment_resolved_by", who=words.md(c.resolved_by))
                st.caption(head)
                st.markdown(f"~~{words.md(c.text)}~~" if c.resolved else words.md(c.text))
                label = t("workshop.comment_reopen") if c.resolved else t("workshop.comment_resolve")
                if st.button(label, key=f"ws_resolve_{c.id}", icon=":material/task_alt:"):
                    _write(lambda c=c: rooms.resolve_comment(session.store(), key, c, resolved=not c.resolved))
                    st.rerun()
        with st.form(f"ws_comment_{step.number}", clear_on_submit=True, border=False):
            text = st.text_area(t("workshop.comment_text"), max_chars=2000, height=80)
            added = st.form_submit_button(t("workshop.comment_add"), icon=":material/add_comment:")
            if added and _write(lambda: rooms.add_comment(session.store(), key, sheet, record.id, text)) is not None:
                st.rerun()


def _paper(a: Analysis, step: guide.WorkshopStep) -> None:
    """Print the step's worksheet (blank or filled) and get the workbook to type it back in."""
    with st.expander(t("workshop.paper_title"), icon=":material/print:"):
        st.caption(t("workshop.paper_help"))
        stem = f"{a.info.key}_step{step.number}"
        # one under the other: side by side, at 1024 px, the labels are cut ("Workbook to type it in (x...")
        blank = filled = book = st.container()
        blank.download_button(t("workshop.paper_blank"), key=f"ws_paper_blank_{step.number}",
                              data=worksheets.worksheet_html(a, step.number, False, words.lang()),
                              file_name=f"{stem}_blank.html", mime="text/html", icon=":material/print:")
        filled.download_button(t("workshop.paper_filled"), key=f"ws_paper_filled_{step.number}",
                               data=worksheets.worksheet_html(a, step.number, True, words.lang()),
                               file_name=f"{stem}.html", mime="text/html", icon=":material/print:")
        book.download_button(t("workshop.paper_workbook"), key=f"ws_paper_book_{step.number}",
                             data=worksheets.workbook(a, filled=False), file_name=f"{a.info.key}_worksheets.xlsx",
                             mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             icon=":material/table_view:")


def _previous_next(key: str, number: int) -> None:
    back, _, forward = st.columns([1, 2, 1])
    back.button(t("workshop.previous"), icon=":material/arrow_back:", key="ws_previous", disabled=number == 1,
                on_click=_go, args=(key, number - 1), use_container_width=True)
    forward.button(t("workshop.next"), icon=":material/arrow_forward:", key="ws_next",
                   disabled=number == len(guide.STEPS), on_click=_go, args=(key, number + 1),
                   use_container_width=True, type="primary")


# ------------------------------------------------------------------------------------- the page
def show() -> None:
    a = selection.require_analysis()
    stored = selection.require_editable()  # what notes and comments are masked against (pseudonyms for a viewer)
    key = a.info.key
    room = _current_step(key, _room(key))
    if st.session_state.pop("ws_moved", False):
        st.info(t("workshop.moved_meanwhile"), icon=":material/sync:")
    step = guide.step(room.step)
    projector = _projector_switch()
    st.title(t("workshop.title", n=step.number, name=t(step.title)), anchor=False)
    if not projector:
        st.caption(t("workshop.intro"))
    _step_picker(key, step.number)
    left, right = st.columns([2, 1], gap="medium")
    with left:
        _guidance(step)
    with right:
        _timer(key, room)
        if step.page in {s.id for s in available()} and not projector:
            st.page_link(screen(step.page), label=t("workshop.full_screen"), icon=":material/open_in_new:")
    # Lists that grow and shrink (what is missing, the notes) each sit in one keyed container, so the form
    # and the comment box after them keep their place on the page: a note added, or a gap filled, while
    # someone types a comment no longer moves the comment box and redraws it empty.
    with st.container(key=f"ws_missing_{step.number}"):
        _missing(a, step)
    if session.may("edit", key):  # quick capture writes notes: not for a viewer
        _capture(key, step)
    with st.container(key=f"ws_notes_{step.number}"):
        _notes(key, step, stored)
    _comments(a, step, stored)
    if not projector:
        _paper(a, step)
    _previous_next(key, step.number)
