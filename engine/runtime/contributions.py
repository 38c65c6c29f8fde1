"""The supporting units' contributions on the lead's and the approver's task pages, side by side, and one unit's
contribution sent back for revision.

Contributions are the output collection of a multi-instance user task (`contribute` of the legal-document review:
one item {"unit": code, field: value…} per supporting unit), in the data of the steps after it.

Sending back: SpiffWorkflow 3.2 cannot reopen one child of a completed parallel multi-instance without resetting
its parent (which reopens every unit's task and drops the consolidation), so a contribution is sent back at the
engine level. The unit's own work item is reopened (the same task page, back in its worklist, with the lead's
comment), a `contribution_rework` row records the request, and the consolidation's work item waits (state
WAITING: it cannot be completed). The unit's answer, read with its contribution form, replaces its item in the
consolidation task's data (saved with the workflow, so every later step sees it), closes its work item again and,
when no other contribution is out, makes the consolidation READY again. The workflow itself does not move.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.core import access, audit, clock, hooks
from engine.core.errors import Conflict, EngineError, FormInvalid, NotFound
from engine.core.models import ContributionRework, WorkItem
from engine.core.org import Actor
from engine.runtime import definitions, drafts, forms, instances, worklist

MAX_COMMENT_LENGTH = 4000
WAITING = "WAITING"  # a consolidation's work item while a contribution it needs is out for revision


@dataclass(frozen=True)
class Collection:
    """Where a multi-instance task's answers are gathered: the data key, the task and its form key."""

    key: str
    bpmn_id: str
    form_key: str


def collections(version: definitions.Version) -> list[Collection]:
    """The output collections of the version's multi-instance user tasks."""
    found = []
    for spec in version.spec.task_specs.values():
        output = getattr(spec, "data_output", None)
        info = version.meta["user_tasks"].get(getattr(spec, "bpmn_id", None) or "")
        if output is not None and getattr(spec, "output_item", None) is not None and info is not None:
            found.append(Collection(output.bpmn_id, spec.bpmn_id, info["form"]))
    return found


def returnable(process_key: str, bpmn_id: str) -> bool:
    """May a contribution of this step be sent back? Not when a process plug-in checks the step or draws its
    form (a resubmission here reads the plain form, without the plug-in's check or widgets)."""
    return hooks.completion_check(process_key, bpmn_id) is None and hooks.panel(process_key) is None


@dataclass(frozen=True)
class SideBySide:
    """One collection as a table: a column per unit, a row per field of its form (label, value per unit)."""

    key: str
    bpmn_id: str  # the multi-instance step that gave them
    title: str
    units: list[str]
    rows: list[tuple[str, str, list[Any]]]  # (field, label, [value of each unit, None when not given])
    choice_labels: dict[str, dict[Any, str]]
    returnable: bool  # may one unit's answer be sent back (returnable())


def side_by_side(version: definitions.Version, data: Mapping[str, Any], process_key: str) -> list[SideBySide]:
    """Every contribution collection in `data` (a task's data), all the fields of its form."""
    tables = []
    for found in collections(version):
        items = [i for i in data.get(found.key) or [] if isinstance(i, Mapping) and i.get("unit")]
        if not items:
            continue
        schema = version.form(found.form_key)
        fields = list(schema["properties"].items())
        rows = [(name, spec.get("title", name), [i.get(name) for i in items]) for name, spec in fields]
        choice_labels = {name: dict(forms.choices(spec.get("items", {}) if spec.get("type") == "array" else spec))
                         for name, spec in fields}
        tables.append(SideBySide(found.key, found.bpmn_id, schema.get("title", found.key),
                                 [str(i["unit"]) for i in items], rows, {k: v for k, v in choice_labels.items() if v},
                                 returnable(process_key, found.bpmn_id)))
    return tables


@dataclass(frozen=True)
class Rework:
    """A contribution sent back, as the unit's task page and the consolidation's page show it."""

    id: int
    unit_code: str
    comment: str
    requested_by_name: str
    requested_at: datetime  # naive UTC
    contribution_task_id: str
    consolidation_task_id: str


def open_rework(session: Session, contribution_task_id: str) -> Rework | None:
    """The open request to revise the contribution of this task, if any."""
    row = session.scalar(select(ContributionRework).where(
        ContributionRework.contribution_task_id == contribution_task_id, ContributionRework.answered_at.is_(None)))
    return _rework(row) if row is not None else None


def open_for_consolidation(session: Session, consolidation_task_id: str) -> list[Rework]:
    """The contributions a consolidation waits for."""
    return [_rework(r) for r in session.scalars(select(ContributionRework).where(
        ContributionRework.consolidation_task_id == consolidation_task_id,
        ContributionRework.answered_at.is_(None)).order_by(ContributionRework.id))]


def send_back(session: Session, actor: Actor, task_id: str, unit_code: str, comment: str) -> Rework:
    """The lead doing the consolidation `task_id` sends `unit_code`'s contribution back with a comment: that unit's
    task opens again, the consolidation waits. NotFound/Forbidden by engine.core.access; Conflict for a closed
    step or a contribution already out; EngineError for a unit without a contribution or an empty comment."""
    locked = instances.lock_task(session, task_id)
    if locked is None:
        raise NotFound("Không tìm thấy công việc")
    instance, item = locked.instance, locked.item
    access.check_step(session, actor, item, access.Action.SEND_BACK, instance=instance)
    if item.state not in ("READY", WAITING) or instance.status != "running":
        raise Conflict("Bước này đã được xử lý; không thể trả lại kết quả của đơn vị")
    text = (comment or "").strip()
    if not text:
        raise EngineError("Vui lòng nhập ý kiến: nội dung đơn vị phối hợp cần chỉnh sửa")
    if len(text) > MAX_COMMENT_LENGTH:
        raise EngineError(f"Ý kiến quá dài (tối đa {MAX_COMMENT_LENGTH} ký tự)")
    version = definitions.load(session, instance.definition_id, locked.digest)
    task = instances.load(instance, version).get_task_from_id(UUID(task_id))
    found = _collection_with(version, dict(task.data) if task is not None else {}, unit_code)
    if found is None:
        raise EngineError("Đơn vị này không có kết quả phối hợp trong bước này")
    if not returnable(instance.process_key, found.bpmn_id):
        raise EngineError("Kết quả của bước này không trả lại được tại đây: quy trình có cách trả lại riêng")
    contribution = session.scalar(
        select(WorkItem).where(WorkItem.instance_id == instance.id, WorkItem.bpmn_id == found.bpmn_id,
                               WorkItem.unit_code == unit_code).order_by(WorkItem.id.desc()).limit(1))
    if contribution is None or contribution.state != "COMPLETED":
        raise Conflict("Kết quả của đơn vị này đang được trả lại để chỉnh sửa")
    now = clock.to_db(clock.now())
    row = ContributionRework(instance_id=instance.id, consolidation_task_id=task_id,
                             contribution_task_id=contribution.task_id, unit_code=unit_code, comment=text,
                             requested_by=actor.login, requested_by_name=actor.full_name, requested_at=now)
    session.add(row)
    contribution.state, contribution.closed_at, contribution.completed_by = "READY", None, None
    session.execute(update(WorkItem).where(WorkItem.id == item.id).values(state=WAITING))
    session.flush()
    audit.record(session, "contribution_sent_back", actor.login, instance_id=instance.id, org_id=instance.org_id,
                 task_id=contribution.task_id, summary=f"{contribution.name} — {unit_code}: {text}",
                 payload={"unit": unit_code, "comment": text, "consolidation_task_id": task_id})
    return _rework(row)


def resubmit(session: Session, actor: Actor, task_id: str, submitted: Mapping[str, str],
             discard_draft: bool = False) -> WorkItem:
    """The unit's answer to a contribution sent back: read with its form, it replaces the unit's contribution in
    the consolidation's data; the unit's task closes again and the consolidation, once nothing else is out,
    is READY again. Conflict when nothing is out for this task (already answered: a double submit)."""
    found = session.scalar(select(ContributionRework).where(ContributionRework.contribution_task_id == task_id))
    if found is None:
        raise NotFound("Không tìm thấy công việc")
    instance = instances.lock(session, found.instance_id)
    rework = session.scalar(select(ContributionRework).where(
        ContributionRework.contribution_task_id == task_id, ContributionRework.answered_at.is_(None)))
    item = access.check_step(session, actor, worklist.item_for_task(session, task_id), access.Action.COMPLETE_TASK)
    if rework is None or item.state != "READY" or instance.status != "running":
        raise Conflict("Công việc này đã được xử lý; không thể gửi lại")
    version = instances.version_of(instance)
    data, errors = forms.parse_and_validate(version.form(item.form_key), submitted)
    if errors:
        raise FormInvalid(errors)
    workflow, before = instances.load_for_step(instance, version)
    consolidation = workflow.get_task_from_id(UUID(rework.consolidation_task_id))
    collection = _collection_with(version, dict(consolidation.data) if consolidation is not None else {},
                                  item.unit_code)
    if consolidation is None or collection is None:
        raise Conflict("Bước tổng hợp không còn chờ kết quả này")
    # A new list, not the old one changed: 3.2 shares data objects between a task and its parent (shallow merge).
    consolidation.data[collection.key] = [
        {"unit": item.unit_code, **data} if isinstance(e, Mapping) and e.get("unit") == item.unit_code else e
        for e in consolidation.data[collection.key]]
    instances.save(session, instance, workflow, version, before)
    now = clock.to_db(clock.now())
    rework.answered_by, rework.answered_at = actor.login, now
    item.state, item.closed_at, item.completed_by = "COMPLETED", now, actor.login
    session.flush()
    if not open_for_consolidation(session, rework.consolidation_task_id):
        session.execute(update(WorkItem).where(WorkItem.task_id == rework.consolidation_task_id,
                                               WorkItem.state == WAITING).values(state="READY"))
    if discard_draft:
        drafts.discard(session, task_id)
    audit.record(session, "contribution_resubmitted", actor.login, instance_id=instance.id, org_id=instance.org_id,
                 task_id=task_id, summary=f"{item.name} — {item.unit_code}", payload={"bpmn_id": item.bpmn_id,
                                                                                      "data": data})
    return item


def withdraw_open(session: Session, instance_id: int) -> None:
    """An instance cancelled while contributions were out: their reopened tasks and the waiting consolidation
    are closed as CANCELLED (the workflow's own cancel knows nothing of them)."""
    out = select(ContributionRework.contribution_task_id).where(ContributionRework.instance_id == instance_id,
                                                                ContributionRework.answered_at.is_(None))
    now = clock.to_db(clock.now())
    session.execute(update(WorkItem).where(WorkItem.instance_id == instance_id, (WorkItem.state == WAITING) | (
        WorkItem.task_id.in_(out) & (WorkItem.state == "READY"))).values(state="CANCELLED", closed_at=now))


def previous_answer(session: Session, version: definitions.Version, instance, rework: Rework) -> dict[str, Any]:
    """What the unit sent last time (its item in the consolidation's data, without the unit), to open the form
    with."""
    task = instances.load(instance, version).get_task_from_id(UUID(rework.consolidation_task_id))
    data = dict(task.data) if task is not None else {}
    found = _collection_with(version, data, rework.unit_code)
    if found is None:
        return {}
    entry = next(e for e in data[found.key] if isinstance(e, Mapping) and e.get("unit") == rework.unit_code)
    return {k: v for k, v in entry.items() if k != "unit"}


def _collection_with(version: definitions.Version, data: Mapping[str, Any], unit_code: str) -> Collection | None:
    for found in collections(version):
        if any(isinstance(e, Mapping) and e.get("unit") == unit_code for e in data.get(found.key) or []):
            return found
    return None


def _rework(row: ContributionRework) -> Rework:
    return Rework(row.id, row.unit_code, row.comment, row.requested_by_name, row.requested_at,
                  row.contribution_task_id, row.consolidation_task_id)
