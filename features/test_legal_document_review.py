"""legal_document_review.feature: the review started by hand in Huế's Sở (the demo organisation), run through the
legal_document_review process. Shared steps: features/common_steps.py (people, tasks, their deadline states); form
answers: features/form_data.py. Time moves with the FakeClock alone: the scheduler does not run here, and
"bộ hẹn giờ được chạy" fires the timers that are due. The feature says "quy trình" where the plan features say
"nhiệm vụ".
"""

from __future__ import annotations

from datetime import datetime

import pytest
from pytest_bdd import given, scenarios, then, when

from engine import service
from engine.core import clock
from features.common_steps import (
    complete,
    focus_view,
    given_clock,
    item_in_focus,
    mentions,
    open_items,
    step,
    then_history,
    then_no_history,
    when_all_supporting_complete,
    when_approves,
    when_returns,
)
from tests.conftest import DEMO_ORG

scenarios("legal_document_review.feature")

PROCESS_KEY = "legal_document_review"
LEAD = "Thanh tra Sở"
START, CONTRIBUTE, CONSOLIDATE = ("Khởi động rà soát văn bản QPPL", "Rà soát văn bản thuộc lĩnh vực của đơn vị",
                                  "Tổng hợp, xây dựng báo cáo kết quả rà soát")
APPROVE = "Xem xét, phê duyệt báo cáo"
INSTANCE_STATUS = {"Đang thực hiện": "running", "Đã kết thúc": "completed", "Đã hủy": "cancelled"}


@pytest.fixture
def plan(plan):
    """The Sở of the Huế plan: the feature names no plan, it acts in the demo organisation."""
    plan.use("hue")
    assert plan.org_code == DEMO_ORG, plan.org_code
    return plan


# --- Cho -------------------------------------------------------------------------------------------------------------

@given(step("{lead} khởi tạo nhiệm vụ rà soát văn bản QPPL kỳ {period:d} với đơn vị phối hợp {supporting}"))
def start_review_duty(plan, lead, period, supporting):
    codes = [plan.code(name.strip()) for name in supporting.replace(", ", " và ").split(" và ")]
    instance = service.start_instance(plan.db, plan.lead_of(lead), PROCESS_KEY, lead_unit=plan.code(lead),
                                      period=str(period), supporting_units=codes)
    plan.instance_id = instance.id


@given("các đơn vị phối hợp đã gửi kết quả rà soát")
def contributions_sent(plan):
    complete(plan, plan.lead_of(LEAD), START)
    when_all_supporting_complete(plan, CONTRIBUTE)
    item_in_focus(plan, plan.lead_of(LEAD), CONSOLIDATE)


@given("báo cáo đã được trình Giám đốc Sở")
def report_submitted(plan):
    contributions_sent(plan)
    complete(plan, plan.lead_of(LEAD), CONSOLIDATE)
    item_in_focus(plan, plan.who("Giám đốc Sở"), APPROVE)


# --- Khi -------------------------------------------------------------------------------------------------------------

when(step("đồng hồ đến ngày {when:NgayGio}"))(given_clock)  # the clock only: no scheduler round


@when("bộ hẹn giờ được chạy")
def timers_run(plan):
    service.fire_due_timers(plan.db)


@when(step("{person:Nguoi} phê duyệt báo cáo"))
def approves(plan, person):
    when_approves(plan, person, APPROVE)


@when(step('{person:Nguoi} trả lại báo cáo với ý kiến "{comment}"'))
def returns(plan, person, comment):
    when_returns(plan, person, APPROVE, comment)


# --- Thì -------------------------------------------------------------------------------------------------------------

@then(step("hạn báo cáo là {due:NgayGio} và nhắc hạn lúc {remind:NgayGio}"))
def deadline_and_reminder(plan, due, remind):
    shown = focus_view(plan)
    assert clock.from_db(shown["instance"].due_at) == due
    assert datetime.fromisoformat(shown["data"]["due_at"]) == due
    assert datetime.fromisoformat(shown["data"]["reminder_at"]) == remind


@then(step('{person:Nguoi} có đúng {count:d} việc "{task}" của {unit}'))
def has_tasks_of_unit(plan, person, count, task, unit):
    items = open_items(plan, plan.who(person), task)
    assert [w.unit_code for w in items] == [plan.code(unit)] * count


@then(step('quy trình ở trạng thái "{label}"'))
def instance_status(plan, label):
    assert focus_view(plan)["instance"].status == INSTANCE_STATUS[label]


@then("lịch sử quy trình có các sự kiện theo thứ tự:")
def history_in_order(plan, datatable):
    events = iter(focus_view(plan)["history"])
    for kind, text in datatable[1:]:
        assert any(mentions(e, kind, text) for e in events), f"thiếu '{kind}: {text}' (theo thứ tự)"


then(step('lịch sử quy trình có sự kiện "{kind}" về "{text}"'))(then_history)
then(step('lịch sử quy trình chưa có sự kiện "{kind}" về "{text}"'))(then_no_history)
