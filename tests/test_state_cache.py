"""The state cache (engine.runtime.state_cache): a step reuses the workflow the last committed step of this process
left only when the row still holds the document written from it; any other change of the row, a rollback or a
failed step makes the next step restore, and either way the outcome is the same."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from engine import service
from engine.core.errors import FormInvalid
from engine.core.models import AuditEvent, ProcessInstance
from engine.runtime import definitions, instances, state_cache, tasks
from engine.runtime.sandbox import runner
from engine.runtime.serializer import restore, state_document
from tests.helpers import CONTRIBUTION, REPORT, complete, open_item, run_to_approval, start_review

RETURN = {"decision": "return", "comment": "Bổ sung số liệu quý IV"}
APPROVE = {"decision": "approve"}


@pytest.fixture
def cache(monkeypatch):
    """A fresh cache of its own for the test (the process-wide one is left as it was)."""
    fresh = state_cache.StateCache()
    monkeypatch.setattr(state_cache, "CACHE", fresh)
    return fresh


def _stored(db, instance_id: int) -> ProcessInstance:
    with db.read() as s:
        return s.get(ProcessInstance, instance_id)


def _run_with_return(db, actor, period: str) -> int:
    """The legal review: contributions, report, a return, the report again, approval."""
    inst = start_review(db, actor, period=period)
    run_to_approval(db, actor, inst.id)
    complete(db, actor("giamdoc"), "approve", inst.id, RETURN)
    complete(db, actor("tt.chuyenvien"), "consolidate", inst.id, REPORT)
    complete(db, actor("giamdoc"), "approve", inst.id, APPROVE)
    return inst.id


def _outcome(db, instance_id: int) -> tuple:
    """What a run leaves that does not depend on random task ids: status, final data, the history's steps."""
    with db.read() as s:
        events = s.execute(select(AuditEvent.kind, AuditEvent.actor, AuditEvent.summary)
                           .where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.id)).all()
    view = service.instance_view(db, service.actor_for_login(db, "giamdoc", "syt-hue"), instance_id)
    period = view["instance"].period  # the one thing the two runs differ in
    data = {k: v for k, v in view["data"].items() if k != "period"}
    return (view["instance"].status, json.dumps(data, sort_keys=True, ensure_ascii=False),
            [(kind, who, summary.replace(period, "…")) for kind, who, summary in events])


def test_every_step_after_the_first_reuses_the_workflow_and_ends_as_a_cold_run_does(db, actor, cache, monkeypatch):
    warm = _run_with_return(db, actor, "H1/2026")
    assert cache.hits == 7 and cache.misses == 0  # start left it; each of the 7 completions found it
    monkeypatch.setattr(state_cache, "CACHE", state_cache.StateCache(size=0))  # every step restores
    cold = _run_with_return(db, actor, "H2/2026")
    assert state_cache.CACHE.hits == 0 and state_cache.CACHE.misses == 7
    assert _outcome(db, warm)[0] == "completed"
    assert _outcome(db, warm) == _outcome(db, cold)


def test_the_kept_workflow_is_the_stored_document(db, actor, cache):
    """What a warm step starts from serializes to the very document a restoring step would start from."""
    inst = start_review(db, actor)
    for login, bpmn_id, data in [("tt.chuyenvien", "start_review", {"scope": "QPPL", "contribute_due": "2026-12-20"}),
                                 ("khtc.chuyenvien", "contribute", CONTRIBUTION)]:
        complete(db, actor(login), bpmn_id, inst.id, data)
        row = _stored(db, inst.id)
        with db.read() as s:
            version = definitions.of_instance(s, row)
        entry = cache.take(inst.id, version.digest, row.state)
        assert entry is not None
        assert state_document(entry.workflow) == row.state
        restored = restore(row.state, version.spec, version.subprocess_specs)
        assert json.loads(state_document(restored)) == json.loads(row.state)  # (key order may differ)
        assert entry.mirror == instances.Mirror.of(restored)
        cache.put(inst.id, entry)


def test_a_row_changed_elsewhere_is_restored_not_served_from_memory(db, actor, cache, monkeypatch):
    inst = start_review(db, actor)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
             {"scope": "Văn bản QPPL", "contribute_due": "2026-12-20"})
    # Another web process completes KHTC's contribution: it has a cache of its own.
    monkeypatch.setattr(state_cache, "CACHE", state_cache.StateCache())
    complete(db, actor("khtc.chuyenvien"), "contribute", inst.id, CONTRIBUTION)
    monkeypatch.setattr(state_cache, "CACHE", cache)  # back in this process, whose entry is one step behind
    hits = cache.hits
    complete(db, actor("nvy.chuyenvien"), "contribute", inst.id, CONTRIBUTION)
    assert cache.hits == hits and cache.misses == 1
    # Both contributions are in: the stale workflow (without KHTC's) was not used.
    item = open_item(db, actor("tt.chuyenvien"), "consolidate", inst.id)
    with db.read() as s:
        context = tasks.task_context(s, actor("tt.chuyenvien"), item.task_id)
    units = sorted(c["unit"] for c in dict((k, v) for k, _l, v in context["context_rows"])["contributions"])
    assert units == ["KHTC", "NVY"]


def test_a_state_written_by_hand_is_never_overridden_by_memory(db, actor, cache):
    inst = start_review(db, actor)
    row = _stored(db, inst.id)
    with db.read() as s:
        version = definitions.of_instance(s, row)
    # An operator's repair (or a restore from backup) rewrites the row with the same workflow and other data.
    workflow = restore(row.state, version.spec, version.subprocess_specs)
    workflow.task_tree.data["period"] = "sửa tay"
    for task in workflow.get_tasks():
        task.data["period"] = "sửa tay"
    with db.session() as s:
        s.execute(update(ProcessInstance).where(ProcessInstance.id == inst.id).values(state=state_document(workflow)))
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
             {"scope": "Văn bản QPPL", "contribute_due": "2026-12-20"})
    assert cache.misses == 1 and cache.hits == 0
    with db.read() as s:
        version = definitions.of_instance(s, _stored(db, inst.id))
    after = restore(_stored(db, inst.id).state, version.spec, version.subprocess_specs)
    assert {t.data.get("period") for t in after.get_tasks()} == {"sửa tay"}


def test_a_rolled_back_step_leaves_nothing_in_memory_and_the_task_open(db, actor, cache):
    inst = start_review(db, actor)
    tt = actor("tt.chuyenvien")
    item = open_item(db, tt, "start_review", inst.id)
    with pytest.raises(RuntimeError):
        with db.session() as s:
            tasks.complete(s, tt, item.task_id, {"scope": "Văn bản QPPL", "contribute_due": "2026-12-20"})
            raise RuntimeError("the commit never happens")  # e.g. the connection drops
    assert cache.hits == 1 and inst.id not in cache._entries  # taken by the step, not put back
    # Still open, and completing it for real restores the committed state.
    complete(db, tt, "start_review", inst.id, {"scope": "Văn bản QPPL", "contribute_due": "2026-12-20"})
    assert cache.misses == 1
    assert open_item(db, actor("khtc.chuyenvien"), "contribute", inst.id)


def test_a_refused_submission_drops_the_entry_and_the_next_one_restores(db, actor, cache):
    inst = start_review(db, actor)
    tt = actor("tt.chuyenvien")
    item = open_item(db, tt, "start_review", inst.id)
    with pytest.raises(FormInvalid):
        service.complete_task(db, tt, item.task_id, {"scope": ""})
    service.complete_task(db, tt, item.task_id, {"scope": "Văn bản QPPL", "contribute_due": "2026-12-20"})
    assert (cache.hits, cache.misses) == (1, 1)


def test_the_cache_is_bounded_least_recently_used_first(db, actor, cache):
    cache.size = 2
    first, second, third = (start_review(db, actor, period=p) for p in ("2026", "2027", "2028"))
    assert list(cache._entries) == [second.id, third.id]
    assert first.id not in cache._entries


def test_script_results_are_kept_in_the_shape_the_stored_state_gives_back():
    """A tuple becomes a list and a number key text at once, as after a restore (and from the worker)."""
    _, after = runner.run("pair = (1, 2)\nby_quarter = {1: 'Q1', 2: ('a', 'b')}\nsame = [1, 2]", "exec", {})
    assert after["pair"] == [1, 2] and isinstance(after["pair"], list)
    assert after["by_quarter"] == {"1": "Q1", "2": ["a", "b"]}
    value, _ = runner.run("(x, x + 1)", "eval", {"x": 1})
    assert value == [1, 2]
