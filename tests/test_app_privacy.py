"""Issue 13, "Safeguarding on every screen": with "Hide sensitive names" on (every new session), no
screen shows a sensitive actor's name, description, tags or person-naming key, in any element, chart,
table, grid or form field; turned off, the screens that list actors show the names again. A grid edit
made while names are hidden never writes a pseudonym over what is stored."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from app.screens import available
from dnh_graph.model import CHILD_TABLES
from dnh_graph.store import Store
from tests.apptest_support import app, page_path
from tests.over_time_support import app_database
from tests.privacy_support import (
    NEEDLES,
    SHOWN_WHEN_OFF,
    add_workshop_text,
    found_in,
    screen_texts,
    sensitive_analysis,
)
from tests.strategies import analyses

PAGES = [s.id for s in available()]
# where names show once turned off (the workshop: in its notes and comments)
LISTS_ACTORS = ("overview", "impacts", "network", "trends", "reviews", "workshop")


@pytest.fixture
def db(tmp_path, monkeypatch):
    store = app_database(tmp_path, monkeypatch)
    store.import_analysis(sensitive_analysis())
    add_workshop_text(store)  # the workshop screen's notes and comments name them too
    return store


def run_page(page: str, hidden: bool | None = None):
    at = app()
    at.session_state["dnh_analysis"] = "priv"
    if hidden is not None:
        at.session_state["dnh_hide_names"] = hidden
    at.switch_page(page_path(page))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_every_tab(at, page: str):
    """The lazy tabs (Network, Options) run only the open one: open each in turn."""
    yield at
    key, labels = {"network": ("net_tab", ("Actor metrics", "Downloads")),
                   "options": ("opt_tab", ("Compare", "Test and redesign", "What if"))}.get(page, ("", ()))
    for label in labels:
        at.session_state[key] = label
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        yield at


@pytest.mark.parametrize("page", PAGES)
def test_no_sensitive_name_on_any_screen_while_hidden(db, page):
    at = run_page(page)
    assert at.toggle(key="dnh_hide_names").value is True  # on without anyone touching it
    for state in open_every_tab(at, page):
        texts = screen_texts(state)
        assert len(texts) > 10, page
        assert found_in(texts, NEEDLES) == [], page
        assert state.title[0].value and not found_in([t.value for t in state.title], NEEDLES)


@pytest.mark.parametrize("page", LISTS_ACTORS)
def test_names_show_once_the_switch_is_off(db, page):
    at = run_page(page, hidden=False)
    texts = screen_texts(at)
    assert found_in(texts, SHOWN_WHEN_OFF), page
    # and turning it back on hides them again in the same session
    at.toggle(key="dnh_hide_names").set_value(True).run()
    assert found_in(screen_texts(at), NEEDLES) == [], page


def test_the_switch_is_kept_for_the_session_across_screens(db):
    at = run_page("overview")
    at.toggle(key="dnh_hide_names").set_value(False).run()
    at.switch_page(page_path("trends")).run()
    assert at.toggle(key="dnh_hide_names").value is False
    assert found_in(screen_texts(at), SHOWN_WHEN_OFF)


def test_the_actor_readings_grid_shows_pseudonyms(db):
    """The per-review actor grid (stored records): a sensitive row carries its pseudonym and shown type
    while hidden, its real name and key once shown. (AppTest cannot type into a grid: the save through
    ``stored_keys`` is not exercised here.)"""
    at = run_page("reviews")
    at.session_state["rev_review"] = "R3"
    at.run()
    grid = next(e for e in at.data_editor if e.key and e.key.startswith("rev_actors"))
    frame = grid.value
    assert found_in([frame.to_csv()], NEEDLES) == []
    assert {"A1", "A2", "A3"} <= set(frame["actor"]) and "Actor A1" in set(frame["name"])
    assert frame.loc[frame["actor"] == "A3", "type"].item() == "Other"  # the only sensitive armed group
    at.toggle(key="dnh_hide_names").set_value(False).run()
    frame = next(e for e in at.data_editor if e.key and e.key.startswith("rev_actors")).value
    assert "governor_sok" in set(frame["actor"]) and found_in([frame.to_csv()], SHOWN_WHEN_OFF)


def test_a_table_import_is_closed_while_names_are_hidden(db):
    """A pseudonymised download brought back would write 'Actor A1' over a stored name: while names are
    hidden (and the analysis has sensitive actors) the import says so instead of offering the upload."""
    at = run_page("context_actors")
    assert [u.key for u in at.file_uploader if u.key == "actors__upload"] == []
    assert any("Turn off 'Hide sensitive names'" in c.value for c in at.caption)
    at.toggle(key="dnh_hide_names").set_value(False).run()
    assert [u.key for u in at.file_uploader if u.key == "actors__upload"] == ["actors__upload"]


def test_a_sensitive_row_someone_else_changed_is_refused_by_its_pseudonym(db):
    """Someone else changed a sensitive actor while this grid was open: the refusal and the side-by-side
    comparison name the row, but by its pseudonym while names are hidden, and nothing is saved."""
    import dataclasses

    at = run_page("context_actors")
    editor = next(e for e in at.data_editor if e.key and e.key.startswith("actors_sensitive"))
    frame = editor.value
    row = frame.index[frame.iloc[:, 0] == "A1"][0]
    stored = db.load("priv").by_key("actors")["governor_sok"]
    db.save_rows("priv", "actors", [dataclasses.replace(stored, influence=1 if stored.influence != 1 else 2)])
    at.session_state[editor.key] = {"edited_rows": {int(row): {"influence": "5"}}, "added_rows": [],
                                    "deleted_rows": []}
    at.button(key="actors_sensitive__save").click().run()
    assert "(Actor A1) was changed by" in " ".join(e.value for e in [*at.error, *at.warning]).replace("\\", "")
    assert found_in(screen_texts(at), NEEDLES) == []
    assert db.load("priv").by_key("actors")["governor_sok"].influence != 5


def test_a_reading_saved_from_a_pseudonymised_row_goes_to_the_stored_actor(db):
    """What the actor readings grid saves while names are hidden: the row of ``Actor A1`` changes the
    reading of the stored actor behind it, and nothing else."""
    from app.over_time import stored_rows
    from dnh_graph import privacy, reviewing

    a = db.load("priv")
    mapping = {masked.key: key for key, masked in privacy.masked_actors(a).items()}
    frame = reviewing.actor_readings_frame(privacy.pseudonymise(a), "R3")
    rows = frame.to_dict("records")
    row = next(r for r in rows if r["name"] == "Actor A1")
    row["influence"] = 5 if row["influence"] != 5 else 4
    changes = reviewing.review_changes("actor_readings", a, "R3", stored_rows("actor_readings", rows, mapping))
    assert [(r.actor, r.influence) for r in changes.upserts] == [("governor_sok", row["influence"])]
    assert changes.deletes == [] and changes.problems == []


# ------------------------------------------------------------------------------- generated analyses
KHMERISH = st.sampled_from("កខគឃងចឆជ្ុំាិ<>*_#")  # no English word, label or header holds these


def _visible_secrets(a) -> list[str]:
    """The sensitive names and descriptions the screens must not show: long enough to mean something,
    and not also held by another record (keys are shown as they are; another actor's own name or any
    other text may contain the same letters by chance)."""
    keys = {r.key for sheet in ("actors", "factors", "details", "options", "reviews") for r in a.rows(sheet)}
    others = [x.name for x in a.actors if not x.sensitive] + [a.info.key]
    # free text elsewhere is masked for a sensitive name, not for a description (privacy.redactor)
    texts = [v for sheet in CHILD_TABLES if sheet != "actors" for r in a.rows(sheet)
             for v in dataclasses.asdict(r).values() if isinstance(v, str)]
    found = []
    for actor in a.actors:
        if not actor.sensitive:
            continue
        others_text = " ".join([*others, *(y.description for y in a.actors if y is not actor)])
        for secret, elsewhere in ((actor.name.strip(), others_text), (actor.description.strip(),
                                                                     " ".join([others_text, *texts]))):
            if len(secret) >= 3 and not any(secret in k for k in keys) and secret not in elsewhere:
                found.append(secret)
    return found


def _workshop_mentions(store: Store, a) -> None:
    """Each sensitive name written into a workshop note (to sort, and parked) and a comment on each row
    the workshop's first step lists, as a room would type them."""
    from dnh_graph.store import workshop as rooms

    names = [x.name.strip() for x in a.actors if x.sensitive and x.name.strip()]
    for n, name in enumerate(names):
        rooms.add_note(store, a.info.key, f"Ask {name} first"[:rooms.MAX_NOTE], "actor", 1, parked=n % 2 == 1)
    mention = ("Check with " + " and ".join(names))[:rooms.MAX_COMMENT]
    for actor in store.load(a.info.key).actors if names else ():
        rooms.add_comment(store, a.info.key, "actors", actor.id, mention)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(analyses(max_rows=4, characters=KHMERISH, key="gen"))
def test_generated_analyses_show_no_sensitive_name_on_any_screen_while_hidden(a):
    secrets = _visible_secrets(a)
    assume(secrets)
    folder = tempfile.mkdtemp()
    before = os.environ.get("DNH_DATABASE_URL")
    os.environ["DNH_DATABASE_URL"] = f"sqlite:///{folder}/gen.sqlite"
    try:
        store = Store.open(os.environ["DNH_DATABASE_URL"])
        store.import_analysis(a)
        _workshop_mentions(store, a)
        for page in PAGES:
            at = app()
            at.session_state["dnh_analysis"] = "gen"
            at.switch_page(page_path(page))
            at.run()
            assert not at.exception, [e.message for e in at.exception]
            for state in open_every_tab(at, page):
                assert found_in(screen_texts(state), secrets) == [], page
    finally:
        if before is None:
            os.environ.pop("DNH_DATABASE_URL", None)
        else:
            os.environ["DNH_DATABASE_URL"] = before
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------------------- editing while hidden
def grid_frame(at, grid: str):
    return next(e for e in at.data_editor if e.key and e.key.startswith(grid + "__editor")).value


def save_grid(at, grid: str, edits: dict[int, dict]) -> None:
    key = next(e.key for e in at.data_editor if e.key and e.key.startswith(grid + "__editor"))
    at.session_state[key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.button(key=grid + "__save").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]


def test_the_sensitive_actors_have_a_grid_of_their_own_with_locked_names(db):
    at = run_page("context_actors")
    frame = grid_frame(at, "actors_sensitive")
    assert sorted(frame["name"]) == ["Actor A1", "Actor A2", "Actor A3"]
    assert set(frame["description"]) == {""} and found_in([frame.to_csv()], NEEDLES) == []
    editor = next(e for e in at.data_editor if e.key and e.key.startswith("actors_sensitive__editor"))
    locked = {name for name, column in json.loads(editor.proto.columns).items() if column.get("disabled")}
    assert {"key", "name", "type", "description", "tags"} <= locked and "influence" not in locked, locked
    assert "Actor A1" not in set(grid_frame(at, "actors")["name"])  # the others' grid: no sensitive row
    at.toggle(key="dnh_hide_names").set_value(False).run()
    assert found_in([grid_frame(at, "actors").to_csv()], SHOWN_WHEN_OFF)  # one grid of every actor again
    assert not [e for e in at.data_editor if e.key and e.key.startswith("actors_sensitive")]


def test_editing_a_sensitive_actor_while_hidden_keeps_its_real_name(db):
    before = {x.key: x for x in db.load("priv").actors if x.sensitive}
    at = run_page("context_actors")
    frame = grid_frame(at, "actors_sensitive")
    row = int(frame.index[frame["name"] == "Actor A1"][0])
    influence = "5" if frame.loc[row, "influence"] != "5" else "2"
    save_grid(at, "actors_sensitive", {row: {"influence": influence, "stance": "Opposes"}})
    assert not at.error, [e.value for e in at.error]
    after = {x.key: x for x in db.load("priv").actors if x.sensitive}
    sok = after["governor_sok"]
    assert sok.influence == int(influence) and sok.stance == "opposes"
    assert (sok.name, sok.description, sok.tags, sok.type) == (before["governor_sok"].name,
                                                              before["governor_sok"].description,
                                                              before["governor_sok"].tags, before["governor_sok"].type)
    assert {k: (x.name, x.description) for k, x in after.items()} == \
        {k: (x.name, x.description) for k, x in before.items()}


def test_a_masked_cell_changed_anyway_is_refused_by_the_save(db):
    """The locked cells are a courtesy: the save itself refuses a masked cell that was changed (a browser
    can send any edit), and says how to change it."""
    before = db.load("priv")
    at = run_page("context_actors")
    frame = grid_frame(at, "actors_sensitive")
    row = int(frame.index[frame["name"] == "Actor A2"][0])
    save_grid(at, "actors_sensitive", {row: {"name": "Actor A2 renamed", "influence": "1"}})
    assert any("Turn off 'Hide sensitive names'" in e.value or "turn off 'Hide sensitive names'" in e.value
               for e in at.error), [e.value for e in at.error]
    assert db.load("priv").actors == before.actors


def test_a_relationship_note_naming_a_sensitive_actor_is_masked_and_kept(db):
    """A grid of other records: references to a sensitive actor by pseudonym, a note naming it masked;
    editing another cell of that row saves the stored reference and note."""
    from tests.privacy_support import KHMER
    store = db
    a = store.load("priv")
    rel = next(r for r in a.relationships if "governor_sok" in (r.source, r.target))
    note = f"Talked to {KHMER} about it."
    store.save_rows("priv", "relationships", upserts=[dataclasses.replace(rel, note=note)])
    at = run_page("context_actors")
    frame = grid_frame(at, "relationships")
    assert found_in([frame.to_csv()], NEEDLES) == []
    row = int(frame.index[frame["note"] == "Talked to Actor A1 about it."][0])
    strength = "1" if frame.loc[row, "strength"] != "1" else "2"
    save_grid(at, "relationships", {row: {"strength": strength}})
    assert not at.error, [e.value for e in at.error]
    saved = next(r for r in store.load("priv").relationships if r.id == rel.id)
    assert (saved.source, saved.target, saved.note, saved.strength) == (rel.source, rel.target, note, int(strength))


def test_monitoring_evidence_naming_a_sensitive_actor_is_masked_and_kept(db):
    a = db.load("priv")
    review = max(a.reviews, key=lambda r: (r.date, r.key))
    at = run_page("monitoring")
    grid = next(e.key for e in at.data_editor if e.key and e.key.startswith("mon_ratings"))
    frame = next(e for e in at.data_editor if e.key == grid).value
    assert found_in([frame.to_csv()], NEEDLES) == [] and "Actor A1" in frame.to_csv()
    row = next(n for n, r in enumerate(frame.to_dict("records")) if r["evidence"])
    criterion = frame.to_dict("records")[row]["criterion"]
    stored = next(m for m in a.monitoring if m.review == review.key and m.criterion == criterion)
    rating = "low" if stored.rating != "low" else "high"
    at.session_state[grid] = {"edited_rows": {row: {"rating": rating}}, "added_rows": [], "deleted_rows": []}
    at.button(key=grid.split("__editor")[0] + "__save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = next(m for m in db.load("priv").monitoring if m.review == review.key and m.criterion == criterion)
    assert (saved.rating, saved.evidence, saved.recommendation) == (rating, stored.evidence, stored.recommendation)


def test_the_context_form_shows_the_context_masked_and_keeps_it(db):
    at = run_page("context_actors")
    context = next(a for a in at.text_area if a.label == "Context")
    assert found_in([context.value], NEEDLES) == [] and context.disabled
    location = next(i for i in at.text_input if i.label == "Location")
    location.set_value("Kampong Speu")
    at.button(key="ctx__save").click().run()
    info = db.load("priv").info
    assert info.location == "Kampong Speu" and found_in([info.context], SHOWN_WHEN_OFF)


def test_a_draft_typed_while_names_were_shown_is_not_drawn_while_hidden(db):
    at = run_page("context_actors", hidden=False)
    frame = grid_frame(at, "actors")
    row = int(frame.index[frame["key"] == "governor_sok"][0])
    key = next(e.key for e in at.data_editor if e.key and e.key.startswith("actors__editor"))
    at.session_state[key] = {"edited_rows": {row: {"description": "secret-desc-typed"}}, "added_rows": [],
                             "deleted_rows": []}
    at.run()
    assert "secret-desc-typed" in str(at.session_state["dnh_drafts"]["priv|actors"]["rows"])
    at.toggle(key="dnh_hide_names").set_value(True).run()
    assert found_in(screen_texts(at), [*NEEDLES, "secret-desc-typed"]) == []
    at.toggle(key="dnh_hide_names").set_value(False).run()
    assert "secret-desc-typed" in grid_frame(at, "actors").to_csv()  # still there for when names show


def test_a_pseudonym_pasted_as_a_reference_is_the_actor_behind_it(db):
    before = len(db.load("priv").relationships)
    at = run_page("context_actors")
    at.text_area(key="relationships__paste").set_value("From actor\tTo actor\tRelationship\nActor A1\tA4\tFunding")
    at.run()
    assert not at.warning and not any("Pasted row" in c.value for c in at.caption)  # no problem foreseen
    at.button(key="relationships__paste_add").click().run()
    at.button(key="relationships__save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    added = db.load("priv").relationships[before:]
    assert [(r.source, r.target, r.type) for r in added] == [("governor_sok", "A4", "funding")]


def test_deleting_a_sensitive_actor_while_hidden_asks_by_its_pseudonym(db):
    at = run_page("context_actors")
    frame = grid_frame(at, "actors_sensitive")
    row = int(frame.index[frame["name"] == "Actor A1"][0])
    key = next(e.key for e in at.data_editor if e.key and e.key.startswith("actors_sensitive__editor"))
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [row]}
    at.button(key="actors_sensitive__save").click().run()
    question = "\n".join(w.value for w in at.warning)
    assert "Actor A1" in question and found_in(screen_texts(at), NEEDLES) == []
    assert any(x.key == "governor_sok" for x in db.load("priv").actors)  # asked first, nothing deleted yet


# ------------------------------------------------------------------------------------- the workshop
def test_workshop_notes_and_comments_show_pseudonyms_and_keep_the_names(db):
    """While hidden: notes, the parking lot, a note sorted into a sensitive actor and a coach comment show
    pseudonyms; a note naming one cannot be sorted (its name would be written or lost); parking it and
    resolving the comment write the stored text back untouched. Shown again once the switch is off."""
    from dnh_graph.store import workshop as rooms
    from tests.privacy_support import KHMER, MARKUP, readable

    before = {n.id: n for n in rooms.notes(db, "priv")}
    at = run_page("workshop")
    plain = readable("\n".join(screen_texts(at)))
    assert "ask actor a1 about the checkpoint (actor a1)" in plain and "actor a2 and actor a3 disagree" in plain
    assert "actor a1 runs the checkpoint → `a1`" in plain and "check with actor a1's family, and actor a2" in plain
    masked = next(n for n in before.values() if n.text.startswith("Ask"))
    market = next(n for n in before.values() if n.text.startswith("Market"))
    kinds = {s.key for s in at.segmented_control}
    assert f"ws_sort_{masked.id}_{masked.version}_kind" not in kinds  # locked
    assert f"ws_sort_{market.id}_{market.version}_kind" in kinds  # a note naming nobody is sorted as ever
    assert any("cannot be sorted" in c.value for c in at.caption)
    at.button(key=f"ws_park_{masked.id}").click().run()
    comment = rooms.comments(db, "priv")[0]
    at.button(key=f"ws_resolve_{comment.id}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    parked = next(n for n in rooms.notes(db, "priv") if n.id == masked.id)
    assert parked.parked and parked.text == masked.text and KHMER in parked.text
    resolved = rooms.comments(db, "priv")[0]
    assert resolved.resolved and resolved.text == comment.text and MARKUP in resolved.text
    assert found_in(screen_texts(at), NEEDLES) == []
    at.toggle(key="dnh_hide_names").set_value(False).run()
    assert found_in(screen_texts(at), [KHMER, MARKUP])
    assert any(s.key == f"ws_sort_{parked.id}_{parked.version}_kind" for s in at.segmented_control) is False
    at.button(key=f"ws_unpark_{parked.id}").click().run()
    back = next(n for n in rooms.notes(db, "priv") if n.id == masked.id)
    assert f"ws_sort_{back.id}_{back.version}_kind" in {s.key for s in at.segmented_control}  # sortable again


def test_an_analysis_named_after_a_sensitive_actor_is_masked_in_the_sidebar_list(db):
    """The list of analyses is on every screen: "Market of Sok Dara" showed the name while it was hidden."""
    info = db.load("priv").info
    db.update_info(dataclasses.replace(info, name="Market of សុខ ដារា ចៅហ្វាយស្រុក", location="near governor_sok"))
    at = run_page("overview")
    shown = " ".join(str(o) for box in at.sidebar.selectbox for o in [*box.options, box.value])
    assert "Market of Actor A" in shown and "ដារា" not in shown, shown
    at = run_page("overview", hidden=False)
    assert any("ដារា" in str(o) for box in at.sidebar.selectbox for o in box.options)
