"""Who may do what: the one authorization policy of the engine. Service functions ask it; views and the CLI never
decide, so a rule changes here or nowhere.

The rule users expect:
- nobody sees anything of another organisation (it looks as if it did not exist: NotFound);
- the leadership (Giám đốc, who approves), the administrators and the CCHC focal unit of the organisation's plan
  (Văn phòng Sở, which watches the whole plan) see every instance of their organisation, read-only unless a step
  is theirs;
- the lead unit and every supporting unit of an instance see it (its data, history, diagram, evidence, exports);
- a step is done only by who holds its role for its unit; one who may do a step may claim it, and a claimed step
  is done (or released) only by its claimant or the unit's Trưởng phòng (unit_head), who can always take it
  over; an unclaimed step may be done by anyone who may do it (claiming says "I am on it", it is not required);
- a Trưởng phòng reassigns the steps of their unit to a person of the unit who holds the step's role, and
  delegates (ủy quyền) a step of their own (role unit_head, e.g. a unit review) to a person of the unit, who
  may then do that one step;
- a Trưởng phòng approves or returns the unit's contribution held for their review (process property
  unit_review);
- on a task page, who may do the step saves a draft of its form and attaches files to it, and the lead doing a
  consolidation sends one unit's contribution back; everyone who sees an instance comments on it and downloads
  its attachments;
- a process is started by its lead unit (or an administrator, or the system); only an administrator cancels.

An instance's parties (lead, supporting and approver units) are stored with it (`instance_unit`), so lists are
filtered in SQL, and the focal unit with the organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from . import roles
from .errors import EngineError, Forbidden, NotFound
from .models import InstanceUnit, Organisation, ProcessInstance, SavedFilter, WorkItem
from .org import Actor


class Action(StrEnum):
    """What an actor may ask to do."""

    VIEW_INSTANCE = "view_instance"  # the instance page, diagram, history, evidence, exports
    VIEW_TASK = "view_task"
    COMPLETE_TASK = "complete_task"
    CLAIM_TASK = "claim_task"
    RELEASE_TASK = "release_task"
    REASSIGN_TASK = "reassign_task"
    REVIEW_CONTRIBUTION = "review_contribution"  # approve or return a contribution held for the unit's review
    START = "start"
    CANCEL = "cancel"
    VIEW_UNIT_WORK = "view_unit_work"  # Việc của đơn vị: the open items of a unit
    SAVE_FILTER = "save_filter"
    DELETE_FILTER = "delete_filter"
    # The task page (engine.runtime.drafts, comments, attachments, contributions):
    SAVE_DRAFT = "save_draft"  # as completing: who may do the step
    ATTACH = "attach"  # as completing: who may do the step attaches files to it
    SEND_BACK = "send_back"  # as completing the consolidation: its lead sends one unit's contribution back
    COMMENT = "comment"  # as viewing: everyone who sees the instance takes part in its thread
    DOWNLOAD_ATTACHMENT = "download_attachment"  # as viewing the instance


LEAD, SUPPORTING, APPROVER = "lead", "supporting", "approver"


@dataclass(frozen=True)
class Parties:
    """Who takes part in an instance: its organisation, its units by part, and the organisation's focal unit."""

    org_id: int
    lead: str
    supporting: frozenset[str]
    approver: str | None
    focal: str | None

    @property
    def units(self) -> frozenset[str]:
        return frozenset({self.lead, *self.supporting, *([self.approver] if self.approver else [])})


def parties_of(session: Session, instance: ProcessInstance) -> Parties:
    """The parties of an instance (one query: its units and the organisation's focal unit)."""
    focal = (select(Organisation.focal_unit_code).where(Organisation.id == instance.org_id)).scalar_subquery()
    rows = session.execute(select(InstanceUnit.unit_code, InstanceUnit.part, focal)
                           .where(InstanceUnit.instance_id == instance.id)).all()
    if not rows:  # (an instance always has its lead unit's row; this is only a guard)
        return Parties(instance.org_id, instance.lead_unit_code, frozenset(), None,
                       session.scalar(select(Organisation.focal_unit_code).where(Organisation.id == instance.org_id)))
    supporting = frozenset(code for code, part, _ in rows if part == SUPPORTING)
    approver = next((code for code, part, _ in rows if part == APPROVER), None)
    return Parties(instance.org_id, instance.lead_unit_code, supporting, approver, rows[0][2])


def sees_everything(actor: Actor, focal: str | None) -> bool:
    """Leadership, administrators and the CCHC focal unit see every instance of their organisation."""
    return actor.has_role(roles.APPROVER) or actor.has_role(roles.ADMIN) or (focal is not None
                                                                               and focal in actor.unit_codes)


def may_view(actor: Actor, parties: Parties) -> bool:
    """May the actor see the instance (read-only at least)?"""
    if actor.org_id != parties.org_id:
        return False
    return sees_everything(actor, parties.focal) or bool(parties.units & actor.unit_codes)


def can_view_instance(session, actor: Actor, instance) -> bool:
    """may_view() of an instance (a row, or anything with its id, org_id and lead_unit_code; `session` may be a
    plain connection)."""
    if actor.org_id != instance.org_id:
        return False
    if instance.lead_unit_code in actor.unit_codes or actor.has_role(roles.APPROVER) or actor.has_role(roles.ADMIN):
        return True  # no query needed
    return may_view(actor, parties_of(session, instance))


def check_view_instance(session: Session, actor: Actor, instance: ProcessInstance | None) -> ProcessInstance:
    """The instance if the actor may see it; NotFound otherwise (one may not learn that it exists)."""
    if instance is None or not can_view_instance(session, actor, instance):
        raise NotFound("Không tìm thấy hồ sơ quy trình")
    return instance


def may_do_step(actor: Actor, item: WorkItem) -> bool:
    """May the actor complete (or claim) the step: they hold its role for its unit, or it is a Trưởng phòng's
    step delegated to them."""
    return actor.org_id == item.org_id and holds_step(actor, item)


def holds_step(actor: Actor, item) -> bool:
    """The actor holds the step's role for its unit, or the step is a Trưởng phòng's (unit_head) that was
    delegated to them, a person of the unit (its assignee). `item` may lack assignee_id (a light row)."""
    if actor.holds(item.role, item.unit_code):
        return True
    return (item.role == roles.UNIT_HEAD and getattr(item, "assignee_id", None) == actor.user_id
            and item.unit_code in actor.unit_codes)


def is_unit_head(actor: Actor, item) -> bool:
    """The actor is the Trưởng phòng of the step's unit."""
    return actor.holds(roles.UNIT_HEAD, item.unit_code)


CLAIMED_BY_OTHER = "Công việc này đã có người khác nhận; chỉ người nhận hoặc trưởng đơn vị được xử lý"


def check_step(session, actor: Actor, item, action: Action = Action.VIEW_TASK, instance=None):
    """The work item if the actor may `action` it: NotFound when they may not even see it, Forbidden when they
    see it (its instance) but the step is not theirs. `item` needs org_id, role and unit_code; `instance` (default:
    the item's) its id, org_id and lead_unit_code."""
    if item is None or item.org_id != actor.org_id:
        raise NotFound("Không tìm thấy công việc")
    mine = holds_step(actor, item)
    if not mine and not can_view_instance(session, actor, instance if instance is not None else item.instance):
        raise NotFound("Không tìm thấy công việc")
    if action in _DOER_ACTIONS and not mine:
        raise Forbidden("Bạn không có quyền thực hiện bước này (chỉ đơn vị và vai trò được giao)")
    if action in _CLAIM_BOUND_ACTIONS:
        # (the completion's lock row carries assignee_id: this check costs no statement)
        assignee = getattr(item, "assignee_id", None)
        if assignee is not None and assignee != actor.user_id and not is_unit_head(actor, item):
            raise Forbidden(CLAIMED_BY_OTHER)
    if action == Action.SEND_BACK and item.role != roles.LEAD_UNIT:
        raise Forbidden("Chỉ đơn vị chủ trì trả lại kết quả của đơn vị phối hợp")
    if action == Action.REASSIGN_TASK and not is_unit_head(actor, item):
        raise Forbidden("Chỉ trưởng đơn vị được giao lại công việc của đơn vị")
    return item


def check_assignee(item, target: Actor | None) -> Actor:
    """Whom a Trưởng phòng may give the step to: an active person of the same organisation who holds the step's
    role for its unit; for a Trưởng phòng's own step (ủy quyền), any person of the unit. EngineError otherwise."""
    if target is None or target.org_id != item.org_id or target.is_system:
        raise EngineError("Không tìm thấy người được giao trong đơn vị")
    if item.role == roles.UNIT_HEAD:
        if item.unit_code not in target.unit_codes:
            raise EngineError("Chỉ ủy quyền được cho người thuộc đơn vị")
    elif not target.holds(item.role, item.unit_code):
        raise EngineError("Người được giao không thuộc đơn vị hoặc không có vai trò thực hiện bước này")
    return target


# Who may do the step (holds its role for its unit) takes these; the claim-bound ones also wait for the claimant.
_DOER_ACTIONS = frozenset({Action.COMPLETE_TASK, Action.CLAIM_TASK, Action.RELEASE_TASK, Action.REVIEW_CONTRIBUTION,
                           Action.SAVE_DRAFT, Action.ATTACH, Action.SEND_BACK})
_CLAIM_BOUND_ACTIONS = frozenset({Action.COMPLETE_TASK, Action.RELEASE_TASK, Action.REVIEW_CONTRIBUTION,
                                  Action.SAVE_DRAFT, Action.SEND_BACK})


def check_instance_action(session: Session, actor: Actor, instance: ProcessInstance | None,
                          action: Action) -> ProcessInstance:
    """An action on an instance as a whole that everyone who may see it may take (COMMENT, DOWNLOAD_ATTACHMENT,
    VIEW_INSTANCE): the instance-view rule; NotFound otherwise."""
    if action not in (Action.VIEW_INSTANCE, Action.COMMENT, Action.DOWNLOAD_ATTACHMENT):
        raise ValueError(f"not an instance-wide action: {action}")
    return check_view_instance(session, actor, instance)


def may_start(actor: Actor, lead_unit: str) -> bool:
    """A process is started by its lead unit, an administrator, or the system (scheduler)."""
    return actor.holds(roles.LEAD_UNIT, lead_unit) or actor.has_role(roles.ADMIN) or actor.is_system


def check_start(actor: Actor, lead_unit: str) -> None:
    if not may_start(actor, lead_unit):
        raise Forbidden("Bạn chỉ có thể khởi tạo nhiệm vụ cho đơn vị mình chủ trì")


def units_to_start_for(actor: Actor, working_units: Iterable[str]) -> list[str]:
    """The working units the actor may start a process for (may_start's rule, for the start page's choice)."""
    return [unit for unit in working_units if may_start(actor, unit)]


def check_cancel(session: Session, actor: Actor, instance: ProcessInstance | None) -> ProcessInstance:
    """Only an administrator of the organisation cancels; who may not see the instance learns nothing."""
    instance = check_view_instance(session, actor, instance)
    if not actor.has_role(roles.ADMIN):
        raise Forbidden("Chỉ quản trị hệ thống được hủy quy trình")
    return instance


def visible_instances(session: Session, actor: Actor):
    """SQL condition: the instances of the actor's organisation the actor may see (for lists)."""
    focal = session.scalar(select(Organisation.focal_unit_code).where(Organisation.id == actor.org_id))
    own_org = ProcessInstance.org_id == actor.org_id
    if sees_everything(actor, focal):
        return own_org
    units = sorted(actor.unit_codes)
    return own_org & or_(ProcessInstance.lead_unit_code.in_(units), exists().where(
        InstanceUnit.instance_id == ProcessInstance.id, InstanceUnit.unit_code.in_(units)))


def record_parties(session: Session, instance: ProcessInstance, supporting: list[str], approver: str | None) -> None:
    """Store who takes part in a new instance (its lead unit, supporting units and approver unit)."""
    rows = [(instance.lead_unit_code, LEAD), *((u, SUPPORTING) for u in supporting if u != instance.lead_unit_code)]
    if approver:
        rows.append((approver, APPROVER))
    session.add_all(InstanceUnit(instance_id=instance.id, unit_code=code, part=part)
                    for code, part in dict.fromkeys(rows))


# --- worklists ---

def unit_work_units(actor: Actor, requested: str | None = None) -> list[str]:
    """The units whose open items Việc của đơn vị shows the actor: the units they belong to (their own unit and
    those they hold a role for), or the one `requested` of them; Forbidden for a unit they do not belong to."""
    units = sorted(actor.unit_codes - {""})
    if requested is None:
        return units
    if requested not in units:
        raise Forbidden("Bạn chỉ xem được công việc của đơn vị mình")
    return [requested]


def done_by(actor: Actor):
    """SQL condition: the work items of Việc đã làm, those the actor completed in their organisation (a login
    names one person only within its Sở)."""
    return (WorkItem.org_id == actor.org_id) & (WorkItem.completed_by == actor.login) & (
        WorkItem.state == "COMPLETED")


def unit_work(actor: Actor, requested: str | None = None):
    """SQL condition: the open work items of Việc của đơn vị (unit_work_units' units, whoever's role)."""
    return (WorkItem.org_id == actor.org_id) & (WorkItem.state == "READY") & (
        WorkItem.unit_code.in_(unit_work_units(actor, requested)))


def check_save_filter(actor: Actor) -> None:
    """A person (not the system actor) saves filters for themselves."""
    if actor.is_system:
        raise Forbidden("Chỉ người dùng lưu được bộ lọc")


def check_saved_filter(actor: Actor, saved: SavedFilter | None) -> SavedFilter:
    """The saved filter if it is the actor's; NotFound otherwise (another's filters do not exist for them)."""
    if saved is None or saved.user_id != actor.user_id or saved.org_id != actor.org_id:
        raise NotFound("Không tìm thấy bộ lọc (có thể đã bị xóa)")
    return saved
