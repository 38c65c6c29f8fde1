"""inspection.feature: the inspection duties the scheduler opens at their window (Huế HUE-CD-03, Đồng Nai 2021-2030
DNA-CD-05), run through the inspection process. Shared steps: features/common_steps.py; steps ending in "với:"
(a form filled in from a table): features/form_steps.py.
"""

from __future__ import annotations

from pytest_bdd import scenarios, then, when

from engine import service
from features.common_steps import (
    assert_own_items,
    focus_view,
    items_of,
    refusal,
    remaining_complete,
    step,
)
from features.form_data import answers

scenarios("inspection.feature")


# --- Khi ---------------------------------------------------------------------------------------------------------

@when(step('{person:Nguoi} thử hoàn thành việc "{task}" của {unit}'))
def when_tries_someone_elses(plan, attempt, person, task, unit):
    theirs = [w for w in items_of(plan, task, unit) if w.state == "READY"]
    assert len(theirs) == 1, f"{unit} có {len(theirs)} việc '{task}' đang mở"
    process_key = focus_view(plan)["instance"].process_key
    with refusal(attempt):
        service.complete_task(plan.db, plan.who(person), theirs[0].task_id, answers(process_key, theirs[0].bpmn_id))


@when(step('các đơn vị được kiểm tra còn lại hoàn thành việc "{task}"'))
def when_the_others_complete(plan, task):
    remaining_complete(plan, task)


@when(step('các đơn vị được kiểm tra còn lại, trừ {unit}, hoàn thành việc "{task}"'))
def when_the_others_but_one_complete(plan, task, unit):
    remaining_complete(plan, task, but=unit)


# --- Thì ---------------------------------------------------------------------------------------------------------

@then(step('mỗi đơn vị được kiểm tra chỉ thấy việc "{task}" của chính mình, {count:d} đơn vị'))
def then_each_sees_own(plan, task, count):
    inspected = focus_view(plan)["data"]["supporting_units"]
    assert len(inspected) == count, inspected
    assert_own_items(plan, task, inspected)


@then(step('hồ sơ ghi nhận đợt kiểm tra: Quyết định và Kết luận đã ban hành, {count:d} đơn vị báo cáo khắc phục'))
def then_case_record(plan, count):
    data = focus_view(plan)["data"]
    assert data["inspection_decision_status"] == "issued" and data["conclusion_status"] == "issued"
    assert len(data["contributions"]) == len(data["supporting_units"])
    assert len(data.get("remediation_reports") or []) == count
