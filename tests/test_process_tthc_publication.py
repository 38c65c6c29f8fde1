"""Kiểm soát, công bố và công khai TTHC (processes/tthc_publication) run through the engine service."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine import service
from engine.core import clock
from engine.core.errors import Forbidden, FormInvalid, NotFound
from engine.core.models import AuditEvent, ProcessInstance, Timer, WorkItem
from engine.runtime import worklist
from tests.helpers import assert_one_run_fires_at, assert_valid_and_fully_laid_out, complete, open_item, vn

ROOT = Path(__file__).resolve().parent.parent
BPMN = ROOT / "processes" / "tthc_publication" / "tthc_publication.bpmn"
KEY = "tthc_publication"

LIST = {
    "legal_basis": "Quyết định số 1234/QĐ-BYT ngày 10/11/2026 của Bộ Y tế công bố TTHC lĩnh vực khám bệnh, chữa bệnh",
    "new_procedures": ["Cấp giấy phép hành nghề khám bệnh, chữa bệnh"],
    "amended_procedures": ["Điều chỉnh giấy phép hoạt động khám bệnh, chữa bệnh"],
    "abolished_procedures": ["Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh"],
    "procedure_count": 3,
    "check_tthc_due": "2026-12-10",
}
CHECK_OK = {"check_result": "agree", "checked_procedures": ["Cấp giấy phép hành nghề khám bệnh, chữa bệnh"]}
CHECK_CHANGES = {"check_result": "propose_changes",
                 "check_notes": "Thời hạn giải quyết điều chỉnh giấy phép hoạt động là 10 ngày làm việc"}
DRAFT = {"decision_title": "Quyết định công bố danh mục TTHC lĩnh vực khám bệnh, chữa bệnh",
         "procedures_in_decision": 3, "draft_summary": "03 TTHC: 01 mới, 01 sửa đổi, 01 bãi bỏ."}
PUBLISHED = {"decision_number": "2345/QĐ-UBND", "published_on": "2026-12-20", "national_db_updated": True,
             "portal_updated": True, "posted_at_one_stop": True}


def start(db, actor, supporting=("KHTC", "NVY"), period="2026", **kwargs):
    return service.start_instance(db, actor("tt.chuyenvien"), KEY, lead_unit="TTRA", period=period,
                                  supporting_units=list(supporting), **kwargs)


def run_to_approval(db, actor, instance_id, supporting=("KHTC", "NVY")):
    """List, every unit's check, draft: the decision waits for the approver."""
    tt = actor("tt.chuyenvien")
    complete(db, tt, "prepare_list", instance_id, LIST)
    for unit in supporting:
        complete(db, actor(f"{unit.lower()}.chuyenvien"), "check_tthc", instance_id, CHECK_OK)
    complete(db, tt, "draft_decision", instance_id, DRAFT)


def data_of(db, actor, instance_id) -> dict:
    return service.instance_view(db, actor("giamdoc"), instance_id)["data"]


def status_of(db, instance_id) -> str:
    with db.session() as s:
        return s.get(ProcessInstance, instance_id).status


def test_process_file_is_valid_and_fully_laid_out():
    assert_valid_and_fully_laid_out(BPMN, KEY, "Kiểm soát, công bố và công khai thủ tục hành chính")


def test_start_lead_lists_procedures_default_deadline_and_reminder(db, actor):
    inst = start(db, actor)
    item = open_item(db, actor("tt.chuyenvien"), "prepare_list", inst.id)
    assert (item.unit_code, item.role) == ("TTRA", "lead_unit")
    # No deadline given by a plan: 31/12 of the period's year; reminder 5 working days before at 08:00.
    assert clock.from_db(item.due_at) == vn(2026, 12, 31, 23, 59, 59)
    assert clock.from_db(inst.next_timer_at) == vn(2026, 12, 24, 8, 0)
    assert service.my_work_items(db, actor("khtc.chuyenvien")) == []


def test_plan_deadline_is_used_when_given(db, actor):
    inst = start(db, actor, due_at=vn(2026, 12, 15))
    assert clock.from_db(open_item(db, actor("tt.chuyenvien"), "prepare_list", inst.id).due_at) == vn(2026, 12, 15)
    assert clock.from_db(inst.next_timer_at) == vn(2026, 12, 8, 8, 0)


def test_happy_path_checks_draft_sign_publish(db, actor):
    inst = start(db, actor)
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    complete(db, tt, "prepare_list", inst.id, LIST)
    khtc = open_item(db, actor("khtc.chuyenvien"), "check_tthc", inst.id)
    nvy = open_item(db, actor("nvy.chuyenvien"), "check_tthc", inst.id)
    assert (khtc.unit_code, nvy.unit_code) == ("KHTC", "NVY") and khtc.role == nvy.role == "supporting_unit"
    assert clock.from_db(khtc.due_at) == vn(2026, 12, 10, 23, 59, 59)  # check_tthc_due from the list form
    # The units see the list they are checking.
    rows = {k: v for k, _label, v in service.task_context(db, actor("khtc.chuyenvien"), khtc.task_id)["context_rows"]}
    assert rows["procedure_count"] == 3 and rows["abolished_procedures"] == LIST["abolished_procedures"]
    assert [i.bpmn_id for i in service.my_work_items(db, tt)] == []  # the lead waits for both checks
    complete(db, actor("khtc.chuyenvien"), "check_tthc", inst.id, CHECK_OK)
    complete(db, actor("nvy.chuyenvien"), "check_tthc", inst.id, CHECK_CHANGES)
    draft = open_item(db, tt, "draft_decision", inst.id)
    rows = {k: v for k, _label, v in service.task_context(db, tt, draft.task_id)["context_rows"]}
    by_unit = {c["unit"]: c for c in rows["contributions"]}
    assert by_unit["NVY"]["check_result"] == "propose_changes" and by_unit["KHTC"]["check_result"] == "agree"
    complete(db, tt, "draft_decision", inst.id, DRAFT)
    approve = open_item(db, gd, "approve", inst.id)
    assert (approve.unit_code, approve.role) == ("BGD", "approver")
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    publish = open_item(db, tt, "publish", inst.id)
    assert publish.unit_code == "TTRA"
    complete(db, tt, "publish", inst.id, PUBLISHED)

    view = service.instance_view(db, gd, inst.id)
    assert view["instance"].status == "completed"
    data = view["data"]
    assert data["decision_status"] == "signed" and data["return_count"] == 0
    assert data["decision_number"] == "2345/QĐ-UBND" and data["national_db_updated"] is True
    assert [e.kind for e in view["history"]][-1] == "instance_completed"
    assert all(i.state == "COMPLETED" for i in view["items"])
    with db.session() as s:
        assert s.scalars(select(Timer).where(Timer.instance_id == inst.id)).all() == []


def test_return_for_revision_then_sign(db, actor):
    inst = start(db, actor)
    run_to_approval(db, actor, inst.id)
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Bổ sung quy trình điện tử"})
    assert service.my_work_items(db, gd) == []
    rework = open_item(db, tt, "draft_decision", inst.id)
    context = service.task_context(db, tt, rework.task_id)
    rows = {k: v for k, _label, v in context["context_rows"]}
    assert rows["comment"] == "Bổ sung quy trình điện tử" and rows["return_count"] == 1
    assert context["prefill"]["draft_summary"] == DRAFT["draft_summary"]  # last draft kept for editing
    complete(db, tt, "draft_decision", inst.id, {**DRAFT, "revision_note": "Đã bổ sung quy trình điện tử"})
    assert service.task_context(db, gd, open_item(db, gd, "approve", inst.id).task_id)["prefill"] == {}
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    complete(db, tt, "publish", inst.id, PUBLISHED)
    view = service.instance_view(db, gd, inst.id)
    assert view["instance"].status == "completed"
    assert [e.kind for e in view["history"]].count("return") == 1
    assert view["data"]["revision_note"] == "Đã bổ sung quy trình điện tử"


def test_returns_are_bounded_then_approver_finalizes_and_lead_publishes(db, actor):
    inst = start(db, actor, supporting=())
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    complete(db, tt, "prepare_list", inst.id, LIST)
    for round_ in range(4):
        complete(db, tt, "draft_decision", inst.id, DRAFT)
        complete(db, gd, "approve", inst.id, {"decision": "return", "comment": f"Chưa đạt lần {round_ + 1}"})
        if round_ < 3:
            assert open_item(db, tt, "draft_decision", inst.id)
    # The 4th return exceeds max_returns (3): no more rework, the approver finishes the decision personally.
    assert [i.bpmn_id for i in service.my_work_items(db, tt)] == []
    complete(db, gd, "finalize_by_approver", inst.id, {"final_note": "Lãnh đạo Sở hoàn thiện, ký ban hành"})
    complete(db, tt, "publish", inst.id, PUBLISHED)
    data = data_of(db, actor, inst.id)
    assert data["return_count"] == 4 and data["decision_status"] == "signed"
    assert status_of(db, inst.id) == "completed"


def test_no_supporting_units_goes_straight_to_the_draft(db, actor):
    inst = start(db, actor, supporting=())
    tt = actor("tt.chuyenvien")
    complete(db, tt, "prepare_list", inst.id, {k: v for k, v in LIST.items() if k != "check_tthc_due"})
    assert open_item(db, tt, "draft_decision", inst.id)
    with db.session() as s:
        assert s.scalars(select(WorkItem).where(WorkItem.instance_id == inst.id,
                                                WorkItem.bpmn_id == "check_tthc")).all() == []


def test_supporting_unit_sees_and_does_only_its_own_check(db, actor):
    inst = start(db, actor)
    complete(db, actor("tt.chuyenvien"), "prepare_list", inst.id, LIST)
    khtc, nvy, nvd = actor("khtc.chuyenvien"), actor("nvy.chuyenvien"), actor("nvd.chuyenvien")
    assert [(i.bpmn_id, i.unit_code) for i in service.my_work_items(db, khtc)] == [("check_tthc", "KHTC")]
    nvy_item = open_item(db, nvy, "check_tthc", inst.id)
    with pytest.raises(Forbidden):  # a fellow participant may read NVY's task but not answer for NVY
        service.complete_task(db, khtc, nvy_item.task_id, CHECK_OK)
    with pytest.raises(NotFound):  # a unit outside the instance does not even see it
        service.task_context(db, nvd, nvy_item.task_id)
    assert service.my_work_items(db, nvd) == []
    complete(db, khtc, "check_tthc", inst.id, CHECK_OK)
    assert service.my_work_items(db, khtc) == []
    complete(db, nvy, "check_tthc", inst.id, CHECK_CHANGES)
    draft = open_item(db, actor("tt.chuyenvien"), "draft_decision", inst.id)
    with pytest.raises(Forbidden):  # nor the lead unit's step
        service.complete_task(db, khtc, draft.task_id, DRAFT)


def test_forms_enforce_reasons(db, actor):
    inst = start(db, actor, supporting=("KHTC",))
    tt = actor("tt.chuyenvien")
    complete(db, tt, "prepare_list", inst.id, LIST)
    check = open_item(db, actor("khtc.chuyenvien"), "check_tthc", inst.id)
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, actor("khtc.chuyenvien"), check.task_id, {"check_result": "propose_changes"})
    assert "check_notes" in caught.value.errors
    complete(db, actor("khtc.chuyenvien"), "check_tthc", inst.id, CHECK_OK)
    complete(db, tt, "draft_decision", inst.id, DRAFT)
    complete(db, actor("giamdoc"), "approve", inst.id, {"decision": "approve"})
    publish = open_item(db, tt, "publish", inst.id)
    not_everywhere = {**PUBLISHED, "posted_at_one_stop": False}
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, tt, publish.task_id, not_everywhere)
    assert set(caught.value.errors) == {"publication_note"}
    complete(db, tt, "publish", inst.id,
             {**not_everywhere, "publication_note": "Bộ phận một cửa đang thay bảng niêm yết"})
    assert status_of(db, inst.id) == "completed"


def test_reminder_then_escalation_cancelled_by_publication(db, actor, fake_clock):
    inst = start(db, actor)
    run_to_approval(db, actor, inst.id)
    gd, tt = actor("giamdoc"), actor("tt.chuyenvien")
    assert_one_run_fires_at(db, fake_clock, vn(2026, 12, 24, 8, 0))
    with db.session() as s:
        fired = s.scalars(select(AuditEvent.summary).where(AuditEvent.instance_id == inst.id,
                                                           AuditEvent.kind == "timer_fired")).all()
        assert fired == ["Nhắc hạn trước 5 ngày làm việc"]  # the name people read, not the BPMN id
        assert clock.from_db(s.get(ProcessInstance, inst.id).next_timer_at) == vn(2026, 12, 31, 23, 59, 59)
    states = service.instance_view(db, gd, inst.id)["diagram_states"]
    assert states["remind"] == "completed" and states["wait_deadline"] == "active"
    assert [i.bpmn_id for i in service.my_work_items(db, gd)] == ["approve"]  # no escalation yet

    fake_clock.set(vn(2027, 1, 1, 0, 1))  # the last day, 31/12, has passed
    assert service.fire_due_timers(db) == 1
    escalation = open_item(db, gd, "handle_overdue", inst.id)
    assert (escalation.unit_code, escalation.role) == ("BGD", "approver")
    # 3 working days from New Year's Day (a holiday): end of Wednesday 06/01/2027.
    assert clock.from_db(escalation.due_at) == vn(2027, 1, 6, 23, 59, 59)
    approve = open_item(db, gd, "approve", inst.id)
    assert worklist.status(approve) == worklist.OVERDUE
    assert service.fire_due_timers(db) == 0  # nothing fires twice
    with db.session() as s:
        assert s.get(ProcessInstance, inst.id).next_timer_at is None

    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    assert open_item(db, gd, "handle_overdue", inst.id)  # still open while the TTHC are not yet published
    complete(db, tt, "publish", inst.id, PUBLISHED)
    with db.session() as s:
        assert s.get(WorkItem, escalation.id).state == "CANCELLED"  # publication ends the escalation
        assert s.get(ProcessInstance, inst.id).status == "completed"
    assert service.my_work_items(db, gd) == []


def test_escalation_handled_while_the_work_goes_on(db, actor, fake_clock):
    inst = start(db, actor, supporting=(), due_at=vn(2026, 12, 15))
    fake_clock.set(vn(2026, 12, 16, 9, 0))  # reminder and deadline both passed: one run fires both
    assert service.fire_due_timers(db) == 1
    gd, tt = actor("giamdoc"), actor("tt.chuyenvien")
    complete(db, gd, "handle_overdue", inst.id, {"direction": "Thanh tra Sở hoàn thành trước 18/12"})
    assert status_of(db, inst.id) == "running"
    complete(db, tt, "prepare_list", inst.id, {**LIST, "check_tthc_due": "2026-12-18"})  # the late duty's cut-off
    complete(db, tt, "draft_decision", inst.id, DRAFT)
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    complete(db, tt, "publish", inst.id, PUBLISHED)
    assert status_of(db, inst.id) == "completed"
