"""periodic_report.feature: the quarterly CCHC report chain (Đồng Nai 2021-2030 DNA-CD-11, Thanh Hóa THA-CD-07),
opened by the scheduler. Shared steps: common_steps.py; the steps below type the dates and numbers a person would
(the generated answers would put the units' cut-off on today), and look at who was asked and what reached the lead."""

from __future__ import annotations

from datetime import date

from pytest_bdd import scenarios, then, when

from engine import clock, deadlines, service
from features.common_steps import complete, focus_view, item_in_focus, move_clock, open_items, step

scenarios("periodic_report.feature")

OPEN_PERIOD, UNIT_REPORT, CONSOLIDATE, SEND = ("Mở kỳ báo cáo, hướng dẫn các đơn vị", "Báo cáo kết quả của đơn vị",
                                               "Tổng hợp, xây dựng báo cáo trình ký", "Gửi báo cáo lên cấp trên")


def items_of(plan, task: str, unit: str):
    """Every work item (open or closed) of `task` for `unit` in the instance in focus, oldest first."""
    code = plan.code(unit)
    return [w for w in focus_view(plan)["items"] if w.name == task and w.unit_code == code]


# --- Khi ---------------------------------------------------------------------------------------------------------

@when(step("{person:Nguoi} mở kỳ báo cáo với hạn các đơn vị gửi báo cáo {due:Ngay}"))
def when_period_opened(plan, person, due: date):
    period = focus_view(plan)["instance"].title
    data = {"unit_report_due": due.isoformat(),
            "guidance": f"Đề cương {period}: kết quả thực hiện các nhiệm vụ CCHC, khó khăn, vướng mắc, đề xuất"}
    complete(plan, plan.who(person), OPEN_PERIOD, data)


@when(step('{person:Nguoi} gửi báo cáo số "{number}" đến "{recipient}" lúc {when:NgayGio}'))
def when_report_sent(plan, fake_clock, person, number, recipient, when):
    move_clock(plan, fake_clock, when)
    data = {"document_number": number, "sent_date": clock.today_local().isoformat(), "recipient": recipient}
    complete(plan, plan.who(person), SEND, data)


@when(step('{person:Nguoi} chỉ đạo "{direction}" trong việc "{task}"'))
def when_directs(plan, person, direction, task):
    complete(plan, plan.who(person), task, {"direction": direction})


# --- Thì ---------------------------------------------------------------------------------------------------------

@then(step('nhiệm vụ gửi báo cáo đến "{recipient}"'))
def then_recipient(plan, recipient):
    assert focus_view(plan)["data"]["recipient"] == recipient


@then(step('việc "{task}" hạn {due} được giao cho các đơn vị phối hợp:'))
def then_given_to(plan, task, due, datatable):
    """Exactly these units (the plan's supporting units less the lead), each with one open item due on `due`."""
    header, *rows = datatable
    assert header == ["đơn vị"], header
    expected = [plan.code(name) for name, in rows]
    assert focus_view(plan)["data"]["supporting_units"] == expected
    for code in expected:
        items = [w for w in open_items(plan, plan.who(f"chuyên viên {plan.units[code]}"), task)
                 if w.instance_id == plan.instance_id]
        assert [w.unit_code for w in items] == [code], f"{plan.units[code]}: {items}"
        assert deadlines.due_phrase(clock.from_db(items[0].due_at)) == due


@then(step("báo cáo của {count:d} đơn vị phối hợp đã đến {unit}"))
def then_contributions_arrived(plan, count, unit):
    """The lead's consolidation task carries one contribution per supporting unit, each with its results."""
    lead = plan.lead_of(unit)
    context = service.task_context(plan.db, lead, item_in_focus(plan, lead, CONSOLIDATE).task_id)
    rows = {key: value for key, _label, value in context["context_rows"]}
    contributions = rows.get("contributions", [])
    assert sorted(c["unit"] for c in contributions) == sorted(focus_view(plan)["data"]["supporting_units"])
    assert len(contributions) == count and all(c.get("results") for c in contributions)


@then(step('việc "{task}" của {unit} hạn {due}'))
def then_item_due(plan, task, unit, due):
    items = items_of(plan, task, unit)
    assert items, f"chưa có việc '{task}' của {unit}"
    assert deadlines.due_phrase(clock.from_db(items[-1].due_at)) == due


@then(step('việc "{task}" của {unit} đã tự đóng'))
def then_item_closed_by_process(plan, task, unit):
    """Closed by the process (the report went out), not by anyone completing it."""
    items = items_of(plan, task, unit)
    assert items, f"chưa có việc '{task}' của {unit}"
    assert items[-1].state == "CANCELLED" and items[-1].completed_by is None
