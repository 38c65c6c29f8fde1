"""A Trưởng phòng's review of the unit's contribution before it goes to the lead unit (process property
`unit_review: true`, a camunda:property of the process, which deploy already reads into its meta).

Why an engine-level gate and not a BPMN task: the BPMN semantics of a process stay what its diagram says (one
that does not switch it on runs exactly as before), and no Spiff task is added or moved. When on, a supporting
unit's submitted contribution is held (a `unit_review` row with the validated data) and its work item waits
(state IN_REVIEW) while a work item of role unit_head for that unit asks the Trưởng phòng to decide. Approving
completes the contribution's Spiff task with the held data, by the ordinary completion path (so it counts as
submitted then); returning gives the work item back to who submitted it, with the comment. A Trưởng phòng's own
submission is not held (they would review themselves).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, aliased

from engine.core import access, audit, clock, roles
from engine.core.db import keep_in_step
from engine.core.errors import Conflict, Forbidden, FormInvalid, NotFound
from engine.core.models import UnitReview, User, WorkItem
from engine.core.org import Actor
from engine.runtime import instances, worklist

FORM_KEY = "unit_review"  # the form key of a Trưởng phòng's review item (it has no BPMN form)
IN_REVIEW = "IN_REVIEW"  # the state of a contribution's work item while it waits for the review
PENDING, APPROVED, RETURNED = "pending", "approved", "returned"
SCHEMA: dict[str, Any] = {"title": "Duyệt kết quả của đơn vị", "type": "object", "properties": {}}
_ITEM = WorkItem.__table__


def switched_on(meta: dict[str, Any]) -> bool:
    """Does the process ask for the unit review (its property unit_review is true)?"""
    return str(meta.get("properties", {}).get("unit_review", "")).strip().lower() in ("true", "1", "yes", "có")


def applies(actor: Actor, item, meta: dict[str, Any]) -> bool:
    """Is this submission held for the Trưởng phòng: the process switched it on, the step is a supporting unit's
    contribution, and who submits is not the unit's Trưởng phòng. (No statement: the version's meta is cached.)"""
    return item.role == roles.SUPPORTING_UNIT and switched_on(meta) and not access.is_unit_head(actor, item)


def hold(session: Session, actor: Actor, item, data: dict[str, Any]) -> datetime:
    """Hold a validated contribution for the unit's Trưởng phòng (under the instance lock the caller took): the
    item waits IN_REVIEW, claimed by who submitted, and a review item opens for the unit's head. Returns when."""
    now = clock.to_db(clock.now())
    review_task = str(uuid4())
    connection = session.connection()
    connection.execute(update(_ITEM).where(_ITEM.c.id == item.id).values(state=IN_REVIEW, assignee_id=actor.user_id))
    keep_in_step(session, WorkItem, item.id, {"state": IN_REVIEW, "assignee_id": actor.user_id})
    connection.execute(insert(_ITEM).values(
        instance_id=item.instance_id, org_id=item.org_id, task_id=review_task, bpmn_id=item.bpmn_id,
        name=f"Duyệt kết quả của đơn vị: {item.name}"[:300], role=roles.UNIT_HEAD, unit_code=item.unit_code,
        form_key=FORM_KEY, state="READY", due_at=item.due_at, created_at=now))
    session.add(UnitReview(org_id=item.org_id, instance_id=item.instance_id, work_item_id=item.id,
                           review_task_id=review_task, unit_code=item.unit_code,
                           data=json.dumps(data, ensure_ascii=False, default=str), submitted_by=actor.login,
                           submitted_by_id=actor.user_id or None, submitted_at=now, state=PENDING, comment=""))
    session.flush()
    audit.record(session, "unit_review_submit", actor.login, instance_id=item.instance_id, org_id=item.org_id,
                 task_id=item.task_id, summary=item.name, payload={"bpmn_id": item.bpmn_id, "data": data})
    return now


def _open_review(session: Session, actor: Actor, review_task_id: str):
    """Lock the review item's instance and check that the actor may decide it and that it is still open."""
    locked = instances.lock_task(session, review_task_id)
    if locked is None:
        raise NotFound("Không tìm thấy công việc")
    item, instance = locked.item, locked.instance
    access.check_step(session, actor, item, access.Action.REVIEW_CONTRIBUTION, instance=instance)
    if item.form_key != FORM_KEY:
        raise Conflict("Công việc này không phải là kết quả chờ trưởng phòng duyệt")
    review = session.scalar(select(UnitReview).where(UnitReview.review_task_id == review_task_id))
    if item.state != "READY" or instance.status != "running" or review is None or review.state != PENDING:
        raise Conflict("Kết quả này đã được duyệt hoặc trả lại")
    if review.submitted_by_id == actor.user_id:  # (a delegate who submitted it)
        raise Forbidden("Không thể tự duyệt kết quả do chính mình gửi")
    return item, review


def approve(session: Session, actor: Actor, review_task_id: str) -> str:
    """The Trưởng phòng approves the held contribution: its Spiff task is completed with the held data (as its
    submitter's), so it counts as submitted now. Returns the contribution's task id."""
    from engine.runtime import tasks  # (tasks asks this module whether to hold; this one completes through it)

    item, review = _open_review(session, actor, review_task_id)
    contribution = session.get(WorkItem, review.work_item_id)
    now = clock.to_db(clock.now())
    review.state, review.decided_by, review.decided_at = APPROVED, actor.login, now
    worklist.close(session, item.id, "COMPLETED", actor.login)
    audit.record(session, "unit_review_approve", actor.login, instance_id=item.instance_id, org_id=item.org_id,
                 task_id=contribution.task_id, summary=contribution.name)
    session.flush()
    # Completed as its submitter's answer (only the login is recorded); the approval is the event above.
    tasks.complete_held(session, replace(actor, login=review.submitted_by), contribution.task_id,
                        json.loads(review.data))
    return contribution.task_id


def send_back(session: Session, actor: Actor, review_task_id: str, comment: str) -> str:
    """The Trưởng phòng returns the held contribution with a comment: its work item is open again, claimed by who
    submitted it. FormInvalid without a comment. Returns the contribution's task id."""
    comment = (comment or "").strip()
    if not comment:
        raise FormInvalid({"comment": "Vui lòng ghi rõ nội dung cần sửa khi trả lại"})
    item, review = _open_review(session, actor, review_task_id)
    contribution = session.get(WorkItem, review.work_item_id)
    now = clock.to_db(clock.now())
    review.state, review.decided_by, review.decided_at, review.comment = RETURNED, actor.login, now, comment[:2000]
    contribution.state, contribution.assignee_id = "READY", review.submitted_by_id
    worklist.close(session, item.id, "COMPLETED", actor.login)
    audit.record(session, "unit_review_return", actor.login, instance_id=item.instance_id, org_id=item.org_id,
                 task_id=contribution.task_id, summary=f"{contribution.name} — {comment}")
    session.flush()
    return contribution.task_id


@dataclass(frozen=True)
class ReviewInfo:
    """The unit review as a step's page shows it: on the review item, the held contribution; on the
    contribution, that it waits or the last comment of a return."""

    state: str  # pending / approved / returned
    submitted_by: str  # full name (or login)
    submitted_by_id: int | None
    submitted_at: datetime
    decided_by: str | None  # full name (or login)
    comment: str
    data: dict[str, Any]
    review_task_id: str
    contribution_task_id: str
    on_review_item: bool


def info(session: Session, item: WorkItem) -> ReviewInfo | None:
    """The review of a step's page: for a review item its row; for a contribution its latest review, if any."""
    if item.form_key == FORM_KEY:
        condition = UnitReview.review_task_id == item.task_id
    elif item.role == roles.SUPPORTING_UNIT:
        condition = UnitReview.work_item_id == item.id
    else:
        return None
    decider = aliased(User)
    row = session.execute(select(UnitReview, WorkItem.task_id, User.full_name, decider.full_name)
                          .join(WorkItem, WorkItem.id == UnitReview.work_item_id)
                          .outerjoin(User, User.id == UnitReview.submitted_by_id)
                          .outerjoin(decider, (decider.login == UnitReview.decided_by)
                                     & (decider.org_id == UnitReview.org_id))
                          .where(condition).order_by(UnitReview.id.desc()).limit(1)).first()
    if row is None:
        return None
    review, contribution_task, name, decided = row
    return ReviewInfo(review.state, name or review.submitted_by, review.submitted_by_id, review.submitted_at,
                      decided or review.decided_by, review.comment, json.loads(review.data), review.review_task_id,
                      contribution_task, item.form_key == FORM_KEY)


def returned_data(session: Session, item_id: int) -> dict[str, Any]:
    """What was submitted last time when the Trưởng phòng returned the contribution (the form opens with it)."""
    row = session.scalar(select(UnitReview.data).where(UnitReview.work_item_id == item_id,
                                                       UnitReview.state == RETURNED)
                         .order_by(UnitReview.id.desc()).limit(1))
    return json.loads(row) if row else {}


WITHDRAWN = "withdrawn"


def withdraw(session: Session, instance_id: int) -> None:
    """The instance was cancelled: its held contributions and their review items close (CANCELLED), so no review
    waits in a Trưởng phòng's list for an instance that no longer runs."""
    now = clock.to_db(clock.now())
    session.execute(update(UnitReview).where(UnitReview.instance_id == instance_id, UnitReview.state == PENDING)
                    .values(state=WITHDRAWN, decided_at=now).execution_options(synchronize_session=False))
    session.connection().execute(update(_ITEM).where(
        _ITEM.c.instance_id == instance_id,
        (_ITEM.c.state == IN_REVIEW) | ((_ITEM.c.form_key == FORM_KEY) & (_ITEM.c.state == "READY")))
        .values(state="CANCELLED", closed_at=now))
