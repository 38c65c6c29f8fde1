"""legal_monitoring.feature: Huế's plan for monitoring law enforcement (HUE-TC-05, document_issuance) and its yearly
report (HUE-TC-07, periodic_report), opened by the scheduler. Shared steps: common_steps.py (among them the report
period opened with the units' cut-off); the steps below give the draft the dates a person would type (the generated
answers would put every cut-off on today)."""

from __future__ import annotations

from datetime import date

from pytest_bdd import scenarios, then, when

from features.common_steps import assert_own_items, complete, focus_view, move_clock, step
from features.form_data import answers

scenarios("legal_monitoring.feature")


@when(step("{person:Nguoi} gửi dự thảo lấy ý kiến lúc {when:NgayGio} với hạn góp ý {due:Ngay}"))
def when_draft_sent(plan, fake_clock, person, when, due: date):
    move_clock(plan, fake_clock, when)
    title = focus_view(plan)["instance"].title
    data = answers("document_issuance", "draft") | {"document_title": title, "contribute_due": due.isoformat()}
    complete(plan, plan.who(person), "Xây dựng dự thảo văn bản", data)


@then(step('việc "{task}" được giao cho {count:d} đơn vị phối hợp, hạn {due}'))
def then_given_to_supporting_units(plan, task, count, due):
    """Each supporting unit of the duty (the plan's units less the lead) has exactly one open item with that due."""
    view = focus_view(plan)
    codes = view["data"]["supporting_units"]
    assert len(codes) == count, codes
    assert view["instance"].lead_unit_code not in codes
    assert_own_items(plan, task, codes, due)
