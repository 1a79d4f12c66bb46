"""The Options screen's Generate, Compare and What-if tabs, and what its tabs share (the write, names).

Every figure comes from :mod:`dnh_graph.scoring` through :mod:`dnh_graph.options`, so the ranking,
deltas and robustness shown are those of ``dnh score --json``. The Test & redesign tab is
:mod:`app.option_testing`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import grid, messages, pickers, selection, session, table_files, words
from dnh_graph import options
from dnh_graph.model import Analysis, InvalidInput
from dnh_graph.render import options as pictures
from dnh_graph.store import NotFoundError, StaleEditError

__all__ = ["PREFIX", "CLEAR", "detail_name", "status", "write", "generate", "compare", "what_if"]

t = words.t
PREFIX = "opt_"  # every session key of this screen
CLEAR = PREFIX + "clear"  # form fields to empty on the run after a save (never after a refusal)
CHART_CONFIG = {"displaylogo": False}


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _robustness(url: str, key: str, revision: int, detail: str | None, _analysis: Analysis) -> tuple:
    """(robustness, sampled) of the ranking, cached per analysis revision: the costliest figure here."""
    return options.ranking_robustness(_analysis, detail), options.robustness_is_sampled(_analysis, detail)


def detail_name(details: dict, key: str) -> str:
    if not key:
        return t("options.addition")
    return pickers.record_label("details", details[key]) if key in details else key


def status(key: str) -> str:
    return words.label("option_status", key)


def write(action, grid: str, msgid: str, clear: list[str] | None = None, **params) -> None:
    """Run one store write; on success clear the caches (and the form fields named in ``clear``), say so
    on the next run, rerun. On a refusal nothing is cleared: the person's typing stays."""
    try:
        action()
    except InvalidInput as error:
        st.error(t("grid.nothing_saved"), icon=":material/error:")
        messages.show_problems(error.problems)
        return
    except (StaleEditError, NotFoundError) as error:
        st.error(words.md(words.said(error)), icon=":material/sync_problem:")
        return
    session.clear_caches()
    if clear:
        st.session_state[CLEAR] = clear
    messages.flash(grid, msgid, **params)
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
            t("options.col.detail"): [detail_name(details, h.key) for h in harmful],
            t("options.col.question"): [words.label("detail_question", h.question) for h in harmful],
            t("options.col.harm"): [h.harm for h in harmful],
            t("options.col.net"): [h.net for h in harmful],
            t("options.col.patterns"): [", ".join(options.topic_label(x, words.lang()) for x in h.topics)
                                        for h in harmful],
            t("options.col.options"): [", ".join(h.options) for h in harmful],
        }), hide_index=True, width="stretch", height=min(320, 40 + 35 * len(harmful)))
        by_key = {h.key: h for h in harmful}
        chosen = pickers.pick(t("options.generate.pick"), list(by_key), PREFIX + "gen_detail",
                              lambda k: detail_name(details, k))
        _prompts(by_key[chosen or harmful[0].key], factors)

    st.subheader(t("options.generate.write"), anchor=False)
    st.caption(t("options.generate.write_help"))
    stored = selection.require_editable()  # the grids write the stored records; the rest shows ``a``
    grid.edit_table("options", stored, PREFIX + "grid", key_prefix="O", overrides={
        "detail": st.column_config.TextColumn(
            t("options.col.detail"), width="medium",
            help=t("options.col.detail_help") + " " + t("grid.ref_help", what=t("sheet.details"))),
        "status": st.column_config.TextColumn(
            t("options.col.status"), disabled=True, width="small", help=t("options.col.status_help")),
    })
    table_files.table_io("options", stored, PREFIX + "grid")

    st.subheader(t("options.generate.impacts"), anchor=False)
    if not a.options:
        st.info(t("options.generate.no_options"), icon=":material/info:")
        return
    st.caption(t("options.generate.impacts_help"))
    names = {o.key: pickers.record_label("options", o) for o in a.options}
    which = pickers.pick(t("options.generate.impacts_of"), [None, *names], PREFIX + "impacts_of",
                         lambda k: t("options.generate.all_options") if k is None else names[k])
    if which is None:
        grid.edit_table("option_impacts", stored, PREFIX + "impacts")
    else:
        grid.edit_table("option_impacts", stored, PREFIX + "impacts_" + which, fixed={"option": which},
                        records=[oi for oi in stored.option_impacts if oi.option == which])
    table_files.table_io("option_impacts", stored, PREFIX + "impacts")


def _prompts(harmful: options.HarmfulDetail, factors: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{words.md(harmful.key)}** · {words.label('detail_question', harmful.question)} · "
                    f"{words.md(harmful.description, 400)}")
        lines = []
        for p in harmful.pathways:
            factor = factors[p.factor]
            pattern = f" · {words.label('pattern', p.pattern)}" if p.pattern else ""
            lines.append(f"- {words.label('effect', p.effect)} {words.md(pickers.record_label('factors', factor))} "
                         f"(×{p.magnitude}, {t('options.weight')} {p.weight}) · "
                         f"{words.label('mechanism', p.mechanism)}{pattern}")
        st.markdown(t("options.generate.harm_here") + "\n\n" + "\n".join(lines))
        columns = st.columns(2, gap="medium")
        topics = [*harmful.topics, options.GENERIC_TOPIC]
        for n, topic in enumerate(topics):
            with columns[n % 2]:
                st.markdown(f":material/lightbulb: **{options.topic_label(topic, words.lang())}**")
                st.markdown("\n".join(f"- {q}" for q in options.prompts(topic, words.lang())))
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
    scope = pickers.pick(
        t("options.compare.scope"), scopes, PREFIX + "scope",
        lambda s: t("options.compare.whole") if s is None else
        t("options.compare.additions") if s == options.ADDITIONS else detail_name(details, s))
    frame = options.comparison(a, scope)
    value, sampled = _robustness(session.database_url(), a.key, selection.revision(a.key), scope, a)

    st.markdown(f":material/balance: **{t('options.compare.robustness')}**")
    if value is None:
        st.info(options.robustness_sentence(None, words.lang()), icon=":material/info:")
    else:
        left, right = st.columns([1, 4], vertical_alignment="center")
        left.metric(t("options.compare.robustness_metric"), f"{options.robustness_percent(value)}%")
        right.markdown(options.robustness_sentence(value, words.lang(), sampled))
        top = frame.iloc[0]
        right.caption(t("options.compare.top", key=words.md(top["key"]), title=words.md(top["title"], 80)))

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
        _chart(pictures.net_delta_figure(frame, words.lang()), "net_delta")
    with right:
        _chart(pictures.tradeoff_figure(frame, words.lang()), "tradeoff")
    st.caption(t("options.compare.tradeoff_help"))


def _comparison_table(frame: pd.DataFrame, a: Analysis) -> pd.DataFrame:
    """The comparison with the figures first (they are what is compared) and text after."""
    decided = {"": "", **{k: t("options.decided_by." + k) for k in ("delta", "feasibility", "cost", "key")}}
    by_option, details = a.by_key("options"), a.by_key("details")
    return pd.DataFrame({
        t("options.col.rank"): frame["rank"],
        t("options.col.option"): [pickers.record_label("options", by_option[k], 48) for k in frame["key"]],
        t("options.col.delta"): frame["delta"],
        t("options.col.net"): frame["net"],
        t("options.col.harm"): frame["harm"],
        t("options.col.help"): frame["help"],
        t("options.col.detail_net"): frame["detail_net"],
        t("options.col.feasibility"): frame["feasibility"],
        t("options.col.cost"): frame["cost"],
        t("options.col.decided_by"): [decided.get(d, d) for d in frame["decided_by"]],
        t("options.col.status"): [status(s) for s in frame["status"]],
        t("options.col.detail"): [detail_name(details, d) for d in frame["detail"]],
        t("options.col.side_effects"): frame["side_effects"],
    })


def _chart(figure, name: str) -> None:
    if isinstance(figure, pictures.ChartMessage):
        st.info(str(figure), icon=":material/info:")
    else:
        st.plotly_chart(figure, width="stretch", config=CHART_CONFIG, key=PREFIX + name)



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
        t("options.col.option"): [pickers.record_label("options", by_option[o]) for o, _ in result.applied],
        t("options.col.status"): [status(by_option[o].status) for o, _ in result.applied],
        t("options.col.detail"): [detail_name(details, d) if d in details else t("options.whatif.new_detail", key=d)
                                  for _, d in result.applied],
        t("options.col.active"): [t("options.yes") if after[d].active else t("options.no") for _, d in result.applied],
        t("options.whatif.net_now"): [before[d].net if d in before else 0 for _, d in result.applied],
        t("options.whatif.net_then"): [after[d].net for _, d in result.applied],
    }), hide_index=True, width="stretch", key=PREFIX + "whatif")
    if result.skipped:
        st.caption(t("options.whatif.skipped", options=", ".join(result.skipped)))

