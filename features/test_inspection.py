"""inspection.feature: the inspection duties the scheduler opens at their window (Huế HUE-CD-03, Đồng Nai 2021-2030
DNA-CD-05), run through the inspection process. Shared steps: features/common_steps.py.

Form answers are generated from the task's JSON Schema (features/form_data.py); a step ending in "với:" overrides
them with a table of | trường | giá trị | rows, fields named by their titles in the form, values typed as a user
types them in the web form (dd/mm/yyyy dates, "có"/"không", list items separated by ";").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from parse import with_pattern
from pytest_bdd import parsers, scenarios, then, when

from engine import clock, deadlines, forms, service
from engine.errors import EngineError
from features.common_steps import complete, focus_view, item_in_focus, move_clock, open_items, vn_date, vn_datetime
from features.form_data import _value, answers

scenarios("inspection.feature")


@with_pattern(r'(?:[Cc]huyên viên|[Tt]rưởng phòng|[Tt]hủ trưởng đơn vị) (?:(?!thử )[^"])+?|Giám đốc Sở')
def person_name(text: str) -> str:
    """Someone, as in common_steps, but never "… thử" (so "chuyên viên X thử tải lên" is not "X thử" doing it)."""
    return text


def step(text: str):
    return parsers.parse(text, extra_types={"NgayGio": vn_datetime, "Ngay": vn_date, "Nguoi": person_name})


@dataclass
class Attempt:
    """The refusal of the last step that tried something not allowed."""

    error: EngineError | None = None


@pytest.fixture
def attempt() -> Attempt:
    return Attempt()


def base_answers(process_key: str, bpmn_id: str) -> dict[str, Any]:
    """The generated answers of a form; where they break one of the form's if/then rules (inspection/conclude
    generates remediation_required = true without recommendations), only its required fields: the table fills
    in the rest."""
    try:
        return answers(process_key, bpmn_id)
    except AssertionError:
        schema = forms.load_schema(f"{process_key}/{bpmn_id}")
        return {name: _value(name, field) for name, field in schema["properties"].items()
                if name in schema.get("required", [])}


def table_answers(process_key: str, bpmn_id: str, datatable: list[list[str]]) -> dict[str, Any]:
    """The generated answers of a form with the fields of `datatable` (header row, then | title | value |) set
    as a user would type them: choices by their label, "có"/"không", dd/mm/yyyy, list items split on ";".
    An empty value leaves the field out."""
    schema = forms.load_schema(f"{process_key}/{bpmn_id}")
    fields = schema["properties"]
    by_title = {f.get("title", name).lower(): name for name, f in fields.items()}
    data = base_answers(process_key, bpmn_id)
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


def items_of(plan, task: str, unit: str | None = None):
    """The work items (open or closed) of `task` in the instance in focus, of one unit if given."""
    return [w for w in focus_view(plan)["items"]
            if w.name == task and (unit is None or w.unit_code == plan.code(unit))]


# --- Khi ---------------------------------------------------------------------------------------------------------

@when(step('{person:Nguoi} hoàn thành việc "{task}" với:'))
def when_completes_with(plan, person, task, datatable):
    complete_with(plan, person, task, datatable)


@when(step('{person:Nguoi} hoàn thành việc "{task}" lúc {when:NgayGio} với:'))
def when_completes_at_with(plan, fake_clock, person, task, when, datatable):
    move_clock(plan, fake_clock, when)
    complete_with(plan, person, task, datatable)


@when(step('{person:Nguoi} thử hoàn thành việc "{task}" của {unit}'))
def when_tries_someone_elses(plan, attempt, person, task, unit):
    theirs = [w for w in items_of(plan, task, unit) if w.state == "READY"]
    assert len(theirs) == 1, f"{unit} có {len(theirs)} việc '{task}' đang mở"
    process_key = focus_view(plan)["instance"].process_key
    with pytest.raises(EngineError) as refused:
        service.complete_task(plan.db, plan.who(person), theirs[0].task_id, answers(process_key, theirs[0].bpmn_id))
    attempt.error = refused.value


def others_complete(plan, task: str, but: str | None = None) -> None:
    """Every inspected unit whose `task` is still open completes it (with generated answers), but unit `but`."""
    remaining = [w.unit_code for w in items_of(plan, task) if w.state == "READY"
                 and (but is None or w.unit_code != plan.code(but))]
    assert remaining, f"không còn đơn vị nào chưa hoàn thành việc '{task}'"
    for code in remaining:
        complete(plan, plan.who(f"chuyên viên {plan.units[code]}"), task)


@when(step('các đơn vị được kiểm tra còn lại hoàn thành việc "{task}"'))
def when_the_others_complete(plan, task):
    others_complete(plan, task)


@when(step('các đơn vị được kiểm tra còn lại, trừ {unit}, hoàn thành việc "{task}"'))
def when_the_others_but_one_complete(plan, task, unit):
    others_complete(plan, task, but=unit)


# --- Thì ---------------------------------------------------------------------------------------------------------

@then(step('việc "{task}" của {unit} hạn {due}'))
def then_item_due(plan, task, unit, due):
    items = items_of(plan, task, unit)
    assert items, f"chưa có việc '{task}' của {unit}"
    assert deadlines.due_phrase(clock.from_db(items[-1].due_at)) == due


@then(step('mỗi đơn vị được kiểm tra chỉ thấy việc "{task}" của chính mình, {count:d} đơn vị'))
def then_each_sees_own(plan, task, count):
    inspected = focus_view(plan)["data"]["supporting_units"]
    assert len(inspected) == count, inspected
    for code in inspected:
        mine = [w for w in open_items(plan, plan.who(f"chuyên viên {plan.units[code]}"), task)
                if w.instance_id == plan.instance_id]
        assert [w.unit_code for w in mine] == [code], (code, [w.unit_code for w in mine])


@then(step('{person:Nguoi} thấy "{label}" là "{value}" trong việc "{task}"'))
def then_sees_in_task(plan, person, label, value, task):
    who = plan.who(person)
    context = service.task_context(plan.db, who, item_in_focus(plan, who, task).task_id)
    assert context["can_act"]
    shown = {row_label: str(row_value) for _key, row_label, row_value in context["context_rows"]}
    assert shown.get(label) == value, shown


@then(step('bị từ chối với thông báo "{message}"'))
def then_refused(attempt, message):
    assert attempt.error is not None, "bước trước không bị từ chối"
    assert message in str(attempt.error), str(attempt.error)


@then(step('việc "{task}" của {unit} đã bị hủy'))
def then_item_cancelled(plan, task, unit):
    items = items_of(plan, task, unit)
    assert items and items[-1].state == "CANCELLED", [w.state for w in items]


@then(step('hồ sơ ghi nhận đợt kiểm tra: Quyết định và Kết luận đã ban hành, {count:d} đơn vị báo cáo khắc phục'))
def then_case_record(plan, count):
    data = focus_view(plan)["data"]
    assert data["inspection_decision_status"] == "issued" and data["conclusion_status"] == "issued"
    assert len(data["contributions"]) == len(data["supporting_units"])
    assert len(data.get("remediation_reports") or []) == count
