"""Starting a process by hand, for a unit and a year: the checks the web's start page and `cchc start` share.

(Plan duties are started by the scheduler, or by hand through engine.planning.schedule.start_duty.)
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from sqlalchemy.orm import Session

from engine.core import clock, org
from engine.core.errors import EngineError
from engine.core.models import ProcessInstance
from engine.core.org import Actor
from engine.runtime import forms, instances
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
          data: dict[str, Any] | None = None) -> ProcessInstance:
    """Start the latest version of `process_key` for `lead_unit` and a year, with the chosen supporting units
    (working units of the organisation, not the lead) and an optional deadline typed dd/mm/yyyy."""
    period = parse_period(period)
    due = parse_due(due_text)
    candidates = org.working_units(session, actor.org_id)
    unknown = [u for u in supporting_units if u not in candidates]
    if unknown:
        raise EngineError(f"Đơn vị phối hợp không hợp lệ: {', '.join(unknown)}")
    return instances.start_instance(session, actor, process_key, lead_unit=lead_unit, period=period,
                                    supporting_units=list(dict.fromkeys(supporting_units)), due_at=due,
                                    data=check_start_data(data) if data is not None else None)
