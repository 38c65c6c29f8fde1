"""Armed BPMN timers mirrored into `timer`; the worker fires what is due."""

from __future__ import annotations

from datetime import datetime

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, delete, insert, select, text
from sqlalchemy.orm import Session

from engine.core import clock
from engine.core.models import ProcessInstance, Timer


def armed_timer(task) -> tuple[str, str, str, datetime] | None:
    """(task id, bpmn id, name, fire time UTC) if `task` (WAITING) is a timer event waiting to fire."""
    definition = getattr(task.task_spec, "event_definition", None)
    if not isinstance(definition, TimerEventDefinition):
        return None
    value = task.internal_data.get("event_value")
    if value is None:
        return None
    when = value.get("next") if isinstance(value, dict) else value
    if when is None:
        return None
    return (str(task.id), task.task_spec.bpmn_id, task.task_spec.bpmn_name or task.task_spec.bpmn_id,
            TimerEventDefinition.get_datetime(when))


def fired_timers(workflow: BpmnWorkflow) -> dict[str, tuple[str, str]]:
    """task id -> (bpmn id, name) of every timer event that has completed in the workflow."""
    return {
        str(t.id): (t.task_spec.bpmn_id, t.task_spec.bpmn_name or t.task_spec.bpmn_id)
        for t in workflow.tasks.values()
        if isinstance(getattr(t.task_spec, "event_definition", None), TimerEventDefinition)
        and t.state == TaskState.COMPLETED
    }


_TIMER = Timer.__table__
# Built once, on the table: a step that moves a timer writes through these.
_DISARM = delete(_TIMER).where(_TIMER.c.instance_id == bindparam("instance_id"),
                               _TIMER.c.task_id.in_(bindparam("task_ids", expanding=True)))
_ARM = insert(_TIMER)


def sync(session: Session, instance: ProcessInstance, before: tuple, after: tuple) -> None:
    """Mirror the change of armed timers from `before` to `after` ((task id, bpmn id, name, fire time) each):
    delete the rows of timers no longer armed and insert the new ones (the caller sets next_timer_at)."""
    old = {t[0]: t for t in before}
    now = {t[0]: t for t in after}
    gone = [task_id for task_id, t in old.items() if now.get(task_id) != t]
    if gone:
        session.connection().execute(_DISARM, {"instance_id": instance.id, "task_ids": gone})
    new = [dict(task_id=task_id, instance_id=instance.id, bpmn_id=bpmn_id, name=name, fire_at=clock.to_db(fire_at))
           for task_id, (_, bpmn_id, name, fire_at) in now.items() if old.get(task_id) != now[task_id]]
    if new:
        session.connection().execute(_ARM, new)


def claim_due(session: Session, now: datetime) -> int | None:
    """Lock one running instance with a due timer; other workers skip it.

    Strictly earlier than `now`, as SpiffWorkflow fires a timer only once its time has passed."""
    if session.bind.dialect.name == "postgresql":
        return session.scalar(
            select(ProcessInstance.id)
            .where(ProcessInstance.status == "running", ProcessInstance.next_timer_at < now)
            .order_by(ProcessInstance.next_timer_at).limit(1).with_for_update(skip_locked=True))
    # SQLite: the UPDATE takes the database write lock, which serialises workers.
    return session.execute(text(
        "UPDATE process_instance SET lock_version = lock_version + 1 WHERE id = ("
        " SELECT id FROM process_instance WHERE status = 'running' AND next_timer_at < :now"
        " ORDER BY next_timer_at LIMIT 1) RETURNING id"), {"now": now}).scalar()
