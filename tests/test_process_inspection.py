"""Kiểm tra công tác CCHC tại các đơn vị (processes/inspection) run through the engine service."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select

from engine import service
from engine.core import clock
from engine.core.errors import Forbidden, FormInvalid, NotFound
from engine.core.models import ProcessInstance, Timer, WorkItem
from engine.runtime import instances, worklist
from tests.helpers import assert_one_run_fires_at, assert_valid_and_fully_laid_out, complete, open_item, vn

ROOT = Path(__file__).resolve().parent.parent
BPMN = ROOT / "processes" / "inspection" / "inspection.bpmn"
KEY = "inspection"

PLAN = {
    "inspection_title": "Quyết định kiểm tra công tác CCHC năm 2026",
    "inspected_units_schedule": "07/12: Phòng Kế hoạch - Tài chính; 09/12: Phòng Nghiệp vụ Y",
    "inspection_content": "Cải cách TTHC, cơ chế một cửa; chính quyền số",
    "inspection_from": "2026-12-07", "inspection_to": "2026-12-11", "self_report_due": "2026-12-04",
}
SELF_REPORT = {"self_assessment": "Đã thực hiện đầy đủ các nhiệm vụ CCHC năm 2026", "applications_handled": 120,
               "applications_overdue": 2}
CONCLUSION = {
    "conclusion_title": "Kết luận kiểm tra công tác CCHC năm 2026", "units_inspected": 2,
    "findings": "Các đơn vị thực hiện tốt; còn 02 hồ sơ giải quyết quá hạn.",
    "recommendations": "Rà soát quy trình nội bộ, xin lỗi tổ chức, cá nhân có hồ sơ quá hạn.",
    "remediation_required": True, "remediation_report_due": "2027-01-29",
}
REMEDIED = {"remediation_status": "done", "remediation_actions": "Đã sửa quy trình nội bộ, gửi thư xin lỗi"}
CLOSED = {"closing_assessment": "Các đơn vị đã khắc phục đầy đủ.", "all_remedied": True}
UNITS = ("KHTC", "NVY")


def start(db, actor, supporting=UNITS, period="2026", **kwargs):
    return service.start_instance(db, actor("tt.chuyenvien"), KEY, lead_unit="TTRA", period=period,
                                  supporting_units=list(supporting), **kwargs)


def unit_actor(actor, unit):
    return actor(f"{unit.lower()}.chuyenvien")


def run_to_conclusion(db, actor, instance_id, supporting=UNITS):
    """Plan signed, every self-report in: the lead unit's conclusion is next."""
    complete(db, actor("tt.chuyenvien"), "plan_inspection", instance_id, PLAN)
    complete(db, actor("giamdoc"), "approve_decision", instance_id, {"decision": "approve"})
    for unit in supporting:
        complete(db, unit_actor(actor, unit), "self_report", instance_id, SELF_REPORT)


def run_to_remediation(db, actor, instance_id, supporting=UNITS):
    run_to_conclusion(db, actor, instance_id, supporting)
    complete(db, actor("tt.chuyenvien"), "conclude", instance_id, CONCLUSION)
    complete(db, actor("giamdoc"), "approve_conclusion", instance_id, {"decision": "approve"})


def rows_of(db, who, item) -> dict:
    return {k: v for k, _label, v in service.task_context(db, who, item.task_id)["context_rows"]}


def view(db, actor, instance_id) -> dict:
    return service.instance_view(db, actor("giamdoc"), instance_id)


def task_data(db, item) -> dict:
    """The data a work item's task sees (branch data such as counters is not in the instance's root data)."""
    with db.session() as s:
        workflow = instances.load(s.get(ProcessInstance, item.instance_id))
        return dict(workflow.get_task_from_id(UUID(item.task_id)).data)


def test_process_file_is_valid_and_fully_laid_out():
    assert_valid_and_fully_laid_out(BPMN, KEY, "Kiểm tra công tác cải cách hành chính tại các đơn vị")


def test_start_lead_plans_the_inspection(db, actor):
    inst = start(db, actor)
    item = open_item(db, actor("tt.chuyenvien"), "plan_inspection", inst.id)
    assert (item.unit_code, item.role) == ("TTRA", "lead_unit")
    assert clock.from_db(item.due_at) == vn(2026, 12, 31, 23, 59, 59)  # no plan deadline given: 31/12 of the year
    assert clock.from_db(inst.next_timer_at) == vn(2026, 12, 24, 8, 0)
    for unit in UNITS:  # inspected units have nothing to do before the decision is signed
        assert service.my_work_items(db, unit_actor(actor, unit)) == []


def test_full_inspection_from_plan_to_closing(db, actor):
    inst = start(db, actor)
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    complete(db, tt, "plan_inspection", inst.id, PLAN)
    approve = open_item(db, gd, "approve_decision", inst.id)
    assert (approve.unit_code, approve.role) == ("BGD", "approver")
    complete(db, gd, "approve_decision", inst.id, {"decision": "approve"})

    reports = {u: open_item(db, unit_actor(actor, u), "self_report", inst.id) for u in UNITS}
    assert {u: (i.unit_code, i.role) for u, i in reports.items()} == {u: (u, "supporting_unit") for u in UNITS}
    assert {clock.from_db(i.due_at) for i in reports.values()} == {vn(2026, 12, 4, 23, 59, 59)}
    assert rows_of(db, unit_actor(actor, "KHTC"), reports["KHTC"])["inspection_content"] == PLAN["inspection_content"]
    complete(db, unit_actor(actor, "KHTC"), "self_report", inst.id, SELF_REPORT)
    assert [i.bpmn_id for i in service.my_work_items(db, tt)] == []  # waits for every inspected unit
    complete(db, unit_actor(actor, "NVY"), "self_report", inst.id, {"self_assessment": "Hoàn thành"})

    conclude = open_item(db, tt, "conclude", inst.id)
    reports_seen = {c["unit"]: c for c in rows_of(db, tt, conclude)["contributions"]}
    assert reports_seen["KHTC"]["applications_overdue"] == 2 and reports_seen["NVY"]["self_assessment"] == "Hoàn thành"
    complete(db, tt, "conclude", inst.id, CONCLUSION)
    complete(db, gd, "approve_conclusion", inst.id, {"decision": "approve"})

    remediation = {u: open_item(db, unit_actor(actor, u), "remediation_report", inst.id) for u in UNITS}
    # Each remediation report is due by the date set in the conclusion (remediation_report_due), not the case's.
    assert {clock.from_db(i.due_at) for i in remediation.values()} == {vn(2027, 1, 29, 23, 59, 59)}
    assert rows_of(db, unit_actor(actor, "NVY"), remediation["NVY"])["recommendations"] == CONCLUSION["recommendations"]
    for unit in UNITS:
        complete(db, unit_actor(actor, unit), "remediation_report", inst.id, REMEDIED)
    close = open_item(db, tt, "close_case", inst.id)
    assert close.unit_code == "TTRA"
    complete(db, tt, "close_case", inst.id, CLOSED)

    result = view(db, actor, inst.id)
    assert result["instance"].status == "completed"
    data = result["data"]
    assert data["inspection_decision_status"] == "issued" and data["conclusion_status"] == "issued"
    assert (data["decision_return_count"], data["return_count"]) == (0, 0)
    assert sorted(r["unit"] for r in data["remediation_reports"]) == ["KHTC", "NVY"]
    assert [e.kind for e in result["history"]][-1] == "instance_completed"
    assert all(i.state == "COMPLETED" for i in result["items"])
    with db.session() as s:
        assert s.scalars(select(Timer).where(Timer.instance_id == inst.id)).all() == []


def test_both_approvals_return_for_revision_with_their_own_counters(db, actor):
    inst = start(db, actor, supporting=("KHTC",))
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    complete(db, tt, "plan_inspection", inst.id, PLAN)
    complete(db, gd, "approve_decision", inst.id, {"decision": "return", "comment": "Bổ sung nội dung công vụ"})
    rework = open_item(db, tt, "plan_inspection", inst.id)
    context = service.task_context(db, tt, rework.task_id)
    assert {k: v for k, _l, v in context["context_rows"]}["comment"] == "Bổ sung nội dung công vụ"
    assert context["prefill"]["inspection_content"] == PLAN["inspection_content"]
    assert service.my_work_items(db, unit_actor(actor, "KHTC")) == []  # no self-report before the decision
    complete(db, tt, "plan_inspection", inst.id, {**PLAN, "plan_revision_note": "Đã bổ sung nội dung công vụ"})
    complete(db, gd, "approve_decision", inst.id, {"decision": "approve"})
    complete(db, unit_actor(actor, "KHTC"), "self_report", inst.id, SELF_REPORT)

    conclude = open_item(db, tt, "conclude", inst.id)
    rows = rows_of(db, tt, conclude)
    # The decision's return comment does not follow the case, and its return does not count against the conclusion.
    assert "comment" not in rows and "return_count" not in rows
    assert (task_data(db, conclude)["decision_return_count"], task_data(db, conclude)["return_count"]) == (1, 0)
    complete(db, tt, "conclude", inst.id, CONCLUSION)
    complete(db, gd, "approve_conclusion", inst.id, {"decision": "return", "comment": "Nêu rõ trách nhiệm"})
    rework = open_item(db, tt, "conclude", inst.id)
    rows = rows_of(db, tt, rework)
    assert rows["comment"] == "Nêu rõ trách nhiệm" and rows["return_count"] == 1
    assert task_data(db, rework)["decision_return_count"] == 1
    complete(db, tt, "conclude", inst.id, {**CONCLUSION, "conclusion_revision_note": "Đã nêu rõ trách nhiệm"})
    assert service.task_context(db, gd, open_item(db, gd, "approve_conclusion", inst.id).task_id)["prefill"] == {}
    complete(db, gd, "approve_conclusion", inst.id, {"decision": "approve"})
    assert open_item(db, unit_actor(actor, "KHTC"), "remediation_report", inst.id)
    kinds = [e.kind for e in view(db, actor, inst.id)["history"]]
    assert kinds.count("return") == 2


def test_conclusion_returns_are_counted_apart_from_decision_returns(db, actor):
    inst = start(db, actor, supporting=())
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    for _ in range(3):  # three returns of the decision: still within max_returns
        complete(db, tt, "plan_inspection", inst.id, PLAN)
        complete(db, gd, "approve_decision", inst.id, {"decision": "return", "comment": "Chưa đạt"})
    complete(db, tt, "plan_inspection", inst.id, PLAN)
    complete(db, gd, "approve_decision", inst.id, {"decision": "approve"})
    # No inspected units: straight to the conclusion. Three more returns are the conclusion's own first three.
    for _ in range(3):
        complete(db, tt, "conclude", inst.id, CONCLUSION)
        complete(db, gd, "approve_conclusion", inst.id, {"decision": "return", "comment": "Chưa đạt"})
    complete(db, tt, "conclude", inst.id, CONCLUSION)
    complete(db, gd, "approve_conclusion", inst.id, {"decision": "return", "comment": "Lần thứ tư"})
    assert [i.bpmn_id for i in service.my_work_items(db, tt)] == []
    finalize = open_item(db, gd, "finalize_conclusion_by_approver", inst.id)
    with pytest.raises(FormInvalid) as caught:  # the approver decides about remediation too
        service.complete_task(db, gd, finalize.task_id, {"final_note": "Hoàn thiện", "remediation_required": True,
                                                         "remediation_report_due": ""})
    assert "remediation_report_due" in caught.value.errors
    complete(db, gd, "finalize_conclusion_by_approver", inst.id,
             {"final_note": "Lãnh đạo Sở hoàn thiện Kết luận", "remediation_required": False})
    complete(db, tt, "close_case", inst.id, CLOSED)
    data = view(db, actor, inst.id)["data"]
    assert (data["decision_return_count"], data["return_count"]) == (3, 4)
    assert data["conclusion_status"] == "issued" and data["remediation_required"] is False


def test_decision_returns_are_bounded(db, actor):
    inst = start(db, actor, supporting=("NVY",))
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    for _ in range(4):
        complete(db, tt, "plan_inspection", inst.id, PLAN)
        complete(db, gd, "approve_decision", inst.id, {"decision": "return", "comment": "Chưa đạt"})
    assert [i.bpmn_id for i in service.my_work_items(db, tt)] == []
    complete(db, gd, "finalize_decision_by_approver", inst.id, {"final_note": "Lãnh đạo Sở ký Quyết định"})
    # The signed decision goes on to the inspected unit, and a conclusion return then is allowed again.
    complete(db, unit_actor(actor, "NVY"), "self_report", inst.id, SELF_REPORT)
    complete(db, tt, "conclude", inst.id, CONCLUSION)
    complete(db, gd, "approve_conclusion", inst.id, {"decision": "return", "comment": "Bổ sung"})
    data = task_data(db, open_item(db, tt, "conclude", inst.id))
    assert data["inspection_decision_status"] == "issued"
    assert (data["decision_return_count"], data["return_count"]) == (4, 1)


def test_no_remediation_required_goes_straight_to_closing(db, actor):
    inst = start(db, actor)
    run_to_conclusion(db, actor, inst.id)
    tt = actor("tt.chuyenvien")
    complete(db, tt, "conclude", inst.id, {k: v for k, v in CONCLUSION.items()
                                           if k not in ("recommendations", "remediation_report_due")}
             | {"remediation_required": False})
    complete(db, actor("giamdoc"), "approve_conclusion", inst.id, {"decision": "approve"})
    assert open_item(db, tt, "close_case", inst.id)
    with db.session() as s:
        assert s.scalars(select(WorkItem).where(WorkItem.instance_id == inst.id,
                                                WorkItem.bpmn_id == "remediation_report")).all() == []
    for unit in UNITS:
        assert service.my_work_items(db, unit_actor(actor, unit)) == []


def test_inspected_unit_sees_and_does_only_its_own_tasks(db, actor):
    inst = start(db, actor)
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    khtc, nvy, nvd = unit_actor(actor, "KHTC"), unit_actor(actor, "NVY"), actor("nvd.chuyenvien")
    plan = open_item(db, tt, "plan_inspection", inst.id)
    # An inspected unit is a supporting unit of the case from the start: it reads it, it cannot act on it
    # (engine.core.access: supporting units see their instances read-only).
    assert service.task_context(db, khtc, plan.task_id)["can_act"] is False
    with pytest.raises(Forbidden):
        service.complete_task(db, khtc, plan.task_id, PLAN)
    complete(db, tt, "plan_inspection", inst.id, PLAN)
    complete(db, gd, "approve_decision", inst.id, {"decision": "approve"})

    assert [(i.bpmn_id, i.unit_code) for i in service.my_work_items(db, khtc)] == [("self_report", "KHTC")]
    assert [(i.bpmn_id, i.unit_code) for i in service.my_work_items(db, nvy)] == [("self_report", "NVY")]
    nvy_report = open_item(db, nvy, "self_report", inst.id)
    with pytest.raises(Forbidden):  # KHTC takes part in the case, so it may read NVY's task, not answer it
        service.complete_task(db, khtc, nvy_report.task_id, SELF_REPORT)
    with pytest.raises(NotFound):  # a unit that is not inspected does not see it at all
        service.task_context(db, nvd, nvy_report.task_id)
    assert service.my_work_items(db, nvd) == []
    complete(db, khtc, "self_report", inst.id, SELF_REPORT)
    complete(db, nvy, "self_report", inst.id, SELF_REPORT)

    conclude = open_item(db, tt, "conclude", inst.id)
    with pytest.raises(Forbidden):  # an inspected unit cannot write its own conclusion
        service.complete_task(db, khtc, conclude.task_id, CONCLUSION)
    complete(db, tt, "conclude", inst.id, CONCLUSION)
    approve = open_item(db, gd, "approve_conclusion", inst.id)
    with pytest.raises(Forbidden):  # nor sign it
        service.complete_task(db, tt, approve.task_id, {"decision": "approve"})
    complete(db, gd, "approve_conclusion", inst.id, {"decision": "approve"})
    assert [(i.bpmn_id, i.unit_code) for i in service.my_work_items(db, khtc)] == [("remediation_report", "KHTC")]
    nvy_remediation = open_item(db, nvy, "remediation_report", inst.id)
    with pytest.raises(Forbidden):
        service.complete_task(db, khtc, nvy_remediation.task_id, REMEDIED)


def test_forms_require_what_the_choice_implies(db, actor):
    inst = start(db, actor, supporting=("KHTC",))
    run_to_conclusion(db, actor, inst.id, supporting=("KHTC",))
    tt = actor("tt.chuyenvien")
    conclude = open_item(db, tt, "conclude", inst.id)
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, tt, conclude.task_id, {k: v for k, v in CONCLUSION.items()
                                                         if k not in ("recommendations", "remediation_report_due")})
    assert set(caught.value.errors) == {"recommendations", "remediation_report_due"}
    complete(db, tt, "conclude", inst.id, CONCLUSION)
    complete(db, actor("giamdoc"), "approve_conclusion", inst.id, {"decision": "approve"})
    khtc = unit_actor(actor, "KHTC")
    remediation = open_item(db, khtc, "remediation_report", inst.id)
    partial = {"remediation_status": "in_progress", "remediation_actions": "Đang sửa quy trình nội bộ"}
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, khtc, remediation.task_id, partial)
    assert set(caught.value.errors) == {"remaining_issues"}
    complete(db, khtc, "remediation_report", inst.id, {**partial, "remaining_issues": "Hoàn thành trước 31/03/2027"})
    close = open_item(db, tt, "close_case", inst.id)
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, tt, close.task_id, {**CLOSED, "all_remedied": False})
    assert set(caught.value.errors) == {"follow_up"}
    complete(db, tt, "close_case", inst.id, {**CLOSED, "all_remedied": False, "follow_up": "Kiểm tra lại quý I/2027"})
    assert view(db, actor, inst.id)["instance"].status == "completed"


def test_reminder_escalation_then_cancelled_when_the_case_closes(db, actor, fake_clock):
    inst = start(db, actor)
    run_to_remediation(db, actor, inst.id)
    gd, tt = actor("giamdoc"), actor("tt.chuyenvien")
    assert_one_run_fires_at(db, fake_clock, vn(2026, 12, 24, 8, 0))
    with db.session() as s:
        assert clock.from_db(s.get(ProcessInstance, inst.id).next_timer_at) == vn(2026, 12, 31, 23, 59, 59)
    assert service.instance_view(db, gd, inst.id)["diagram_states"]["remind"] == "completed"
    assert service.my_work_items(db, gd) == []  # a reminder only: nothing for the approver yet

    fake_clock.set(vn(2027, 1, 1, 0, 1))  # the last day, 31/12, has passed
    assert service.fire_due_timers(db) == 1
    escalation = open_item(db, gd, "handle_overdue", inst.id)
    assert (escalation.unit_code, escalation.role) == ("BGD", "approver")
    assert clock.from_db(escalation.due_at) == vn(2027, 1, 6, 23, 59, 59)  # 3 working days, 01/01 is a holiday
    # The units' remediation reports keep their own deadline from the conclusion and are not overdue.
    khtc_item = open_item(db, unit_actor(actor, "KHTC"), "remediation_report", inst.id)
    assert worklist.status(khtc_item) == worklist.ON_TIME
    assert service.fire_due_timers(db) == 0

    for unit in UNITS:
        complete(db, unit_actor(actor, unit), "remediation_report", inst.id, REMEDIED)
    assert open_item(db, gd, "handle_overdue", inst.id)  # still open until the case is closed
    complete(db, tt, "close_case", inst.id, CLOSED)
    with db.session() as s:
        assert s.get(WorkItem, escalation.id).state == "CANCELLED"
        row = s.get(ProcessInstance, inst.id)
        assert row.status == "completed" and row.next_timer_at is None
    assert service.my_work_items(db, gd) == []


def test_plan_deadline_drives_reminder_and_escalation(db, actor, fake_clock):
    inst = start(db, actor, supporting=(), due_at=vn(2026, 12, 15))
    assert clock.from_db(inst.next_timer_at) == vn(2026, 12, 8, 8, 0)
    fake_clock.set(vn(2026, 12, 15, 0, 1))
    assert service.fire_due_timers(db) == 1  # reminder and deadline both due: one run fires both
    gd = actor("giamdoc")
    complete(db, gd, "handle_overdue", inst.id, {"direction": "Thanh tra Sở hoàn thành trước 20/12"})
    assert open_item(db, actor("tt.chuyenvien"), "plan_inspection", inst.id)  # the case goes on
    with db.session() as s:
        assert s.get(ProcessInstance, inst.id).status == "running"
