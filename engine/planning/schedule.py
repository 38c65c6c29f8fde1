"""The scheduler: opens one instance per duty × responsible unit × period when its window opens.

Idempotent (the instance table is unique on organisation, duty, unit and period) and catching up: every run looks
at all windows open today whose deadline is not before the plan's `active_from`, so days the worker was down are
made good on its next run. Run by the timer worker and by `cchc run-timers --once`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import access, clock, hooks
from engine.core.db import Database
from engine.core.errors import Conflict, EngineError, Forbidden, NotFound
from engine.core.models import Plan, ProcessInstance
from engine.core.org import Actor, system_actor
from engine.planning import calendar, deadlines, plans, registry
from engine.runtime import instances, start_rules

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opening:
    """One instance the scheduler opened (or would open)."""

    plan: str
    duty_id: str
    duty_name: str
    unit: str
    period: str
    opened_on: date
    due_at: datetime
    process: str
    opens_on: date  # when the window opened by the schedule (opened_on is later when caught up)
    instance_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"plan": self.plan, "duty": self.duty_id, "duty_name": self.duty_name, "unit": self.unit,
                "period": self.period, "opened_on": self.opened_on.isoformat(), "opens_on": self.opens_on.isoformat(),
                "due_at": self.due_at.isoformat(), "due_on": deadlines.last_day(self.due_at).isoformat(),
                "process": self.process, "instance_id": self.instance_id}


def instance_title(duty: registry.Duty, period: str) -> str:
    """`Xây dựng Kế hoạch kiểm soát TTHC năm 2027`, `… quý III/2027`; a one-off whose title names its year
    already ("Đánh giá … 05 năm 2021 - 2025") keeps it as it is."""
    if duty.schedule.recurrence == "once" and period[-4:] in duty.title:
        return duty.title
    return f"{duty.title} {deadlines.period_phrase(period)}"


def start_data(reg: registry.Registry, duty: registry.Duty, occurrence: deadlines.Occurrence,
               unit: str) -> tuple[dict[str, Any], list[str]]:
    """(start data, supporting units) of a duty opened for lead unit `unit`: the duty as the plan wrote it and its
    support units (without the lead), plus what the process's plug-in adds at start (engine.core.hooks), which may
    also decide the supporting units."""
    data: dict[str, Any] = {
        "plan_id": reg.plan_id, "duty_id": duty.id, "duty_name": duty.duty, "title": duty.title,
        "product": duty.product, "recipient": duty.recipient, "timing": duty.timing, "source": duty.source,
    }
    supporting = [u for u in duty.support_units if u != unit]
    hook = hooks.start_hook(duty.process)
    if hook is not None:
        added = hook(hooks.DutyOpening(reg, duty, occurrence.period, unit))
        data.update(added.data)
        if added.supporting_units is not None:
            supporting = list(added.supporting_units)
    return data, supporting


def due_openings(reg: registry.Registry, today: date,
                 active_from: date) -> list[tuple[registry.Duty, deadlines.Occurrence, str]]:
    """(duty, occurrence, lead unit) whose window is open on `today` and whose deadline is not before
    `active_from` — what should exist by today."""
    result = []
    for duty in reg.duties:
        if not duty.schedule.scheduled:
            continue
        for year in range(today.year - 1, today.year + 3):
            for occ in duty.schedule.occurrences(year):
                if occ.opens_on <= today and occ.due_on >= active_from:
                    result.extend((duty, occ, unit) for unit in duty.lead_units)
    return result


def run(db: Database, now: datetime | None = None, plan_keys: set[str] | None = None) -> list[Opening]:
    """Open every due instance of the loaded plans (all, or those in `plan_keys`); one transaction per instance.
    Returns what was opened."""
    now = now or clock.now()
    today = now.astimezone(clock.VN_TZ).date()
    with db.session() as s:
        loaded = [(p.plan_key, p.org_id, clock.from_db(p.active_from), plans.registry_of(p)) for p in plans.plans(s)
                  if plan_keys is None or p.plan_key in plan_keys]
    opened: list[Opening] = []
    for plan_key, org_id, active_from, reg in loaded:
        with db.session() as s:
            existing = set(s.execute(select(ProcessInstance.duty_key, ProcessInstance.lead_unit_code,
                                            ProcessInstance.period).where(ProcessInstance.org_id == org_id)))
        for duty, occ, unit in due_openings(reg, today, active_from.astimezone(clock.VN_TZ).date()):
            if (duty.id, unit, occ.period.label) in existing:
                continue
            try:
                with db.session() as s:
                    data, supporting = start_data(reg, duty, occ, unit)
                    instance = instances.start_instance(
                        s, system_actor(org_id), duty.process, lead_unit=unit, period=occ.period.label,
                        supporting_units=supporting, approver_unit=duty.approver,
                        due_at=occ.due_at, data=data, duty_key=duty.id, title=instance_title(duty, occ.period.label),
            started_late=start_rules.is_late(occ.due_at))
                    instance_id = instance.id
            except Conflict:
                continue  # another worker opened it first
            except EngineError as exc:
                log.error("plan %s duty %s (%s, %s) not opened: %s", plan_key, duty.id, unit, occ.period.label, exc)
                continue
            opened.append(Opening(plan_key, duty.id, duty.title, unit, occ.period.label, today, occ.due_at,
                                  duty.process, occ.opens_on, instance_id))
    return opened


def preview(reg: registry.Registry, year: int) -> list[Opening]:
    """Every opening whose window opens in `year`, computed from the registry alone (no database)."""
    rows = []
    for duty in reg.duties:
        for y in (year, year + 1, year + 2):
            for occ in duty.schedule.occurrences(y):
                if occ.opens_on.year == year:
                    rows.extend(Opening(reg.plan_id, duty.id, duty.title, unit, occ.period.label, occ.opens_on,
                                        occ.due_at, duty.process, occ.opens_on) for unit in duty.lead_units)
    return sorted(rows, key=lambda o: (o.opened_on, o.duty_id, o.unit))


def startable(reg: registry.Registry, actor: Actor, today: date) -> list[dict[str, Any]]:
    """See service.startable_duties."""
    rows = []
    for duty in reg.duties:
        for unit in duty.lead_units:
            if not access.may_start(actor, unit):  # the rule start_instance applies
                continue
            periods = [o.period.label for y in (today.year, today.year + 1) for o in duty.schedule.occurrences(y)
                       if o.due_on >= today]
            if duty.schedule.scheduled and not periods:
                continue  # a one-off duty whose date has passed: nothing left to open
            rows.append({"duty": duty, "unit": unit, "periods": periods[:4]})
    rows.sort(key=lambda r: (r["duty"].schedule.scheduled, r["duty"].id))  # on-event duties first
    return rows


DEFAULT_EVENT_WORKING_DAYS = 10  # an on-event duty whose registry row names no deadline


def start_duty(db: Database, actor: Actor, duty_id: str, lead_unit: str, period: str | None = None,
               again: bool = False, late: bool = False) -> ProcessInstance:
    """Start one duty of the actor's plan by hand (see service.start_duty); a period whose deadline has passed
    only when `late` confirms it (start_rules)."""
    with db.session() as s:
        plan = plan_for_org(s, actor.org_id)
        if plan is None:
            raise NotFound("Tổ chức của bạn chưa nạp kế hoạch nào")
        reg = plans.registry_of(plan)
    try:
        duty = reg.duty(duty_id)
    except KeyError:
        raise NotFound(f"Kế hoạch không có nhiệm vụ '{duty_id}'") from None
    if lead_unit not in duty.lead_units:
        leads = ", ".join(reg.unit_name(u) for u in duty.lead_units)
        raise Forbidden(f"Nhiệm vụ {duty.id} do {leads} chủ trì, không phải {reg.unit_name(lead_unit)}")
    today = clock.today_local()
    if duty.schedule.scheduled:
        candidates = [o for y in (today.year - 1, today.year, today.year + 1) for o in duty.schedule.occurrences(y)]
        occ = next((o for o in candidates if o.period.label == period), None)
        if occ is None:
            labels = ", ".join(o.period.label for o in candidates)
            raise EngineError(f"Kỳ '{period}' không có trong lịch của nhiệm vụ {duty.id} (các kỳ: {labels})")
        start_rules.check_deadline(occ.due_at, occ.period.year, late)
    else:
        days = duty.schedule.within_working_days or DEFAULT_EVENT_WORKING_DAYS
        label = _event_label(db, actor.org_id, duty.id, lead_unit, today)
        if label != today.strftime("%d/%m/%Y") and not again:
            # Most likely a second click; a second document of the same day must be said so explicitly.
            raise Conflict(f"Hôm nay đã khởi tạo nhiệm vụ {duty.id} cho {reg.unit_name(lead_unit)}. Nếu đây là "
                           "một lần phát sinh khác (văn bản mới khác), chọn 'Thêm lần phát sinh trong ngày'.")
        last = calendar.add_working_days(today, days)
        period_obj = deadlines.Period(label, today.year, 0, today, last)
        occ = deadlines.Occurrence(period_obj, today, last, deadlines.deadline_instant(last))
    with db.session() as s:
        data, supporting = start_data(reg, duty, occ, lead_unit)
        return instances.start_instance(
            s, actor, duty.process, lead_unit=lead_unit, period=occ.period.label,
            supporting_units=supporting, approver_unit=duty.approver,
            due_at=occ.due_at, data=data, duty_key=duty.id, title=instance_title(duty, occ.period.label),
            started_late=start_rules.is_late(occ.due_at))


def _event_label(db: Database, org_id: int, duty_id: str, unit: str, day: date) -> str:
    """`01/02/2027` for the day's first event of a duty, then `01/02/2027 (2)`, `(3)`… (two new legal documents
    can arrive the same day)."""
    base = day.strftime("%d/%m/%Y")
    with db.session() as s:
        taken = set(s.scalars(select(ProcessInstance.period).where(
            ProcessInstance.org_id == org_id, ProcessInstance.duty_key == duty_id,
            ProcessInstance.lead_unit_code == unit, ProcessInstance.period.like(f"{base}%"))))
    if base not in taken:
        return base
    return next(f"{base} ({n})" for n in range(2, 1000) if f"{base} ({n})" not in taken)


def plan_for_org(session: Session, org_id: int) -> Plan | None:
    return session.scalar(select(Plan).where(Plan.org_id == org_id))
