"""standing_duty.feature: a "Thường xuyên" duty tracked per quarter (Quảng Ngãi QNG-TTHC-01, standing_duty), opened
by the scheduler. Shared steps: common_steps.py (among them the Giám đốc's direction on an overdue report); below,
the lead's report with its own words and the year's periods of one duty at a glance."""

from __future__ import annotations

from pytest_bdd import scenarios, then, when

from engine import service
from engine.core import clock
from engine.planning import deadlines
from engine.runtime import worklist
from features.common_steps import complete, move_clock, open_items, step
from features.form_data import answers

scenarios("standing_duty.feature")

REPORT = "Báo cáo kết quả thực hiện trong kỳ"  # standing_duty.bpmn: report_progress
ESCALATION = "Chỉ đạo xử lý báo cáo kết quả quá hạn"  # standing_duty.bpmn: handle_overdue


@when(step('{person:Nguoi} báo cáo kết quả "{results}" lúc {when:NgayGio}'))
def when_reports(plan, fake_clock, person, results, when):
    move_clock(plan, fake_clock, when)
    data = answers("standing_duty", "report_progress") | {"results": results}
    complete(plan, plan.who(person), REPORT, data)


@then(step('nhiệm vụ "{title}" của {unit} năm {year:d} có các kỳ:'))
def then_periods_of_year(plan, title, unit, year, datatable):
    """Every instance of the duty for `unit` whose period is in `year`: its label, the day it opened, its due date,
    its deadline state, and whether the Giám đốc has the escalation open."""
    header, *rows = datatable
    assert header == ["kỳ", "mở ngày", "hạn", "trạng thái", "Giám đốc Sở chỉ đạo"], header
    giamdoc = plan.who("Giám đốc Sở")
    escalated = {w.instance_id for w in open_items(plan, giamdoc, ESCALATION)}
    found = {r.title: r for r in service.list_instances(plan.db, giamdoc) if r.title.startswith(f"{title} ")
             and r.lead_unit_code == plan.code(unit) and r.period.endswith(f"/{year}")}
    assert sorted(found) == sorted(f"{title} {row[0]}" for row in rows), sorted(found)
    for label, opened, due, state, directs in rows:
        instance = found[f"{title} {label}"]
        assert deadlines.period_phrase(instance.period) == label
        got = (clock.from_db(instance.started_at).astimezone(clock.VN_TZ).strftime("%d/%m/%Y"),
               deadlines.due_phrase(clock.from_db(instance.due_at)), worklist.instance_status(instance),
               "có" if instance.id in escalated else "không")
        assert got == (opened, due, state, directs), f"{label}: {got}"

