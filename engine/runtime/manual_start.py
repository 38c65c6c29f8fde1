"""Starting a process by hand, for a unit and a year: the checks the web's start page and `cchc start` share.

(Plan duties are started by the scheduler, or by hand through engine.planning.schedule.start_duty.)
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from sqlalchemy.orm import Session

from engine.core import access, clock, org
from engine.core.errors import EngineError
from engine.core.models import ProcessInstance
from engine.core.org import Actor
from engine.planning import plans, registry, schedule
from engine.runtime import forms, instances, start_rules
from engine.runtime.deploy import latest_definition
from engine.runtime.sandbox.execution import ScriptFailed, check_data

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def parse_period(text: str) -> str:
    """The period of a process started by hand: a year such as 2026."""
    text = (text or "").strip()
    if not (text.isdigit() and len(text) == 4):
        raise EngineError("Kỳ phải là năm, ví dụ 2026")
    return text


def parse_due(text: str | None) -> datetime | None:
    """A deadline typed as dd/mm/yyyy (00:00 Việt Nam time that day); None when left empty."""
    if not (text or "").strip():
        return None
    day = forms.parse_vn_date(text.strip())
    if day is None:
        raise EngineError("Hạn không hợp lệ (nhập dd/mm/yyyy)")
    return datetime.combine(day, time(0, 0), clock.VN_TZ)


def check_start_data(data: Any) -> dict[str, Any]:
    """Extra start data (operators' scripts): an object of task data whose names are plain identifiers."""
    if not isinstance(data, dict):
        raise EngineError("Dữ liệu khởi tạo phải là một đối tượng JSON, ví dụ {\"max_returns\": 2}")
    bad = [k for k in data if not (isinstance(k, str) and _NAME.match(k))]
    if bad:
        raise EngineError(f"Tên dữ liệu không hợp lệ: {', '.join(map(str, bad[:5]))} (chữ cái, chữ số, '_'; "
                          "không bắt đầu bằng '_')")
    try:
        check_data(data, "the start data")
    except ScriptFailed as exc:
        raise EngineError(f"Dữ liệu khởi tạo không hợp lệ: {exc}") from None
    return data


def start(session: Session, actor: Actor, process_key: str, lead_unit: str, period: str,
          supporting_units: list[str], due_text: str | None = None,
          data: dict[str, Any] | None = None, late: bool = False) -> ProcessInstance:
    """Start the latest version of `process_key` for `lead_unit` and a year, with the chosen supporting units
    (working units of the organisation, not the lead) and an optional deadline typed dd/mm/yyyy.

    The year must be one of the plan's years; the deadline (typed, or the process's default) within sane bounds
    and not past unless `late` confirms a late start. When the plan has exactly one duty run by this process
    for this unit and year, the instance is that duty's: the duty list and this form refuse a second one alike."""
    access.check_start(actor, lead_unit)  # who may start for the unit, before anything about what they typed
    period = parse_period(period)
    year = int(period)
    reg = _registry(session, actor.org_id)
    start_rules.check_year(year, start_rules.plan_years(reg.years if reg else None, clock.today_local()))
    due = parse_due(due_text)
    candidates = org.working_units(session, actor.org_id)
    unknown = [u for u in supporting_units if u not in candidates]
    if unknown:
        raise EngineError(f"Đơn vị phối hợp không hợp lệ: {', '.join(unknown)}")
    definition = latest_definition(session, process_key)
    if due is None and definition is not None:
        due = instances.default_due(definition, year)
    if due is not None:
        start_rules.check_deadline(due, year, late)
    duty = _the_duty(reg, process_key, lead_unit, period)
    return instances.start_instance(session, actor, process_key, lead_unit=lead_unit, period=period,
                                    supporting_units=list(dict.fromkeys(supporting_units)), due_at=due,
                                    data=check_start_data(data) if data is not None else None,
                                    duty_key=duty.id if duty else None,
                                    title=schedule.instance_title(duty, period) if duty else None,
                                    started_late=due is not None and start_rules.is_late(due))


def _registry(session: Session, org_id: int) -> registry.Registry | None:
    plan = schedule.plan_for_org(session, org_id)
    return plans.registry_of(plan) if plan is not None else None


def _the_duty(reg: registry.Registry | None, process_key: str, lead_unit: str, period: str) -> registry.Duty | None:
    """The one scheduled duty of the plan this start is (same process, lead unit and period); None if none or
    several (a process several duties run is started as itself)."""
    if reg is None:
        return None
    found = [d for d in reg.duties if d.process == process_key and lead_unit in d.lead_units
             and d.schedule.scheduled and any(o.period.label == period
                                              for o in d.schedule.occurrences(int(period)))]
    return found[0] if len(found) == 1 else None
