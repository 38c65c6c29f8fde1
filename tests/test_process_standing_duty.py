"""standing_duty (Nhiệm vụ thường xuyên): the lead reports each period's results; escalated to the approver if late."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine import service
from engine.core import clock
from engine.core.errors import FormInvalid
from engine.core.models import ProcessInstance, Timer, WorkItem
from engine.runtime import worklist
from tests.helpers import assert_fully_drawn, assert_reminder_fires_at, complete, deployed, fired, items, open_item, vn

BPMN = Path(__file__).resolve().parent.parent / "processes" / "standing_duty" / "standing_duty.bpmn"
PROGRESS = {
    "results": "Cập nhật 45 thủ tục hành chính lên Cổng dịch vụ công; tiếp nhận 120 phản ánh, kiến nghị.",
    "difficulties": "Phần mềm một cửa còn lỗi đồng bộ",
    "proposals": "Đề nghị Sở TT&TT hỗ trợ kỹ thuật",
    "evidence_links": ["https://dichvucong.example.vn/bao-cao/q4-2026", "https://vanban.example.vn/cv-1234.pdf"],
}


def start(db, actor, supporting=()):
    """The Q4/2026 report of a continuous duty, due Friday 25/12/2026."""
    return service.start_instance(db, actor("tt.chuyenvien"), "standing_duty", lead_unit="TTRA", period="Q4/2026",
                                  supporting_units=list(supporting), due_at=vn(2026, 12, 25),
                                  data={"duty_id": "HUE-TTHC-05", "timing": "Thường xuyên"})


def test_deploys_with_role_lanes_forms_and_a_complete_diagram(db):
    _, meta = deployed(db, BPMN, "standing_duty")
    assert {k: v["role"] for k, v in meta["user_tasks"].items()} == {
        "report_progress": "lead_unit", "handle_overdue": "approver"}
    assert meta["user_tasks"]["handle_overdue"]["properties"] == {"due_in_working_days": "3"}
    assert_fully_drawn(BPMN)


def test_happy_path_the_lead_reports_the_period(db, actor):
    inst = start(db, actor, supporting=("KHTC",))
    tt = actor("tt.chuyenvien")
    report = open_item(db, tt, "report_progress", inst.id)
    assert (report.unit_code, report.role) == ("TTRA", "lead_unit")
    assert clock.from_db(report.due_at) == vn(2026, 12, 25)
    # Reminder 5 working days before Friday 25/12/2026: Friday 18/12 at 08:00.
    assert clock.from_db(inst.next_timer_at) == vn(2026, 12, 18, 8, 0)
    # A standing duty is the lead's alone: a listed supporting unit gets nothing to do.
    assert [i for i in service.my_work_items(db, actor("khtc.chuyenvien")) if i.instance_id == inst.id] == []

    complete(db, tt, "report_progress", inst.id, PROGRESS)
    view = service.instance_view(db, actor("giamdoc"), inst.id)
    assert view["instance"].status == "completed"
    assert view["data"]["results"] == PROGRESS["results"]
    assert view["data"]["evidence_links"] == PROGRESS["evidence_links"]
    assert [(i.bpmn_id, i.state) for i in view["items"]] == [("report_progress", "COMPLETED")]
    assert worklist.status(view["items"][0]) == worklist.DONE_ON_TIME
    assert fired(db, inst.id) == []
    with db.session() as s:
        assert s.scalars(select(Timer).where(Timer.instance_id == inst.id)).all() == []
        assert s.get(ProcessInstance, inst.id).next_timer_at is None


def test_report_needs_results_and_real_links(db, actor):
    inst = start(db, actor)
    tt = actor("tt.chuyenvien")
    item = open_item(db, tt, "report_progress", inst.id)
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, tt, item.task_id, {"results": "", "evidence_links": ["không phải đường dẫn"]})
    assert set(caught.value.errors) == {"results", "evidence_links"}
    assert items(db, inst.id, "report_progress")[0].state == "READY"
    complete(db, tt, "report_progress", inst.id, {"results": "Đã thực hiện đầy đủ"})  # the rest is optional
    assert service.instance_view(db, tt, inst.id)["instance"].status == "completed"


def test_reminder_then_escalation_cancelled_when_reported(db, actor, fake_clock):
    inst = start(db, actor)
    assert_reminder_fires_at(db, fake_clock, inst.id, vn(2026, 12, 18, 8, 0))
    with db.session() as s:
        assert clock.from_db(s.get(ProcessInstance, inst.id).next_timer_at) == vn(2026, 12, 25)
    assert items(db, inst.id, "handle_overdue") == []

    fake_clock.set(vn(2026, 12, 25, 8, 0))
    service.fire_due_timers(db)
    assert len(fired(db, inst.id)) == 2 and "wait_deadline" in fired(db, inst.id)[1]
    gd, tt = actor("giamdoc"), actor("tt.chuyenvien")
    escalation = open_item(db, gd, "handle_overdue", inst.id)
    assert (escalation.role, escalation.unit_code) == ("approver", "BGD")
    assert clock.from_db(escalation.due_at) == vn(2026, 12, 30, 23, 59, 59)  # 3 working days from Fri 25/12
    report = open_item(db, tt, "report_progress", inst.id)
    assert worklist.status(report) == worklist.OVERDUE

    complete(db, tt, "report_progress", inst.id, PROGRESS)
    with db.session() as s:
        assert s.get(WorkItem, escalation.id).state == "CANCELLED"
        assert worklist.status(s.get(WorkItem, report.id)) == worklist.DONE_LATE
        assert s.get(ProcessInstance, inst.id).status == "completed"
    assert [i for i in service.my_work_items(db, gd) if i.instance_id == inst.id] == []


def test_approver_direction_does_not_close_the_duty(db, actor, fake_clock):
    inst = start(db, actor)
    fake_clock.set(vn(2027, 1, 4, 9, 0))  # the server was down: both timers are due at once
    service.fire_due_timers(db)
    assert len(fired(db, inst.id)) == 2
    gd, tt = actor("giamdoc"), actor("tt.chuyenvien")
    complete(db, gd, "handle_overdue", inst.id, {"direction": "Thanh tra Sở báo cáo trước 06/01/2027"})
    assert service.instance_view(db, gd, inst.id)["instance"].status == "running"
    assert open_item(db, tt, "report_progress", inst.id).state == "READY"
    complete(db, tt, "report_progress", inst.id, PROGRESS)
    assert service.instance_view(db, gd, inst.id)["instance"].status == "completed"
    assert items(db, inst.id, "handle_overdue")[0].state == "COMPLETED"
