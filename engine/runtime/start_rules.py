"""What a start by hand must satisfy, whichever way it is started (the start page's process form, the plan's duty
list, `cchc start`): a period year within the plan's years, a deadline within sane bounds and not already past
unless the user confirms a late start, and one instance per duty, unit and period (the refusal names the one
that exists)."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import clock, org
from engine.core.errors import AlreadyStarted, EngineError, LateStart
from engine.core.models import ProcessInstance

# The years a period may be started for, around today (the plan's years narrow it further).
YEARS_BEFORE, YEARS_AHEAD = 1, 2


def plan_years(years_text: str | None, today: date) -> range:
    """The years one may start a period for: those of the plan (its registry's `years`, "2021-2030", "2021"),
    and no further than a sane window around `today` (the year before … two years ahead), with or without a
    plan: a plan to 2030 does not make a 2030 period startable in 2026."""
    window = range(today.year - YEARS_BEFORE, today.year + YEARS_AHEAD + 1)
    found = [int(y) for y in re.findall(r"\d{4}", years_text or "")]
    if not found:
        return window
    return range(max(min(found), window.start), min(max(found) + 1, window.stop))


def check_year(year: int, years: range) -> None:
    """EngineError unless `year` is one of `years` (plan_years)."""
    if year not in years:
        if not years:
            raise EngineError(f"Không thể khởi tạo cho năm {year}: kế hoạch không còn năm nào đang thực hiện")
        raise EngineError(f"Kỳ {year} nằm ngoài thời gian có thể khởi tạo (từ năm {years.start} đến năm "
                          f"{years.stop - 1})")


def check_deadline(due: datetime, year: int, late: bool) -> None:
    """A deadline within the period's year −1 … +2 (no 1900, no 2099), and not past unless `late` (confirmed)."""
    day = due.astimezone(clock.VN_TZ).date()
    if not year - 1 <= day.year <= year + 2:
        raise EngineError(f"Hạn {day:%d/%m/%Y} không hợp lý cho kỳ {year} (từ năm {year - 1} đến năm {year + 2})")
    if due <= clock.now() and not late:
        raise LateStart(f"Hạn {day:%d/%m/%Y} đã qua: nhiệm vụ khởi tạo bây giờ sẽ quá hạn ngay. Nếu vẫn cần khởi "
                        "tạo, chọn “Khởi tạo muộn” để xác nhận.")


def is_late(due: datetime) -> bool:
    """Whether a deadline has already passed now."""
    return due <= clock.now()


def check_not_started(session: Session, org_id: int, duty_key: str, lead_unit: str, period: str) -> None:
    """AlreadyStarted (with the instance) if the duty has an instance for the unit and period."""
    found = session.execute(select(ProcessInstance.id, ProcessInstance.title).where(
        ProcessInstance.org_id == org_id, ProcessInstance.duty_key == duty_key,
        ProcessInstance.lead_unit_code == lead_unit, ProcessInstance.period == period)).first()
    if found is not None:
        raise already_started(session, org_id, lead_unit, period, found.id, found.title)


def already_started(session: Session, org_id: int, lead_unit: str, period: str, instance_id: int | None,
                    title: str | None) -> AlreadyStarted:
    """The refusal of a second instance, in Vietnamese with the unit's name (no internal codes)."""
    unit = org.unit_names(session, org_id).get(lead_unit, lead_unit)
    what = f"“{title}”" if title else "Nhiệm vụ này"
    return AlreadyStarted(f"{what} đã được khởi tạo cho {unit}, kỳ {period}: mở nhiệm vụ đã có thay vì khởi tạo "
                          "lần nữa.", instance_id)
