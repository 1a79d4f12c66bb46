"""AppTest of the workshop screens (DNH steps 1–5) through their widgets, checked in the database.

Grids are driven the way AppTest allows: the edit state of the keyed ``st.data_editor``
(``edited_rows`` by row position, ``added_rows``, ``deleted_rows``) is assigned before pressing Save.
"""

from __future__ import annotations

import dataclasses

import pytest

from dnh_graph.model import (
    Actor,
    Analysis,
    AnalysisInfo,
    Detail,
    Factor,
    FactorActor,
    Impact,
    Relationship,
)
from dnh_graph.store import Store
from tests.apptest_support import app, page_path, texts


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'workshop.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    return Store.open(url)


def open_page(page: str, key: str = "ws"):
    at = app()
    at.session_state["dnh_analysis"] = key
    at.switch_page(page_path(page))
    at.run()
    ok(at)
    return at


def ok(at) -> None:
    assert not at.exception, [e.message for e in at.exception]


def save_grid(at, grid: str, edited=None, added=None, deleted=None):
    at.session_state[grid + "__editor"] = {"edited_rows": edited or {}, "added_rows": added or [],
                                           "deleted_rows": deleted or []}
    at.button(key=grid + "__save").click().run()
    ok(at)
    return at


def successes(at) -> list[str]:
    return [s.value for s in at.success]


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def small(db: Store, **tables) -> Analysis:
    return db.import_analysis(Analysis(AnalysisInfo("ws", "Workshop"), **tables))


# ------------------------------------------------------------------------------------------ actors
def test_add_edit_and_delete_an_actor(db):
    small(db)
    at = open_page("context_actors")
    save_grid(at, "actors", added=[{"name": "Commune council", "type": "local_authority", "stance": "supports",
                                    "influence": 4, "tags": "council; north"}])
    assert db.load("ws").actors == [Actor("A1", "Commune council", "local_authority", "supports", 4,
                                          tags=("council", "north"))]
    assert successes(at) == ["Saved: 1 added, 0 changed, 0 deleted."]

    save_grid(at, "actors", edited={0: {"name": "Commune council (Kampot)", "sensitive": True}})
    actor = db.load("ws").actors[0]
    assert (actor.name, actor.sensitive, actor.version) == ("Commune council (Kampot)", True, 2)

    # now sensitive: while names are hidden its row is in the sensitive actors' grid, which can delete it
    save_grid(at, "actors_sensitive", deleted=[0])
    assert db.load("ws").actors == []
    assert successes(at) == ["Saved: 0 added, 0 changed, 1 deleted."]


def test_paste_many_actors_at_once(db):
    small(db)
    at = open_page("context_actors")
    rows = [{"name": f"Group {n}", "type": "community_group"} for n in range(1, 31)]
    save_grid(at, "actors", added=rows)
    assert [a.key for a in db.load("ws").actors] == [f"A{n}" for n in range(1, 31)]


def test_deleting_an_actor_others_refer_to_asks_first_and_says_what_goes(db):
    small(db, actors=[Actor("A1", "Council"), Actor("A2", "Patrol")],
           relationships=[Relationship("A1", "A2", "conflict")],
           factors=[Factor("D1", "divider", "Land", "experiences")],
           factor_actors=[FactorActor("D1", "A1", "drives")])
    at = open_page("context_actors")
    save_grid(at, "actors", deleted=[0])
    warning = at.warning[0].value
    assert "A1 · Council: also 1 relationships, 1 factor–actor links" in warning
    assert len(db.load("ws").actors) == 2  # nothing deleted yet

    at.button(key="actors__cancel").click().run()
    ok(at)
    assert len(db.load("ws").actors) == 2 and "Nothing was deleted" in at.info[-1].value

    save_grid(at, "actors", deleted=[0])
    at.button(key="actors__confirm").click().run()
    ok(at)
    after = db.load("ws")
    assert [a.key for a in after.actors] == ["A2"]
    assert after.relationships == [] and after.factor_actors == []


def test_add_a_relationship_between_actors(db):
    small(db, actors=[Actor("A1", "Council"), Actor("A2", "Patrol")])
    at = open_page("context_actors")
    save_grid(at, "relationships", added=[{"source": "A1", "target": "A2", "type": "influence", "strength": 3,
                                           "directed": True, "note": "pays"}])
    assert db.load("ws").relationships == [Relationship("A1", "A2", "influence", 3, True, "pays")]


def test_rejected_rows_are_listed_and_stay_in_the_grid(db):
    small(db, actors=[Actor("A1", "Council")])
    at = open_page("context_actors")
    bad = [{"key": "A2", "name": "", "influence": 9}, {"key": "A1", "name": "Duplicate"}]
    save_grid(at, "actors", added=bad)
    assert errors(at)[0].startswith("Nothing was saved")
    assert "Row 2, Name: is empty; this column is required.; Influence: must be a whole number from 1 to 5 " \
           "(got 9)." in errors(at)[1].replace("\\", "")
    assert errors(at)[2].replace("\\", "").startswith("Row 3, Key: duplicate key 'A1' (also on row 1)")
    assert [a.key for a in db.load("ws").actors] == ["A1"]

    at.run()  # any later rerun: what was typed is still in the grid
    ok(at)
    assert at.session_state["actors__editor"]["added_rows"] == bad

    save_grid(at, "actors", added=[{"key": "A2", "name": "Patrol", "influence": 5}])
    assert [a.key for a in db.load("ws").actors] == ["A1", "A2"]


def test_a_stale_edit_is_refused_not_overwritten(db):
    small(db, actors=[Actor("A1", "Council")])
    at = open_page("context_actors")
    # someone else renames the actor after this screen was drawn
    theirs = dataclasses.replace(db.load("ws").actors[0], name="Their name")
    db.save_rows("ws", "actors", upserts=[theirs])
    save_grid(at, "actors", edited={0: {"name": "My name"}})
    assert any("Row 1 (A1) was changed by" in w and "nothing was saved" in w for w in (x.value for x in at.warning))
    assert db.load("ws").actors[0].name == "Their name"


def test_the_context_form_saves_the_analysis_header(db):
    small(db)
    at = open_page("context_actors")
    at.text_input[0].input("Kampot <b>province</b>")
    at.text_area[0].input("Fishing grounds are contested.")
    at.button(key="ctx__save").click().run()
    ok(at)
    info = db.load("ws").info
    assert (info.location, info.conflict) == ("Kampot <b>province</b>", "Fishing grounds are contested.")
    assert successes(at) == ["The context was saved."]


# ----------------------------------------------------------------------------------------- factors
def test_add_edit_and_delete_dividers_and_connectors(db):
    small(db, actors=[Actor("A1", "Council")])
    at = open_page("factors")
    save_grid(at, "dividers", added=[{"name": "Access to fishing grounds", "category": "systems_institutions",
                                      "priority": 5}])
    save_grid(at, "connectors", added=[{"name": "Shared market", "category": "experiences"}])
    factors = db.load("ws").factors
    assert [(f.key, f.kind, f.priority) for f in factors] == [("D1", "divider", 5), ("C1", "connector", 3)]

    save_grid(at, "connectors", edited={0: {"priority": 4, "description": "Thursday market"}})
    assert db.load("ws").factors[1].priority == 4

    save_grid(at, "factor_actors", added=[{"factor": "C1", "actor": "A1", "role": "bridges"}])
    assert db.load("ws").factor_actors == [FactorActor("C1", "A1", "bridges")]
    at.run()
    linked = at.data_editor(key="connectors__editor").value
    assert list(linked["linked"]) == ["A1 bridges"]

    save_grid(at, "dividers", deleted=[0])
    assert [f.key for f in db.load("ws").factors] == ["C1"]


def test_deleting_a_factor_with_impacts_asks_first(db):
    small(db, factors=[Factor("D1", "divider", "Land", "experiences")], details=[Detail("X1", "what")],
          impacts=[Impact("X1", "D1", "strengthens", 2, "resource_transfer")])
    at = open_page("factors")
    save_grid(at, "dividers", deleted=[0])
    assert "also 1 impacts" in at.warning[0].value
    at.button(key="dividers__confirm").click().run()
    ok(at)
    assert db.load("ws").factors == [] and db.load("ws").impacts == []


# ----------------------------------------------------------------------------------------- details
def test_add_edit_and_delete_a_detail(db):
    small(db)
    at = open_page("intervention")
    save_grid(at, "details", added=[{"question": "with_whom", "activity": "nets", "description": "Members only"}])
    assert db.load("ws").details == [Detail("X1", "with_whom", "nets", "Members only", True)]
    assert "With whom (1)" in [t.label for t in at.tabs]

    save_grid(at, "details", edited={0: {"active": False}})
    assert db.load("ws").details[0].active is False
    assert "inactive" in texts(at)

    save_grid(at, "details", deleted=[0])
    assert db.load("ws").details == []


def test_every_question_has_its_red_flags(db):
    small(db)
    at = open_page("intervention")
    flags = texts(at)
    for phrase in ("who benefits and who is left out", "What resources move", "Who is hired", "Which partners",
                   "Which authorities are involved"):
        assert phrase.lower() in flags.lower()


# ----------------------------------------------------------------------------------------- impacts
def impacts_analysis(db):
    return small(db, actors=[Actor("A1", "Patrol")],
                 factors=[Factor("D1", "divider", "Land", "experiences", 4),
                          Factor("C1", "connector", "Market", "experiences", 2)],
                 factor_actors=[FactorActor("D1", "A1", "drives")],
                 details=[Detail("X1", "with_whom", "patrols", "Work with the patrol"),
                          Detail("X2", "what", "nets", "Nets for members", False)])


def test_add_edit_and_delete_an_impact(db):
    impacts_analysis(db)
    at = open_page("impacts")
    save_grid(at, "impacts", added=[{"detail": "X1", "factor": "D1", "effect": "strengthens", "magnitude": 2,
                                     "mechanism": "implicit_ethical_message", "pattern": "legitimization",
                                     "confidence": "high", "evidence": "seen", "observed_on": "2025-03-01"}])
    import datetime as dt

    assert db.load("ws").impacts == [Impact("X1", "D1", "strengthens", 2, "implicit_ethical_message",
                                            "legitimization", "high", "seen", dt.date(2025, 3, 1))]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Harm"], metrics["Help"], metrics["Net"]) == ("8", "0", "-8")
    assert len(at.get("plotly_chart")) == 2  # the matrix and the bars

    save_grid(at, "impacts", edited={0: {"magnitude": 3}})
    assert db.load("ws").impacts[0].magnitude == 3
    assert {m.label: m.value for m in at.metric}["Harm"] == "12"

    save_grid(at, "impacts", deleted=[0])
    assert db.load("ws").impacts == []


def test_the_matrix_pathways_and_per_detail_scores(db):
    impacts_analysis(db)
    db.save_rows("ws", "impacts", upserts=[
        Impact("X1", "D1", "strengthens", 2, "resource_transfer", "distribution"),
        Impact("X1", "C1", "strengthens", 1, "staff_behaviour"),
        Impact("X2", "D1", "strengthens", 3, "resource_transfer"),  # inactive detail: in no total
    ])
    at = open_page("impacts")
    matrix = at.get("plotly_chart")[0].proto.spec
    assert '"+2"' in matrix and '"+1"' in matrix and '"+3"' in matrix
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Harm"], metrics["Help"], metrics["Net"]) == ("8", "2", "-6")
    pathways = next(d.value for d in at.dataframe if "Weight" in d.value.columns)
    assert list(pathways["Weight"]) == [8]  # the inactive detail's harm is not a pathway
    assert list(pathways["Linked actors"]) == ["A1"]
    per_detail = next(d.value for d in at.dataframe if "Net" in d.value.columns)
    assert list(per_detail["Net"]) == [-6, -12]


def test_an_unknown_reference_is_located_on_its_row(db):
    impacts_analysis(db)
    at = open_page("impacts")
    save_grid(at, "impacts", added=[
        {"detail": "X1", "factor": "D1", "effect": "strengthens", "magnitude": 1, "mechanism": "market"},
    ])
    assert "Row 1, Mechanism:" in errors(at)[1]
    assert db.load("ws").impacts == []


# ----------------------------------------------------------------------------------- import / export
def test_import_a_table_file_and_download_it(db):
    small(db, actors=[Actor("A1", "Council")])
    at = open_page("context_actors")
    labels = [b.label for b in at.get("download_button")]
    assert labels[:2] == ["Download CSV", "Download Excel (.xlsx)"]
    upload = next(u for u in at.file_uploader if u.key == "actors__upload")
    upload.upload("actors.csv", "key,name,type\nA1,Commune council,local_authority\nA2,Patrol,security_forces\n"
                  .encode("utf-8-sig"), "text/csv")
    at.run()
    at.button(key="actors__import").click().run()
    ok(at)
    assert [(a.key, a.name) for a in db.load("ws").actors] == [("A1", "Commune council"), ("A2", "Patrol")]
    assert successes(at) == ["Imported: 1 added, 1 updated, 0 already up to date."]


def test_a_bad_table_file_changes_nothing(db):
    small(db, actors=[Actor("A1", "Council")])
    at = open_page("context_actors")
    upload = next(u for u in at.file_uploader if u.key == "actors__upload")
    upload.upload("actors.csv", b"key,name,influence\nA2,,7\n", "text/csv")
    at.run()
    at.button(key="actors__import").click().run()
    ok(at)
    assert errors(at)[0].startswith("Nothing was imported")
    assert "Row 2, Name" in errors(at)[1]
    assert [a.key for a in db.load("ws").actors] == ["A1"]


# ------------------------------------------------------------------------------------------ sidebar
def test_create_rename_copy_and_delete_an_analysis_from_the_sidebar(db):
    small(db)
    at = open_page("overview")
    new_form = [w for w in at.sidebar.text_input if w.form_id == "side_new"]
    new_form[0].input("Second workshop")
    new_form[1].input("second")
    at.button(key="FormSubmitter:side_new-Create analysis").click().run()
    ok(at)
    assert at.sidebar.selectbox(key="dnh_analysis").value == "second"

    rename = [w for w in at.sidebar.text_input if w.form_id == "side_rename_second"]
    rename[0].input("Second workshop, Kampot")
    rename[1].input("second_kampot")
    at.button(key="FormSubmitter:side_rename_second-Rename").click().run()
    ok(at)
    assert sorted(s.key for s in db.list_analyses()) == ["second_kampot", "ws"]
    assert at.sidebar.selectbox(key="dnh_analysis").value == "second_kampot"

    at.button(key="FormSubmitter:side_copy_second_kampot-Make a copy").click().run()
    ok(at)
    assert "second_kampot_copy" in {s.key for s in db.list_analyses()}

    delete = at.button(key="side_delete_second_kampot_copy")
    assert delete.disabled
    at.checkbox(key="side_delete_sure_second_kampot_copy").check().run()
    at.button(key="side_delete_second_kampot_copy").click().run()
    ok(at)
    assert sorted(s.key for s in db.list_analyses()) == ["second_kampot", "ws"]


def test_an_existing_key_is_refused_with_a_sentence(db):
    small(db)
    at = open_page("overview")
    new_form = [w for w in at.sidebar.text_input if w.form_id == "side_new"]
    new_form[0].input("Again")
    new_form[1].input("ws")
    at.button(key="FormSubmitter:side_new-Create analysis").click().run()
    ok(at)
    assert "already exists" in errors(at)[0]


def test_the_language_picker_lists_the_catalogs(db):
    small(db)
    at = open_page("overview")
    assert at.sidebar.selectbox(key="dnh_lang").options == ["English"]
