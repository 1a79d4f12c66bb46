"""The option status workflow (DNH step 7), written once: the store checks it on every write of an option.

Its own small module (vocabulary and records only) so that :mod:`dnh_graph.store` can enforce it
without importing the Options screen's helpers; :mod:`dnh_graph.options` re-exports it.

::

    idea ──► chosen ──► testing ──► adopted
      ▲  ╲      │  ╲        │          │
      │   ╲     ▼   ╲       ▼          ▼
      └──── rejected ◄──────┴──────────┘

An idea can be chosen or rejected; a chosen option can be tested, set back to an idea or rejected; a
tested option is adopted or rejected; an adopted option can still be rejected when a later review shows
harm. A rejected option can come back as an idea (contexts change), but never jumps straight back to
chosen, testing or adopted: it is looked at again first.

Which paths follow it: every change of a saved option (the status buttons, the options grid, the
options table import) goes through :meth:`dnh_graph.store.Store.save_rows`, which refuses a move this
workflow does not allow. A new option may start at any status (a pasted or imported table records
decisions already taken), and a whole analysis imported or restored keeps its statuses as recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dnh_graph import vocab
from dnh_graph.i18n import translate
from dnh_graph.model import Option, Problem

__all__ = ["STATUS_FLOW", "allowed_transitions", "status_problems"]

STATUS_FLOW: dict[str, tuple[str, ...]] = {
    "idea": ("chosen", "rejected"),
    "chosen": ("testing", "idea", "rejected"),
    "testing": ("adopted", "rejected"),
    "adopted": ("rejected",),
    "rejected": ("idea",),
}


def allowed_transitions(status: str) -> tuple[str, ...]:
    """The statuses an option may move to next.

    Examples
    --------
    >>> allowed_transitions("idea"), allowed_transitions("testing")
    (('chosen', 'rejected'), ('adopted', 'rejected'))
    """
    return STATUS_FLOW.get(status, ())


def status_problems(before: Iterable[Option], after: Sequence[Option], lang: str = "en") -> list[Problem]:
    """Status changes in ``after`` (saved options, matched by ``id``) that skip the workflow.

    New options (no ``id``) may start at any status: an imported or pasted table carries its own. An
    option edited from an older version than ``before`` holds is left to the stale-edit check, whose
    sentence (someone else changed it) is the one a person needs.
    ``row`` in each problem is the 1-based position in ``after``; the sentence names the option, the
    status it has, the one asked for and the moves it allows.

    Examples
    --------
    >>> was = Option("O1", "Open the list", id=1, version=1)
    >>> print(status_problems([was], [Option("O1", "Open the list", status="adopted", id=1, version=1)])[0])
    options, row 1, status: option O1 cannot go from Idea to Adopted; from Idea it can go to: Chosen, Rejected.
    """
    old = {o.id: o for o in before if o.id is not None}
    problems = []
    for n, option in enumerate(after, start=1):
        was = old.get(option.id) if option.id is not None else None
        if was is None or option.version != was.version or was.status == option.status \
                or option.status in allowed_transitions(was.status):
            continue
        allowed = ", ".join(vocab.label("option_status", s, lang) for s in allowed_transitions(was.status))
        problems.append(Problem("options", n, "status", translate(
            "options.workflow.refused", lang, option=option.key,
            old=vocab.label("option_status", was.status, lang),
            new=vocab.label("option_status", option.status, lang), allowed=allowed)))
    return problems
