"""SQLAlchemy tables. Datetimes are naive UTC (see clock.to_db)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Organisation(Base):
    """One Sở Y tế (a tenant); a database may hold several."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(100))
    # The unit that watches the whole CCHC plan (the plan's `cchc_focal` function): it sees every instance.
    focal_unit_code: Mapped[str | None] = mapped_column(String(40))
    units: Mapped[list[Unit]] = relationship(back_populates="organisation", order_by="Unit.sort_order")


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("org_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="department")  # leadership/department/affiliated
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    organisation: Mapped[Organisation] = relationship(back_populates="units")


class User(Base):
    """A person of one organisation; logins are unique within it (each Sở names its own accounts)."""

    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("org_id", "login", name="uq_user_org_login"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    login: Mapped[str] = mapped_column(String(80))
    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login session's id: raising it (logout) ends every session issued before, server-side.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    unit: Mapped[Unit] = relationship()
    grants: Mapped[list[RoleGrant]] = relationship(back_populates="user", cascade="all, delete-orphan")


class RoleGrant(Base):
    """User holds `role` for `unit` (lead_unit, supporting_unit, approver; admin/modeller org-wide)."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    role: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[Unit] = relationship()


class Plan(Base):
    """A loaded duty registry (one CCHC plan); the scheduler opens instances from its duties."""

    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_key: Mapped[str] = mapped_column(String(40), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    province: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    registry_json: Mapped[str] = mapped_column(Text)  # the validated registry, as loaded
    active_from: Mapped[datetime]  # duties whose deadline is earlier are not opened (no backlog on load)
    loaded_at: Mapped[datetime]
    organisation: Mapped[Organisation] = relationship()


class ProcessDefinition(Base):
    """One deployed version of a BPMN process; the parsed spec is stored once here."""

    __tablename__ = "process_definition"
    __table_args__ = (UniqueConstraint("process_key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))  # of the BPMN file and its forms: the version's identity
    # The heavy columns load only when asked for: the runtime reads them once per version (engine.runtime.definitions).
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    meta_json: Mapped[str] = mapped_column(Text, deferred=True)  # form keys, lanes, process properties
    forms_json: Mapped[str] = mapped_column(Text, deferred=True, default="{}", server_default="{}")
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str] = mapped_column(String(80))


class ProcessInstance(Base):
    __tablename__ = "process_instance"
    __table_args__ = (
        UniqueConstraint("org_id", "duty_key", "lead_unit_code", "period", name="uq_instance_duty_unit_period"),
        Index("ix_instance_next_timer", "next_timer_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"))
    process_key: Mapped[str] = mapped_column(String(100))
    duty_key: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(400))
    lead_unit_code: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running/completed/cancelled
    state: Mapped[str] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(10))
    due_at: Mapped[datetime | None]
    next_timer_at: Mapped[datetime | None]
    started_at: Mapped[datetime]
    started_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    lock_version: Mapped[int] = mapped_column(Integer, default=0)
    # --- worklist filters (0010): the title folded for search (engine.core.search_text) ---
    search_text: Mapped[str | None] = mapped_column(Text)
    definition: Mapped[ProcessDefinition] = relationship()


class WorkItem(Base):
    """A READY user task mirrored for worklists (and kept after it closes, for history)."""

    __tablename__ = "work_item"
    # Worklists ask for one organisation's open items of a few (role, unit) pairs: the index starts there, so a
    # worklist costs what the user's own items cost, not the size of the table.
    __table_args__ = (
        Index("ix_work_item_worklist", "org_id", "state", "role", "unit_code"),
        # --- worklist filters (0010): Việc của đơn vị (a unit's open items, whoever's role) and Việc đã làm
        # (what one login completed, newest first) are index lookups too.
        Index("ix_work_item_unit", "org_id", "state", "unit_code"),
        Index("ix_work_item_done", "org_id", "completed_by", "closed_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    task_id: Mapped[str] = mapped_column(String(36), unique=True)
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(40))
    unit_code: Mapped[str] = mapped_column(String(40))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    form_key: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="READY")  # READY/COMPLETED/CANCELLED
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(80))
    # --- worklist filters (0010): step name and duty title, folded for search (engine.core.search_text) ---
    search_text: Mapped[str | None] = mapped_column(Text)
    instance: Mapped[ProcessInstance] = relationship()


class InstanceUnit(Base):
    """A unit taking part in an instance, and how: lead, supporting or approver (engine.core.access)."""

    __tablename__ = "instance_unit"
    __table_args__ = (Index("ix_instance_unit_unit", "unit_code", "instance_id"),)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    part: Mapped[str] = mapped_column(String(20), primary_key=True)


class Timer(Base):
    """An armed BPMN timer, mirrored so the worker and dashboards need not load workflows."""

    __tablename__ = "timer"
    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    fire_at: Mapped[datetime]


class AuditEvent(Base):
    """Append-only history: deploy, start, complete, return, timer fired, cancel."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    summary: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[str] = mapped_column(Text, default="{}")


class Evidence(Base):
    """A piece of evidence (tài liệu kiểm chứng) for one criterion of an index self-assessment instance: an
    uploaded file (content stored here) or a link. Never deleted; withdrawing hides it from coverage and export."""

    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_instance_criterion", "instance_id", "criterion_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    criterion_code: Mapped[str] = mapped_column(String(20))
    unit_code: Mapped[str] = mapped_column(String(40))
    batch: Mapped[int | None] = mapped_column(Integer)  # 1, 2, 3 … during a collection batch; None = ad hoc
    kind: Mapped[str] = mapped_column(String(10))  # file / link
    title: Mapped[str] = mapped_column(String(500))
    filename: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(deferred=True)  # LargeBinary; loaded only when downloaded
    url: Mapped[str | None] = mapped_column(String(2000))
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[datetime]
    withdrawn: Mapped[bool] = mapped_column(default=False)


# --- worklist filters (0010) ---------------------------------------------------------------------------------------

class SavedFilter(Base):
    """A user's named filter of one list (Việc của tôi, của đơn vị, đã làm, hồ sơ): its query string."""

    __tablename__ = "saved_filter"
    __table_args__ = (UniqueConstraint("user_id", "list_name", "name", name="uq_saved_filter_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    list_name: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(Text)  # the filter's fields as JSON
    created_at: Mapped[datetime]


# --- The unit's manager: a Trưởng phòng's review of a contribution (engine.runtime.unit_review) ---

class UnitReview(Base):
    """A supporting unit's submitted contribution held for its Trưởng phòng (process property unit_review):
    the contribution's BPMN task stays READY and is completed with `data` only on approval; a return sends the
    task back to who submitted it, with the comment. Kept after the decision, for history."""

    __tablename__ = "unit_review"
    __table_args__ = (Index("ix_unit_review_item", "work_item_id", "state"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    work_item_id: Mapped[int] = mapped_column(ForeignKey("work_item.id"))  # the contribution
    review_task_id: Mapped[str] = mapped_column(String(36), unique=True)  # the Trưởng phòng's work item
    unit_code: Mapped[str] = mapped_column(String(40))
    data: Mapped[str] = mapped_column(Text)  # JSON: the submitted form data
    submitted_by: Mapped[str] = mapped_column(String(80))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    submitted_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(20), default="pending")  # pending/approved/returned
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None]
    comment: Mapped[str] = mapped_column(Text, default="")


# Steps given to a person (claims, ủy quyền): "delegated to me" is answered by an index lookup, not a scan.
Index("ix_work_item_assignee", WorkItem.assignee_id, WorkItem.state)


# --- The task page: drafts, comments, attachments, contributions sent back (migration 0009_task_page) ---------------

class TaskDraft(Base):
    """What was typed into a task's form and saved without completing it (one per task; the last save wins)."""

    __tablename__ = "task_draft"
    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    values_json: Mapped[str] = mapped_column(Text)  # {field: the string typed}
    saved_by: Mapped[str] = mapped_column(String(80))
    saved_by_name: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime]


class InstanceComment(Base):
    """A comment in an instance's thread (plain text; never edited)."""

    __tablename__ = "instance_comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))  # the task page it was written on, if any
    author: Mapped[str] = mapped_column(String(80))
    author_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class Attachment(Base):
    """A file attached to a task (content checked by engine.runtime.uploads, stored here, loaded only to
    download)."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_by_name: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime]


class ContributionRework(Base):
    """One unit's contribution the lead sent back for revision (engine.runtime.contributions): open until the unit
    answers; the answer replaces that unit's contribution in the consolidation's data."""

    __tablename__ = "contribution_rework"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    consolidation_task_id: Mapped[str] = mapped_column(String(36))
    contribution_task_id: Mapped[str] = mapped_column(String(36), index=True)
    unit_code: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(80))
    requested_by_name: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime]
    answered_by: Mapped[str | None] = mapped_column(String(80))
    answered_at: Mapped[datetime | None]
