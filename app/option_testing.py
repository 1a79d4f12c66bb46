"""The Options screen's Test & redesign tab: status moves, the detail an addition needs, observations,
and predicted against observed effects."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from app import messages, options_ui, pickers, selection, session, words
from dnh_graph import options, vocab
from dnh_graph.model import Analysis, InvalidInput

__all__ = ["testing_panel"]

t = words.t
PREFIX = options_ui.PREFIX
MOVE = PREFIX + "move"  # a status button's click: (option key, status seen, status asked for)
ADDITION = PREFIX + "addition_asked"  # the addition whose "Add the detail" was clicked


def testing_panel(a: Analysis) -> None:
    if not a.options:
        st.info(t("options.generate.no_options"), icon=":material/info:")
        return
    by_key = a.by_key("options")
    details = a.by_key("details")
    testing = [o.key for o in a.options if o.status == "testing"]
    # The label holds nothing a write on this panel changes (no status): a label that changed after a
    # write would reset the picker (issue 10, scenario 6).
    key = pickers.pick(t("options.test.option"), list(by_key), PREFIX + "option",
                       lambda k: pickers.record_label("options", by_key[k], 60), testing[0] if testing else None,
                       lambda k: t("options.test.option_gone", choice=words.md(k)))
    option = by_key[key]
    messages.show_flash(PREFIX + "test")
    _workflow(a, option, details)
    if not option.detail and option.key not in details:
        _addition_detail(a, option)
    elif st.session_state.pop(ADDITION, None) == option.key:
        st.info(t("options.test.detail_exists", option=words.md(option.key)), icon=":material/info:")
    _observe(a, option, details)
    _predicted_vs_observed(a, option, details)


def _workflow(a: Analysis, option, details: dict) -> None:
    with st.container(border=True):
        st.markdown(t("options.test.status_now", option=words.md(option.key), status=options_ui.status(option.status),
                      detail=words.md(options_ui.detail_name(details, option.detail))))
        if option.side_effects:
            st.caption(t("options.test.side_effects", text=words.md(option.side_effects, 400)))
        nexts = options.allowed_transitions(option.status)
        columns = st.columns(max(len(nexts), 1))
        for column, status in zip(columns, nexts):
            # The click is taken by a callback with what the person saw: it counts even when the button
            # is not drawn again (someone else moved the option meanwhile), and is then refused aloud.
            column.button(t("options.test.move_to", status=options_ui.status(status)), key=f"{PREFIX}to_{status}",
                          type="primary" if status in ("chosen", "testing", "adopted") else "secondary",
                          on_click=_clicked, args=(option.key, option.status, status),
                          disabled=not session.may("edit"))
        st.caption(t("options.test.workflow_help"))
        move = st.session_state.pop(MOVE, None)
        if move:
            _move(a, *move)


def _clicked(key: str, seen: str, status: str) -> None:
    st.session_state[MOVE] = (key, seen, status)
    st.session_state[PREFIX + "option"] = key
    st.session_state[PREFIX + "option" + pickers.SHOWN] = (selection.selected_key(), key)


def _move(a: Analysis, key: str, seen: str, status: str) -> None:
    """Move an option to ``status`` as the person asked, unless its status changed since they looked at it.

    An edit of its other fields meanwhile (a new title) does not change what the click meant.
    """
    option = selection.require_editable().by_key("options").get(key)  # the stored text, not the one shown
    if option is None or option.status != seen:
        now = options_ui.status(option.status) if option is not None else t("options.test.deleted")
        st.error(t("options.test.changed_meanwhile", option=words.md(key), seen=options_ui.status(seen), now=now,
                   status=options_ui.status(status)), icon=":material/sync_problem:")
        return
    moved = dataclasses.replace(option, status=status)
    options_ui.write(lambda: session.store().save_rows(a.key, "options", upserts=[moved]), PREFIX + "test",
                     "options.test.moved", option=option.key, status=options_ui.status(status))


def _addition_detail(a: Analysis, option) -> None:
    with st.container(border=True):
        st.markdown(t("options.test.addition_needs_detail", option=words.md(option.key)))
        with st.form(PREFIX + "addition_form", border=False):
            questions = vocab.labels("detail_question", words.lang())
            question = st.selectbox(t("options.col.question"), list(questions), format_func=questions.get,
                                    key=PREFIX + "addition_question")
            activity = st.text_input(t("options.test.activity"), max_chars=200, key=PREFIX + "addition_activity")
            # the click is noted by a callback: if someone else adds the detail first, the form is not
            # drawn again and the panel says so instead of dropping the click
            if st.form_submit_button(t("options.test.add_detail"), icon=":material/add:",
                                     disabled=not session.may("edit"), on_click=st.session_state.__setitem__,
                                     args=(ADDITION, option.key)):
                st.session_state.pop(ADDITION, None)
                stored = selection.require_editable().by_key("options")[option.key]  # not the text shown
                detail = options.addition_detail(stored, question, activity.strip())
                options_ui.write(lambda: session.store().save_rows(a.key, "details", upserts=[detail]), PREFIX + "test",
                                 "options.test.detail_added", detail=detail.key)


def _observe(a: Analysis, option, details: dict) -> None:
    st.subheader(t("options.test.observe"), anchor=False)
    if not a.reviews:
        st.info(t("options.test.no_review"), icon=":material/info:")
        return
    if not (a.factors and a.details):
        st.info(t("options.test.no_details"), icon=":material/info:")
        return
    st.caption(t("options.test.observe_help"))
    reviews = sorted(a.reviews, key=lambda r: (r.date, r.key), reverse=True)
    review_names = {r.key: f"{pickers.record_label('reviews', r)} · {r.date.isoformat()}" for r in reviews}
    default_details = options.observation_details(a, option.key)
    detail_keys = list(details)
    factors = a.by_key("factors")
    # Not clear_on_submit: a refused observation keeps what was typed; a saved one clears it (options_ui.CLEAR).
    for name in st.session_state.pop(options_ui.CLEAR, ()):
        st.session_state.pop(name, None)
    default = default_details[0] if default_details else detail_keys[0]
    detail_key = f"{PREFIX}obs_detail_{option.key}_{default}"  # keyed by its default: follows the option
    # A review, detail or factor renamed while the form was being filled: the browser sends a label that
    # no longer exists and Streamlit would put the first one in its place. Refuse rather than record an
    # observation on a factor nobody chose.
    changed = [key for key, choices in ((PREFIX + "obs_review", review_names), (detail_key, details),
                                        (PREFIX + "obs_factor", factors))
               if key in st.session_state and st.session_state[key] not in choices]
    with st.form(PREFIX + "observe_form"):
        first, second = st.columns(2)
        review = first.selectbox(t("options.col.review"), list(review_names), format_func=review_names.get,
                                 key=PREFIX + "obs_review")
        detail = second.selectbox(
            t("options.col.detail"), detail_keys, key=detail_key,
            index=detail_keys.index(default),
            format_func=lambda k: pickers.record_label("details", details[k]), help=t("options.test.detail_help"))
        factor = first.selectbox(t("options.col.factor"), list(factors), key=PREFIX + "obs_factor",
                                 format_func=lambda k: pickers.record_label("factors", factors[k]))
        effects = vocab.labels("effect", words.lang())
        effect = second.selectbox(t("options.col.effect"), list(effects), format_func=effects.get,
                                  key=PREFIX + "obs_effect")
        magnitude = first.number_input(t("options.col.magnitude"), min_value=1, max_value=3, value=1, step=1,
                                       key=PREFIX + "obs_magnitude")
        mechanisms = vocab.labels("mechanism", words.lang())
        mechanism = second.selectbox(t("options.col.mechanism"), list(mechanisms), format_func=mechanisms.get,
                                     key=PREFIX + "obs_mechanism")
        patterns = vocab.labels("pattern", words.lang())
        pattern = first.selectbox(t("options.col.pattern"), list(patterns), format_func=patterns.get,
                                  key=PREFIX + "obs_pattern")
        confidences = vocab.labels("confidence", words.lang())
        confidence = second.selectbox(t("options.col.confidence"), list(confidences), index=1,
                                      format_func=confidences.get, key=PREFIX + "obs_confidence")
        evidence = st.text_area(t("options.col.evidence"), max_chars=2000, key=PREFIX + "obs_evidence",
                                placeholder=t("options.test.evidence_placeholder"))
        if st.form_submit_button(t("options.test.record"), type="primary", icon=":material/visibility:",
                                 disabled=not session.may("edit")):
            if changed:
                st.warning(t("options.test.choices_changed"), icon=":material/sync_problem:")
                return
            try:
                impact = options.observation(a, review, detail, factor, effect, int(magnitude), mechanism, pattern,
                                             confidence, evidence.strip())
            except InvalidInput as error:
                messages.show_problems(error.problems, "impacts")
                return
            options_ui.write(lambda: session.store().save_rows(a.key, "impacts", upserts=[impact]), PREFIX + "test",
                             "options.test.recorded", detail=detail, date=impact.observed_on.isoformat(),
                             clear=[PREFIX + "obs_evidence", PREFIX + "obs_magnitude"])


def _predicted_vs_observed(a: Analysis, option, details: dict) -> None:
    st.subheader(t("options.test.compare"), anchor=False)
    st.caption(t("options.test.compare_help"))
    default_details = options.observation_details(a, option.key)
    left, right = st.columns(2)
    read = left.multiselect(t("options.test.read_details"), list(details), default=default_details,
                            key=f"{PREFIX}read_{option.key}",
                            format_func=lambda k: pickers.record_label("details", details[k]))
    dates = options.observation_dates(a, read)
    baseline = options.baseline_date(a)
    default = options.default_observation_date(a, read)
    reviews_on = {}
    for r in a.reviews:
        reviews_on.setdefault(r.date, []).append(r.key)

    def date_label(day) -> str:
        if day is None:
            return t("options.test.no_date")
        text = f"{day.isoformat()} ({', '.join(reviews_on.get(day, []))})" if day in reviews_on else day.isoformat()
        return text + (f" · {t('options.test.baseline')}" if day == baseline else "")

    choices = [None, *dates] if default is None else dates
    on = right.selectbox(t("options.test.seen_at"), choices, index=choices.index(default),
                         key=f"{PREFIX}on_{option.key}_{'-'.join(read)}", format_func=date_label)
    rows = options.predicted_vs_observed(a, option.key, read, on)
    if not rows:
        st.info(t("options.test.nothing_to_compare"), icon=":material/info:")
        return
    if on is None:
        st.info(t("options.test.not_observed_yet"), icon=":material/info:")
    none = "—"

    def side(effect: str, magnitude: int) -> str:
        return f"{words.label('effect', effect)} ×{magnitude}" if effect else none

    flags = {f: t("options.flag." + f) for f in options.FLAGS}
    st.dataframe(pd.DataFrame({
        t("options.col.factor"): [f"{r.factor} · {r.name}" for r in rows],
        t("options.col.kind"): [words.label("factor_kind", r.kind) for r in rows],
        t("options.col.predicted"): [side(r.predicted_effect, r.predicted_magnitude) for r in rows],
        t("options.col.observed"): [side(r.observed_effect, r.observed_magnitude) for r in rows],
        t("options.col.observed_harm"): [t("options.harmful") if r.observed_harmful else "" for r in rows],
        t("options.col.flags"): ["⚠ " + "; ".join(flags[f] for f in r.flags) if r.flags else "✓" if on else ""
                                 for r in rows],
        t("options.col.evidence"): [r.evidence for r in rows],
    }), hide_index=True, width="stretch", key=f"{PREFIX}pvo")
    surprises = [r for r in rows if "unpredicted" in r.flags and r.observed_harmful]
    for r in surprises:
        st.warning(t("options.test.unpredicted_harm", factor=words.md(f"{r.factor} · {r.name}"),
                     effect=words.label("effect", r.observed_effect).lower(), evidence=words.md(r.evidence, 300)),
                   icon=":material/warning:")
    if on is not None and rows and not any(r.flags for r in rows):
        st.success(t("options.test.as_predicted"), icon=":material/check_circle:")

