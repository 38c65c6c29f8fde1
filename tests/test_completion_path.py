"""The completion hot path: few statements, no lazy loads, the spec deserialized once per version, differences
written; forms versioned with their process; the worklist answered by its index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import event

from engine import service
from engine.core.errors import FormInvalid
from engine.runtime import definitions, deploy, instances, state_cache
from tests.helpers import CONTRIBUTION, REPORT, complete, open_item, run_to_approval, start_review, vn

ROOT = Path(__file__).resolve().parent.parent
LEGAL = ROOT / "processes" / "legal_document_review" / "legal_document_review.bpmn"
STEPS = [("tt.chuyenvien", "start_review", {"scope": "Văn bản QPPL", "contribute_due": "2026-12-20"}),
         ("khtc.chuyenvien", "contribute", CONTRIBUTION), ("nvy.chuyenvien", "contribute", CONTRIBUTION),
         ("tt.chuyenvien", "consolidate", REPORT), ("giamdoc", "approve", {"decision": "approve"})]


@pytest.fixture
def statements(db):
    """The SQL statements the database is sent while `recording` is on."""
    seen: list[str] = []
    on = {"recording": False}

    @event.listens_for(db.engine, "before_cursor_execute")
    def _record(conn, cursor, statement, parameters, context, executemany):
        if on["recording"]:
            seen.append(" ".join(statement.split()))

    class Recorder(list):
        def __enter__(self):
            seen.clear()
            on["recording"] = True
            return seen

        def __exit__(self, *exc):
            on["recording"] = False

    yield Recorder()
    event.remove(db.engine, "before_cursor_execute", _record)


def test_a_completion_takes_at_most_eight_statements_and_reads_no_definition(db, actor, statements):
    inst = start_review(db, actor)
    counts = []
    for login, bpmn_id, data in STEPS:
        who = actor(login)
        item = open_item(db, who, bpmn_id, inst.id)
        with statements as seen:
            service.complete_task(db, who, item.task_id, data)
        counts.append(len(seen))
        assert not [s for s in seen if "process_definition.spec_json" in s or "bpmn_xml" in s], seen
        assert not [s for s in seen if s.startswith("SELECT process_instance")], seen  # the lock reads it
        if bpmn_id == "contribute":  # no timer changed: no timer statement at all
            assert not [s for s in seen if " timer" in s.split("WHERE")[0]], seen
    assert max(counts) <= 8, counts
    with db.read() as s:
        from engine.core.models import ProcessInstance
        assert s.get(ProcessInstance, inst.id).status == "completed"


def test_the_spec_is_deserialized_once_per_version_per_process(db, actor, monkeypatch):
    calls = []
    real = definitions.specs_from_document
    monkeypatch.setattr(definitions, "specs_from_document", lambda doc: calls.append(1) or real(doc))
    monkeypatch.setattr(definitions, "_cache", {})
    for period in ("2026", "2027"):
        inst = start_review(db, actor, period=period)
        for login, bpmn_id, data in STEPS[:2]:
            who = actor(login)
            service.task_context(db, who, open_item(db, who, bpmn_id, inst.id).task_id)
            service.complete_task(db, who, open_item(db, who, bpmn_id, inst.id).task_id, data)
    assert len(calls) == 1


def test_forms_are_versioned_with_their_process(db, actor, tmp_path):
    """Editing a form and deploying makes a new version (the BPMN file unchanged); a running instance keeps
    rendering and validating with its own version's form."""
    old = start_review(db, actor, period="2026")
    forms_dir = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms_dir)
    path = forms_dir / "legal_document_review" / "start_review.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["legal_basis_note"] = {"type": "string", "title": "Căn cứ pháp lý", "minLength": 1}
    schema["required"] = [*schema.get("required", []), "legal_basis_note"]
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    with db.session() as s:
        definition, created = deploy.deploy(s, LEGAL.read_bytes(), LEGAL.name, "modeller", forms_dir)
        assert created and definition.version == 2
        again, created = deploy.deploy(s, LEGAL.read_bytes(), LEGAL.name, "modeller", forms_dir)
        assert not created and again.id == definition.id
    new = start_review(db, actor, period="2027")
    tt = actor("tt.chuyenvien")
    old_item, new_item = open_item(db, tt, "start_review", old.id), open_item(db, tt, "start_review", new.id)
    assert "legal_basis_note" not in service.task_context(db, tt, old_item.task_id)["schema"]["properties"]
    assert "legal_basis_note" in service.task_context(db, tt, new_item.task_id)["schema"]["properties"]
    data = {"scope": "Văn bản QPPL", "contribute_due": "2026-12-20"}
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, tt, new_item.task_id, data)
    assert "legal_basis_note" in caught.value.errors
    service.complete_task(db, tt, old_item.task_id, data)  # its own version does not ask for the new field
    service.complete_task(db, tt, new_item.task_id, {**data, "legal_basis_note": "Luật Ban hành VBQPPL 2015"})


def test_the_worklist_is_answered_by_index_lookups_of_the_users_own_grants(db, actor, statements):
    start_review(db, actor)
    who = actor("tt.chuyenvien")
    with statements as seen:
        service.my_work_items(db, who)
    query = next(s for s in seen if "FROM work_item" in s)
    assert "process_instance.state" not in query  # a list does not carry the state documents
    with db.engine.connect() as conn:
        params = _params_of(db, who)
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + query, params)]
    lookups = [p for p in plan if "ix_work_item_worklist (org_id=? AND state=? AND role=? AND unit_code=?)" in p]
    assert len(lookups) == len(who.grants), plan
    assert not [p for p in plan if p.startswith("SCAN work_item")], plan


def _params_of(db, who) -> tuple:
    """The parameters my_work_items binds, in order (as the compiled query lists them)."""
    from sqlalchemy import select

    from engine.core.models import WorkItem
    from engine.runtime import worklist

    compiled = select(WorkItem.id).where(worklist._open_items_of(who, ("READY",))).compile(db.engine)
    return tuple(compiled.params[name] for name in compiled.positiontup)


def test_the_mirror_walks_the_task_tree_as_get_tasks_does(db, actor, fake_clock, monkeypatch):
    """instances.ready_or_waiting finds what SpiffWorkflow's get_tasks(state=READY | WAITING) finds, at every
    step of a run with a return, both timers and the escalation."""
    walks = []
    real = instances.ready_or_waiting

    def compared(workflow):
        found = real(workflow)
        expected = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
        assert sorted(str(t.id) for t in found) == sorted(str(t.id) for t in expected)
        walks.append(len(found))
        return found

    monkeypatch.setattr(instances, "ready_or_waiting", compared)
    monkeypatch.setattr(state_cache, "CACHE", state_cache.StateCache(size=0))  # every step walks its "before" too
    inst = start_review(db, actor)
    run_to_approval(db, actor, inst.id)
    gd, tt = actor("giamdoc"), actor("tt.chuyenvien")
    complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Bổ sung"})
    complete(db, tt, "consolidate", inst.id, REPORT)
    fake_clock.set(vn(2027, 1, 8, 8, 1))
    assert service.fire_due_timers(db) == 1
    fake_clock.set(vn(2027, 1, 15, 8, 0))
    assert service.fire_due_timers(db) == 1
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    assert len(walks) > 10 and max(walks) >= 2
