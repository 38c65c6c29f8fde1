"""Completing a user task: the one path by which people move a process forward."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID

from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from engine.core import access, audit, clock, hooks, org
from engine.core.errors import Conflict, EngineError, FormInvalid, NotFound
from engine.core.models import WorkItem
from engine.core.org import Actor
from engine.planning import deadlines
from engine.runtime import definitions, forms, instances, unit_review, worklist

RETURN_DECISION = "return"


def visible_item(session: Session, actor: Actor, task_id: str) -> WorkItem:
    """The work item if the actor may see it; NotFound otherwise (foreign links look like missing ones)."""
    found = worklist.item_with_digest(session, task_id)
    if found is None:
        raise NotFound("Không tìm thấy công việc")
    return _visible(session, actor, found[0], found[0].instance)


def _visible(session: Session, actor: Actor, item, instance):
    """`item` (its org_id, role and unit_code) if the actor may see it (with `instance`: its id, org_id and
    lead_unit_code); NotFound otherwise. The rule is engine.core.access's."""
    return access.check_step(session, actor, item, instance=instance)


@dataclass(frozen=True)
class TaskForm:
    """What submitting a task needs: which task, of which instance and process, and the form of its version."""

    task_id: str
    name: str
    bpmn_id: str
    instance_id: int
    process_key: str
    schema: dict[str, Any]
    held: bool = False  # the submission waits for the unit's Trưởng phòng (engine.runtime.unit_review)


def task_form(session: Session | Connection, actor: Actor, task_id: str) -> TaskForm:
    """The form of a task the actor may see, from its instance's version (one query; no workflow is loaded;
    rows only, so a plain connection will do)."""
    row = worklist.form_of_task(session, task_id)
    if row is None:
        raise NotFound("Không tìm thấy công việc")
    _visible(session, actor, row, worklist.InstanceRef(row.instance_id, row.instance_org, row.lead_unit_code))
    version = definitions.load(session, row.definition_id, row.sha256)
    return TaskForm(row.task_id, row.name, row.bpmn_id, row.instance_id, row.process_key, version.form(row.form_key))


def _form_of(item: WorkItem, schema: dict[str, Any]) -> TaskForm:
    return TaskForm(item.task_id, item.name, item.bpmn_id, item.instance_id, item.instance.process_key, schema)


SYSTEM_LABELS = {
    "period": "Kỳ", "lead_unit": "Đơn vị chủ trì", "supporting_units": "Đơn vị phối hợp", "due_at": "Hạn",
    "return_count": "Số lần đã trả lại", "contributions": "Kết quả của các đơn vị phối hợp", "unit": "Đơn vị",
    "remediation_reports": "Báo cáo khắc phục của các đơn vị",
}


def task_context(session: Session, actor: Actor, task_id: str) -> dict[str, Any]:
    """What a task page shows: the work item (a read model), its form (of the instance's own version), earlier
    answers, and the case data with labels."""
    found = worklist.item_with_digest(session, task_id)
    if found is None:
        raise NotFound("Không tìm thấy công việc")
    item = _visible(session, actor, found[0], found[0].instance)
    version = definitions.load(session, item.instance.definition_id, found[1])
    review_item = item.form_key == unit_review.FORM_KEY  # a Trưởng phòng's review: no BPMN task, no form
    schema = unit_review.SCHEMA if review_item else version.form(item.form_key)
    labels = dict(SYSTEM_LABELS) | dict(hooks.labels(item.instance.process_key))  # and those of its plug-in
    choice_labels: dict[str, dict[Any, str]] = {}  # field -> stored value -> what the form showed
    for info in version.meta["user_tasks"].values():
        for name, spec in version.form(info["form"])["properties"].items():
            labels.setdefault(name, spec.get("title", name))
            options = forms.choices(spec.get("items", {}) if spec.get("type") == "array" else spec)
            if options:
                choice_labels.setdefault(name, {}).update({value: title for value, title in options})
    task = None if review_item else instances.load(item.instance, version).get_task_from_id(UUID(task_id))
    data = dict(task.data) if task is not None else {}
    held = unit_review.info(session, item) if review_item or unit_review.switched_on(version.meta) else None
    if review_item and held is not None:
        data = held.data  # the contribution the Trưởng phòng decides on
    own = set(schema["properties"])
    return {
        "item": worklist.row_of(item), "form": _form_of(item, schema), "schema": schema, "labels": labels,
        "choice_labels": choice_labels,
        "can_act": (not review_item and item.state == "READY" and access.may_do_step(actor, item)
                    and (item.assignee_id in (None, actor.user_id) or access.is_unit_head(actor, item))),
        "documentation": (getattr(task.task_spec, "documentation", None) or "") if task is not None else "",
        # On rework (a returned report) the form opens with what was submitted last time.
        "prefill": {k: v for k, v in data.items()
                    if k in own and schema.get("x-prefill", True) and not forms.choices(schema["properties"][k])}
        | ({k: v for k, v in held.data.items() if k in own}
           if held is not None and held.state == unit_review.RETURNED and not review_item else {}),
        "context_rows": [(key, label, data[key]) for key, label in labels.items()
                         if key not in own and data.get(key) not in (None, "", [], 0)],
    }


def _check_cut_offs(schema: dict[str, Any], data: dict[str, Any], instance) -> None:
    """A deadline set for other units (`…_due` date fields) is not already past, and one marked
    `x-within-deadline` falls by the duty's own last day; FormInvalid with one message per field otherwise."""
    fields = [(name, spec) for name, spec in schema["properties"].items()
              if name.endswith("_due") and spec.get("format") == "date" and data.get(name)]
    if not fields:
        return
    today = clock.today_local()
    due = clock.from_db(instance.due_at)
    last = deadlines.last_day(due) if due is not None else None
    errors = {}
    for name, spec in fields:
        day = date.fromisoformat(str(data[name]))
        if day < today:
            errors[name] = f"Hạn này đã qua: chọn từ hôm nay ({today:%d/%m/%Y}) trở đi"
        elif spec.get("x-within-deadline") and last is not None and today <= last < day:
            # (once the duty itself is late, any cut-off from today on is the best the lead can do)
            errors[name] = f"Hạn của các đơn vị phải trước hạn của nhiệm vụ ({last:%d/%m/%Y})"
    if errors:
        raise FormInvalid(errors)


@dataclass(frozen=True)
class Completed:
    """A work item as its completion left it (the read model complete() and submit() return)."""

    id: int
    task_id: str
    name: str
    bpmn_id: str
    instance_id: int
    unit_code: str
    state: str
    completed_by: str | None
    closed_at: datetime | None


# A plug-in's web part reading its own widgets' fields of a submitted form: (form, data, errors) -> (data, errors).
WidgetReader = Callable[[TaskForm, dict[str, Any], dict[str, str]], tuple[dict[str, Any], dict[str, str]]]


def complete(session: Session, actor: Actor, task_id: str, data: dict[str, Any]) -> Completed:
    """Complete a READY task with form data (typed, as parse_form gives it); validated here, under the instance
    lock: one of two racing calls wins."""
    step = _open_step(session, actor, task_id)
    if unit_review.applies(actor, step.item, step.version.meta):
        forms.validate(step.version.form(step.item.form_key), data)
        return _held(session, actor, step, data)
    return _finish(session, actor, step, data, validated=False)


def _held(session: Session, actor: Actor, step: _Step, data: dict[str, Any]) -> Completed:
    """Hold a contribution for the unit's Trưởng phòng instead of completing it (engine.runtime.unit_review)."""
    item = step.item
    at = unit_review.hold(session, actor, item, data)
    return Completed(item.id, item.task_id, item.name, item.bpmn_id, item.instance_id, item.unit_code,
                     unit_review.IN_REVIEW, None, at)


def complete_held(session: Session, actor: Actor, task_id: str, data: dict[str, Any]) -> Completed:
    """Complete a contribution held for review with its held data, once its Trưởng phòng approved it (the
    caller decided that); the ordinary completion path, validated again."""
    locked = instances.lock_task(session, task_id)
    if locked is None or locked.item.state != unit_review.IN_REVIEW or locked.instance.status != "running":
        raise Conflict("Kết quả này không còn chờ duyệt")
    step = _Step(locked.instance, locked.item, definitions.load(session, locked.instance.definition_id,
                                                                 locked.digest))
    return _finish(session, actor, step, data, validated=False)


def submit(session: Session, actor: Actor, task_id: str, submitted: Mapping[str, str],
           widgets: WidgetReader | None = None) -> tuple[TaskForm, Completed]:
    """Read a submitted form (its strings) with the task's own form, of its instance's version, and complete the
    task, all under the instance lock (the form is read once, by the transaction that completes it). FormInvalid
    with every bad field at once; `widgets` puts a plug-in's widget fields into the data first."""
    step = _open_step(session, actor, task_id)
    instance, item = step.instance, step.item
    form = TaskForm(task_id, item.name, item.bpmn_id, instance.id, instance.process_key,
                    step.version.form(item.form_key))
    parsed, errors = forms.parse_and_validate(form.schema, submitted)
    data = parsed
    if widgets is not None:
        data, errors = widgets(form, data, errors)  # (the same data object when the form has none)
    if errors:
        # Every error in one round: the plug-in's check of the step judges its own fields now too.
        raise FormInvalid({**_check_errors(session, step, data), **errors})
    if unit_review.applies(actor, item, step.version.meta):
        if data is not parsed:
            forms.validate(form.schema, data)
        return replace(form, held=True), _held(session, actor, step, data)
    # Validated above against the same schema, unless a widget or a plug-in's check changed the data since.
    return form, _finish(session, actor, step, data, validated=data is parsed)


def _check_errors(session: Session, step: _Step, data: dict[str, Any]) -> dict[str, str]:
    """What the step's plug-in check says of `data` (nothing is completed: the caller refuses the form)."""
    check = hooks.completion_check(step.instance.process_key, step.item.bpmn_id)
    if check is None:
        return {}
    workflow, _ = instances.load_for_step(step.instance, step.version)
    try:
        check(session, instances.as_object(session, step.instance), workflow, data)
    except FormInvalid as exc:
        return dict(exc.errors)
    return {}


class _Step(NamedTuple):
    instance: Any  # the columns lock_task() read
    item: Any
    version: definitions.Version


def _open_step(session: Session, actor: Actor, task_id: str) -> _Step:
    """Lock the task's instance (reading it, the item and the version's digest in one statement) and check that
    the actor may complete it and that it is still open."""
    locked = instances.lock_task(session, task_id)  # columns; ORM objects only for a plug-in and the caller
    if locked is None:
        raise NotFound("Không tìm thấy công việc")
    instance, item = locked.instance, locked.item
    access.check_step(session, actor, item, access.Action.COMPLETE_TASK, instance=instance)
    if item.form_key == unit_review.FORM_KEY:
        raise Conflict("Kết quả này được trưởng phòng duyệt hoặc trả lại bằng các nút của trang")
    if item.state == "WAITING":  # (engine.runtime.contributions: a contribution it needs is out for revision)
        raise Conflict("Bước này đang chờ đơn vị phối hợp gửi lại kết quả đã được trả lại để chỉnh sửa")
    if item.state != "READY" or instance.status != "running":
        by = f" bởi {org.person_name(session, instance.org_id, item.completed_by)}" if item.completed_by else ""
        raise Conflict(f"Công việc này đã được xử lý{by}; không thể gửi lại")
    return _Step(instance, item, definitions.load(session, instance.definition_id, locked.digest))


def _finish(session: Session, actor: Actor, step: _Step, data: dict[str, Any], validated: bool) -> Completed:
    """The completion itself, on a step _open_step() opened.

    The hot path of the engine, in a handful of statements: the lock that also read the instance, the work item
    and its version's digest, then the writes of what changed (Core statements; ORM objects are made only for a
    plug-in's check and for the caller). The version's spec and forms come from the per-process cache, the
    workflow from the state cache when this process wrote the row's state; a process plug-in's completion check
    (engine.core.hooks) runs on the loaded workflow."""
    instance, item, version = step
    task_id = item.task_id
    workflow, before = instances.load_for_step(instance, version)
    task = workflow.get_task_from_id(UUID(task_id))
    if task is None or task.state != TaskState.READY:
        raise Conflict("Công việc này không còn ở trạng thái chờ xử lý")
    check = hooks.completion_check(instance.process_key, item.bpmn_id)
    if check is not None:  # first: it turns what was typed into what the schema checks (e.g. scores)
        instance = instances.as_object(session, instance)
        data = check(session, instance, workflow, data)
    schema = version.form(item.form_key)
    if check is not None or not validated:
        forms.validate(schema, data)
    _check_cut_offs(schema, data, instance)
    output = getattr(worklist.multi_instance_spec(task), "output_item", None)
    if output is not None:
        # A multi-instance child's answer goes into its output item, tagged with the unit that gave it.
        task.data[output.bpmn_id] = {"unit": item.unit_code, **data}
    else:
        task.data.update(data)
    try:
        task.run()
        fired, after = instances.advance(workflow)
    except SpiffWorkflowException as exc:
        # A script or condition failed: the transaction rolls back, so the task stays as it was.
        raise EngineError(f"Quy trình gặp lỗi khi xử lý bước này, dữ liệu chưa được lưu: {exc}") from exc
    instances.audit_timers(session, instance, fired)
    closed = worklist.close(session, item.id, "COMPLETED", actor.login)
    kind = "return" if data.get("decision") == RETURN_DECISION else "complete"
    audit.record(session, kind, actor.login, instance_id=instance.id, org_id=instance.org_id, task_id=task_id,
                 summary=item.name + (f" — {data['comment']}" if data.get("comment") else ""),
                 payload={"bpmn_id": item.bpmn_id, "data": data})
    instances.save(session, instance, workflow, version, before.without(task_id), after,  # closed above
                   locked_by_select=True)
    return Completed(item.id, task_id, item.name, item.bpmn_id, item.instance_id, item.unit_code, closed["state"],
                     closed["completed_by"], closed["closed_at"])
