"""Roles enforced in the store (issue 13): every store method, called directly as each kind of person,
is allowed exactly when the role holds the right, and a refusal is a sentence that changes nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from dnh_graph import accounts, history, privacy
from dnh_graph.model import AnalysisInfo
from dnh_graph.roles import AccessError
from dnh_graph.store import Store, make_engine
from dnh_graph.store import workshop as room
from dnh_graph.store.schema import metadata
from tests.accounts_support import fast_hashes  # noqa: F401  (autouse fixture)
from tests.factories import rich_analysis

# person -> (role in the whole workspace, role in the analysis 'bay'): the test's own oracle
PEOPLE = {
    "w_viewer": ("viewer", None),
    "w_editor": ("editor", None),
    "w_facilitator": ("facilitator", None),
    "boss": ("admin", "admin"),
    "invited_editor": (None, "editor"),  # a facilitator invited them to 'bay' only
    "invited_viewer": (None, "viewer"),
    "nobody": (None, None),  # an account without a role
    "ghost": (None, None),  # not (or no longer) an account
}
RANK = {None: -1, "viewer": 0, "editor": 1, "facilitator": 2, "admin": 3}
NEEDS = {"read": "viewer", "edit": "editor", "manage": "facilitator", "accounts": "admin"}


def holds(person: str, right: str, scope: str) -> bool:
    workspace, invited = PEOPLE[person]
    role = max(workspace, invited, key=RANK.get) if scope == "bay" else workspace
    return RANK[role] >= RANK[NEEDS[right]]


def fresh() -> Store:
    """A store with the analysis 'bay' and the accounts of :data:`PEOPLE` (tables made directly: fast)."""
    engine = make_engine("sqlite://")
    metadata.create_all(engine)
    store = Store(engine, who="operator")
    store.import_analysis(rich_analysis())
    for name, (workspace, invited) in PEOPLE.items():
        if name == "ghost":
            continue
        accounts.add_account(store, name, "pw", "admin" if workspace == "admin" else workspace or "viewer")
        if workspace is None:
            with engine.begin() as conn:
                conn.exec_driver_sql("delete from membership where account_id = (select id from account where "
                                     "name = ?)", (name,))
        if invited and workspace != "admin":
            accounts.grant(store, name, invited, analysis="bay")
    return store


def actor(store: Store):
    return Store(store.engine).load("bay").actors[0]


# method -> (right, scope, call): every write of the store and of the modules beside it
WRITES = {
    "create_analysis": ("edit", "workspace", lambda s: s.create_analysis(AnalysisInfo("new", "New"))),
    "import_analysis": ("edit", "workspace", lambda s: s.import_analysis(rich_analysis("other"))),
    "duplicate_analysis": ("edit", "workspace", lambda s: s.duplicate_analysis("bay", "bay2")),
    "update_info": ("edit", "bay", lambda s: s.update_info(replace(Store(s.engine).load("bay").info, name="X"))),
    "save_rows": ("edit", "bay", lambda s: s.save_rows("bay", "actors", upserts=[replace(actor(s), name="X")])),
    "save_changes": ("edit", "bay", lambda s: s.save_changes("bay", [("actors", [], [actor(s)])])),
    "delete_analysis": ("manage", "bay", lambda s: s.delete_analysis("bay")),
    "workshop.save_session": ("edit", "bay", lambda s: room.save_session(s, "bay", room.Session(step=2))),
    "workshop.add_note": ("edit", "bay", lambda s: room.add_note(s, "bay", "a note")),
    "workshop.add_comment": ("edit", "bay", lambda s: room.add_comment(s, "bay", "actors", actor(s).id, "hm")),
    "accounts.grant(bay)": ("manage", "bay", lambda s: accounts.grant(s, "nobody", "viewer", analysis="bay")),
    "accounts.add_account": ("accounts", "workspace", lambda s: accounts.add_account(s, "eve", "pw", "editor")),
    "accounts.set_password": ("accounts", "workspace", lambda s: accounts.set_password(s, "nobody", "pw2")),
    "accounts.remove_account": ("accounts", "workspace", lambda s: accounts.remove_account(s, "nobody")),
}
READS = {
    "load": lambda s: s.load("bay"),
    "revision": lambda s: s.revision("bay"),
    "audit_entries": lambda s: s.audit_entries("bay"),
    "dependents": lambda s: s.dependents("bay", "actors", "A1"),
    "workshop.notes": lambda s: room.notes(s, "bay"),
    "workshop.session": lambda s: room.session(s, "bay"),
}


def snapshot(store: Store) -> dict:
    with store.engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(sa.select(t)).all())) for t in metadata.sorted_tables}


@settings(max_examples=60)
@given(method=st.sampled_from(sorted(WRITES)), person=st.sampled_from(sorted(PEOPLE)))
def test_a_write_is_allowed_exactly_when_the_role_holds_the_right(method, person):
    store = fresh()
    right, scope, call = WRITES[method]
    before = snapshot(store)
    if holds(person, right, scope):
        call(store.as_person(person))
        assert snapshot(store) != before
    else:
        with pytest.raises(AccessError, match=f"^{person} .* may not .*nothing was changed"):
            call(store.as_person(person))
        assert snapshot(store) == before


@pytest.mark.parametrize("method", sorted(WRITES))
def test_a_viewer_calling_the_store_directly_is_refused_and_nothing_changes(method):
    store = fresh()
    before = snapshot(store)
    with pytest.raises(AccessError) as refused:
        WRITES[method][2](store.as_person("w_viewer"))
    assert snapshot(store) == before
    assert str(refused.value).startswith("w_viewer holds the viewer role in ")


@settings(max_examples=30)
@given(method=st.sampled_from(sorted(READS)), person=st.sampled_from(sorted(PEOPLE)))
def test_a_read_is_allowed_exactly_when_the_person_may_open_the_analysis(method, person):
    store = fresh()
    if holds(person, "read", "bay"):
        READS[method](store.as_person(person))
    else:
        with pytest.raises(AccessError, match="may not open it"):
            READS[method](store.as_person(person))


def test_the_list_holds_only_what_the_person_may_open():
    store = fresh()
    store.import_analysis(rich_analysis("other"))
    assert [s.key for s in store.as_person("invited_viewer").list_analyses()] == ["bay"]
    assert [s.key for s in store.as_person("w_viewer").list_analyses()] == ["bay", "other"]
    assert store.as_person("nobody").list_analyses() == []


def test_a_viewer_reads_pseudonyms_unless_granted_an_editor_the_stored_names():
    store = fresh()
    sensitive = next(a for a in rich_analysis().actors if a.sensitive)
    shown = store.as_person("w_viewer").load("bay")
    assert sensitive.name not in {a.name for a in shown.actors}
    assert sensitive.name not in repr(store.as_person("w_viewer").audit_entries("bay"))
    assert sensitive.name in {a.name for a in store.as_person("w_editor").load("bay").actors}
    accounts.grant(store, "w_viewer", "viewer", reveal=True)
    assert sensitive.name in {a.name for a in store.as_person("w_viewer").load("bay").actors}


def test_a_viewer_reads_workshop_notes_and_comments_with_pseudonyms():
    """As the analysis: a viewer's notes and comments name a sensitive actor by its pseudonym (and a note
    sorted into it by its pseudonymous key); an editor, or a viewer granted it, reads them as stored."""
    store = fresh()
    stored = store.load("bay")
    sensitive = next(a for a in stored.actors if a.sensitive)
    label = privacy.pseudonym_of(stored, sensitive.key)
    note = room.add_note(store, "bay", f"Ask {sensitive.name} first", "actor")
    room.update_note(store, "bay", replace(note, sorted_to=sensitive.key))
    room.add_comment(store, "bay", "actors", sensitive.id, f"{sensitive.name} agreed")
    viewer = store.as_person("w_viewer")
    [seen] = room.notes(viewer, "bay")
    assert (seen.text, seen.sorted_to, seen.version) == (f"Ask {label} first", label.split()[-1], 2)
    assert [c.text for c in room.comments(viewer, "bay")] == [f"{label} agreed"]
    assert sensitive.name not in repr([room.notes(viewer, "bay"), room.comments(viewer, "bay", "actors", sensitive.id)])
    with pytest.raises(AccessError):  # the stored rows (for the history) are not for them
        room.rows(viewer, "bay")
    for person in ("w_editor", "w_facilitator"):
        assert room.notes(store.as_person(person), "bay")[0].text == f"Ask {sensitive.name} first"
    accounts.grant(store, "w_viewer", "viewer", reveal=True)
    assert room.comments(viewer, "bay")[0].text == f"{sensitive.name} agreed"


def words(changes) -> str:
    """Every text of a history (keys, values before and after), one per line."""
    def texts(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict | list):
            for item in value.values() if isinstance(value, dict) else value:
                yield from texts(item)
    return "\n".join(t for c in changes for t in texts([c.entity_key, c.before, c.after]))


def test_a_viewer_reads_the_history_masked_by_the_store_itself():
    """Not only the History screen: a viewer calling the store directly gets no sensitive name, description
    or tag in any change, before or after; an editor, or a viewer granted names, gets them."""
    store = fresh()
    sensitive = next(a for a in rich_analysis().actors if a.sensitive)
    row = next(a for a in store.load("bay").actors if a.key == sensitive.key)
    store.save_rows("bay", "actors", upserts=[replace(row, description="moved upstream in March")])
    stored = store.changes("bay")
    assert sensitive.name in words(stored) and "moved upstream in March" in words(stored)
    masked = store.as_person("w_viewer").changes("bay")
    assert sensitive.name not in words(masked) and "moved upstream in March" not in words(masked)
    assert masked == history.mask_sensitive(stored, store.load("bay"))
    assert [c.id for c in masked] == [c.id for c in stored]
    assert store.as_person("w_editor").changes("bay") == stored
    accounts.grant(store, "w_viewer", "viewer", reveal=True)
    assert store.as_person("w_viewer").changes("bay") == stored


def test_the_audit_log_records_the_person_not_the_os_user():
    store = fresh()
    store.as_person("w_editor").save_rows("bay", "actors", upserts=[replace(actor(store), name="Renamed")])
    assert store.audit_entries("bay")[0]["who"] == "w_editor"


def test_a_facilitator_may_not_hand_out_more_than_their_own_role():
    store = fresh()
    with pytest.raises(AccessError, match="may not hand out the admin role"):
        accounts.grant(store.as_person("w_facilitator"), "nobody", "admin", analysis="bay")
    accounts.grant(store.as_person("w_facilitator"), "nobody", "editor", analysis="bay")
    assert ("nobody", "editor") in accounts.members(store, "bay")


def test_renaming_an_analysis_keeps_its_invitations():
    store = fresh()
    store.update_info(replace(store.load("bay").info, key="bay_new"), key="bay")
    assert [s.key for s in store.as_person("invited_editor").list_analyses()] == ["bay_new"]


def test_without_a_person_the_store_acts_as_before():
    store = fresh()
    assert store.person is None and store.access().role == "admin"
    store.delete_analysis("bay")


def test_whether_a_key_is_taken_is_no_secret_but_opening_it_is():
    store = fresh()
    invited = store.as_person("invited_viewer")
    assert invited.exists("bay") and not invited.exists("other")
    store.import_analysis(rich_analysis("other"))
    assert invited.exists("other")
    with pytest.raises(AccessError, match="no role in the analysis 'other'"):
        invited.load("other")


def test_roles_logins_and_the_slow_down_hold_on_postgresql(pg_url):
    store = Store.open(pg_url, who="operator")
    store.import_analysis(rich_analysis())
    accounts.add_account(store, "vic", "pw", "viewer")
    accounts.add_account(store, "ed", "pw", "editor")
    before = snapshot(store)
    with pytest.raises(AccessError, match="vic holds the viewer role"):
        store.as_person("vic").save_rows("bay", "actors", upserts=[replace(actor(store), name="X")])
    assert snapshot(store) == before
    store.as_person("ed").save_rows("bay", "actors", upserts=[replace(actor(store), name="X")])
    assert store.audit_entries("bay")[0]["who"] == "ed"
    for _ in range(4):
        assert not accounts.log_in(store.engine, "vic", "wrong").ok
    assert accounts.log_in(store.engine, "vic", "pw").wait_s > 0
    token = accounts.log_in(store.engine, "ed", "pw").token
    assert accounts.person_for_token(store.engine, token) == "ed"


def test_a_viewer_reads_the_history_of_workshop_notes_with_pseudonyms():
    """The log keeps every note and comment as typed: a viewer reads it masked, as the analysis."""
    store = fresh()
    sensitive = next(a for a in store.load("bay").actors if a.sensitive)
    note = room.add_note(store, "bay", f"Ask {sensitive.name} first", "actor")
    room.update_note(store, "bay", replace(note, text=f"Ask {sensitive.name} twice"))
    room.add_comment(store, "bay", "actors", sensitive.id, f"{sensitive.name} agreed")
    assert sensitive.name in repr(store.changes("bay"))  # the oracle: it is in the log
    seen = store.as_person("w_viewer").changes("bay")
    assert sensitive.name not in repr(seen) and len(seen) == len(store.changes("bay"))
    assert "Ask Actor A" in repr([c.after for c in seen if c.entity == "workshop_note"])


def test_a_viewers_audit_log_masks_names_in_any_case_and_spacing_and_a_type_only_one_holds():
    """What every screen masks, the audit log a viewer reads from the store masks too: "SOK  dara" in
    another actor's description, a name in a note or a tag, and the type only one sensitive actor has."""
    from dnh_graph.model import Actor, Analysis, Relationship
    store = Store(make_engine("sqlite://"), who="operator")
    metadata.create_all(store.engine)
    store.import_analysis(Analysis(
        AnalysisInfo("mkt", "Market", context="run by sok   DARA"),
        actors=[Actor("gov_sokdara", "Sok Dara", "local_authority", sensitive=True, description="secret one"),
                Actor("chan", "ចាន់ សុខា", "security_forces", sensitive=True, tags=("secret",)),
                Actor("v", "Vendors", description="pays SOK  dara; fears ចាន់សុខា", tags=("sok dara",))],
        relationships=[Relationship("chan", "v", "conflict", note="Sok Dara's cousin")]))
    accounts.add_account(store, "vic", "pw", "viewer")
    text = repr(store.as_person("vic").audit_entries("mkt")).lower()
    for secret in ("dara", "សុខា", "secret", "security_forces", "gov_sokdara", "'chan'"):
        assert secret not in text, secret
    assert "dara" in repr(store.audit_entries("mkt")).lower()  # the operator reads the log as written


def test_the_list_of_analyses_masks_a_sensitive_name_in_an_analysis_name_for_a_viewer():
    from dnh_graph.model import Actor, Analysis
    store = Store(make_engine("sqlite://"), who="operator")
    metadata.create_all(store.engine)
    store.import_analysis(Analysis(AnalysisInfo("mkt", "Market of SOK dara", location="Sok Dara district"),
                                   actors=[Actor("gov", "Sok Dara", sensitive=True), Actor("v", "Vendors")]))
    accounts.add_account(store, "vic", "pw", "viewer")
    [seen] = store.as_person("vic").list_analyses()
    assert (seen.name, seen.location) == ("Market of Actor A1", "Actor A1 district")
    assert store.list_analyses()[0].name == "Market of SOK dara"  # the operator, and names shown
    assert store.list_analyses(hide_names=True)[0].name == "Market of Actor A1"
