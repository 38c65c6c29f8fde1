"""An instance's comment thread: plain text (the page escapes it), at most MAX_LENGTH characters, visible to and
written by everyone who may see the instance (engine.core.access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import access, audit, clock
from engine.core.errors import EngineError, NotFound
from engine.core.models import InstanceComment, ProcessInstance, WorkItem
from engine.core.org import Actor
from engine.runtime.uploads import visible_text

MAX_LENGTH = 4000


@dataclass(frozen=True)
class Comment:
    """One comment, as the pages show it."""

    id: int
    author: str
    author_name: str
    body: str
    at: datetime  # naive UTC
    task_id: str | None


def add(session: Session, actor: Actor, instance_id: int, body: str, task_id: str | None = None) -> Comment:
    """Add a comment to the thread of an instance the actor may see (NotFound otherwise); EngineError for an
    empty or too long text."""
    instance = access.check_instance_action(session, actor, session.get(ProcessInstance, instance_id),
                                            access.Action.COMMENT)
    if task_id is not None and session.scalar(select(WorkItem.id).where(
            WorkItem.task_id == task_id, WorkItem.instance_id == instance.id)) is None:
        raise NotFound("Không tìm thấy công việc")
    text = visible_text(body or "", breaks="\n").strip()
    if not text:
        raise EngineError("Chưa nhập nội dung ý kiến")
    if len(text) > MAX_LENGTH:
        raise EngineError(f"Ý kiến quá dài ({len(text)} ký tự; tối đa {MAX_LENGTH} ký tự)")
    row = InstanceComment(instance_id=instance.id, task_id=task_id, author=actor.login, author_name=actor.full_name,
                          body=text, at=clock.to_db(clock.now()))
    session.add(row)
    session.flush()
    audit.record(session, "comment", actor.login, instance_id=instance.id, org_id=instance.org_id, task_id=task_id,
                 summary=text[:200])
    return _comment(row)


def of_instance(session: Session, instance_id: int) -> list[Comment]:
    """The thread of an instance, oldest first (the caller has checked that the actor may see it)."""
    return [_comment(r) for r in session.scalars(
        select(InstanceComment).where(InstanceComment.instance_id == instance_id).order_by(InstanceComment.id))]


def _comment(row: InstanceComment) -> Comment:
    return Comment(row.id, row.author, row.author_name, row.body, row.at, row.task_id)
