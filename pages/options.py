"""DNH steps 6–7: generate options for the harmful details, compare them, test them and redesign.

A thin screen over :mod:`dnh_graph.options` (prompts, comparison, workflow, predicted vs observed, what
if) and :mod:`dnh_graph.render.options` (the charts); every figure comes from :mod:`dnh_graph.scoring`,
so the ranking, deltas and robustness shown are those of ``dnh score --json``. The four tabs run lazily:
only the open one is computed.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from app import ui
from dnh_graph import options, vocab
from dnh_graph.model import Analysis, InvalidInput
from dnh_graph.render import options as pictures
from dnh_graph.store import NotFoundError, StaleEditError

PREFIX = "opt_"  # every session key of this screen
LANG = ui.lang()  # once per run: the screen asks for many messages
CHART_CONFIG = {"displaylogo": False}


t = ui.t


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _robustness(url: str, key: str, revision: int, detail: str | None, _analysis: Analysis) -> tuple:
    """(robustness, sampled) of the ranking, cached per analysis revision: the costliest figure here."""
    return options.ranking_robustness(_analysis, detail), options.robustness_is_sampled(_analysis, detail)


def _detail_name(details: dict, key: str) -> str:
    if not key:
        return t("options.addition")
    return ui.record_label("details", details[key]) if key in details else key


def _status(key: str) -> str:
    return ui.label("option_status", key)


def _write(action, grid: str, msgid: str, clear: list[str] | None = None, **params) -> None:
    """Run one store write; on success clear the caches (and the form fields named in ``clear``), say so
    on the next run, rerun. On a refusal nothing is cleared: the person's typing stays."""
    try:
        action()
    except InvalidInput as error:
        st.error(t("grid.nothing_saved"), icon=":material/error:")
        ui.show_problems(error.problems)
        return
    except (StaleEditError, NotFoundError) as error:
        st.error(ui.md(str(error)), icon=":material/sync_problem:")
        return
    ui.clear_caches()
    if clear:
        st.session_state[CLEAR] = clear
    ui.flash(grid, msgid, **params)
    st.rerun()


# ------------------------------------------------------------------------------------ generate
def generate(a: Analysis) -> None:
    details = a.by_key("details")
    factors = a.by_key("factors")
    st.subheader(t("options.generate.harmful"), anchor=False)
    harmful = options.harmful_details(a)
    if not harmful:
        st.info(t("options.generate.no_harm"), icon=":material/info:")
    else:
        st.caption(t("options.generate.harmful_help"))
        st.dataframe(pd.DataFrame({
            t("options.col.detail"): [_detail_name(details, h.key) for h in harmful],
            t("options.col.question"): [ui.label("detail_question", h.question) for h in harmful],
            t("options.col.harm"): [h.harm for h in harmful],
            t("options.col.net"): [h.net for h in harmful],
            t("options.col.patterns"): [", ".join(options.topic_label(x, LANG) for x in h.topics)
                                        for h in harmful],
            t("options.col.options"): [", ".join(h.options) for h in harmful],
        }), hide_index=True, width="stretch", height=min(320, 40 + 35 * len(harmful)))
        by_key = {h.key: h for h in harmful}
        chosen = ui.pick(t("options.generate.pick"), list(by_key), PREFIX + "gen_detail",
                         lambda k: _detail_name(details, k))
        _prompts(by_key[chosen or harmful[0].key], factors)

    st.subheader(t("options.generate.write"), anchor=False)
    st.caption(t("options.generate.write_help"))
    stored = ui.require_editable()  # the grids write the stored records; the rest shows ``a``
    ui.edit_table("options", stored, PREFIX + "grid", key_prefix="O", overrides={
        "detail": st.column_config.TextColumn(
            t("options.col.detail"), width="medium",
            help=t("options.col.detail_help") + " " + t("grid.ref_help", what=t("sheet.details"))),
        "status": st.column_config.TextColumn(
            t("options.col.status"), disabled=True, width="small", help=t("options.col.status_help")),
    })
    ui.table_io("options", stored, PREFIX + "grid")

    st.subheader(t("options.generate.impacts"), anchor=False)
    if not a.options:
        st.info(t("options.generate.no_options"), icon=":material/info:")
        return
    st.caption(t("options.generate.impacts_help"))
    names = {o.key: ui.record_label("options", o) for o in a.options}
    which = ui.pick(t("options.generate.impacts_of"), [None, *names], PREFIX + "impacts_of",
                    lambda k: t("options.generate.all_options") if k is None else names[k])
    if which is None:
        ui.edit_table("option_impacts", stored, PREFIX + "impacts")
    else:
        ui.edit_table("option_impacts", stored, PREFIX + "impacts_" + which, fixed={"option": which},
                      records=[oi for oi in stored.option_impacts if oi.option == which])
    ui.table_io("option_impacts", stored, PREFIX + "impacts")


def _prompts(harmful: options.HarmfulDetail, factors: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{ui.md(harmful.key)}** · {ui.label('detail_question', harmful.question)} · "
                    f"{ui.md(harmful.description, 400)}")
        lines = []
        for p in harmful.pathways:
            factor = factors[p.factor]
            pattern = f" · {ui.label('pattern', p.pattern)}" if p.pattern else ""
            lines.append(f"- {ui.label('effect', p.effect)} {ui.md(ui.record_label('factors', factor))} "
                         f"(×{p.magnitude}, {t('options.weight')} {p.weight}) · "
                         f"{ui.label('mechanism', p.mechanism)}{pattern}")
        st.markdown(t("options.generate.harm_here") + "\n\n" + "\n".join(lines))
        columns = st.columns(2, gap="medium")
        topics = [*harmful.topics, options.GENERIC_TOPIC]
        for n, topic in enumerate(topics):
            with columns[n % 2]:
                st.markdown(f":material/lightbulb: **{options.topic_label(topic, LANG)}**")
                st.markdown("\n".join(f"- {q}" for q in options.prompts(topic, LANG)))
        if harmful.options:
            st.caption(t("options.generate.already", options=", ".join(harmful.options)))


# ------------------------------------------------------------------------------------- compare
def compare(a: Analysis) -> None:
    if not a.options:
        st.info(t("options.generate.no_options"), icon=":material/info:")
        return
    details = a.by_key("details")
    scopes: list[str | None] = [None, *sorted({o.detail for o in a.options if o.detail})]
    if any(not o.detail for o in a.options):
        scopes.append(options.ADDITIONS)
    scope = ui.pick(
        t("options.compare.scope"), scopes, PREFIX + "scope",
        lambda s: t("options.compare.whole") if s is None else
        t("options.compare.additions") if s == options.ADDITIONS else _detail_name(details, s))
    frame = options.comparison(a, scope)
    value, sampled = _robustness(ui.database_url(), a.key, ui.revision(a.key), scope, a)

    st.markdown(f":material/balance: **{t('options.compare.robustness')}**")
    if value is None:
        st.info(options.robustness_sentence(None, LANG), icon=":material/info:")
    else:
        left, right = st.columns([1, 4], vertical_alignment="center")
        left.metric(t("options.compare.robustness_metric"), f"{options.robustness_percent(value)}%")
        right.markdown(options.robustness_sentence(value, LANG, sampled))
        top = frame.iloc[0]
        right.caption(t("options.compare.top", key=ui.md(top["key"]), title=ui.md(top["title"], 80)))

    st.markdown(f":material/format_list_numbered: **{t('options.compare.ranking')}**")
    st.caption(t("options.compare.rule"))
    st.dataframe(_comparison_table(frame, a), hide_index=True, width="stretch",
                 height=min(520, 40 + 35 * len(frame)), key=PREFIX + "table", column_config={
                     t("options.col.rank"): st.column_config.NumberColumn(width="small"),
                     t("options.col.option"): st.column_config.TextColumn(width="medium"),
                     t("options.col.delta"): st.column_config.NumberColumn(format="%+d", width="small"),
                     t("options.col.net"): st.column_config.NumberColumn(format="%+d", width="small"),
                     t("options.col.detail_net"): st.column_config.NumberColumn(format="%+d", width="small"),
                 })
    left, right = st.columns(2, gap="medium")
    with left:
        _chart(pictures.net_delta_figure(frame, LANG), "net_delta")
    with right:
        _chart(pictures.tradeoff_figure(frame, LANG), "tradeoff")
    st.caption(t("options.compare.tradeoff_help"))


def _comparison_table(frame: pd.DataFrame, a: Analysis) -> pd.DataFrame:
    """The comparison with the figures first (they are what is compared) and text after."""
    decided = {"": "", **{k: t("options.decided_by." + k) for k in ("delta", "feasibility", "cost", "key")}}
    by_option, details = a.by_key("options"), a.by_key("details")
    return pd.DataFrame({
        t("options.col.rank"): frame["rank"],
        t("options.col.option"): [ui.record_label("options", by_option[k], 48) for k in frame["key"]],
        t("options.col.delta"): frame["delta"],
        t("options.col.net"): frame["net"],
        t("options.col.harm"): frame["harm"],
        t("options.col.help"): frame["help"],
        t("options.col.detail_net"): frame["detail_net"],
        t("options.col.feasibility"): frame["feasibility"],
        t("options.col.cost"): frame["cost"],
        t("options.col.decided_by"): [decided.get(d, d) for d in frame["decided_by"]],
        t("options.col.status"): [_status(s) for s in frame["status"]],
        t("options.col.detail"): [_detail_name(details, d) for d in frame["detail"]],
        t("options.col.side_effects"): frame["side_effects"],
    })


def _chart(figure, name: str) -> None:
    if isinstance(figure, pictures.ChartMessage):
        st.info(str(figure), icon=":material/info:")
    else:
        st.plotly_chart(figure, width="stretch", config=CHART_CONFIG, key=PREFIX + name)


# ------------------------------------------------------------------------------ test, redesign
MOVE = PREFIX + "move"  # a status button's click: (option key, status seen, status asked for)
ADDITION = PREFIX + "addition_asked"  # the addition whose "Add the detail" was clicked
CLEAR = PREFIX + "clear"  # form fields to empty on the run after a save (never after a refusal)


def testing_panel(a: Analysis) -> None:
    if not a.options:
        st.info(t("options.generate.no_options"), icon=":material/info:")
        return
    by_key = a.by_key("options")
    details = a.by_key("details")
    testing = [o.key for o in a.options if o.status == "testing"]
    # The label holds nothing a write on this panel changes (no status): a label that changed after a
    # write would reset the picker (issue 10, scenario 6).
    key = ui.pick(t("options.test.option"), list(by_key), PREFIX + "option",
                  lambda k: ui.record_label("options", by_key[k], 60), testing[0] if testing else None,
                  lambda k: t("options.test.option_gone", choice=ui.md(k)))
    option = by_key[key]
    ui.show_flash(PREFIX + "test")
    _workflow(a, option, details)
    if not option.detail and option.key not in details:
        _addition_detail(a, option)
    elif st.session_state.pop(ADDITION, None) == option.key:
        st.info(t("options.test.detail_exists", option=ui.md(option.key)), icon=":material/info:")
    _observe(a, option, details)
    _predicted_vs_observed(a, option, details)


def _workflow(a: Analysis, option, details: dict) -> None:
    with st.container(border=True):
        st.markdown(t("options.test.status_now", option=ui.md(option.key), status=_status(option.status),
                      detail=ui.md(_detail_name(details, option.detail))))
        if option.side_effects:
            st.caption(t("options.test.side_effects", text=ui.md(option.side_effects, 400)))
        nexts = options.allowed_transitions(option.status)
        columns = st.columns(max(len(nexts), 1))
        for column, status in zip(columns, nexts):
            # The click is taken by a callback with what the person saw: it counts even when the button
            # is not drawn again (someone else moved the option meanwhile), and is then refused aloud.
            column.button(t("options.test.move_to", status=_status(status)), key=f"{PREFIX}to_{status}",
                          type="primary" if status in ("chosen", "testing", "adopted") else "secondary",
                          on_click=_clicked, args=(option.key, option.status, status), disabled=not ui.may("edit"))
        st.caption(t("options.test.workflow_help"))
        move = st.session_state.pop(MOVE, None)
        if move:
            _move(a, *move)


def _clicked(key: str, seen: str, status: str) -> None:
    st.session_state[MOVE] = (key, seen, status)
    st.session_state[PREFIX + "option"] = key
    st.session_state[PREFIX + "option" + ui.SHOWN] = (ui.selected_key(), key)


def _move(a: Analysis, key: str, seen: str, status: str) -> None:
    """Move an option to ``status`` as the person asked, unless its status changed since they looked at it.

    An edit of its other fields meanwhile (a new title) does not change what the click meant.
    """
    option = ui.require_editable().by_key("options").get(key)  # the stored text, not the one shown
    if option is None or option.status != seen:
        now = _status(option.status) if option is not None else t("options.test.deleted")
        st.error(t("options.test.changed_meanwhile", option=ui.md(key), seen=_status(seen), now=now,
                   status=_status(status)), icon=":material/sync_problem:")
        return
    moved = dataclasses.replace(option, status=status)
    _write(lambda: ui.store().save_rows(a.key, "options", upserts=[moved]), PREFIX + "test", "options.test.moved",
           option=option.key, status=_status(status))


def _addition_detail(a: Analysis, option) -> None:
    with st.container(border=True):
        st.markdown(t("options.test.addition_needs_detail", option=ui.md(option.key)))
        with st.form(PREFIX + "addition_form", border=False):
            questions = vocab.labels("detail_question", LANG)
            question = st.selectbox(t("options.col.question"), list(questions), format_func=questions.get,
                                    key=PREFIX + "addition_question")
            activity = st.text_input(t("options.test.activity"), max_chars=200, key=PREFIX + "addition_activity")
            # the click is noted by a callback: if someone else adds the detail first, the form is not
            # drawn again and the panel says so instead of dropping the click
            if st.form_submit_button(t("options.test.add_detail"), icon=":material/add:", disabled=not ui.may("edit"),
                                     on_click=st.session_state.__setitem__, args=(ADDITION, option.key)):
                st.session_state.pop(ADDITION, None)
                stored = ui.require_editable().by_key("options")[option.key]  # not the text shown
                detail = options.addition_detail(stored, question, activity.strip())
                _write(lambda: ui.store().save_rows(a.key, "details", upserts=[detail]), PREFIX + "test",
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
    review_names = {r.key: f"{ui.record_label('reviews', r)} · {r.date.isoformat()}" for r in reviews}
    default_details = options.observation_details(a, option.key)
    detail_keys = list(details)
    factors = a.by_key("factors")
    # Not clear_on_submit: a refused observation keeps what was typed; a saved one clears it (CLEAR).
    for name in st.session_state.pop(CLEAR, ()):
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
            format_func=lambda k: ui.record_label("details", details[k]), help=t("options.test.detail_help"))
        factor = first.selectbox(t("options.col.factor"), list(factors), key=PREFIX + "obs_factor",
                                 format_func=lambda k: ui.record_label("factors", factors[k]))
        effects = vocab.labels("effect", LANG)
        effect = second.selectbox(t("options.col.effect"), list(effects), format_func=effects.get,
                                  key=PREFIX + "obs_effect")
        magnitude = first.number_input(t("options.col.magnitude"), min_value=1, max_value=3, value=1, step=1,
                                       key=PREFIX + "obs_magnitude")
        mechanisms = vocab.labels("mechanism", LANG)
        mechanism = second.selectbox(t("options.col.mechanism"), list(mechanisms), format_func=mechanisms.get,
                                     key=PREFIX + "obs_mechanism")
        patterns = vocab.labels("pattern", LANG)
        pattern = first.selectbox(t("options.col.pattern"), list(patterns), format_func=patterns.get,
                                  key=PREFIX + "obs_pattern")
        confidences = vocab.labels("confidence", LANG)
        confidence = second.selectbox(t("options.col.confidence"), list(confidences), index=1,
                                      format_func=confidences.get, key=PREFIX + "obs_confidence")
        evidence = st.text_area(t("options.col.evidence"), max_chars=2000, key=PREFIX + "obs_evidence",
                                placeholder=t("options.test.evidence_placeholder"))
        if st.form_submit_button(t("options.test.record"), type="primary", icon=":material/visibility:",
                                 disabled=not ui.may("edit")):
            if changed:
                st.warning(t("options.test.choices_changed"), icon=":material/sync_problem:")
                return
            try:
                impact = options.observation(a, review, detail, factor, effect, int(magnitude), mechanism, pattern,
                                             confidence, evidence.strip())
            except InvalidInput as error:
                ui.show_problems(error.problems, "impacts")
                return
            _write(lambda: ui.store().save_rows(a.key, "impacts", upserts=[impact]), PREFIX + "test",
                   "options.test.recorded", detail=detail, date=impact.observed_on.isoformat(),
                   clear=[PREFIX + "obs_evidence", PREFIX + "obs_magnitude"])


def _predicted_vs_observed(a: Analysis, option, details: dict) -> None:
    st.subheader(t("options.test.compare"), anchor=False)
    st.caption(t("options.test.compare_help"))
    default_details = options.observation_details(a, option.key)
    left, right = st.columns(2)
    read = left.multiselect(t("options.test.read_details"), list(details), default=default_details,
                            key=f"{PREFIX}read_{option.key}",
                            format_func=lambda k: ui.record_label("details", details[k]))
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
        return f"{ui.label('effect', effect)} ×{magnitude}" if effect else none

    flags = {f: t("options.flag." + f) for f in options.FLAGS}
    st.dataframe(pd.DataFrame({
        t("options.col.factor"): [f"{r.factor} · {r.name}" for r in rows],
        t("options.col.kind"): [ui.label("factor_kind", r.kind) for r in rows],
        t("options.col.predicted"): [side(r.predicted_effect, r.predicted_magnitude) for r in rows],
        t("options.col.observed"): [side(r.observed_effect, r.observed_magnitude) for r in rows],
        t("options.col.observed_harm"): [t("options.harmful") if r.observed_harmful else "" for r in rows],
        t("options.col.flags"): ["⚠ " + "; ".join(flags[f] for f in r.flags) if r.flags else "✓" if on else ""
                                 for r in rows],
        t("options.col.evidence"): [r.evidence for r in rows],
    }), hide_index=True, width="stretch", key=f"{PREFIX}pvo")
    surprises = [r for r in rows if "unpredicted" in r.flags and r.observed_harmful]
    for r in surprises:
        st.warning(t("options.test.unpredicted_harm", factor=ui.md(f"{r.factor} · {r.name}"),
                     effect=ui.label("effect", r.observed_effect).lower(), evidence=ui.md(r.evidence, 300)),
                   icon=":material/warning:")
    if on is not None and rows and not any(r.flags for r in rows):
        st.success(t("options.test.as_predicted"), icon=":material/check_circle:")


# ------------------------------------------------------------------------------------- what if
def what_if(a: Analysis) -> None:
    st.caption(t("options.whatif.help"))
    result = options.what_if(a)
    harm, help_, net = st.columns(3, border=True)
    harm.metric(t("options.col.harm"), result.after.harm, delta=result.after.harm - result.before.harm,
                delta_color="inverse", help=t("options.whatif.before", value=result.before.harm))
    help_.metric(t("options.col.help"), result.after.help, delta=result.after.help - result.before.help,
                 help=t("options.whatif.before", value=result.before.help))
    net.metric(t("options.col.net"), f"{result.after.net:+d}", delta=result.after.net - result.before.net,
               help=t("options.whatif.before", value=result.before.net))
    st.caption(t("options.whatif.now", harm=result.before.harm, help=result.before.help, net=result.before.net))
    if not result.applied:
        st.info(t("options.whatif.none"), icon=":material/info:")
        return
    by_option = a.by_key("options")
    details = a.by_key("details")
    before = {d.key: d for d in result.details_before}
    after = {d.key: d for d in result.details_after}
    st.dataframe(pd.DataFrame({
        t("options.col.option"): [ui.record_label("options", by_option[o]) for o, _ in result.applied],
        t("options.col.status"): [_status(by_option[o].status) for o, _ in result.applied],
        t("options.col.detail"): [_detail_name(details, d) if d in details else t("options.whatif.new_detail", key=d)
                                  for _, d in result.applied],
        t("options.col.active"): [t("options.yes") if after[d].active else t("options.no") for _, d in result.applied],
        t("options.whatif.net_now"): [before[d].net if d in before else 0 for _, d in result.applied],
        t("options.whatif.net_then"): [after[d].net for _, d in result.applied],
    }), hide_index=True, width="stretch", key=PREFIX + "whatif")
    if result.skipped:
        st.caption(t("options.whatif.skipped", options=", ".join(result.skipped)))


# ------------------------------------------------------------------------------------- the page
a = ui.require_analysis()  # pseudonymised while names are hidden; writes take the stored records
st.title(t("page.options"), anchor=False)
st.caption(t("options.intro"))
tab_labels = [t("options.tab.generate"), t("options.tab.compare"), t("options.tab.test"), t("options.tab.whatif")]
tabs = st.tabs(tab_labels, key=PREFIX + "tab", on_change="rerun")
for tab, draw in zip(tabs, (generate, compare, testing_panel, what_if)):
    if tab.open:
        with tab:
            draw(a)
