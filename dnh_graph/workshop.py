"""Workshop mode: what the app says at each of the seven steps when it leads a room (no streamlit here).

Each :class:`WorkshopStep` names, as message ids of the catalog, the step's purpose, the method's
guidance and the questions to ask the room. The questions are those the screens already ask: the
seven questions of the Intervention screen for details, the resource-transfer and implicit-ethical-
message patterns for impacts, the Options screen's prompts for options; only steps 1–3 and 7 have
questions of their own (``workshop.ask.<n>.<i>``). What is still missing at a step is the part of
:func:`dnh_graph.steps.missing` that belongs to it.

The timer is an end time (UTC) stored with the room's step (:mod:`dnh_graph.store.workshop`), so a
facilitator who reloads or comes back finds the same countdown; :func:`countdown_html` draws it in the
browser from numbers and catalog texts only (nothing a person typed goes into that HTML).

Examples
--------
>>> [s.number for s in STEPS], STEPS[3].questions[0], STEPS[1].note_kind
([1, 2, 3, 4, 5, 6, 7], 'intervention.question.why', 'divider')
>>> [g.msgid for g in step_gaps(__import__("dnh_graph.model").model.Analysis(
...     __import__("dnh_graph.model").model.AnalysisInfo("x", "X")), 2)]
['missing.dividers']
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass

from dnh_graph.model import Analysis
from dnh_graph.options import GENERIC_TOPIC, PROMPT_IDS
from dnh_graph.steps import Gap, missing
from dnh_graph.vocab import IMPLICIT_ETHICAL_MESSAGE_PATTERNS, RESOURCE_TRANSFER_PATTERNS, keys

__all__ = ["WorkshopStep", "STEPS", "step", "step_gaps", "remaining", "countdown_html", "clamp_step"]


@dataclass(frozen=True)
class WorkshopStep:
    number: int
    title: str  # message id: the step's name (steps.*)
    purpose: str  # message id: why the step, in a sentence
    guidance: str  # message id: how to run it, a few lines of markdown
    questions: tuple[str, ...]  # message ids of the questions to ask the room
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (heading id, vocabulary label ids) e.g. patterns
    page: str  # the full screen of the step
    sheets: tuple[str, ...]  # the tables the step fills (comments and the step's own rows)
    gaps: tuple[str, ...]  # the "missing.*" ids that belong to this step
    note_kind: str  # what a quick note typed at this step is, by default


def _ask(n: int, count: int) -> tuple[str, ...]:
    return tuple(f"workshop.ask.{n}.{i}" for i in range(1, count + 1))


STEPS: tuple[WorkshopStep, ...] = (
    WorkshopStep(1, "steps.context", "workshop.purpose.1", "workshop.guidance.1", _ask(1, 4), (),
                 "context_actors", ("actors",), ("missing.context", "missing.actors", "missing.relationships"),
                 "actor"),
    WorkshopStep(2, "steps.dividers", "workshop.purpose.2", "workshop.guidance.2", _ask(2, 4), (),
                 "factors", ("factors",), ("missing.dividers", "missing.factor_actors"), "divider"),
    WorkshopStep(3, "steps.connectors", "workshop.purpose.3", "workshop.guidance.3", _ask(3, 4), (),
                 "factors", ("factors",), ("missing.connectors", "missing.factor_actors"), "connector"),
    WorkshopStep(4, "steps.details", "workshop.purpose.4", "workshop.guidance.4",
                 tuple(f"intervention.question.{q}" for q in keys("detail_question")), (),
                 "intervention", ("details",), ("missing.details",), "detail"),
    WorkshopStep(5, "steps.impacts", "workshop.purpose.5", "workshop.guidance.5", _ask(5, 2),
                 (("vocab.mechanism.resource_transfer",
                   tuple(f"vocab.pattern.{p}" for p in RESOURCE_TRANSFER_PATTERNS)),
                  ("vocab.mechanism.implicit_ethical_message",
                   tuple(f"vocab.pattern.{p}" for p in IMPLICIT_ETHICAL_MESSAGE_PATTERNS))),
                 "impacts", ("impacts", "details"), ("missing.impacts", "missing.details_without_impact"),
                 "unsorted"),
    WorkshopStep(6, "steps.options", "workshop.purpose.6", "workshop.guidance.6", PROMPT_IDS[GENERIC_TOPIC],
                 (("vocab.mechanism.resource_transfer", PROMPT_IDS["resource_transfer"]),
                  ("vocab.mechanism.implicit_ethical_message", PROMPT_IDS["implicit_ethical_message"])),
                 "options", ("options",), ("missing.options",), "unsorted"),
    WorkshopStep(7, "steps.test", "workshop.purpose.7", "workshop.guidance.7", _ask(7, 4), (),
                 "options", ("options",), ("missing.tests",), "unsorted"),
)


def clamp_step(value: object) -> int:
    """A step number from a URL (``?step=9``, ``?step=x``): always one of 1..7."""
    try:
        number = int(str(value))
    except ValueError:
        return 1
    return min(max(number, 1), len(STEPS))


def step(number: int) -> WorkshopStep:
    return STEPS[clamp_step(number) - 1]


def step_gaps(analysis: Analysis, number: int) -> list[Gap]:
    """What is still missing before the room moves on from step ``number``."""
    wanted = step(number).gaps
    return [g for g in missing(analysis) if g.msgid in wanted]


def remaining(end: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole seconds left on the timer (0 once it ran out); None when no timer runs."""
    if end is None:
        return None
    return max(0, int((end - now).total_seconds() + 0.999))


def countdown_html(end: dt.datetime, done_text: str, label: str) -> str:
    """A countdown that ticks in the browser to ``end`` (UTC), with no rerun of the app.

    Only a number (milliseconds since 1970) and two catalog texts go in, escaped for HTML and passed
    to the script as JSON: nothing a participant typed reaches this HTML.

    >>> "1767225600000" in countdown_html(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "Time is up", "Time left")
    True
    """
    ms = int(end.timestamp() * 1000)
    done = json.dumps(done_text).replace("<", "\\u003c")
    return (
        f'<div class="dnh-timer" role="timer" aria-label="{html.escape(label)}" data-end="{ms}">'
        '<span class="dnh-timer-value">--:--</span></div>'
        "<script>(function(){"
        f"const done={done};"
        "document.querySelectorAll('.dnh-timer:not([data-ticking])').forEach(function(box){"
        "box.setAttribute('data-ticking','1');"
        "const out=box.querySelector('.dnh-timer-value');const end=Number(box.dataset.end);"
        "function tick(){if(!box.isConnected){return;}"
        "const left=Math.max(0,Math.round((end-Date.now())/1000));"
        "if(left===0){out.textContent=done;box.classList.add('dnh-timer-done');return;}"
        "const m=Math.floor(left/60),s=left%60;"
        "out.textContent=m+':'+String(s).padStart(2,'0');setTimeout(tick,250);}"
        "tick();});})();</script>"
    )
