"""tthc_publication.feature: an on-event duty started by hand when a new legal document arrives (service.start_duty),
run through the TTHC control and publication process. Shared steps: features/common_steps.py.

Form answers are generated from the task's JSON Schema (features/form_data.py); a step ending in "với:" overrides
them with a table of | trường | giá trị | rows, fields named by their titles in the form, values typed as a user
types them in the web form (dd/mm/yyyy dates, "có"/"không", list items separated by ";").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from parse import with_pattern
from pytest_bdd import parsers, scenarios, then, when

from engine import clock, deadlines, forms, service
from engine.errors import EngineError, FormInvalid
from features.common_steps import complete, focus_view, item_in_focus, move_clock, open_items, vn_date, vn_datetime
from features.form_data import answers

scenarios("tthc_publication.feature")


@with_pattern(r'(?:[Cc]huyên viên|[Tt]rưởng phòng|[Tt]hủ trưởng đơn vị) (?:(?!thử )[^"])+?|Giám đốc Sở')
def person_name(text: str) -> str:
    """Someone, as in common_steps, but never "… thử" (so "chuyên viên X thử tải lên" is not "X thử" doing it)."""
    return text


def step(text: str):
    return parsers.parse(text, extra_types={"NgayGio": vn_datetime, "Ngay": vn_date, "Nguoi": person_name})


@dataclass
class Attempt:
    """The refusal of the last step that tried something not allowed (None if it went through)."""

    error: EngineError | None = None
    form_key: str = ""  # the form of the refused task


@pytest.fixture
def attempt() -> Attempt:
    return Attempt()


def table_answers(process_key: str, bpmn_id: str, datatable: list[list[str]]) -> dict[str, Any]:
    """The generated answers of a form with the fields of `datatable` (header row, then | title | value |) set
    as a user would type them: choices by their label, "có"/"không", dd/mm/yyyy, list items split on ";".
    An empty value leaves the field out."""
    schema = forms.load_schema(f"{process_key}/{bpmn_id}")
    fields = schema["properties"]
    by_title = {f.get("title", name).lower(): name for name, f in fields.items()}
    data = answers(process_key, bpmn_id)
    for title, text in datatable[1:]:
        name = by_title.get(title.strip().lower())
        assert name is not None, f"biểu mẫu {bpmn_id} không có trường '{title}' ({sorted(by_title)})"
        field, text = fields[name], text.strip()
        data.pop(name, None)
        if not text:
            continue
        labels = {label.lower(): value for value, label in forms.choices(field)}
        if labels:
            assert text.lower() in labels, f"'{text}' không phải lựa chọn của '{title}' ({sorted(labels)})"
            data[name] = labels[text.lower()]
        elif field.get("type") == "boolean":
            assert text in ("có", "không"), f"'{title}': ghi 'có' hoặc 'không'"
            data[name] = text == "có"
        else:
            typed, errors = forms.coerce({"properties": {name: field}}, {name: text.replace("; ", "\n")})
            assert not errors, f"'{title}': {errors[name]}"
            data[name] = typed[name]
    return data


def complete_with(plan, person: str, task: str, datatable) -> None:
    item = item_in_focus(plan, plan.who(person), task)
    complete(plan, plan.who(person), task, table_answers(item.instance.process_key, item.bpmn_id, datatable))


# --- Khi ---------------------------------------------------------------------------------------------------------

@when(step('{person:Nguoi} khởi động nhiệm vụ "{duty_id}" ngay khi nhận văn bản mới'))
def start_on_event(plan, person, duty_id):
    who = plan.who(person)
    plan.instance_id = service.start_duty(plan.db, who, duty_id, who.unit_code).id


@when(step('{person:Nguoi} thử khởi động nhiệm vụ "{duty_id}" cho đơn vị mình'))
def try_start(plan, attempt, person, duty_id):
    who = plan.who(person)
    with pytest.raises(EngineError) as refused:
        service.start_duty(plan.db, who, duty_id, who.unit_code)
    attempt.error = refused.value


@when(step('{person:Nguoi} hoàn thành việc "{task}" với:'))
def when_completes_with(plan, person, task, datatable):
    complete_with(plan, person, task, datatable)


@when(step('{person:Nguoi} hoàn thành việc "{task}" lúc {when:NgayGio} với:'))
def when_completes_at_with(plan, fake_clock, person, task, when, datatable):
    move_clock(plan, fake_clock, when)
    complete_with(plan, person, task, datatable)


@when(step('{person:Nguoi} thử hoàn thành việc "{task}" với:'))
def when_tries_with(plan, attempt, person, task, datatable):
    attempt.form_key = item_in_focus(plan, plan.who(person), task).form_key
    with pytest.raises(FormInvalid) as refused:
        complete_with(plan, person, task, datatable)
    attempt.error = refused.value


@when(step('các đơn vị phối hợp còn lại hoàn thành việc "{task}"'))
def when_the_others_complete(plan, task):
    remaining = [w.unit_code for w in focus_view(plan)["items"] if w.name == task and w.state == "READY"]
    assert remaining, f"không còn đơn vị nào chưa hoàn thành việc '{task}'"
    for code in remaining:
        complete(plan, plan.who(f"chuyên viên {plan.units[code]}"), task)


# --- Thì ---------------------------------------------------------------------------------------------------------

@then(step('hệ thống nhắc hạn lúc {when:NgayGio}'))
def then_reminder(plan, when):
    assert datetime.fromisoformat(focus_view(plan)["data"]["reminder_at"]) == when


@then(step('việc "{task}" của {unit} hạn {due}'))
def then_item_due(plan, task, unit, due):
    items = [w for w in focus_view(plan)["items"] if w.name == task and w.unit_code == plan.code(unit)]
    assert items, f"chưa có việc '{task}' của {unit}"
    assert deadlines.due_phrase(clock.from_db(items[-1].due_at)) == due


@then(step('mỗi đơn vị phối hợp chỉ thấy việc "{task}" của chính mình'))
def then_each_sees_own(plan, task):
    view = focus_view(plan)
    supporting = view["data"]["supporting_units"]
    assert supporting
    for code in supporting:
        mine = [w for w in open_items(plan, plan.who(f"chuyên viên {plan.units[code]}"), task)
                if w.instance_id == plan.instance_id]
        assert [w.unit_code for w in mine] == [code], (code, [w.unit_code for w in mine])


@then(step('bị từ chối với thông báo "{message}"'))
def then_refused(attempt, message):
    assert attempt.error is not None, "bước trước không bị từ chối"
    assert message in str(attempt.error), str(attempt.error)


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

