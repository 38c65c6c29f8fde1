"""Files attached to a task: uploaded on its page by who may do the step, checked by their content
(engine.runtime.uploads), stored in their own table (not in the work-item rows), listed on the task and instance
pages and downloaded by everyone who may see the instance (engine.core.access)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import access, audit, clock
from engine.core.errors import Conflict, NotFound
from engine.core.models import Attachment, ProcessInstance
from engine.core.org import Actor
from engine.runtime import uploads, worklist


@dataclass(frozen=True)
class AttachmentRow:
    """An attachment as the pages list it (without its content)."""

    id: int
    task_id: str
    filename: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_by_name: str
    uploaded_at: datetime  # naive UTC


def add(session: Session, actor: Actor, task_id: str, filename: str, data: bytes) -> AttachmentRow:
    """Attach a file to an open task the actor may do: NotFound for a task they may not see, Forbidden for one
    that is not theirs, EngineError for an empty, too big or wrong-typed file (nothing is stored then)."""
    item = worklist.item_with_digest(session, task_id, light=True)
    if item is None:
        raise NotFound("Không tìm thấy công việc")
    item = access.check_step(session, actor, item[0], access.Action.ATTACH)
    if item.state != "READY" or item.instance.status != "running":
        raise Conflict("Công việc này đã được xử lý; không thể đính kèm thêm tệp")
    name, content_type = uploads.check_file(filename, data)
    row = Attachment(instance_id=item.instance_id, task_id=task_id, filename=name, content_type=content_type,
                     size=len(data), sha256=hashlib.sha256(data).hexdigest(), content=data,
                     uploaded_by=actor.login, uploaded_by_name=actor.full_name, uploaded_at=clock.to_db(clock.now()))
    session.add(row)
    session.flush()
    audit.record(session, "attachment_add", actor.login, instance_id=item.instance_id, org_id=item.org_id,
                 task_id=task_id, summary=f"{name} ({item.name})", payload={"attachment_id": row.id,
                                                                            "sha256": row.sha256})
    return _row(row)


def of_instance(session: Session, instance_id: int, task_id: str | None = None) -> list[AttachmentRow]:
    """The attachments of an instance (or of one of its tasks), oldest first; the caller checked visibility."""
    query = select(*_COLUMNS).where(Attachment.instance_id == instance_id)
    if task_id is not None:
        query = query.where(Attachment.task_id == task_id)
    return [AttachmentRow(*r) for r in session.execute(query.order_by(Attachment.id))]


def open_file(session: Session, actor: Actor, attachment_id: int) -> tuple[AttachmentRow, bytes]:
    """An attachment and its content, for who may see its instance; NotFound otherwise."""
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFound("Không tìm thấy tệp đính kèm")
    try:
        access.check_instance_action(session, actor, session.get(ProcessInstance, row.instance_id),
                                     access.Action.DOWNLOAD_ATTACHMENT)
    except NotFound:
        raise NotFound("Không tìm thấy tệp đính kèm") from None
    return _row(row), row.content


_COLUMNS = (Attachment.id, Attachment.task_id, Attachment.filename, Attachment.content_type, Attachment.size,
            Attachment.uploaded_by, Attachment.uploaded_by_name, Attachment.uploaded_at)


def _row(row: Attachment) -> AttachmentRow:
    return AttachmentRow(row.id, row.task_id, row.filename, row.content_type, row.size, row.uploaded_by,
                         row.uploaded_by_name, row.uploaded_at)
