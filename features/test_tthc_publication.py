"""tthc_publication.feature: an on-event duty started by hand when a new legal document arrives (service.start_duty),
run through the TTHC control and publication process. Shared steps: features/common_steps.py; steps ending in "với:"
(a form filled in from a table): features/form_steps.py.
"""

from __future__ import annotations

from datetime import datetime

from pytest_bdd import scenarios, then, when

from engine import service
from engine.core.errors import FormInvalid
from engine.runtime import forms
from features.common_steps import assert_own_items, focus_view, item_in_focus, refusal, remaining_complete, step
from features.form_steps import complete_with

scenarios("tthc_publication.feature")


# --- Khi ---------------------------------------------------------------------------------------------------------

@when(step('{person:Nguoi} khởi động nhiệm vụ "{duty_id}" ngay khi nhận văn bản mới'))
def start_on_event(plan, person, duty_id):
    who = plan.who(person)
    plan.instance_id = service.start_duty(plan.db, who, duty_id, who.unit_code).id


@when(step('{person:Nguoi} thử khởi động nhiệm vụ "{duty_id}" cho đơn vị mình'))
def try_start(plan, attempt, person, duty_id):
    who = plan.who(person)
    with refusal(attempt):
        service.start_duty(plan.db, who, duty_id, who.unit_code)


@when(step('{person:Nguoi} thử hoàn thành việc "{task}" với:'))
def when_tries_with(plan, attempt, person, task, datatable):
    attempt.form_key = item_in_focus(plan, plan.who(person), task).form_key
    with refusal(attempt, FormInvalid):
        complete_with(plan, person, task, datatable)


@when(step('các đơn vị phối hợp còn lại hoàn thành việc "{task}"'))
def when_the_others_complete(plan, task):
    remaining_complete(plan, task)


# --- Thì ---------------------------------------------------------------------------------------------------------

@then(step('hệ thống nhắc hạn lúc {when:NgayGio}'))
def then_reminder(plan, when):
    assert datetime.fromisoformat(focus_view(plan)["data"]["reminder_at"]) == when


@then(step('mỗi đơn vị phối hợp chỉ thấy việc "{task}" của chính mình'))
def then_each_sees_own(plan, task):
    supporting = focus_view(plan)["data"]["supporting_units"]
    assert supporting
    assert_own_items(plan, task, supporting)


@then(step('biểu mẫu bị từ chối: "{field}" — "{message}"'))
def then_form_refused(attempt, field, message):
    assert isinstance(attempt.error, FormInvalid), attempt.error
    titles = {name: f.get("title", name) for name, f in forms.load_schema(attempt.form_key)["properties"].items()}
    shown = {titles.get(name, name): text for name, text in attempt.error.errors.items()}
    assert shown.get(field) == message, shown


@then(step('TTHC đã được công bố theo Quyết định "{number}" trên CSDL quốc gia về TTHC, Cổng Dịch vụ công '
           'và niêm yết tại Bộ phận một cửa'))
def then_published_everywhere(plan, number):
    data = focus_view(plan)["data"]
    assert data["decision_number"] == number and data["decision_status"] == "signed"
    assert data["national_db_updated"] and data["portal_updated"] and data["posted_at_one_stop"]


@then(step('TTHC đã được công bố theo Quyết định "{number}", chưa niêm yết tại Bộ phận một cửa vì "{reason}"'))
def then_published_not_posted(plan, number, reason):
    data = focus_view(plan)["data"]
    assert data["decision_number"] == number and data["decision_status"] == "signed"
    assert data["national_db_updated"] and data["portal_updated"] and not data["posted_at_one_stop"]
    assert data["publication_note"] == reason

