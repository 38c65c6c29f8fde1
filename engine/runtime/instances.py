"""Process instances: start, lock, load, save (with work items and timers), cancel."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from typing import Any, ClassVar, NamedTuple

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer, object_session

from engine.core import access, audit, clock, search_text
from engine.core.db import as_loaded, keep_in_step, set_loaded
from engine.core.errors import AlreadyStarted, Conflict, EngineError, NotFound
from engine.core.models import ProcessDefinition, ProcessInstance, WorkItem
from engine.core.org import Actor, unit_by_code, unit_name
from engine.planning import calendar, deadlines
from engine.runtime import definitions, start_rules, state_cache, timers, worklist
from engine.runtime.deploy import latest_definition
from engine.runtime.script_engine import ENGINE
from engine.runtime.serializer import SERIALIZER_VERSION, restore, state_document

DEFAULT_APPROVER_UNIT = "BGD"
DEFAULT_MAX_RETURNS = 3

def meta(definition: ProcessDefinition) -> dict[str, Any]:
    """What deploy learnt about a definition's version (user tasks, lanes, properties)."""
    return definitions.of(object_session(definition), definition).meta


def default_due(definition: ProcessDefinition, year: int) -> datetime | None:
    """Deadline of an instance started without one, from the process properties `deadline` (`DD/MM` = the last
    day, `before DD/MM` = the day before is the last; the registries' grammar) and `deadline_year_offset`."""
    props = meta(definition)["properties"]
    text = (props.get("deadline") or "").strip()
    if not text:
        return None
    before = text.startswith("before ")
    day = deadlines.parse_day_month(text.removeprefix("before ").strip())
    last = day.in_year(year + int(props.get("deadline_year_offset", "0"))) - timedelta(days=1 if before else 0)
    return deadlines.deadline_instant(calendar.adjust_to_working_day(last), before)


def start_instance(session: Session, actor: Actor, process_key: str, *, lead_unit: str, period: str,
                   supporting_units: list[str] | None = None, approver_unit: str = DEFAULT_APPROVER_UNIT,
                   due_at: datetime | None = None, data: dict[str, Any] | None = None,
                   duty_key: str | None = None, title: str | None = None,
                   started_late: bool = False) -> ProcessInstance:
    """Start one instance of the latest version of `process_key` for a unit and period, and run it to its
    first wait state. Raises AlreadyStarted (a Conflict, with the instance) if the duty already has an instance
    for that unit and period. `started_late`: a start by hand confirmed after its deadline (the history says so)."""
    access.check_start(actor, lead_unit)
    definition = latest_definition(session, process_key)
    if definition is None:
        raise NotFound(f"Quy trình '{process_key}' chưa được triển khai")
    org_id = actor.org_id
    for code in [lead_unit, approver_unit, *(supporting_units or [])]:
        if unit_by_code(session, org_id, code) is None:
            raise EngineError(f"Không có đơn vị '{code}' trong tổ chức")
    duty_key = duty_key or process_key
    start_rules.check_not_started(session, org_id, duty_key, lead_unit, period)
    years = re.findall(r"\d{4}", period)
    if not years or len(period) > 20:
        raise EngineError(f"Kỳ '{period}' không hợp lệ (ví dụ: 2026, H1/2026, Q3/2026)")
    year = int(years[-1])
    due_at = due_at or default_due(definition, year)
    if due_at is None:  # every shipped process times its reminder and escalation from the deadline
        raise EngineError(f"Quy trình '{definition.name}' không có hạn mặc định: hãy nhập hạn (dd/mm/yyyy)")
    initial: dict[str, Any] = {
        "period": period, "year": year, "lead_unit": lead_unit, "approver_unit": approver_unit,
        "supporting_units": [u for u in (supporting_units or []) if u != lead_unit],
        "return_count": 0, "max_returns": DEFAULT_MAX_RETURNS,
    }
    if started_late:
        initial["started_late"] = True
    if due_at is not None:
        initial["due_at"] = due_at.astimezone(clock.VN_TZ).isoformat()
        days = int(meta(definition)["properties"].get("reminder_working_days", "5"))
        remind_day = calendar.subtract_working_days(due_at.astimezone(clock.VN_TZ).date(), days)
        initial["reminder_at"] = datetime.combine(remind_day, time(8, 0), clock.VN_TZ).isoformat()
    initial.update(data or {})
    version = definitions.of(session, definition)
    workflow = BpmnWorkflow(version.spec, version.subprocess_specs, script_engine=ENGINE)
    workflow.task_tree.data.update(initial)
    try:
        fired, after = advance(workflow)
    except SpiffWorkflowException as exc:  # a script or expression failed on this data: nothing is stored
        raise EngineError(f"Không khởi tạo được quy trình '{definition.name}': {str(exc).splitlines()[0]}") from None
    now = clock.to_db(clock.now())
    instance = ProcessInstance(
        org_id=org_id, definition_id=definition.id, process_key=process_key, duty_key=duty_key,
        title=title or f"{definition.name} — {period}", lead_unit_code=lead_unit, period=period,
        search_text=search_text.fold(title or f"{definition.name} — {period}"),
        status="running", state="{}", serializer_version=SERIALIZER_VERSION, due_at=clock.to_db(due_at),
        started_at=now, started_by=actor.login, updated_at=now,
    )
    session.add(instance)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # Another request started the same duty, unit and period between our check and our insert.
        # (No query here: the session is not usable until the caller's rollback; `key` lets the service find the
        # winner's instance afterwards, for the link.)
        raise AlreadyStarted(f"Nhiệm vụ này vừa được khởi tạo cho kỳ {period} bởi một yêu cầu khác cùng lúc: xem "
                             "danh sách nhiệm vụ thay vì khởi tạo lần nữa.", None,
                             key=(org_id, duty_key, lead_unit, period)) from None
    access.record_parties(session, instance, initial["supporting_units"], approver_unit)
    audit.record(session, "start", actor.login, instance_id=instance.id, org_id=org_id,
                 summary=f"{definition.name} (phiên bản {definition.version}) — chủ trì: "
                 f"{unit_name(session, org_id, lead_unit)}, kỳ {period}"
                 + (f" — khởi tạo muộn, sau hạn {due_at.astimezone(clock.VN_TZ):%d/%m/%Y}" if started_late else ""),
                 payload={"initial": initial})
    audit_timers(session, instance, fired, " — do khởi tạo muộn, sau hạn" if started_late else "")
    save(session, instance, workflow, version, Mirror.EMPTY, after)
    return instance


def advance(workflow: BpmnWorkflow, max_rounds: int = 100) -> tuple[dict[str, tuple[str, str]], Mirror]:
    """Run engine steps and due timers until only user tasks and future timers remain; returns the timers
    that fired (task id -> (bpmn id, name)) and the mirror of the workflow as it is left (for save()).

    do_engine_steps() ends by refreshing timers, which can leave a just-fired timer READY; loop so it runs."""
    before = timers.fired_timers(workflow)
    for _ in range(max_rounds):
        workflow.refresh_timers()
        workflow.do_engine_steps()
        after, engine_ready = Mirror.scan(workflow)
        if not engine_ready:
            break
    return {k: v for k, v in timers.fired_timers(workflow).items() if k not in before}, after


def audit_timers(session: Session, instance: ProcessInstance, fired: dict[str, tuple[str, str]],
                 note: str = "") -> None:
    """One event per fired timer; its summary is the timer's name as the diagram shows it (the BPMN id, which
    people never see, is in the payload; an unnamed timer has only the note), and `note` says why it fired at
    once (e.g. a late start)."""
    for task_id, (bpmn_id, name) in fired.items():
        label = name if name != bpmn_id else ""
        audit.record(session, "timer_fired", "system", instance_id=instance.id, org_id=instance.org_id,
                     task_id=task_id, summary=label + note if label else note.removeprefix(" — "),
                     payload={"bpmn_id": bpmn_id})


def lock(session: Session, instance_id: int) -> ProcessInstance:
    """Lock the instance row before anything else in the transaction, and read it in the same statement.

    An UPDATE is the first statement: on PostgreSQL it takes the row lock, on SQLite the database write lock,
    so a second writer waits here and then sees the first one's committed result."""
    found = _lock_where(session, ProcessInstance.id == instance_id)
    if found is None:
        raise NotFound("Không tìm thấy hồ sơ quy trình")
    return found


class Locked(NamedTuple):
    """What lock_task() read: the instance's and the work item's columns (as attributes) and the digest of the
    instance's version."""

    instance: SimpleNamespace
    item: SimpleNamespace
    digest: str


def lock_task(session: Session, task_id: str) -> Locked | None:
    """Lock the instance a work item belongs to, found by the item's task id, and read the instance, the item
    and the version's digest in the same statement (None if there is no such item).

    The lock is the transaction's first statement, as lock()'s: on PostgreSQL SELECT … FOR UPDATE takes the
    rows' locks (a second writer waits, then reads the first one's committed rows); on SQLite the transaction
    began with the database write lock (BEGIN IMMEDIATE). save() counts lock_version up, as lock() does. The
    columns come as plain attributes (as_object() makes the instance's an ORM object); objects of
    these rows the session already holds are refreshed, as lock() refreshes them."""
    row = session.connection().execute(_LOCK_TASK, {"task_id": task_id}).first()
    if row is None:
        return None
    values = row._mapping
    item = {name: values[f"item_{name}"] for name in _ITEM_COLUMNS}
    instance = {name: values[name] for name in _INSTANCE_COLUMNS}
    keep_in_step(session, ProcessInstance, instance["id"], instance)
    keep_in_step(session, WorkItem, item["id"], item)
    return Locked(SimpleNamespace(**instance), SimpleNamespace(**item), values["digest"])


def as_object(session: Session, instance: SimpleNamespace) -> ProcessInstance:
    """The persistent instance object of what lock_task() read (no query)."""
    return as_loaded(session, ProcessInstance, vars(instance))


def _lock_where(session: Session, condition) -> ProcessInstance | None:
    statement = (update(ProcessInstance).where(condition).values(lock_version=ProcessInstance.lock_version + 1)
                 .returning(ProcessInstance))
    return session.scalars(statement, execution_options=_LOCK_OPTIONS).first()


_LOCK_OPTIONS = {"populate_existing": True, "synchronize_session": False}
_INSTANCE, _ITEM, _DEFINITION = ProcessInstance.__table__, WorkItem.__table__, ProcessDefinition.__table__
_INSTANCE_COLUMNS, _ITEM_COLUMNS = tuple(c.key for c in _INSTANCE.c), tuple(c.key for c in _ITEM.c)
# Built once, on the tables (Core): every completion starts with it (the ORM's loading costs several times the
# statement). PostgreSQL locks the rows in the order of OF: the instance first, as every writer of an instance
# does (lock(), the worker), so a completion never holds an item while waiting for its instance; the item is
# locked too, so a completion that waited reads it as the one before left it.
_LOCK_TASK = (select(*(c.label(f"item_{c.key}") for c in _ITEM.c), *_INSTANCE.c, _DEFINITION.c.sha256.label("digest"))
              .select_from(_ITEM).join(_INSTANCE, _INSTANCE.c.id == _ITEM.c.instance_id)
              .join(_DEFINITION, _DEFINITION.c.id == _INSTANCE.c.definition_id)
              .where(_ITEM.c.task_id == bindparam("task_id")).with_for_update(of=[_INSTANCE, _ITEM]))


def version_of(instance: ProcessInstance) -> definitions.Version:
    """The deployed version an instance runs on."""
    return definitions.of_instance(object_session(instance), instance)


def load(instance: ProcessInstance | SimpleNamespace, version: definitions.Version | None = None) -> BpmnWorkflow:
    """The instance's workflow (of its object, or with `version` of what lock_task() read), restored on its
    version's specs (deserialized once per version)."""
    version = version or version_of(instance)
    return restore(instance.state, version.spec, version.subprocess_specs)


def load_for_step(instance: ProcessInstance | SimpleNamespace,
                  version: definitions.Version) -> tuple[BpmnWorkflow, Mirror]:
    """The workflow a step will change (the instance read under its lock) and its mirror: as the last step in
    this process left it if its state document is still that one (engine.runtime.state_cache), else restored.
    The step owns it: save() hands it back to the cache when the transaction commits."""
    entry = state_cache.CACHE.take(instance.id, version.digest, instance.state)
    if entry is not None:
        return entry.workflow, entry.mirror
    workflow = load(instance, version)
    return workflow, Mirror.of(workflow)


@dataclass(frozen=True)
class Mirror:
    """What `work_item` and `timer` hold for an instance: its READY user tasks and its armed timers. Taken when
    a workflow is loaded, it lets save() write only what changed."""

    ready: frozenset[str]
    armed: tuple[tuple[str, str, str, datetime], ...]

    EMPTY: ClassVar[Mirror]

    def without(self, task_id: str) -> Mirror:
        """The mirror less a work item the caller closes itself."""
        return Mirror(self.ready - {task_id}, self.armed)

    @classmethod
    def of(cls, workflow: BpmnWorkflow, running: bool = True) -> Mirror:
        """The READY user tasks, and the armed timers if the instance is running."""
        found = cls.scan(workflow)[0]
        return found if running else cls(found.ready, ())

    @classmethod
    def scan(cls, workflow: BpmnWorkflow) -> tuple[Mirror, bool]:
        """One walk of the task tree for READY and WAITING tasks: the mirror, and whether an engine task (not a
        user task) is READY."""
        ready, armed, engine_ready = [], [], False
        for task in ready_or_waiting(workflow):
            if task.state == TaskState.READY:
                if task.task_spec.manual:
                    ready.append(str(task.id))
                else:
                    engine_ready = True
            else:
                timer = timers.armed_timer(task)
                if timer is not None:
                    armed.append(timer)
        return cls(frozenset(ready), tuple(armed)), engine_ready


Mirror.EMPTY = Mirror(frozenset(), ())

_MAX_DEPTH = 1000  # SpiffWorkflow's TaskIterator default


def ready_or_waiting(workflow: BpmnWorkflow) -> list:
    """The READY and WAITING tasks, as workflow.get_tasks(state=READY | WAITING) finds them: the same walk from
    the root (into the children of a task at least FUTURE, into every subprocess, to the same depth), without
    the iterator's bookkeeping, which cost more than the rest of a step's mirroring (tests/test_completion_path.py
    compares the two along the shipped processes)."""
    found = []
    subprocesses = workflow.subprocesses  # every subprocess of the instance, nested ones too
    stack = [(workflow.task_tree, 0)]
    while stack:
        task, depth = stack.pop()
        state = task.state
        if state & (TaskState.READY | TaskState.WAITING):
            found.append(task)
        subprocess = subprocesses.get(task.id)
        if depth >= _MAX_DEPTH or (subprocess is None and state < TaskState.FUTURE):
            continue
        below = task.children
        if subprocess is not None:  # (the iterator's test for a finished one, state >= FINISHED_MASK, never holds)
            below = [subprocess.task_tree, *below]
        stack.extend((child, depth + 1) for child in reversed(below))
    return found

def _save_statement(columns: tuple[str, ...]):
    return (update(_INSTANCE).where(_INSTANCE.c.id == bindparam("instance_id"))
            .values({**{c: bindparam(c) for c in columns},
                     "lock_version": _INSTANCE.c.lock_version + bindparam("count_lock")}))


_STEP_COLUMNS = ("state", "serializer_version", "updated_at", "status", "completed_at")
# By whether next_timer_at changes: it is indexed, and setting it, even to its value, rewrites its index entry.
_SAVE = {False: _save_statement(_STEP_COLUMNS), True: _save_statement((*_STEP_COLUMNS, "next_timer_at"))}


def save(session: Session, instance: ProcessInstance | SimpleNamespace, workflow: BpmnWorkflow,
         version: definitions.Version, before: Mirror, after: Mirror | None = None, *,
         locked_by_select: bool = False) -> None:
    """Persist the state and mirror work items and timers (what changed since `before` to `after`, the mirror
    of the workflow as it is now: advance() returns it; else it is taken here), in the caller's transaction.
    The instance (its object, or what lock_task() read: `locked_by_select`, so lock_version is counted up here)
    is written in one UPDATE of the columns a step changes; its object is kept as written, and anything else
    the caller changed on it is flushed as usual."""
    now = clock.to_db(clock.now())
    document = state_document(workflow)
    values = {"state": document, "serializer_version": SERIALIZER_VERSION, "updated_at": now,
              "status": instance.status, "completed_at": instance.completed_at}
    ended = workflow.is_completed() and instance.status == "running"
    if ended:
        values.update(status="completed", completed_at=now)
    if after is None:
        after = Mirror.of(workflow)
    if values["status"] != "running":
        after = Mirror(after.ready, ())  # an ended instance has no timers
    next_timer_at = clock.to_db(min(t[3] for t in after.armed)) if after.armed else None
    if next_timer_at != instance.next_timer_at:
        values["next_timer_at"] = next_timer_at
    session.connection().execute(_SAVE["next_timer_at" in values],
                                 {"instance_id": instance.id, "count_lock": int(locked_by_select), **values})
    if locked_by_select:
        values["lock_version"] = instance.lock_version + 1
    if isinstance(instance, ProcessInstance):
        set_loaded(instance, values)
    else:
        vars(instance).update(values)
        keep_in_step(session, ProcessInstance, instance.id, values)
    if ended:
        audit.record(session, "instance_completed", "system", instance_id=instance.id, org_id=instance.org_id,
                     summary="Quy trình đã kết thúc")
    timers.sync(session, instance, before.armed, after.armed)
    worklist.sync(session, instance, workflow, version.meta, before.ready, after.ready)
    session.flush()
    if values["status"] == "running":
        state_cache.CACHE.keep_after_commit(session, instance.id,
                                            state_cache.Entry(version.digest, document, workflow, after))


def cancel(session: Session, actor: Actor, instance_id: int, reason: str) -> ProcessInstance:
    """Cancel a running instance (administrators only): its open work items are closed and its timers disarmed.
    Who may not see the instance gets NotFound, before any other refusal."""
    instance = access.check_cancel(session, actor, lock(session, instance_id))
    if instance.status != "running":
        raise Conflict("Quy trình không còn đang chạy")
    version = version_of(instance)
    workflow, before = load_for_step(instance, version)
    workflow.cancel()
    instance.status = "cancelled"
    instance.completed_at = clock.to_db(clock.now())
    audit.record(session, "cancel", actor.login, instance_id=instance.id, org_id=instance.org_id,
                 summary=reason or "Hủy quy trình")
    save(session, instance, workflow, version, before)
    from engine.runtime import unit_review  # (it locks through this module)

    unit_review.withdraw(session, instance.id)  # the BPMN knows nothing of held contributions
    return instance


def get(session: Session, instance_id: int) -> ProcessInstance:
    instance = session.get(ProcessInstance, instance_id)
    if instance is None:
        raise NotFound("Không tìm thấy hồ sơ quy trình")
    return instance


@dataclass(frozen=True)
class InstanceRow:
    """An instance as lists show it (the read model of the instances page, the CLI and test steps)."""

    id: int
    org_id: int
    process_key: str
    duty_key: str
    title: str
    lead_unit_code: str
    period: str
    status: str  # running / completed / cancelled
    due_at: datetime | None
    started_at: datetime
    started_by: str
    completed_at: datetime | None
    next_timer_at: datetime | None
    deadline_state: str  # one of the four (worklist.deadline_state), "" when cancelled

    @classmethod
    def of(cls, instance: ProcessInstance) -> InstanceRow:
        return cls(instance.id, instance.org_id, instance.process_key, instance.duty_key, instance.title,
                   instance.lead_unit_code, instance.period, instance.status, instance.due_at, instance.started_at,
                   instance.started_by, instance.completed_at, instance.next_timer_at,
                   worklist.instance_status(instance))


def visible_instances(session: Session, actor: Actor) -> list[InstanceRow]:
    """The instances of the actor's organisation the actor may see, newest first (one query)."""
    return [InstanceRow.of(i) for i in session.scalars(
        select(ProcessInstance).options(defer(ProcessInstance.state)).where(access.visible_instances(session, actor))
        .order_by(ProcessInstance.started_at.desc(), ProcessInstance.id.desc()))]


def list_instances(session: Session, org_id: int | None = None) -> list[ProcessInstance]:
    # A list never needs the state documents; leaving them out keeps it a light query.
    query = (select(ProcessInstance).options(defer(ProcessInstance.state))
             .order_by(ProcessInstance.started_at.desc(), ProcessInstance.id.desc()))
    if org_id is not None:
        query = query.where(ProcessInstance.org_id == org_id)
    return list(session.scalars(query))



def diagram_states(workflow: BpmnWorkflow) -> dict[str, str]:
    """bpmn id -> 'active' (waiting for a person or a timer) or 'completed', for highlighting the diagram."""
    states: dict[str, str] = {}
    for task in workflow.tasks.values():
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if not bpmn_id:
            continue
        if task.state in (TaskState.READY, TaskState.WAITING, TaskState.STARTED):
            states[bpmn_id] = "active"
        elif task.state == TaskState.COMPLETED:
            states.setdefault(bpmn_id, "completed")
    return states
