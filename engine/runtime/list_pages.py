"""The filtered, sorted, paged lists: Việc của tôi, Việc của đơn vị, Việc đã làm (over `work_item`) and the
instance list (over `process_instance`). Each page is two SQL statements on the list's index (the rows of one
page, and their count), whatever the size of the table; the plan's areas come from the organisation's registry.

Who sees what is engine.core.access's rule: the base condition of each list is the policy's, and the filters
only narrow it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import and_, case, false, func, or_, select
from sqlalchemy.orm import Session, defer

from engine.core import access, clock, config, org, search_text
from engine.core.models import AuditEvent, ProcessInstance, User, WorkItem
from engine.core.org import Actor
from engine.planning import calendar, plans, registry, schedule
from engine.runtime import instances, worklist

# Set from the settings at start-up (config.apply): an open item due within this many working days is due soon.
DUE_SOON_WORKING_DAYS = config.DUE_SOON_WORKING_DAYS
PAGE_SIZE = 20

MINE, UNIT, DONE, INSTANCES = "mine", "unit", "done", "instances"
LISTS = (MINE, UNIT, DONE, INSTANCES)

# Deadline states one may filter on: the four of worklist.deadline_state and "due soon" (open and due within
# DUE_SOON_WORKING_DAYS working days; such an item is also "on time").
ON_TIME, DUE_SOON, OVERDUE, DONE_ON_TIME, DONE_LATE = "on_time", "due_soon", "overdue", "done_on_time", "done_late"
STATE_LABELS = {ON_TIME: worklist.ON_TIME, DUE_SOON: "Sắp đến hạn", OVERDUE: worklist.OVERDUE,
                DONE_ON_TIME: worklist.DONE_ON_TIME, DONE_LATE: worklist.DONE_LATE}
_STATES = {MINE: (ON_TIME, DUE_SOON, OVERDUE), UNIT: (ON_TIME, DUE_SOON, OVERDUE), DONE: (DONE_ON_TIME, DONE_LATE),
           INSTANCES: (ON_TIME, DUE_SOON, OVERDUE, DONE_ON_TIME, DONE_LATE)}
SORT_LABELS = {"due": "Hạn xử lý", "created": "Mới giao nhất", "name": "Tên (A–Z)", "done": "Mới hoàn thành nhất"}
_SORTS = {MINE: ("due", "created", "name"), UNIT: ("due", "created", "name"), DONE: ("done", "due", "name"),
          INSTANCES: ("created", "due", "name")}
FIELDS = ("q", "area", "duty", "period", "state", "unit", "due_from", "due_to", "sort")


@dataclass(frozen=True)
class ListFilter:
    """What a list is narrowed to and how it is ordered; "" (or None) is "any"."""

    q: str = ""
    area: str = ""
    duty: str = ""
    period: str = ""
    state: str = ""
    unit: str = ""
    due_from: date | None = None
    due_to: date | None = None
    sort: str = ""
    page: int = 1

    def query(self) -> dict[str, str]:
        """The filter as the query string of a link (dates dd/mm/yyyy; no page, no empty fields)."""
        values = {name: getattr(self, name) for name in FIELDS}
        for name in ("due_from", "due_to"):
            values[name] = values[name].strftime("%d/%m/%Y") if values[name] else ""
        return {k: v for k, v in values.items() if v}

    @property
    def narrowed(self) -> bool:
        return any(v for k, v in self.query().items() if k != "sort")


def parse_filter(list_name: str, args: Mapping[str, str]) -> tuple[ListFilter, list[str]]:
    """The filter of a list's query string, and a Vietnamese message for each value that cannot be used (that
    field is then left out, the others still apply)."""
    errors: list[str] = []

    def text(name: str, limit: int = 100) -> str:
        return str(args.get(name) or "").strip()[:limit]

    def day(name: str, label: str) -> date | None:
        value = text(name, 20)
        if not value:
            return None
        try:
            return datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError:
            errors.append(f"{label} «{value}» không hợp lệ: nhập ngày dạng dd/mm/yyyy, ví dụ 31/12/2026")
            return None

    state, sort = text("state"), text("sort")
    if state and state not in _STATES[list_name]:
        errors.append("Tình trạng hạn đã chọn không có trong danh sách này")
        state = ""
    if sort and sort not in _SORTS[list_name]:
        errors.append("Cách sắp xếp đã chọn không có trong danh sách này")
        sort = ""
    due_from, due_to = day("due_from", "Hạn từ ngày"), day("due_to", "Hạn đến ngày")
    if due_from and due_to and due_from > due_to:
        errors.append("Khoảng hạn không hợp lệ: «từ ngày» sau «đến ngày»")
        due_from = due_to = None
    page = text("page", 9)
    return ListFilter(q=text("q", 200), area=text("area"), duty=text("duty"), period=text("period", 20), state=state,
                      unit=text("unit", 40), due_from=due_from, due_to=due_to, sort=sort,
                      page=int(page) if page.isascii() and page.isdigit() and int(page) > 0 else 1), errors


@dataclass(frozen=True)
class Choices:
    """What the filter form offers: the plan's areas and duties, the periods, the units (code -> label)."""

    areas: dict[str, str]
    duties: dict[str, str]
    periods: tuple[str, ...]
    units: dict[str, str]
    states: dict[str, str]
    sorts: dict[str, str]


@dataclass(frozen=True)
class ItemRow:
    """A row of a work list: the work item's read model and what the lists add to it."""

    item: worklist.WorklistRow
    created_at: datetime
    duty_key: str
    area: str  # the plan's area (lĩnh vực) code of the duty, "" when the duty is not in the plan
    assignee: str | None  # who claimed it (full name), if anyone
    due_soon: bool
    returned: bool  # the approver sent the work back: this step redoes it
    return_comment: str


@dataclass(frozen=True)
class InstanceListRow:
    """A row of the instance list."""

    instance: instances.InstanceRow
    area: str
    due_soon: bool


@dataclass(frozen=True)
class UnitSummary:
    """The Trưởng phòng's overview of one unit's open items."""

    unit_code: str
    open: int
    overdue: int
    due_soon: int
    unassigned: int


@dataclass(frozen=True)
class ListPage:
    """One page of a list, with its filter, the total count and what the filter form offers."""

    list_name: str
    rows: tuple[Any, ...]
    total: int
    page: int
    pages: int
    filter: ListFilter
    errors: tuple[str, ...]
    choices: Choices
    summary: tuple[UnitSummary, ...] = ()
    page_size: int = PAGE_SIZE
    saved: tuple[Any, ...] = field(default=())

    @property
    def page_numbers(self) -> list[int]:
        """The page links to show: the first, the last and two either side of this one."""
        near = range(max(1, self.page - 2), min(self.pages, self.page + 2) + 1)
        return sorted({1, self.pages, *near}) if self.pages > 1 else []


def _soon_limit(today: date) -> datetime:
    """The end of the last working day that is still "due soon"."""
    last = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS) if DUE_SOON_WORKING_DAYS else today
    return clock.to_db(datetime.combine(last, time(23, 59, 59), clock.VN_TZ))


def _day_bounds(f: ListFilter) -> tuple[datetime | None, datetime | None]:
    start = clock.to_db(datetime.combine(f.due_from, time(0, 0), clock.VN_TZ)) if f.due_from else None
    end = clock.to_db(datetime.combine(f.due_to, time(23, 59, 59), clock.VN_TZ)) if f.due_to else None
    return start, end


def _like_words(column, q: str):
    """Every folded word of `q` in the folded column (LIKE, its wildcards escaped)."""
    terms = []
    for word in search_text.words(q):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        terms.append(column.like(f"%{escaped}%", escape="\\"))
    return terms


def _plan(session: Session, org_id: int) -> registry.Registry | None:
    plan = schedule.plan_for_org(session, org_id)
    return plans.registry_of(plan) if plan is not None else None


def _duty_filters(reg: registry.Registry | None, f: ListFilter) -> list:
    terms = []
    if f.area:
        keys = sorted(d.id for d in reg.duties if d.area == f.area) if reg else []
        terms.append(ProcessInstance.duty_key.in_(keys) if keys else false())
    if f.duty:
        terms.append(ProcessInstance.duty_key == f.duty)
    if f.period:
        terms.append(ProcessInstance.period == f.period)
    return terms


def _deadline_filter(state: str, due, closed, now: datetime, soon: datetime):
    """SQL for a deadline state of rows whose deadline is `due` and end `closed` (open or ended is the list's)."""
    return {
        ON_TIME: or_(due.is_(None), due > now),
        DUE_SOON: and_(due > now, due <= soon),
        OVERDUE: due <= now,
        DONE_ON_TIME: or_(due.is_(None), closed < due),
        DONE_LATE: closed >= due,
    }[state]


def _item_base(actor: Actor, list_name: str, unit: str):
    """The policy's rows of a work list: my open items (the roles and units I hold: worklist.open_items_of, the
    rule of access.may_do_step in SQL), my units' open items, or the items I completed."""
    if list_name == MINE:
        return worklist.open_items_of(actor, ("READY",))
    if list_name == UNIT:
        return access.unit_work(actor, unit or None)
    return access.done_by(actor)


_ITEM_ORDER = {
    "due": (WorkItem.due_at.is_(None), WorkItem.due_at, WorkItem.id),
    "created": (WorkItem.created_at.desc(), WorkItem.id.desc()),
    "name": (WorkItem.search_text, WorkItem.id),
    "done": (WorkItem.closed_at.desc(), WorkItem.id.desc()),
}


def work_page(session: Session, actor: Actor, list_name: str, args: Mapping[str, str]) -> ListPage:
    """One page of Việc của tôi (MINE), Việc của đơn vị (UNIT) or Việc đã làm (DONE), filtered by `args`
    (a query string: parse_filter). Forbidden for a unit the actor does not belong to (UNIT)."""
    f, errors = parse_filter(list_name, args)
    sort = f.sort or _SORTS[list_name][0]  # (the default stays out of the links)
    reg = _plan(session, actor.org_id)
    now, soon = clock.to_db(clock.now()), _soon_limit(clock.today_local())
    where = [_item_base(actor, list_name, f.unit), *_duty_filters(reg, f)]
    if f.unit and list_name != UNIT:
        where.append(WorkItem.unit_code == f.unit)
    if f.state:
        where.append(_deadline_filter(f.state, WorkItem.due_at, WorkItem.closed_at, now, soon))
    start, end = _day_bounds(f)
    if start is not None:
        where.append(WorkItem.due_at >= start)
    if end is not None:
        where.append(WorkItem.due_at <= end)
    where += _like_words(WorkItem.search_text, f.q)
    joined = select(func.count()).select_from(WorkItem).join(ProcessInstance,
                                                             ProcessInstance.id == WorkItem.instance_id)
    total = session.scalar(joined.where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    f = replace(f, page=min(f.page, pages))
    query = (select(*worklist.ROW_COLUMNS, WorkItem.created_at, ProcessInstance.duty_key, User.full_name)
             .join(ProcessInstance, ProcessInstance.id == WorkItem.instance_id)
             .outerjoin(User, User.id == WorkItem.assignee_id)
             .where(*where).order_by(*_ITEM_ORDER[sort]).limit(PAGE_SIZE).offset((f.page - 1) * PAGE_SIZE))
    found = session.execute(query).all()
    returns = _returns(session, [(r[0], r[3], r[11], r[18]) for r in found])
    areas = {d.id: d.area for d in reg.duties} if reg else {}
    rows = []
    for r in found:
        item = worklist.row_from(r[:18])
        due_soon = item.state == "READY" and item.due_at is not None and now < item.due_at <= soon
        comment = returns.get(item.id)
        rows.append(ItemRow(item, r[18], r[19], areas.get(r[19], ""), r[20], due_soon, comment is not None,
                            comment or ""))
    summary = _unit_summary(session, actor, f.unit, now, soon) if list_name == UNIT else ()
    return ListPage(list_name, tuple(rows), total, f.page, pages, f, tuple(errors),
                    _choices(session, actor, list_name, reg), tuple(summary))


def _returns(session: Session, items: list[tuple[int, str, int, datetime]]) -> dict[int, str]:
    """item id -> the approver's comment, for the items (id, task id, instance id, created at) that a return
    opened: the last step completed on their instance before they were opened was a return (audit "return")."""
    if not items:
        return {}
    events = session.execute(
        select(AuditEvent.instance_id, AuditEvent.at, AuditEvent.kind, AuditEvent.task_id, AuditEvent.payload)
        .where(AuditEvent.instance_id.in_(sorted({i[2] for i in items})),
               AuditEvent.kind.in_(("complete", "return")))
        .order_by(AuditEvent.at, AuditEvent.id)).all()
    found = {}
    for item_id, task_id, instance_id, created in items:
        before = [e for e in events if e[0] == instance_id and e[1] <= created and e[3] != task_id]
        if before and before[-1][2] == "return":
            try:
                data = json.loads(before[-1][4]).get("data") or {}
            except (ValueError, AttributeError):
                data = {}
            found[item_id] = str(data.get("comment") or "")
    return found


def _unit_summary(session: Session, actor: Actor, unit: str, now: datetime, soon: datetime) -> list[UnitSummary]:
    """Per unit of the list: open items, how many overdue, due soon, not claimed by anyone (one GROUP BY)."""
    due = WorkItem.due_at
    rows = session.execute(
        select(WorkItem.unit_code, func.count(),
               func.sum(case((due <= now, 1), else_=0)),
               func.sum(case((and_(due > now, due <= soon), 1), else_=0)),
               func.sum(case((WorkItem.assignee_id.is_(None), 1), else_=0)))
        .where(access.unit_work(actor, unit or None))
        .group_by(WorkItem.unit_code).order_by(WorkItem.unit_code)).all()
    return [UnitSummary(r[0], r[1], int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for r in rows]


def _choices(session: Session, actor: Actor, list_name: str, reg: registry.Registry | None) -> Choices:
    names = org.unit_names(session, actor.org_id)
    if list_name == UNIT:
        codes = access.unit_work_units(actor, None)
    elif list_name == MINE:
        codes = sorted({u for _, u in actor.grants})
    else:
        codes = list(org.working_units(session, actor.org_id))
    periods = session.scalars(select(ProcessInstance.period).distinct()
                              .where(ProcessInstance.org_id == actor.org_id).order_by(ProcessInstance.period.desc()))
    duties = reg.duties if reg else []
    return Choices(
        areas={code: label for code, label in registry.AREAS.items() if any(d.area == code for d in duties)},
        duties={d.id: f"{d.id} — {d.title}" for d in duties}, periods=tuple(periods),
        units={c: names.get(c, c) for c in codes}, states={s: STATE_LABELS[s] for s in _STATES[list_name]},
        sorts={s: SORT_LABELS[s] for s in _SORTS[list_name]})


_INSTANCE_ORDER = {
    "due": (ProcessInstance.due_at.is_(None), ProcessInstance.due_at, ProcessInstance.id),
    "created": (ProcessInstance.started_at.desc(), ProcessInstance.id.desc()),
    "name": (ProcessInstance.search_text, ProcessInstance.id),
}


def instance_page(session: Session, actor: Actor, args: Mapping[str, str]) -> ListPage:
    """One page of the instances the actor may see (access.visible_instances), filtered by `args`."""
    f, errors = parse_filter(INSTANCES, args)
    sort = f.sort or _SORTS[INSTANCES][0]
    reg = _plan(session, actor.org_id)
    now, soon = clock.to_db(clock.now()), _soon_limit(clock.today_local())
    where = [access.visible_instances(session, actor), *_duty_filters(reg, f)]
    if f.unit:
        where.append(ProcessInstance.lead_unit_code == f.unit)
    if f.state:
        running = f.state in (ON_TIME, DUE_SOON, OVERDUE)
        where += [ProcessInstance.status == ("running" if running else "completed"),
                  _deadline_filter(f.state, ProcessInstance.due_at, ProcessInstance.completed_at, now, soon)]
    start, end = _day_bounds(f)
    if start is not None:
        where.append(ProcessInstance.due_at >= start)
    if end is not None:
        where.append(ProcessInstance.due_at <= end)
    where += _like_words(ProcessInstance.search_text, f.q)
    total = session.scalar(select(func.count()).select_from(ProcessInstance).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    f = replace(f, page=min(f.page, pages))
    found = session.scalars(select(ProcessInstance).options(defer(ProcessInstance.state)).where(*where)
                            .order_by(*_INSTANCE_ORDER[sort]).limit(PAGE_SIZE).offset((f.page - 1) * PAGE_SIZE))
    areas = {d.id: d.area for d in reg.duties} if reg else {}
    rows = tuple(InstanceListRow(instances.InstanceRow.of(i), areas.get(i.duty_key, ""),
                                 i.status == "running" and i.due_at is not None and now < i.due_at <= soon)
                 for i in found)
    return ListPage(INSTANCES, rows, total, f.page, pages, f, tuple(errors), _choices(session, actor, INSTANCES, reg))
