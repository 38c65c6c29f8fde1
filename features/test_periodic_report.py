"""periodic_report.feature: the quarterly CCHC report chain (Đồng Nai 2021-2030 DNA-CD-11, Thanh Hóa THA-CD-07),
opened by the scheduler. Shared steps: common_steps.py (among them the period opened with the units' cut-off a person
would type); the steps below type the numbers a person would, and look at who was asked and what reached the lead."""

from __future__ import annotations

from pytest_bdd import scenarios, then, when

from engine import service
from engine.core import clock
from features.common_steps import assert_own_items, complete, focus_view, item_in_focus, latest_item, move_clock, step

scenarios("periodic_report.feature")

CONSOLIDATE, SEND = "Tổng hợp, xây dựng báo cáo trình ký", "Gửi báo cáo lên cấp trên"


# --- Khi ---------------------------------------------------------------------------------------------------------

@when(step('{person:Nguoi} gửi báo cáo số "{number}" đến "{recipient}" lúc {when:NgayGio}'))
def when_report_sent(plan, fake_clock, person, number, recipient, when):
    move_clock(plan, fake_clock, when)
    data = {"document_number": number, "sent_date": clock.today_local().isoformat(), "recipient": recipient}
    complete(plan, plan.who(person), SEND, data)


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
    assert_own_items(plan, task, expected, due)


@then(step("báo cáo của {count:d} đơn vị phối hợp đã đến {unit}"))
def then_contributions_arrived(plan, count, unit):
    """The lead's consolidation task carries one contribution per supporting unit, each with its results."""
    lead = plan.lead_of(unit)
    context = service.task_context(plan.db, lead, item_in_focus(plan, lead, CONSOLIDATE).task_id)
    rows = {key: value for key, _label, value in context["context_rows"]}
    contributions = rows.get("contributions", [])
    assert sorted(c["unit"] for c in contributions) == sorted(focus_view(plan)["data"]["supporting_units"])
    assert len(contributions) == count and all(c.get("results") for c in contributions)


@then(step('việc "{task}" của {unit} đã tự đóng'))
def then_item_closed_by_process(plan, task, unit):
    """Closed by the process (the report went out), not by anyone completing it."""
    item = latest_item(plan, task, unit)
    assert item.state == "CANCELLED" and item.completed_by is None
