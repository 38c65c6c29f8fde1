"""legal_monitoring.feature: Huế's plan for monitoring law enforcement (HUE-TC-05, document_issuance) and its yearly
report (HUE-TC-07, periodic_report), opened by the scheduler. Shared steps: common_steps.py; the steps below give the
forms the dates a person would type (the generated answers would put every cut-off on today)."""

from __future__ import annotations

from datetime import date

from pytest_bdd import scenarios, then, when

from engine import clock, deadlines
from features.common_steps import complete, focus_view, move_clock, open_items, step
from features.form_data import answers

scenarios("legal_monitoring.feature")


@when(step("{person:Nguoi} gửi dự thảo lấy ý kiến lúc {when:NgayGio} với hạn góp ý {due:Ngay}"))
def when_draft_sent(plan, fake_clock, person, when, due: date):
    move_clock(plan, fake_clock, when)
    title = focus_view(plan)["instance"].title
    data = answers("document_issuance", "draft") | {"document_title": title, "contribute_due": due.isoformat()}
    complete(plan, plan.who(person), "Xây dựng dự thảo văn bản", data)


@when(step("{person:Nguoi} mở kỳ báo cáo với hạn các đơn vị gửi báo cáo {due:Ngay}"))
def when_period_opened(plan, person, due: date):
    data = {"unit_report_due": due.isoformat(),
            "guidance": "Báo cáo theo đề cương: kết quả theo dõi, vướng mắc trong thi hành pháp luật, kiến nghị"}
    complete(plan, plan.who(person), "Mở kỳ báo cáo, hướng dẫn các đơn vị", data)


@when(step('các đơn vị phối hợp hoàn thành việc "{task}" lúc {when:NgayGio}'))
def when_all_supporting_complete_at(plan, fake_clock, task, when):
    move_clock(plan, fake_clock, when)
    for code in focus_view(plan)["data"]["supporting_units"]:
        complete(plan, plan.who(f"chuyên viên {plan.units[code]}"), task)


@when(step('{person:Nguoi} chỉ đạo "{direction}" trong việc "{task}"'))
def when_directs(plan, person, direction, task):
    complete(plan, plan.who(person), task, {"direction": direction})


@then(step('việc "{task}" được giao cho {count:d} đơn vị phối hợp, hạn {due}'))
def then_given_to_supporting_units(plan, task, count, due):
    """Each supporting unit of the duty (the plan's units less the lead) has exactly one open item with that due."""
    view = focus_view(plan)
    codes = view["data"]["supporting_units"]
    assert len(codes) == count, codes
    assert view["instance"].lead_unit_code not in codes
    for code in codes:
        items = [w for w in open_items(plan, plan.who(f"chuyên viên {plan.units[code]}"), task)
                 if w.instance_id == plan.instance_id]
        assert [w.unit_code for w in items] == [code], f"{plan.units[code]}: {items}"
        assert deadlines.due_phrase(clock.from_db(items[0].due_at)) == due


@then(step('lịch sử nhiệm vụ không có sự kiện "{kind}" về "{text}"'))
def then_no_history(plan, kind, text):
    assert not any(e.kind == kind and (text in e.summary or text in e.payload) for e in focus_view(plan)["history"])
