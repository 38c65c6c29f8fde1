"""periodic_report (Báo cáo định kỳ): open the period → units report by the cut-off → consolidate → sign → send."""

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

BPMN = Path(__file__).resolve().parent.parent / "processes" / "periodic_report" / "periodic_report.bpmn"
UNITS = ("KHTC", "NVY", "TTRA")
OPEN = {"unit_report_due": "2026-12-10", "guidance": "Báo cáo theo đề cương gửi kèm; số liệu đến 30/11/2026."}
REPORT = {"report_title": "Báo cáo công tác cải cách hành chính 6 tháng cuối năm 2026",
          "summary": "Tổng hợp kết quả của các phòng; 98% hồ sơ giải quyết đúng hạn."}
SENT = {"document_number": "125/BC-SYT", "sent_date": "2026-12-14", "recipient": "UBND tỉnh; Sở Nội vụ"}


def unit_result(unit: str) -> dict:
    return {"results": f"Kết quả CCHC của {unit} trong kỳ", "difficulties": "Thiếu nhân lực",
            "evidence_links": [f"https://vanban.example.vn/{unit.lower()}/bc-h2-2026.pdf"]}


def start(db, actor, supporting=UNITS):
    """The H2/2026 report of the focal office (Văn phòng Sở), due 15/12/2026."""
    return service.start_instance(db, actor("vp.chuyenvien"), "periodic_report", lead_unit="VP", period="H2/2026",
                                  supporting_units=list(supporting), due_at=vn(2026, 12, 15),
                                  data={"duty_id": "HUE-CDDH-03", "product": "Báo cáo", "recipient": "UBND tỉnh"})


def login(unit: str) -> str:
    return "tt.chuyenvien" if unit == "TTRA" else f"{unit.lower()}.chuyenvien"


def to_approval(db, actor, inst_id, supporting=UNITS):
    vp = actor("vp.chuyenvien")
    complete(db, vp, "open_period", inst_id, OPEN)
    for unit in supporting:
        complete(db, actor(login(unit)), "unit_report", inst_id, unit_result(unit))
    complete(db, vp, "consolidate", inst_id, REPORT)


def test_deploys_with_role_lanes_forms_and_a_complete_diagram(db):
    definition, meta = deployed(db, BPMN, "periodic_report")
    assert definition.name == "Báo cáo định kỳ"
    assert {k: v["role"] for k, v in meta["user_tasks"].items()} == {
        "open_period": "lead_unit", "unit_report": "supporting_unit", "consolidate": "lead_unit",
        "approve": "approver", "finalize_by_approver": "approver", "send_report": "lead_unit",
        "handle_overdue": "approver"}
    assert_fully_drawn(BPMN)


def test_happy_path_from_opening_to_report_sent(db, actor):
    inst = start(db, actor)
    vp, gd = actor("vp.chuyenvien"), actor("giamdoc")
    opening = open_item(db, vp, "open_period", inst.id)
    assert (opening.unit_code, opening.role) == ("VP", "lead_unit")
    assert clock.from_db(opening.due_at) == vn(2026, 12, 15)
    # Reminder 5 working days before Tuesday 15/12/2026: Tuesday 08/12 at 08:00.
    assert clock.from_db(inst.next_timer_at) == vn(2026, 12, 8, 8, 0)

    complete(db, vp, "open_period", inst.id, OPEN)
    reports = items(db, inst.id, "unit_report")
    assert sorted(i.unit_code for i in reports) == sorted(UNITS)
    assert {i.role for i in reports} == {"supporting_unit"}
    for unit in UNITS:
        complete(db, actor(login(unit)), "unit_report", inst.id, unit_result(unit))

    consolidate = open_item(db, vp, "consolidate", inst.id)
    rows = {key: value for key, _label, value in service.task_context(db, vp, consolidate.task_id)["context_rows"]}
    assert sorted(c["unit"] for c in rows["contributions"]) == sorted(UNITS)
    assert {c["unit"]: c["results"] for c in rows["contributions"]}["NVY"] == "Kết quả CCHC của NVY trong kỳ"
    complete(db, vp, "consolidate", inst.id, REPORT)
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    send = open_item(db, vp, "send_report", inst.id)
    assert service.task_context(db, vp, send.task_id)["prefill"]["recipient"] == "UBND tỉnh"
    complete(db, vp, "send_report", inst.id, SENT)

    view = service.instance_view(db, gd, inst.id)
    assert view["instance"].status == "completed"
    assert view["data"]["document_number"] == "125/BC-SYT" and view["data"]["sent_date"] == "2026-12-14"
    assert [i.bpmn_id for i in view["items"]] == ["open_period", *["unit_report"] * 3, "consolidate", "approve",
                                                  "send_report"]
    assert all(i.state == "COMPLETED" for i in view["items"])
    with db.session() as s:
        assert s.scalars(select(Timer).where(Timer.instance_id == inst.id)).all() == []


def test_unit_report_due_date_is_the_cut_off(db, actor, fake_clock):
    inst = start(db, actor)
    vp = actor("vp.chuyenvien")
    item = open_item(db, vp, "open_period", inst.id)
    with pytest.raises(FormInvalid) as caught:  # no cut-off, no opening
        service.complete_task(db, vp, item.task_id, {"guidance": "Theo đề cương"})
    assert set(caught.value.errors) == {"unit_report_due"}
    complete(db, vp, "open_period", inst.id, OPEN)

    reports = {i.unit_code: i for i in items(db, inst.id, "unit_report")}
    assert {u: clock.from_db(i.due_at) for u, i in reports.items()} == {
        u: vn(2026, 12, 10, 23, 59, 59) for u in UNITS}  # the cut-off, not the report's 15/12
    context = service.task_context(db, actor("khtc.chuyenvien"), reports["KHTC"].task_id)
    rows = {key: value for key, _label, value in context["context_rows"]}
    assert rows["unit_report_due"] == "2026-12-10" and rows["guidance"] == OPEN["guidance"]

    fake_clock.set(vn(2026, 12, 9, 16, 0))
    complete(db, actor("khtc.chuyenvien"), "unit_report", inst.id, unit_result("KHTC"))
    fake_clock.set(vn(2026, 12, 11, 9, 0))  # a day past the cut-off, before the report's own deadline
    with db.session() as s:
        assert worklist.status(s.get(WorkItem, reports["NVY"].id)) == worklist.OVERDUE
        assert worklist.status(s.get(WorkItem, reports["KHTC"].id)) == worklist.DONE_ON_TIME
        assert s.get(ProcessInstance, inst.id).status == "running"
    assert items(db, inst.id, "handle_overdue") == []  # only the units' cut-off has passed
    complete(db, actor("nvy.chuyenvien"), "unit_report", inst.id, unit_result("NVY"))
    with db.session() as s:
        assert worklist.status(s.get(WorkItem, reports["NVY"].id)) == worklist.DONE_LATE


def test_return_then_approval(db, actor):
    inst = start(db, actor)
    to_approval(db, actor, inst.id)
    vp, gd = actor("vp.chuyenvien"), actor("giamdoc")
    complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Bổ sung số liệu của CDC"})
    assert items(db, inst.id, "send_report") == []
    rework = open_item(db, vp, "consolidate", inst.id)
    context = service.task_context(db, vp, rework.task_id)
    rows = {key: value for key, _label, value in context["context_rows"]}
    assert rows["comment"] == "Bổ sung số liệu của CDC" and rows["return_count"] == 1
    assert context["prefill"]["summary"] == REPORT["summary"]
    assert len(rows["contributions"]) == 3  # the units' reports are still there for the rework

    complete(db, vp, "consolidate", inst.id, {**REPORT, "revision_note": "Đã bổ sung số liệu"})
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    complete(db, vp, "send_report", inst.id, SENT)
    view = service.instance_view(db, gd, inst.id)
    assert view["instance"].status == "completed" and view["data"]["return_count"] == 1
    assert [e.kind for e in view["history"]].count("return") == 1
    assert len(items(db, inst.id, "consolidate")) == 2 and len(items(db, inst.id, "unit_report")) == 3


def test_returns_are_bounded_then_the_approver_finalises(db, actor):
    inst = start(db, actor, supporting=())
    vp, gd = actor("vp.chuyenvien"), actor("giamdoc")
    complete(db, vp, "open_period", inst.id, OPEN)
    for _ in range(4):
        complete(db, vp, "consolidate", inst.id, REPORT)
        complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Chưa đạt"})
    complete(db, gd, "finalize_by_approver", inst.id, {"final_note": "Lãnh đạo Sở hoàn thiện"})
    complete(db, vp, "send_report", inst.id, SENT)
    assert service.instance_view(db, gd, inst.id)["instance"].status == "completed"


def test_no_supporting_units_goes_straight_to_consolidation(db, actor):
    inst = start(db, actor, supporting=())
    vp = actor("vp.chuyenvien")
    complete(db, vp, "open_period", inst.id, OPEN)
    assert open_item(db, vp, "consolidate", inst.id)
    assert items(db, inst.id, "unit_report") == []
    complete(db, vp, "consolidate", inst.id, REPORT)
    complete(db, actor("giamdoc"), "approve", inst.id, {"decision": "approve"})
    complete(db, vp, "send_report", inst.id, SENT)
    assert service.instance_view(db, vp, inst.id)["instance"].status == "completed"


def test_reminder_then_escalation_cancelled_when_sent(db, actor, fake_clock):
    inst = start(db, actor)
    vp, gd = actor("vp.chuyenvien"), actor("giamdoc")
    complete(db, vp, "open_period", inst.id, OPEN)
    assert_reminder_fires_at(db, fake_clock, inst.id, vn(2026, 12, 8, 8, 0))
    assert items(db, inst.id, "handle_overdue") == []

    fake_clock.set(vn(2026, 12, 15, 8, 0))  # units have not all reported: the report is late
    service.fire_due_timers(db)
    assert len(fired(db, inst.id)) == 2 and "wait_deadline" in fired(db, inst.id)[1]
    escalation = open_item(db, gd, "handle_overdue", inst.id)
    assert clock.from_db(escalation.due_at) == vn(2026, 12, 18, 23, 59, 59)  # 3 working days from Tue 15/12
    assert worklist.status(escalation) == worklist.ON_TIME
    with db.session() as s:
        assert s.get(ProcessInstance, inst.id).next_timer_at is None

    for unit in UNITS:
        complete(db, actor(login(unit)), "unit_report", inst.id, unit_result(unit))
    complete(db, vp, "consolidate", inst.id, REPORT)
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    assert items(db, inst.id, "handle_overdue")[0].state == "READY"
    complete(db, vp, "send_report", inst.id, SENT)
    with db.session() as s:
        assert s.get(WorkItem, escalation.id).state == "CANCELLED"
        row = s.get(ProcessInstance, inst.id)
        assert row.status == "completed" and clock.from_db(row.completed_at) > clock.from_db(row.due_at)
