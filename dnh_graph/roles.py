"""Who may do what (issue 13): four roles, the rights each one holds, and the sentence of a refusal.

A role is held per workspace (``analysis`` empty) or per analysis (a facilitator invited someone);
the stronger of the two counts. An administrator holds every right everywhere. The store checks
these rights on every read and write (:class:`dnh_graph.store.Store`); the app only hides what a
role cannot do.

Examples
--------
>>> access = Access.of(False, [Grant("editor", "", False), Grant("facilitator", "bay", False)], "bay")
>>> access.role, access.may("edit"), access.may("manage"), access.reveal
('facilitator', True, True, True)
>>> Access.of(False, [Grant("viewer", "", False)], "bay").may("edit")
False
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dnh_graph.i18n import translate
from dnh_graph.model import Said

__all__ = ["ROLES", "RIGHTS", "REVEAL", "FULL", "Grant", "Access", "AccessError", "AccountError", "rank",
           "check_role", "refusal"]

# weakest first: a stronger role holds every right of a weaker one
ROLES = ("viewer", "editor", "facilitator", "admin")
# right -> the weakest role that holds it
RIGHTS = {
    "read": "viewer",  # see the analysis (sensitive names hidden unless revealed)
    "edit": "editor",  # change rows, notes, the header; create analyses in the workspace
    "manage": "facilitator",  # delete an analysis, invite people, reveal sensitive names
    "accounts": "admin",  # add and remove accounts
}
REVEAL = "facilitator"  # the weakest role that sees sensitive names without a grant


class AccessError(Said, PermissionError):
    """The person's role does not allow this; nothing was read or changed. Role params (``role``,
    ``wanted``, ``holder``) are role keys, shown by their ``role.*`` names in each language."""

    def render(self, lang: str = "en") -> str:
        params = {k: translate(f"role.{v}", lang) if k in _ROLE_PARAMS and v in ROLES else v
                  for k, v in self.params.items()}
        return translate(self.msgid, lang, **params)


_ROLE_PARAMS = {"role", "wanted", "holder"}


class AccountError(Said, ValueError):
    """A refused account command (unknown name, taken name, empty password, no such role); nothing changed."""


def rank(role: str | None) -> int:
    """Position of a role (0 = viewer); -1 for no role."""
    return ROLES.index(role) if role in ROLES else -1


def check_role(role: str) -> str:
    """``role`` when it is one of :data:`ROLES`, else a clear refusal."""
    if role not in ROLES:
        raise AccountError("account.no_such_role", role=role, roles=", ".join(ROLES))
    return role


@dataclass(frozen=True)
class Grant:
    """One membership row: a role in the whole workspace (``analysis`` empty) or in one analysis."""

    role: str
    analysis: str
    reveal: bool  # sensitive names shown although the role alone would hide them


@dataclass(frozen=True)
class Access:
    """What one person may do in one analysis (or, ``analysis`` None, in the workspace as a whole)."""

    role: str | None
    reveal: bool

    @classmethod
    def of(cls, admin: bool, grants: Iterable[Grant], analysis: str | None) -> Access:
        if admin:
            return cls("admin", True)
        found = [g for g in grants if g.analysis == "" or (analysis is not None and g.analysis == analysis)]
        if not found:
            return cls(None, False)
        role = max((g.role for g in found), key=rank)
        return cls(role, rank(role) >= rank(REVEAL) or any(g.reveal for g in found))

    def may(self, right: str) -> bool:
        return rank(self.role) >= rank(RIGHTS[right])

    @property
    def masked(self) -> bool:
        """The store hands this person the pseudonymised analysis: they may neither see sensitive names
        nor write. An editor gets the stored records (a save must not write ``Actor A1`` over a name)
        and the app masks what it shows them."""
        return not self.reveal and not self.may("edit")


FULL = Access("admin", True)  # a store opened without a person: the operator (CLI, the one-person laptop)


def refusal(person: str, access: Access, right: str, analysis: str | None) -> AccessError:
    """The sentence a refused person reads: who they are, what they hold, what to ask for. One id per
    right and case (role held or not, in an analysis or the workspace), so every word is translated."""
    held = "held" if access.role else "none"
    where = "analysis" if analysis else "workspace"
    return AccessError(f"access.refused.{right}.{held}_{where}", person=person, role=access.role or "",
                       analysis=analysis or "", wanted=RIGHTS[right])
