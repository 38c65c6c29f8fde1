"""Steps that complete a task with a filled-in form (`# language: vi`), shared by every plan feature.

Form answers are generated from the task's JSON Schema (features/form_data.py); a step ending in "với:" overrides
them with a table of | trường | giá trị | rows, fields named by their titles in the form, values typed as a user
types them in the web form (dd/mm/yyyy dates, "có"/"không", list items separated by ";").
"""

from __future__ import annotations

from typing import Any

from pytest_bdd import when

from engine.runtime import forms
from features.common_steps import complete, item_in_focus, move_clock, step
from features.form_data import _value, answers


def base_answers(process_key: str, bpmn_id: str) -> dict[str, Any]:
    """The generated answers of a form; where the generator cannot make a valid one (inspection/conclude generates
    remediation_required = true without recommendations; index_self_assessment/review_batch has a list of criterion
    codes with a pattern), only its required fields: the table fills in the rest."""
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


def complete_with(plan, person: str, task: str, datatable: list[list[str]]) -> None:
    """`person` completes `task` in the instance in focus with the answers of `datatable` (see table_answers)."""
    who = plan.who(person)
    item = item_in_focus(plan, who, task)
    complete(plan, who, task, table_answers(item.instance.process_key, item.bpmn_id, datatable))


# --- Khi ---------------------------------------------------------------------------------------------------------

@when(step('{person:Nguoi} hoàn thành việc "{task}" với:'))
def when_completes_with(plan, person, task, datatable):
    complete_with(plan, person, task, datatable)


@when(step('{person:Nguoi} hoàn thành việc "{task}" lúc {when:NgayGio} với:'))
def when_completes_at_with(plan, fake_clock, person, task, when, datatable):
    move_clock(plan, fake_clock, when)
    complete_with(plan, person, task, datatable)
