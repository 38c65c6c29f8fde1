"""Running the legal-document review through the engine: steps, persistence, timers, races, permissions."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from engine import service
from engine.core import clock
from engine.core.errors import Conflict, EngineError, Forbidden, FormInvalid, NotFound
from engine.core.models import AuditEvent, ProcessInstance, Timer, WorkItem
from engine.runtime import instances, worklist
from engine.runtime.serializer import state_document
from tests.helpers import CONTRIBUTION, REPORT, complete, open_item, race, run_to_approval, start_review


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=clock.VN_TZ)


def test_start_creates_lead_item_due_before_15_january(db, actor):
    inst = start_review(db, actor)
    item = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    assert item.unit_code == "TTRA" and item.role == "lead_unit"
    assert clock.from_db(item.due_at) == vn(2027, 1, 15)
    # Reminder 5 working days before 15/01/2027 (a Friday): Friday 08/01 at 08:00.
    assert clock.from_db(inst.next_timer_at) == vn(2027, 1, 8, 8, 0)


def test_each_supporting_unit_gets_its_own_task(db, actor):
    inst = start_review(db, actor)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
             {"scope": "Rà soát toàn ngành", "contribute_due": "2026-12-20"})
    khtc = open_item(db, actor("khtc.chuyenvien"), "contribute", inst.id)
    nvy = open_item(db, actor("nvy.chuyenvien"), "contribute", inst.id)
    assert (khtc.unit_code, nvy.unit_code) == ("KHTC", "NVY")
    assert clock.from_db(khtc.due_at) == vn(2026, 12, 20, 23, 59, 59)
    assert service.my_work_items(db, actor("nvd.chuyenvien")) == []
    assert [i.bpmn_id for i in service.my_work_items(db, actor("tt.chuyenvien"))] == []


def test_full_run_with_return_then_approval(db, actor):
    inst = start_review(db, actor)
    run_to_approval(db, actor, inst.id)
    gd = actor("giamdoc")
    complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Bổ sung số liệu quý IV"})
    tt = actor("tt.chuyenvien")
    rework = open_item(db, tt, "consolidate", inst.id)
    context = service.task_context(db, tt, rework.task_id)
    rows = {key: value for key, _label, value in context["context_rows"]}
    assert rows["comment"] == "Bổ sung số liệu quý IV"
    assert context["prefill"]["summary"] == REPORT["summary"]  # what was sent last time is kept
    contributions = rows["contributions"]
    assert sorted(c["unit"] for c in contributions) == ["KHTC", "NVY"]
    complete(db, tt, "consolidate", inst.id, {**REPORT, "revision_note": "Đã bổ sung số liệu"})
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    view = service.instance_view(db, gd, inst.id)
    assert view["instance"].status == "completed"
    assert view["data"]["report_status"] == "issued"
    kinds = [e.kind for e in view["history"]]
    assert kinds.count("return") == 1 and kinds[-1] == "instance_completed"
    assert all(i.state != "READY" for i in view["items"])
    with db.session() as s:
        assert s.scalars(select(Timer).where(Timer.instance_id == inst.id)).all() == []


def test_returns_are_bounded(db, actor):
    inst = start_review(db, actor, supporting=())
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    complete(db, tt, "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    for _ in range(4):
        complete(db, tt, "consolidate", inst.id, REPORT)
        complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Chưa đạt"})
    # After the 4th return (max 3 rounds of rework) the approver finishes it personally.
    complete(db, gd, "finalize_by_approver", inst.id, {"final_note": "Lãnh đạo Sở hoàn thiện"})
    assert service.instance_view(db, gd, inst.id)["instance"].status == "completed"


def test_state_round_trips_through_the_database(db, actor):
    inst = start_review(db, actor)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
             {"scope": "Phạm vi có dấu: Ưu tiên", "contribute_due": "2026-12-20"})
    with db.session() as s:
        row = s.get(ProcessInstance, inst.id)
        state = json.loads(row.state)
        assert "spec" not in state and state["serializer_version"] == row.serializer_version
        workflow = instances.load(row)
    again = state_document(workflow)
    assert json.loads(again)["tasks"].keys() == state["tasks"].keys()
    ready = {str(t.id) for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    with db.session() as s:
        mirrored = set(s.scalars(select(WorkItem.task_id).where(WorkItem.instance_id == inst.id,
                                                               WorkItem.state == "READY")))
    assert ready == mirrored and len(ready) == 2
    assert "Ưu tiên" in row.state  # stored as UTF-8 text, not escaped


def test_invalid_form_data_changes_nothing(db, actor):
    inst = start_review(db, actor)
    tt = actor("tt.chuyenvien")
    item = open_item(db, tt, "start_review", inst.id)
    with db.session() as s:
        before = s.get(ProcessInstance, inst.id).state
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, tt, item.task_id, {"scope": "", "contribute_due": "31/02/2026", "hack": 1})
    assert set(caught.value.errors) == {"scope", "contribute_due", "_"}
    with db.session() as s:
        assert s.get(ProcessInstance, inst.id).state == before
        assert s.get(WorkItem, item.id).state == "READY"


def test_approver_must_comment_when_returning(db, actor):
    inst = start_review(db, actor, supporting=())
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    complete(db, actor("tt.chuyenvien"), "consolidate", inst.id, REPORT)
    item = open_item(db, actor("giamdoc"), "approve", inst.id)
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, actor("giamdoc"), item.task_id, {"decision": "return"})
    assert "comment" in caught.value.errors
    with pytest.raises(FormInvalid):
        service.complete_task(db, actor("giamdoc"), item.task_id, {"decision": "maybe"})


def test_other_units_cannot_see_or_complete(db, actor):
    inst = start_review(db, actor)
    item = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    with pytest.raises(NotFound):
        service.complete_task(db, actor("nvd.chuyenvien"), item.task_id, {"scope": "x", "contribute_due": "2026-12-20"})
    with pytest.raises(NotFound):
        service.task_context(db, actor("nvd.chuyenvien"), item.task_id)
    # The approver may look at the task but not do the lead unit's step.
    with pytest.raises(Forbidden):
        service.complete_task(db, actor("giamdoc"), item.task_id, {"scope": "x", "contribute_due": "2026-12-20"})
    with pytest.raises(NotFound):
        service.task_context(db, actor("tt.chuyenvien"), "00000000-0000-0000-0000-000000000000")


def test_completed_task_cannot_be_sent_again(db, actor):
    inst = start_review(db, actor)
    tt = actor("tt.chuyenvien")
    item = open_item(db, tt, "start_review", inst.id)
    service.complete_task(db, tt, item.task_id, {"scope": "x", "contribute_due": "2026-12-20"})
    with pytest.raises(Conflict):
        service.complete_task(db, tt, item.task_id, {"scope": "y", "contribute_due": "2026-12-21"})


def test_two_racing_completions_one_wins(db_url, db, actor):
    inst = start_review(db, actor)
    tt = actor("tt.chuyenvien")
    complete(db, tt, "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    item = open_item(db, actor("khtc.chuyenvien"), "contribute", inst.id)
    who = actor("khtc.chuyenvien")
    assert race(lambda: service.complete_task(db, who, item.task_id, CONTRIBUTION)) == ["conflict"] * 3 + ["ok"]
    with db.session() as s:
        assert s.get(WorkItem, item.id).state == "COMPLETED"
        completes = s.scalars(select(AuditEvent).where(AuditEvent.task_id == item.task_id,
                                                       AuditEvent.kind == "complete")).all()
    assert len(completes) == 1
    # The instance still loads and goes on: NVY's contribution is the only one left.
    assert open_item(db, actor("nvy.chuyenvien"), "contribute", inst.id)


def test_reminder_then_escalation_with_the_moved_clock(db, actor, fake_clock):
    inst = start_review(db, actor)
    run_to_approval(db, actor, inst.id)
    fake_clock.set(vn(2027, 1, 8, 7, 59))
    assert service.fire_due_timers(db) == 0
    fake_clock.set(vn(2027, 1, 8, 8, 1))
    assert service.fire_due_timers(db) == 1
    with db.session() as s:
        fired = s.scalars(select(AuditEvent.summary).where(AuditEvent.kind == "timer_fired")).all()
        assert fired == ["Nhắc hạn trước 5 ngày làm việc"]  # the name people read, not the BPMN id
        assert clock.from_db(s.get(ProcessInstance, inst.id).next_timer_at) == vn(2027, 1, 15)
    assert service.my_work_items(db, actor("giamdoc"))[0].bpmn_id == "approve"
    fake_clock.set(vn(2027, 1, 15, 8, 0))
    assert service.fire_due_timers(db) == 1
    gd = actor("giamdoc")
    escalation = open_item(db, gd, "handle_overdue", inst.id)
    # The escalation has its own deadline: 3 working days from Friday 15/01 = end of Wednesday 20/01.
    assert clock.from_db(escalation.due_at) == vn(2027, 1, 20, 23, 59, 59)
    assert worklist.status(escalation) == worklist.ON_TIME
    approve = open_item(db, gd, "approve", inst.id)
    assert worklist.status(approve) == worklist.OVERDUE
    assert service.fire_due_timers(db) == 0  # nothing fires twice
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    with db.session() as s:
        assert s.get(WorkItem, escalation.id).state == "CANCELLED"  # issuing the report ends the escalation
        done = s.get(WorkItem, approve.id)
        assert worklist.status(done) == worklist.DONE_LATE
        assert s.get(ProcessInstance, inst.id).status == "completed"


def test_catch_up_after_downtime_fires_both_timers_at_once(db, actor, fake_clock):
    inst = start_review(db, actor)
    fake_clock.set(vn(2027, 2, 1, 9, 0))
    assert service.fire_due_timers(db) == 1
    assert open_item(db, actor("giamdoc"), "handle_overdue", inst.id)
    with db.session() as s:
        assert s.get(ProcessInstance, inst.id).next_timer_at is None


def test_same_duty_unit_period_starts_once(db, actor):
    start_review(db, actor)
    with pytest.raises(Conflict):
        start_review(db, actor)
    assert start_review(db, actor, period="2027").period == "2027"


def test_unknown_unit_is_refused(db, actor):
    with pytest.raises(EngineError):
        start_review(db, actor, supporting=("KHONGCO",))


def test_cancel_closes_items_and_disarms_timers(db, actor):
    inst = start_review(db, actor)
    service.cancel_instance(db, actor("admin"), inst.id, "Khởi tạo nhầm")
    with db.session() as s:
        row = s.get(ProcessInstance, inst.id)
        assert row.status == "cancelled" and row.next_timer_at is None
        assert {w.state for w in s.scalars(select(WorkItem).where(WorkItem.instance_id == inst.id))} == {"CANCELLED"}
        assert s.scalar(select(AuditEvent.summary).where(AuditEvent.kind == "cancel")) == "Khởi tạo nhầm"
    with pytest.raises(Conflict):
        service.cancel_instance(db, actor("admin"), inst.id, "lần nữa")


def test_only_an_admin_cancels_and_who_may_not_see_the_instance_learns_nothing(db, actor):
    inst = start_review(db, actor, supporting=("KHTC",))
    with pytest.raises(Forbidden):  # the lead unit sees it, but cancelling is the administrator's
        service.cancel_instance(db, actor("tt.chuyenvien"), inst.id, "")
    with pytest.raises(NotFound):  # a unit with no part in it: as if it did not exist
        service.cancel_instance(db, actor("nvy.chuyenvien"), inst.id, "")
    with pytest.raises(NotFound):  # another Sở's administrator
        service.cancel_instance(db, actor("admin", org="syt-quang-ngai"), inst.id, "")
    with db.read() as s:
        assert s.get(ProcessInstance, inst.id).status == "running"


def test_only_the_lead_unit_or_an_admin_starts_a_duty(db, actor):
    with pytest.raises(Forbidden):
        service.start_instance(db, actor("nvd.chuyenvien"), "legal_document_review", lead_unit="TTRA",
                               period="2026", supporting_units=["KHTC"])
    assert service.start_instance(db, actor("admin"), "legal_document_review", lead_unit="TTRA",
                                  period="2026", supporting_units=[]).lead_unit_code == "TTRA"


def test_approver_form_does_not_preselect_last_rounds_answer(db, actor):
    inst = start_review(db, actor, supporting=())
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    complete(db, tt, "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    complete(db, tt, "consolidate", inst.id, REPORT)
    complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Bổ sung"})
    complete(db, tt, "consolidate", inst.id, REPORT)
    assert service.task_context(db, gd, open_item(db, gd, "approve", inst.id).task_id)["prefill"] == {}


def test_racing_starts_of_the_same_duty_make_one_instance(db, actor):
    assert race(lambda: start_review(db, actor, period="2031", supporting=()), threads=3) == \
        ["conflict", "conflict", "ok"]


def test_period_must_name_a_year(db, actor):
    with pytest.raises(EngineError, match="Kỳ 'năm nay' không hợp lệ"):
        start_review(db, actor, period="năm nay")


def test_audit_trail_cannot_be_rewritten(db, actor):
    start_review(db, actor)
    for statement in ("UPDATE audit_event SET actor = 'ai-do'", "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError, match="append-only"), db.session() as s:
            s.execute(text(statement))
    with db.session() as s:
        assert s.scalar(select(AuditEvent.actor).where(AuditEvent.kind == "start")) == "tt.chuyenvien"


@pytest.mark.parametrize("cut_off, message", [
    ("2026-11-30", "Hạn này đã qua: chọn từ hôm nay (01/12/2026) trở đi"),
    ("2027-01-15", "Hạn của các đơn vị phải trước hạn của nhiệm vụ (14/01/2027)"),
])
def test_a_cut_off_for_the_units_must_be_ahead_and_inside_the_duty_deadline(db, actor, cut_off, message):
    inst = start_review(db, actor)
    item = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, actor("tt.chuyenvien"), item.task_id, {"scope": "Văn bản QPPL",
                                                                          "contribute_due": cut_off})
    assert caught.value.errors == {"contribute_due": message}
    assert open_item(db, actor("tt.chuyenvien"), "start_review", inst.id).state == "READY"  # nothing stored


def test_a_late_duty_may_give_its_units_a_cut_off_after_its_own_deadline(db, actor, fake_clock):
    inst = start_review(db, actor)
    fake_clock.set(datetime(2027, 1, 18, 9, 0, tzinfo=clock.VN_TZ))  # the report is already late
    item = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    service.complete_task(db, actor("tt.chuyenvien"), item.task_id, {"scope": "Văn bản QPPL",
                                                                      "contribute_due": "2027-01-22"})
    assert open_item(db, actor("khtc.chuyenvien"), "contribute", inst.id).due_at is not None
