"""Work items: the READY user tasks mirrored into `work_item`; worklists are plain SQL over that table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, contains_eager

from engine.core import access, clock, roles, search_text
from engine.core.db import keep_in_step
from engine.core.errors import EngineError
from engine.core.models import ProcessDefinition, ProcessInstance, WorkItem
from engine.core.org import Actor
from engine.planning import calendar

ON_TIME, OVERDUE, DONE_ON_TIME, DONE_LATE = "Trong hạn", "Quá hạn", "Hoàn thành đúng hạn", "Hoàn thành quá hạn"


_ITEM = WorkItem.__table__
# Built once, on the table (Core): every step closes and opens work items through these.
_CLOSE = (update(_ITEM).where(_ITEM.c.instance_id == bindparam("of_instance"),
                              _ITEM.c.task_id.in_(bindparam("task_ids", expanding=True)), _ITEM.c.state == "READY")
          .values(state=bindparam("new_state"), closed_at=bindparam("now")))
_OPEN = insert(_ITEM)


def sync(session: Session, instance: ProcessInstance, workflow: BpmnWorkflow, meta: dict[str, Any],
         before: frozenset[str], after: frozenset[str]) -> None:
    """Mirror the change of READY user tasks from `before` to `after` (task ids): close the rows of tasks that
    left READY (a row the caller already closed, e.g. the completed one, is left as it is), insert rows for the
    new ones."""
    now = clock.to_db(clock.now())
    gone = before - after
    if gone:
        completed = {t for t in gone if _state_of(workflow, t) == TaskState.COMPLETED}
        for state, ids in (("COMPLETED", completed), ("CANCELLED", gone - completed)):
            if ids:
                session.connection().execute(_CLOSE, {"of_instance": instance.id, "task_ids": sorted(ids),
                                                      "new_state": state, "now": now})
    new = []
    for task_id in sorted(after - before):
        task = workflow.get_task_from_id(UUID(task_id))
        info = meta["user_tasks"].get(task.task_spec.bpmn_id)
        if info is None or info["role"] is None:
            raise EngineError(f"Bước '{task.task_spec.bpmn_id}' không thuộc vai trò nào")
        new.append(dict(
            instance_id=instance.id, org_id=instance.org_id, task_id=task_id, bpmn_id=task.task_spec.bpmn_id,
            name=info["name"], role=info["role"], unit_code=unit_for(task, info["role"]), form_key=info["form"],
            state="READY", due_at=clock.to_db(due_for(task, info.get("properties", {}))), created_at=now,
            search_text=search_text.fold(f"{info['name']} {instance.title}"),
        ))
    if new:
        session.connection().execute(_OPEN, new)  # one statement for all of them


_CLOSE_ONE = (update(_ITEM).where(_ITEM.c.id == bindparam("item_id"))
              .values(state=bindparam("new_state"), completed_by=bindparam("login"), closed_at=bindparam("now")))


def close(session: Session, item_id: int, state: str, login: str | None) -> dict[str, Any]:
    """Close one work item (COMPLETED by `login`, say) in one UPDATE; returns the values written (the item's
    object, if the session holds it, is kept as written)."""
    values = {"state": state, "completed_by": login, "closed_at": clock.to_db(clock.now())}
    session.connection().execute(_CLOSE_ONE, {"item_id": item_id, "new_state": state, "login": login,
                                              "now": values["closed_at"]})
    keep_in_step(session, WorkItem, item_id, values)
    return values


def _state_of(workflow: BpmnWorkflow, task_id: str):
    """The state of a task, or None when the workflow no longer has it (cancelling drops unfinished branches)."""
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except TaskNotFoundException:
        return None
    return task.state if task is not None else None


def unit_for(task, role: str) -> str:
    """Which unit acts on a task: the instance's lead or approver unit, or a supporting unit's MI item."""
    if role == roles.LEAD_UNIT:
        code = task.data.get("lead_unit")
    elif role == roles.APPROVER:
        code = task.data.get("approver_unit")
    else:
        wrapper = multi_instance_spec(task)
        item = getattr(wrapper, "input_item", None)
        code = task.data.get(item.bpmn_id if item is not None else "unit")
    if not code:
        raise EngineError(f"Không xác định được đơn vị thực hiện bước '{task.task_spec.bpmn_name}'")
    return str(code)


def multi_instance_spec(task):
    """The multi-instance wrapper spec if `task` is one of its instances, else None."""
    parent_spec = getattr(task.parent, "task_spec", None)
    if parent_spec is not None and getattr(parent_spec, "task_spec", None) == task.task_spec.name:
        return parent_spec
    return None


def due_for(task, properties: dict[str, str] | None = None) -> datetime | None:
    """A task's deadline: `<bpmn id>_due` in its data if set (a date means end of that day); else, if the task
    has the property `due_in_working_days` (e.g. an escalation), the end of that many working days from today;
    else the instance's `due_at`."""
    value = task.data.get(f"{task.task_spec.bpmn_id}_due")
    days = (properties or {}).get("due_in_working_days")
    if not value and days:
        value = calendar.add_working_days(clock.today_local(), int(days)).isoformat()
    return parse_due(value or task.data.get("due_at"))


def parse_due(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, str) and len(value) == 10:
        return datetime.combine(date.fromisoformat(value), time(23, 59, 59), clock.VN_TZ)
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return None


def deadline_state(open_: bool, due_db: datetime | None, closed_db: datetime | None,
                   now: datetime | None = None) -> str:
    """The four deadline states, for work items and instances alike: open and not yet due (Trong hạn), open and
    due (Quá hạn), closed before the deadline (Hoàn thành đúng hạn) or at or after it (Hoàn thành quá hạn)."""
    due = clock.from_db(due_db)
    if open_:
        return OVERDUE if due is not None and (now or clock.now()) >= due else ON_TIME
    closed = clock.from_db(closed_db)
    return DONE_LATE if due is not None and closed is not None and closed >= due else DONE_ON_TIME


# Not yet done: READY, or WAITING (a consolidation whose contribution was sent back: engine.runtime.contributions).
OPEN_STATES = frozenset({"READY", "WAITING"})


def status(item: WorkItem, now: datetime | None = None) -> str:
    """The deadline state of a work item; "" for one the process withdrew (CANCELLED), which nobody completed,
    on time or late."""
    if item.state == "CANCELLED":
        return ""
    return deadline_state(item.state in OPEN_STATES, item.due_at, item.closed_at, now)


def instance_status(instance: ProcessInstance, now: datetime | None = None) -> str:
    """The deadline state of a duty instance: running against its due date, or when it ended; "" when
    cancelled."""
    if instance.status == "cancelled":
        return ""
    return deadline_state(instance.status == "running", instance.due_at, instance.completed_at, now)


def _open_items_of(actor: Actor, states: tuple[str, ...]):
    """SQL condition: the actor's organisation's items in `states` whose (role, unit) the actor holds, written
    as one full match of the worklist index (org_id, state, role, unit_code) per pair and state, so SQLite and
    PostgreSQL answer it with index lookups whatever their statistics say."""
    terms = [and_(WorkItem.org_id == actor.org_id, WorkItem.state == state, WorkItem.role == role,
                  WorkItem.unit_code == unit) for role, unit in sorted(actor.grants) for state in states]
    return or_(*terms) if terms else WorkItem.id < 0


@dataclass(frozen=True)
class InstanceSummary:
    """The instance a worklist row belongs to, as the row shows it."""

    id: int
    title: str
    period: str
    process_key: str
    lead_unit_code: str
    status: str
    due_at: datetime | None


@dataclass(frozen=True)
class WorklistRow:
    """A work item as Việc của tôi shows it (the read model; no ORM object)."""

    id: int
    task_id: str
    name: str
    bpmn_id: str
    form_key: str
    role: str
    unit_code: str
    state: str
    due_at: datetime | None
    closed_at: datetime | None
    completed_by: str | None
    instance_id: int
    instance: InstanceSummary
    deadline_state: str


_ROW_COLUMNS = (WorkItem.id, WorkItem.task_id, WorkItem.name, WorkItem.bpmn_id, WorkItem.form_key, WorkItem.role,
                WorkItem.unit_code,
                WorkItem.state, WorkItem.due_at, WorkItem.closed_at, WorkItem.completed_by, WorkItem.instance_id,
                ProcessInstance.title, ProcessInstance.period, ProcessInstance.process_key,
                ProcessInstance.lead_unit_code, ProcessInstance.status, ProcessInstance.due_at)


def my_work_items(session: Session, actor: Actor, include_closed: bool = False) -> list[WorklistRow]:
    """Open work items of the actor's roles and units (and closed ones if asked), by deadline, each with what
    the list shows of its instance (one query, index lookups per grant)."""
    states = ("READY", "COMPLETED", "CANCELLED") if include_closed else ("READY",)
    query = (select(*_ROW_COLUMNS).join(ProcessInstance, ProcessInstance.id == WorkItem.instance_id)
             .where(_open_items_of(actor, states)).order_by(WorkItem.state.desc(), WorkItem.due_at, WorkItem.id))
    return _rows(session.execute(query))


ROW_COLUMNS = _ROW_COLUMNS  # what a list selects to build WorklistRows with row_from (engine.runtime.list_pages)


def open_items_of(actor: Actor, states: tuple[str, ...]):
    """SQL condition: the actor's items in `states` of the roles and units they hold (index lookups)."""
    return _open_items_of(actor, states)


def row_from(columns) -> WorklistRow:
    """The read model of a result row that starts with ROW_COLUMNS."""
    return _row(columns)


def _rows(query) -> list[WorklistRow]:
    return [_row(r) for r in query]


def _row(r) -> WorklistRow:
    item, instance = r[:12], r[12:]  # the work item's columns, then its instance's
    state, due_at, closed_at = item[7], item[8], item[9]
    return WorklistRow(*item, InstanceSummary(item[11], *instance),
                       "" if state == "CANCELLED" else deadline_state(state in OPEN_STATES, due_at, closed_at))


def row_of(item: WorkItem) -> WorklistRow:
    """The read model of a work item loaded with its instance."""
    i = item.instance
    return _row((item.id, item.task_id, item.name, item.bpmn_id, item.form_key, item.role, item.unit_code, item.state,
                 item.due_at, item.closed_at, item.completed_by, item.instance_id,
                 i.title, i.period, i.process_key, i.lead_unit_code, i.status, i.due_at))


def instance_items(session: Session, instance_id: int) -> list[WorklistRow]:
    """Every work item of an instance, open or closed, oldest first (the instance page's steps)."""
    query = (select(*_ROW_COLUMNS).join(ProcessInstance, ProcessInstance.id == WorkItem.instance_id)
             .where(WorkItem.instance_id == instance_id).order_by(WorkItem.created_at, WorkItem.id))
    return _rows(session.execute(query))


def item_for_task(session: Session, task_id: str) -> WorkItem | None:
    return session.scalar(select(WorkItem).where(WorkItem.task_id == task_id))


# Built once (they run on every task page and completion): the item with its instance and version digest; the
# same without the instance's state document.
_ITEM_WITH_INSTANCE = (select(WorkItem, ProcessDefinition.sha256).join(WorkItem.instance)
                       .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
                       .where(WorkItem.task_id == bindparam("task_id")))
_ITEMS = {
    "full": _ITEM_WITH_INSTANCE.options(contains_eager(WorkItem.instance)),
    "light": _ITEM_WITH_INSTANCE.options(contains_eager(WorkItem.instance).defer(ProcessInstance.state)),
}
_INSTANCE, _DEFINITION = ProcessInstance.__table__, ProcessDefinition.__table__
# On the tables (Core): what a submission needs.
_FORM_OF_TASK = (select(_ITEM.c.task_id, _ITEM.c.name, _ITEM.c.bpmn_id, _ITEM.c.form_key, _ITEM.c.org_id,
                        _ITEM.c.role, _ITEM.c.unit_code, _ITEM.c.instance_id, _INSTANCE.c.org_id.label("instance_org"),
                        _INSTANCE.c.lead_unit_code, _INSTANCE.c.process_key, _INSTANCE.c.definition_id,
                        _DEFINITION.c.sha256)
                 .join(_INSTANCE, _INSTANCE.c.id == _ITEM.c.instance_id)
                 .join(_DEFINITION, _DEFINITION.c.id == _INSTANCE.c.definition_id)
                 .where(_ITEM.c.task_id == bindparam("task_id")))


def item_with_digest(session: Session, task_id: str, light: bool = False) -> tuple[WorkItem, str] | None:
    """(work item, digest of its instance's version) of a task, in one query; the instance comes with it
    (`light`: without its state document)."""
    row = session.execute(_ITEMS["light" if light else "full"], {"task_id": task_id}).one_or_none()
    return (row[0], row[1]) if row is not None else None


class InstanceRef(NamedTuple):
    """What the visibility rule needs of an instance (can_see_instance), without loading it."""

    id: int
    org_id: int
    lead_unit_code: str


def form_of_task(session: Session | Connection, task_id: str):
    """The row of what submitting a task needs, in one query, or None: the item's task_id, name, bpmn_id,
    form_key, org_id, role, unit_code, instance_id, and its instance's org (instance_org), lead_unit_code,
    process_key, definition_id and version digest (sha256)."""
    return session.execute(_FORM_OF_TASK, {"task_id": task_id}).first()


def can_see_instance(session: Session | Connection, actor: Actor, instance: ProcessInstance | InstanceRef) -> bool:
    """May the actor see the instance: the rule is engine.core.access's."""
    return access.can_view_instance(session, actor, instance)

