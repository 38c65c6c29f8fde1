"""Work items: the READY user tasks mirrored into `work_item`; worklists are plain SQL over that table."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, contains_eager

from . import calendar, clock, roles
from .errors import EngineError
from .models import ProcessInstance, WorkItem
from .org import Actor

ON_TIME, OVERDUE, DONE_ON_TIME, DONE_LATE = "Trong hạn", "Quá hạn", "Hoàn thành đúng hạn", "Hoàn thành quá hạn"


def sync(session: Session, instance: ProcessInstance, workflow: BpmnWorkflow, meta: dict[str, Any]) -> None:
    """Insert rows for newly READY user tasks; close rows whose task is no longer READY."""
    ready = {str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    open_rows = {w.task_id: w for w in session.scalars(
        select(WorkItem).where(WorkItem.instance_id == instance.id, WorkItem.state == "READY"))}
    now = clock.to_db(clock.now())
    for task_id, row in open_rows.items():
        if task_id not in ready:
            task = workflow.get_task_from_id(UUID(task_id))
            row.state = "COMPLETED" if task is not None and task.state == TaskState.COMPLETED else "CANCELLED"
            row.closed_at = row.closed_at or now
    for task_id, task in ready.items():
        if task_id in open_rows:
            continue
        info = meta["user_tasks"].get(task.task_spec.bpmn_id)
        if info is None or info["role"] is None:
            raise EngineError(f"Bước '{task.task_spec.bpmn_id}' không thuộc vai trò nào")
        session.add(WorkItem(
            instance_id=instance.id, org_id=instance.org_id, task_id=task_id, bpmn_id=task.task_spec.bpmn_id,
            name=info["name"], role=info["role"], unit_code=unit_for(task, info["role"]), form_key=info["form"],
            state="READY", due_at=clock.to_db(due_for(task, info.get("properties", {}))), created_at=now,
        ))
    session.flush()


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


def status(item: WorkItem, now: datetime | None = None) -> str:
    """One of the four deadline states of a work item; "" for one the process withdrew (CANCELLED), which
    nobody completed, on time or late."""
    due = clock.from_db(item.due_at)
    if item.state == "CANCELLED":
        return ""
    if item.state == "READY":
        return OVERDUE if due is not None and (now or clock.now()) >= due else ON_TIME
    closed = clock.from_db(item.closed_at)
    return DONE_LATE if due is not None and closed is not None and closed >= due else DONE_ON_TIME


def instance_status(instance: ProcessInstance, now: datetime | None = None) -> str:
    """One of the four deadline states of a duty instance: running against its due date, or when it ended.
    A cancelled instance has no deadline state (empty string)."""
    if instance.status == "cancelled":
        return ""
    due = clock.from_db(instance.due_at)
    if instance.status == "running":
        return OVERDUE if due is not None and (now or clock.now()) >= due else ON_TIME
    ended = clock.from_db(instance.completed_at)
    return DONE_LATE if due is not None and ended is not None and ended >= due else DONE_ON_TIME


def grant_filter(actor: Actor):
    """SQL condition: work items whose (role, unit) the actor holds."""
    pairs = [and_(WorkItem.role == role, WorkItem.unit_code == unit) for role, unit in actor.grants]
    return or_(*pairs) if pairs else WorkItem.id < 0


def my_work_items(session: Session, actor: Actor, include_closed: bool = False) -> list[WorkItem]:
    """Open work items of the actor's roles and units (and recently closed ones if asked)."""
    query = (select(WorkItem).join(WorkItem.instance).options(contains_eager(WorkItem.instance))
             .where(WorkItem.org_id == actor.org_id, grant_filter(actor)))
    if not include_closed:
        query = query.where(WorkItem.state == "READY")
    return list(session.scalars(query.order_by(WorkItem.state.desc(), WorkItem.due_at, WorkItem.id)))


def instance_items(session: Session, instance_id: int) -> list[WorkItem]:
    return list(session.scalars(select(WorkItem).where(WorkItem.instance_id == instance_id)
                                .order_by(WorkItem.created_at, WorkItem.id)))


def item_for_task(session: Session, task_id: str) -> WorkItem | None:
    return session.scalar(select(WorkItem).where(WorkItem.task_id == task_id))


def can_see_instance(session: Session, actor: Actor, instance: ProcessInstance) -> bool:
    """Approvers and admins of the organisation see all its instances; units see those they take part in."""
    if instance.org_id != actor.org_id:
        return False
    if actor.has_role(roles.APPROVER) or actor.has_role(roles.ADMIN):
        return True
    if instance.lead_unit_code in actor.unit_codes:
        return True
    return session.scalar(select(WorkItem.id).where(
        WorkItem.instance_id == instance.id, WorkItem.unit_code.in_(actor.unit_codes)).limit(1)) is not None

