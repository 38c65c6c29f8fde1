"""Việt Nam working days: Monday–Friday, less public holidays (Tết included, from the `holidays` package),
plus the days off and make-up working days (ngày làm bù) the Government announces each year, configured in
processes/calendar.yaml.

Deadline rule: a deadline that falls on a weekend or holiday moves to the next working day (Điều 148 Bộ luật
Dân sự 2015: a period whose last day is a day off ends on the next working day); a plan may choose `previous`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import holidays
import yaml

from engine.core.config import PROCESSES_DIR

CONFIG_FILE = PROCESSES_DIR / "calendar.yaml"


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=[year - 1, year, year + 1], language="vi")


class _Config:
    extra_days_off: dict[date, str] = {}
    make_up_days: dict[date, str] = {}
    loaded = False


def _parse_days(rows, key: str) -> dict[date, str]:
    days: dict[date, str] = {}
    for row in rows or []:
        try:
            days[datetime.strptime(str(row["date"]), "%d/%m/%Y").date()] = str(row.get("name", ""))
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{CONFIG_FILE.name}: {key}: mỗi dòng cần 'date: DD/MM/YYYY' ({row!r})") from None
    return days


def configure(days_off: dict[date, str] | None = None, make_up_days: dict[date, str] | None = None) -> None:
    """Replace the configured extra days off and make-up working days (tests; or a reload of the file)."""
    _Config.extra_days_off = dict(days_off or {})
    _Config.make_up_days = dict(make_up_days or {})
    _Config.loaded = True


def load_config(path: Path = CONFIG_FILE) -> None:
    """Read processes/calendar.yaml (days_off, make_up_working_days); a missing file means none."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    doc = doc or {}
    configure(_parse_days(doc.get("days_off"), "days_off"),
              _parse_days(doc.get("make_up_working_days"), "make_up_working_days"))


def _config() -> type[_Config]:
    if not _Config.loaded:
        load_config()
    return _Config


def holiday_name(day: date) -> str | None:
    """The public holiday or configured day off on `day`, if any (Vietnamese name)."""
    cfg = _config()
    if day in cfg.extra_days_off:
        return cfg.extra_days_off[day]
    return _holidays(day.year).get(day)


def is_holiday(day: date) -> bool:
    return holiday_name(day) is not None


def is_working_day(day: date) -> bool:
    """Mon–Fri that is not a holiday, or a configured make-up working day (even a Saturday)."""
    if day in _config().make_up_days:
        return True
    return day.weekday() < 5 and not is_holiday(day)


def adjust_to_working_day(day: date, rule: str = "next") -> date:
    """`day` if it is a working day, else the next (rule 'next') or previous ('previous') working day."""
    step = timedelta(days=1 if rule == "next" else -1)
    while not is_working_day(day):
        day += step
    return day


def _step_working_days(day: date, count: int, step: int) -> date:
    current, remaining = day, count
    while remaining > 0:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def subtract_working_days(day: date, count: int) -> date:
    """The date `count` working days before `day` (exclusive of `day`)."""
    return _step_working_days(day, count, -1)


def add_working_days(day: date, count: int) -> date:
    """The date `count` working days after `day` (exclusive of `day`)."""
    return _step_working_days(day, count, 1)
