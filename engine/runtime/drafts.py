"""Drafts of task forms: what was typed, saved without completing the task, restored for whoever opens the task
next (any person of the unit who may do the step), discarded when the task is completed.

The strings are stored as typed (not parsed): a draft may be incomplete or wrong, and the form shows it back as
it was. Only the form's own fields are kept, each at most MAX_VALUE_LENGTH characters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.core import access, audit, clock
from engine.core.errors import Conflict, EngineError, NotFound
from engine.core.models import TaskDraft
from engine.core.org import Actor
from engine.runtime import definitions, instances

MAX_VALUE_LENGTH = 20_000


@dataclass(frozen=True)
class Draft:
    """A saved draft, as the task page shows it."""

    values: dict[str, str]
    saved_by: str
    saved_by_name: str
    saved_at: datetime  # naive UTC, as stored


def save(session: Session, actor: Actor, task_id: str, submitted: Mapping[str, str]) -> Draft:
    """Save what was typed into an open task's form (its fields only); who may not do the step is refused."""
    # Under the instance's lock, as a completion: two saves of one draft (or a save racing the completion that
    # discards it) take turns instead of colliding on the row.
    locked = instances.lock_task(session, task_id)
    if locked is None:
        raise NotFound("Không tìm thấy công việc")
    item, instance = locked.item, locked.instance
    access.check_step(session, actor, item, access.Action.SAVE_DRAFT, instance=instance)
    if item.state != "READY" or instance.status != "running":
        raise Conflict("Công việc này đã được xử lý; không thể lưu nháp")
    fields = definitions.load(session, instance.definition_id, locked.digest).form(item.form_key)["properties"]
    values = {name: str(submitted[name]) for name in fields if name in submitted}
    if any(len(value) > MAX_VALUE_LENGTH for value in values.values()):
        raise EngineError(f"Nội dung một trường quá dài (tối đa {MAX_VALUE_LENGTH} ký tự); bản nháp chưa được lưu")
    now = clock.to_db(clock.now())
    row = session.get(TaskDraft, task_id)
    if row is None:
        row = TaskDraft(task_id=task_id, instance_id=item.instance_id)
        session.add(row)
    row.values_json = json.dumps(values, ensure_ascii=False)
    row.saved_by, row.saved_by_name, row.saved_at = actor.login, actor.full_name, now
    audit.record(session, "draft_saved", actor.login, instance_id=instance.id, org_id=instance.org_id,
                 task_id=task_id, summary=item.name)
    session.flush()
    return Draft(values, actor.login, actor.full_name, now)


def of_task(session: Session, task_id: str) -> Draft | None:
    """The draft of a task (the caller has checked that the actor may see it), or None."""
    row = session.scalar(select(TaskDraft).where(TaskDraft.task_id == task_id))
    if row is None:
        return None
    return Draft(json.loads(row.values_json), row.saved_by, row.saved_by_name, row.saved_at)


def discard(session: Session, task_id: str) -> None:
    """Drop a task's draft (its task was completed). Called only when the page showed a draft, so a completion
    of a task without one costs no statement."""
    session.execute(delete(TaskDraft).where(TaskDraft.task_id == task_id))
