"""The scores of the analysis on screen, computed once per run, and the harm / help / net metrics."""

from __future__ import annotations

import streamlit as st

from app import session
from app.selection import revision, variant
from app.words import t
from dnh_graph import scoring
from dnh_graph.model import Analysis

__all__ = ["scores", "detail_scores", "pathways", "score_metrics"]


def scores(a: Analysis) -> scoring.Scores:
    """Every score of DESIGN §5 but robustness (details, totals, ranked options), once per run."""
    return session.memo("scores:" + variant(a), a.key, revision(a.key),
                        lambda: scoring.score(a, with_robustness=False))


def detail_scores(a: Analysis) -> tuple[list[scoring.DetailScore], scoring.Totals]:
    """Harm, help and net per detail, and the analysis' totals over active details, once per run."""
    def compute():
        details = scoring.detail_scores(a)
        return details, scoring.totals(details)

    return session.memo("detail_scores:" + variant(a), a.key, revision(a.key), compute)


def pathways(a: Analysis) -> list[scoring.HarmPathway]:
    """The harm pathways of the active details, heaviest first, once per run."""
    return session.memo("pathways:" + variant(a), a.key, revision(a.key), lambda: scoring.harm_pathways(a))


def score_metrics(totals: scoring.Totals) -> None:
    """Harm, help and net of the analysis (DESIGN §5) as three metrics side by side."""
    harm, help_, net = st.columns(3, border=True)
    harm.metric(t("impacts.harm"), totals.harm, help=t("overview.harm_help"))
    help_.metric(t("impacts.help"), totals.help, help=t("overview.help_help"))
    net.metric(t("impacts.net"), f"{totals.net:+d}" if totals.net else "0", help=t("overview.net_help"))
