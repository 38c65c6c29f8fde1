"""Claiming, releasing and reassigning a unit's open steps (work_item.assignee_id), as in Camunda Tasklist.

Claiming says "I am on it" to the unit; it is not required before completing. A claimed step is completed or
released only by its claimant or the unit's Trưởng phòng (engine.core.access decides). Each change is one
conditional UPDATE on the item's row (state READY and the assignee as read), so of two racing claims one wins
and the other is told who has it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from engine.core import access, audit, org, roles
from engine.core.db import keep_in_step
from engine.core.errors import Conflict
from engine.core.models import ProcessInstance, RoleGrant, Unit, User, WorkItem
from engine.core.org import Actor
from engine.runtime import worklist


@dataclass(frozen=True)
class Person:
    """A person of the organisation as the claim panel shows them."""

    id: int
    login: str
    full_name: str


@dataclass(frozen=True)
class ClaimPanel:
    """What the task page's claim panel shows and offers the actor."""

    task_id: str
    open: bool
    assignee: Person | None
    mine: bool  # claimed by the actor
    may_claim: bool
    may_release: bool
    may_reassign: bool
    candidates: tuple[Person, ...]  # whom the Trưởng phòng may give the step to
    delegation: bool  # the step is the Trưởng phòng's own: giving it is ủy quyền


def visible(session: Session, actor: Actor, task_id: str,
            action: access.Action = access.Action.VIEW_TASK) -> WorkItem:
    """The work item (with its instance, without the state document) if the actor may `action` it."""
    found = worklist.item_with_digest(session, task_id, light=True)
    return access.check_step(session, actor, found[0] if found else None, action,
                             instance=found[0].instance if found else None)


def _item(session: Session, actor: Actor, task_id: str, action: access.Action) -> WorkItem:
    item = visible(session, actor, task_id, action)
    if item.state != "READY":
        raise Conflict("Công việc này đã được xử lý; không thể nhận hay giao lại")
    return item


def person(session: Session, user_id: int | None) -> Person | None:
    """The person of a user id (None for None)."""
    if user_id is None:
        return None
    row = session.execute(select(User.id, User.login, User.full_name).where(User.id == user_id)).first()
    return Person(*row) if row else None


def _set_assignee(session: Session, item: WorkItem, new: int | None) -> bool:
    """Set the assignee if the row is still open and as read (one UPDATE); False when someone changed it first."""
    done = session.execute(update(WorkItem).where(
        WorkItem.id == item.id, WorkItem.state == "READY",
        WorkItem.assignee_id.is_(None) if item.assignee_id is None else WorkItem.assignee_id == item.assignee_id)
        .values(assignee_id=new).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        return False
    keep_in_step(session, WorkItem, item.id, {"assignee_id": new})  # the session's object, as written
    return True


def _taken(session: Session, actor: Actor, task_id: str) -> Conflict:
    """The refusal for a claim that lost a race, naming who has the step now."""
    session.expire_all()
    current = session.scalar(select(WorkItem.assignee_id).where(WorkItem.task_id == task_id))
    if current == actor.user_id:
        return Conflict("Bạn đã nhận công việc này rồi")
    holder = person(session, current)
    return Conflict(f"Công việc này đã được {holder.full_name} nhận" if holder else "Công việc này vừa thay đổi")


def claim(session: Session, actor: Actor, task_id: str) -> Person:
    """Claim an open step the actor may do. A Trưởng phòng takes over a step another person claimed; anyone
    else is refused (Conflict, naming the claimant). Returns the claimant."""
    item = _item(session, actor, task_id, access.Action.CLAIM_TASK)
    previous = item.assignee_id
    if previous == actor.user_id:
        raise Conflict("Bạn đã nhận công việc này rồi")
    if previous is not None and not access.is_unit_head(actor, item):
        raise _taken(session, actor, task_id)
    if not _set_assignee(session, item, actor.user_id):
        raise _taken(session, actor, task_id)
    before = person(session, previous)
    audit.record(session, "claim", actor.login, instance_id=item.instance_id, org_id=item.org_id, task_id=task_id,
                 summary=item.name + (f" — nhận thay {before.full_name}" if before else ""),
                 payload={"assignee": actor.login, "previous": before.login if before else None})
    return Person(actor.user_id, actor.login, actor.full_name)


def release(session: Session, actor: Actor, task_id: str) -> None:
    """Give a claimed step back to the unit (its claimant or the unit's Trưởng phòng)."""
    item = _item(session, actor, task_id, access.Action.RELEASE_TASK)
    if item.assignee_id is None:
        raise Conflict("Công việc này chưa có người nhận")
    before = person(session, item.assignee_id)
    if not _set_assignee(session, item, None):
        raise Conflict("Công việc này vừa thay đổi; hãy tải lại trang")
    audit.record(session, "release", actor.login, instance_id=item.instance_id, org_id=item.org_id,
                 task_id=task_id, summary=item.name + (f" — {before.full_name}" if before else ""),
                 payload={"previous": before.login if before else None})


def reassign(session: Session, actor: Actor, task_id: str, login: str) -> Person:
    """The Trưởng phòng gives a step of the unit to a person of the unit who holds its role (or, for a step of
    their own, delegates it to a person of the unit: ủy quyền). EngineError for anyone else."""
    item = _item(session, actor, task_id, access.Action.REASSIGN_TASK)
    user = session.scalar(select(User).where(User.org_id == actor.org_id, User.login == login.strip().lower(),
                                             User.active.is_(True)))
    target = access.check_assignee(item, org.actor_for(session, user) if user is not None else None)
    if item.assignee_id == target.user_id:
        raise Conflict(f"Công việc này đã được giao cho {target.full_name}")
    if not _set_assignee(session, item, target.user_id):
        raise Conflict("Công việc này vừa thay đổi; hãy tải lại trang")
    delegation = item.role == roles.UNIT_HEAD
    audit.record(session, "delegate" if delegation else "reassign", actor.login, instance_id=item.instance_id,
                 org_id=item.org_id, task_id=task_id, summary=f"{item.name} — {target.full_name}",
                 payload={"assignee": target.login})
    return Person(target.user_id, target.login, target.full_name)


def candidates(session: Session, item: WorkItem) -> tuple[Person, ...]:
    """The active people a Trưởng phòng may give the step to (access.check_assignee's rule), by name."""
    grants = select(RoleGrant.user_id).join(Unit, Unit.id == RoleGrant.unit_id).where(Unit.code == item.unit_code)
    if item.role != roles.UNIT_HEAD:
        grants = grants.where(RoleGrant.role == item.role)
    own_unit = select(User.id).join(Unit, Unit.id == User.unit_id).where(Unit.code == item.unit_code)
    rows = session.execute(select(User.id, User.login, User.full_name).where(
        User.org_id == item.org_id, User.active.is_(True), User.id.in_(grants) | User.id.in_(own_unit))
        .order_by(User.full_name, User.login))
    return tuple(Person(*r) for r in rows)


def panel(session: Session, actor: Actor, item: WorkItem) -> ClaimPanel:
    """The claim panel of a step the actor may see (access decided by the caller)."""
    is_open = item.state == "READY" and item.instance.status == "running"
    mine_to_do = access.may_do_step(actor, item)
    head = access.is_unit_head(actor, item)
    assignee = person(session, item.assignee_id)
    mine = assignee is not None and assignee.id == actor.user_id
    return ClaimPanel(
        item.task_id, is_open, assignee, mine,
        may_claim=is_open and mine_to_do and not mine and (assignee is None or head),
        may_release=is_open and assignee is not None and (mine or head),
        may_reassign=is_open and head,
        candidates=candidates(session, item) if is_open and head else (),
        delegation=item.role == roles.UNIT_HEAD)


def delegated_items(session: Session, actor: Actor) -> list[worklist.WorklistRow]:
    """The open Trưởng phòng's steps delegated to the actor (ủy quyền) that their own grants do not bring to their
    worklist, by deadline (one index lookup on the assignee)."""
    items = session.scalars(select(WorkItem).options(joinedload(WorkItem.instance).defer(ProcessInstance.state))
                            .where(WorkItem.assignee_id == actor.user_id, WorkItem.state == "READY",
                                   WorkItem.org_id == actor.org_id, WorkItem.role == roles.UNIT_HEAD)
                            .order_by(WorkItem.due_at, WorkItem.id))
    return [worklist.row_of(i) for i in items if not actor.holds(i.role, i.unit_code)]


def assignees(session: Session, actor: Actor, task_ids: list[str]) -> dict[str, str]:
    """task id -> claimant's full name, for the open items of the actor's organisation among `task_ids` (for
    lists)."""
    if not task_ids:
        return {}
    rows = session.execute(select(WorkItem.task_id, User.full_name).join(User, User.id == WorkItem.assignee_id)
                           .where(WorkItem.org_id == actor.org_id, WorkItem.task_id.in_(task_ids)))
    return dict(rows.all())

