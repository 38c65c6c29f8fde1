"""document_issuance (Xây dựng và ban hành văn bản): draft → contributions → finalise → sign → issue and send."""

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

BPMN = Path(__file__).resolve().parent.parent / "processes" / "document_issuance" / "document_issuance.bpmn"
DRAFT = {"document_type": "ke_hoach", "document_title": "Kế hoạch kiểm soát thủ tục hành chính năm 2027",
         "draft_summary": "Mục đích, yêu cầu; nội dung; tổ chức thực hiện.", "contribute_due": "2026-12-15"}
FINAL = {"document_title": "Kế hoạch kiểm soát thủ tục hành chính năm 2027",
         "final_summary": "Dự thảo đã tiếp thu ý kiến của KHTC và NVY."}
ISSUED = {"document_number": "2609/KH-SYT", "issued_date": "2026-12-28",
          "recipient": "UBND tỉnh; các đơn vị trực thuộc"}


def start(db, actor, supporting=("KHTC", "NVY"), period="2027"):
    """The 2027 plan, to be issued by 31/12/2026 (the plan's `31/12 Y-1`)."""
    return service.start_instance(db, actor("tt.chuyenvien"), "document_issuance", lead_unit="TTRA", period=period,
                                  supporting_units=list(supporting), due_at=vn(2026, 12, 31),
                                  data={"duty_id": "HUE-TTHC-01", "product": "Kế hoạch", "recipient": "UBND tỉnh"})


def to_approval(db, actor, inst_id, supporting=("KHTC", "NVY")):
    tt = actor("tt.chuyenvien")
    complete(db, tt, "draft", inst_id, DRAFT)
    for unit in supporting:
        complete(db, actor(f"{unit.lower()}.chuyenvien"), "contribute", inst_id, {"agreement": "agree"})
    complete(db, tt, "finalize_draft", inst_id, FINAL)


def test_deploys_with_role_lanes_forms_and_a_complete_diagram(db):
    _, meta = deployed(db, BPMN, "document_issuance")
    assert {k: v["role"] for k, v in meta["user_tasks"].items()} == {
        "draft": "lead_unit", "contribute": "supporting_unit", "finalize_draft": "lead_unit",
        "approve": "approver", "finalize_by_approver": "approver", "issue_and_send": "lead_unit",
        "handle_overdue": "approver"}
    assert meta["user_tasks"]["handle_overdue"]["properties"] == {"due_in_working_days": "3"}
    assert_fully_drawn(BPMN)


def test_happy_path_from_draft_to_issued_document(db, actor):
    inst = start(db, actor)
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    draft = open_item(db, tt, "draft", inst.id)
    assert (draft.unit_code, draft.role) == ("TTRA", "lead_unit")
    assert clock.from_db(draft.due_at) == vn(2026, 12, 31)
    # Reminder 5 working days before Thursday 31/12/2026: Thursday 24/12 at 08:00.
    assert clock.from_db(inst.next_timer_at) == vn(2026, 12, 24, 8, 0)

    complete(db, tt, "draft", inst.id, DRAFT)
    khtc = open_item(db, actor("khtc.chuyenvien"), "contribute", inst.id)
    nvy = open_item(db, actor("nvy.chuyenvien"), "contribute", inst.id)
    assert (khtc.unit_code, nvy.unit_code) == ("KHTC", "NVY") and khtc.role == "supporting_unit"
    assert clock.from_db(khtc.due_at) == vn(2026, 12, 15, 23, 59, 59)  # the lead's contribute_due
    assert [i for i in service.my_work_items(db, actor("nvd.chuyenvien")) if i.instance_id == inst.id] == []
    assert [i for i in service.my_work_items(db, tt) if i.instance_id == inst.id] == []  # waits for both units

    complete(db, actor("khtc.chuyenvien"), "contribute", inst.id, {"agreement": "agree"})
    assert [i for i in service.my_work_items(db, tt) if i.instance_id == inst.id] == []
    complete(db, actor("nvy.chuyenvien"), "contribute", inst.id,
             {"agreement": "agree_with_comments", "comments": "Bổ sung chỉ tiêu giải quyết hồ sơ đúng hạn"})
    finalize = open_item(db, tt, "finalize_draft", inst.id)
    context = service.task_context(db, tt, finalize.task_id)
    rows = {key: value for key, _label, value in context["context_rows"]}
    assert sorted((c["unit"], c["agreement"]) for c in rows["contributions"]) == [
        ("KHTC", "agree"), ("NVY", "agree_with_comments")]
    assert context["prefill"]["document_title"] == DRAFT["document_title"]  # carried over from the draft

    complete(db, tt, "finalize_draft", inst.id, FINAL)
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    issue = open_item(db, tt, "issue_and_send", inst.id)
    assert service.task_context(db, tt, issue.task_id)["prefill"]["recipient"] == "UBND tỉnh"  # the plan's
    complete(db, tt, "issue_and_send", inst.id, ISSUED)

    view = service.instance_view(db, gd, inst.id)
    assert view["instance"].status == "completed"
    assert view["data"]["document_number"] == "2609/KH-SYT" and view["data"]["issued_date"] == "2026-12-28"
    assert view["data"]["recipient"] == ISSUED["recipient"]
    assert all(i.state == "COMPLETED" for i in view["items"])
    assert [i.bpmn_id for i in view["items"]] == ["draft", "contribute", "contribute", "finalize_draft",
                                                  "approve", "issue_and_send"]
    assert view["history"][-1].kind == "instance_completed"
    assert fired(db, inst.id) == []
    with db.session() as s:
        assert s.scalars(select(Timer).where(Timer.instance_id == inst.id)).all() == []
        assert s.get(ProcessInstance, inst.id).next_timer_at is None


def test_contribution_form_requires_comments_unless_agreeing(db, actor):
    inst = start(db, actor, supporting=("KHTC",))
    complete(db, actor("tt.chuyenvien"), "draft", inst.id, DRAFT)
    khtc = actor("khtc.chuyenvien")
    item = open_item(db, khtc, "contribute", inst.id)
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, khtc, item.task_id, {"agreement": "disagree"})
    assert set(caught.value.errors) == {"comments"}
    assert items(db, inst.id, "contribute")[0].state == "READY"


def test_return_then_approval(db, actor):
    inst = start(db, actor)
    to_approval(db, actor, inst.id)
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    approve = open_item(db, gd, "approve", inst.id)
    with pytest.raises(FormInvalid) as caught:
        service.complete_task(db, gd, approve.task_id, {"decision": "return"})
    assert "comment" in caught.value.errors
    complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Bổ sung kinh phí thực hiện"})

    rework = open_item(db, tt, "finalize_draft", inst.id)
    context = service.task_context(db, tt, rework.task_id)
    rows = {key: value for key, _label, value in context["context_rows"]}
    assert rows["comment"] == "Bổ sung kinh phí thực hiện" and rows["return_count"] == 1
    assert context["prefill"]["final_summary"] == FINAL["final_summary"]  # last submission kept
    assert items(db, inst.id, "issue_and_send") == []

    complete(db, tt, "finalize_draft", inst.id, {**FINAL, "revision_note": "Đã bổ sung mục kinh phí"})
    second = open_item(db, gd, "approve", inst.id)
    assert service.task_context(db, gd, second.task_id)["prefill"] == {}  # no preselected decision
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    complete(db, tt, "issue_and_send", inst.id, ISSUED)

    view = service.instance_view(db, gd, inst.id)
    assert view["instance"].status == "completed" and view["data"]["return_count"] == 1
    assert view["data"]["revision_note"] == "Đã bổ sung mục kinh phí"
    kinds = [e.kind for e in view["history"]]
    assert kinds.count("return") == 1
    assert [i.bpmn_id for i in view["items"]].count("finalize_draft") == 2
    assert [i.bpmn_id for i in view["items"]].count("approve") == 2


def test_returns_are_bounded_then_the_approver_finalises(db, actor):
    inst = start(db, actor, supporting=())
    tt, gd = actor("tt.chuyenvien"), actor("giamdoc")
    complete(db, tt, "draft", inst.id, DRAFT)
    for _ in range(4):  # max_returns = 3: the 4th return goes to the approver personally
        complete(db, tt, "finalize_draft", inst.id, FINAL)
        complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Chưa đạt"})
    assert [i for i in service.my_work_items(db, tt) if i.instance_id == inst.id] == []
    complete(db, gd, "finalize_by_approver", inst.id, {"final_note": "Lãnh đạo Sở hoàn thiện"})
    complete(db, tt, "issue_and_send", inst.id, ISSUED)
    view = service.instance_view(db, gd, inst.id)
    assert view["instance"].status == "completed" and view["data"]["return_count"] == 4
    assert len(items(db, inst.id, "finalize_draft")) == 4


@pytest.mark.parametrize("supporting", [(), ("TTRA",)], ids=["none", "only-the-lead-itself"])
def test_no_supporting_units_skips_the_contributions(db, actor, supporting):
    inst = start(db, actor, supporting=supporting)
    tt = actor("tt.chuyenvien")
    complete(db, tt, "draft", inst.id, {k: v for k, v in DRAFT.items() if k != "contribute_due"})
    assert open_item(db, tt, "finalize_draft", inst.id)
    assert items(db, inst.id, "contribute") == []
    context = service.task_context(db, tt, open_item(db, tt, "finalize_draft", inst.id).task_id)
    assert "contributions" not in {key for key, _label, _value in context["context_rows"]}
    complete(db, tt, "finalize_draft", inst.id, FINAL)
    complete(db, actor("giamdoc"), "approve", inst.id, {"decision": "approve"})
    complete(db, tt, "issue_and_send", inst.id, ISSUED)
    assert service.instance_view(db, tt, inst.id)["instance"].status == "completed"


def test_reminder_then_escalation_cancelled_when_issued(db, actor, fake_clock):
    inst = start(db, actor)
    to_approval(db, actor, inst.id)
    assert_reminder_fires_at(db, fake_clock, inst.id, vn(2026, 12, 24, 8, 0))
    with db.session() as s:
        assert clock.from_db(s.get(ProcessInstance, inst.id).next_timer_at) == vn(2026, 12, 31)
    assert items(db, inst.id, "handle_overdue") == []

    fake_clock.set(vn(2026, 12, 31, 8, 0))
    service.fire_due_timers(db)
    assert "wait_deadline" in fired(db, inst.id)[-1]
    gd, tt = actor("giamdoc"), actor("tt.chuyenvien")
    escalation = open_item(db, gd, "handle_overdue", inst.id)
    assert (escalation.role, escalation.unit_code) == ("approver", "BGD")
    # 3 working days from Thursday 31/12/2026: 01/01 is a holiday, so Wednesday 06/01/2027.
    assert clock.from_db(escalation.due_at) == vn(2027, 1, 6, 23, 59, 59)
    approve = open_item(db, gd, "approve", inst.id)
    assert worklist.status(approve) == worklist.OVERDUE
    with db.session() as s:
        assert s.get(ProcessInstance, inst.id).next_timer_at is None
    service.fire_due_timers(db)
    assert len(fired(db, inst.id)) == 2  # nothing fires twice

    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    assert items(db, inst.id, "handle_overdue")[0].state == "READY"  # signed is not yet issued
    complete(db, tt, "issue_and_send", inst.id, ISSUED)
    with db.session() as s:
        assert s.get(WorkItem, escalation.id).state == "CANCELLED"
        assert s.get(ProcessInstance, inst.id).status == "completed"
        assert worklist.status(s.get(WorkItem, approve.id)) == worklist.DONE_LATE
    assert [i for i in service.my_work_items(db, gd) if i.instance_id == inst.id] == []
