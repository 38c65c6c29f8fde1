"""Recurrences, periods and deadline rules of duties (grammar in processes/plans/README.md).

A duty's schedule turns a year into periods (`2027`, `H1/2027`, `Q3/2027`, `05/2027`), each with the day its
window opens and its deadline. A deadline `D` is the last day for the work (due at the end of D, Việt Nam time);
`before D` ("trước ngày D") makes the day before D the last day (due at 00:00 of D). A last day that falls on a
weekend or holiday moves by the plan's holiday rule: the next working day by default (Điều 148 Bộ luật Dân sự).
"""

from __future__ import annotations

import calendar as _stdcal
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from engine.core import clock
from engine.planning import calendar

RECURRENCES = ("annual", "semiannual", "quarterly", "monthly", "continuous", "once", "on_event")
REPORT_RECURRENCES = ("annual", "semiannual", "quarterly", "monthly")
PERIODS_PER_YEAR = {"annual": 1, "semiannual": 2, "quarterly": 4, "monthly": 12}
HOLIDAY_RULES = ("next", "previous")
DEFAULT_OPENS_BEFORE_DAYS = 30

RECURRENCE_LABELS = {
    "annual": "Hằng năm", "semiannual": "6 tháng", "quarterly": "Hằng quý", "monthly": "Hằng tháng",
    "continuous": "Thường xuyên", "once": "Một lần", "on_event": "Khi phát sinh",
}


class DeadlineError(ValueError):
    """A deadline, opening or recurrence that does not parse; the message says what was expected."""


@dataclass(frozen=True)
class DayMonth:
    """`DD/MM` in a period's year, shifted by `year_offset` (`Y+1`, `Y-1`)."""

    day: int
    month: int
    year_offset: int = 0

    def in_year(self, year: int) -> date:
        y = year + self.year_offset
        return date(y, self.month, min(self.day, _stdcal.monthrange(y, self.month)[1]))

    @property
    def text(self) -> str:
        suffix = f" Y{self.year_offset:+d}" if self.year_offset else ""
        return f"{self.day:02d}/{self.month:02d}{suffix}"


@dataclass(frozen=True)
class Period:
    label: str  # 2027, H1/2027, Q3/2027, 05/2027
    year: int
    index: int  # 0-based within the year
    start: date
    end: date


@dataclass(frozen=True)
class Occurrence:
    period: Period
    opens_on: date
    due_on: date  # the last day (after the holiday rule)
    due_at: datetime  # the deadline instant, Việt Nam time


@dataclass(frozen=True)
class Schedule:
    """When a duty's instances open and are due."""

    recurrence: str
    report: str  # the period kind: the recurrence, or a continuous duty's report recurrence
    deadline_text: str
    opens_text: str
    holiday_rule: str = "next"
    before: bool = False  # `before D`: the last day is the day before D
    dates: tuple[DayMonth, ...] = ()  # one per period of the year (annual/semiannual/quarterly)
    month_day: tuple[int, int] | None = None  # monthly: (day, month offset)
    once_on: date | None = None
    opens_dates: tuple[DayMonth, ...] = ()
    opens_before_days: int = DEFAULT_OPENS_BEFORE_DAYS
    within_working_days: int | None = None  # on_event

    @property
    def scheduled(self) -> bool:
        """Whether the scheduler opens instances (on_event duties are started by hand)."""
        return self.recurrence != "on_event"

    def periods(self, year: int) -> list[Period]:
        """The periods of `year` (a once duty has its one period in the deadline's year only)."""
        if self.recurrence == "on_event":
            return []
        if self.recurrence == "once":
            assert self.once_on is not None
            if self.once_on.year != year:
                return []
            return [Period(str(year), year, 0, date(year, 1, 1), date(year, 12, 31))]
        count = PERIODS_PER_YEAR[self.report]
        months = 12 // count
        result = []
        for i in range(count):
            start = date(year, i * months + 1, 1)
            end_month = (i + 1) * months
            end = date(year, end_month, _stdcal.monthrange(year, end_month)[1])
            label = {1: f"{year}", 2: f"H{i + 1}/{year}", 4: f"Q{i + 1}/{year}", 12: f"{i + 1:02d}/{year}"}[count]
            result.append(Period(label, year, i, start, end))
        return result

    def raw_due(self, period: Period) -> date:
        if self.once_on is not None:
            return self.once_on
        if self.month_day is not None:
            day, offset = self.month_day
            month_index = period.start.month - 1 + offset
            y, m = period.year + month_index // 12, month_index % 12 + 1
            return date(y, m, min(day, _stdcal.monthrange(y, m)[1]))
        return self.dates[period.index].in_year(period.year)

    def due_on(self, period: Period) -> date:
        """The last day of `period`'s work, moved off weekends and holidays by the holiday rule."""
        last = self.raw_due(period) - timedelta(days=1 if self.before else 0)
        return calendar.adjust_to_working_day(last, self.holiday_rule)

    def due_at(self, period: Period) -> datetime:
        """The deadline instant: 00:00 after the last day for `before D`, else 23:59:59 of the last day (so lists
        read "trước 15/01/2027" or "31/12/2026" as the plan wrote it)."""
        return deadline_instant(self.due_on(period), self.before)

    def opens_on(self, period: Period) -> date:
        if self.opens_dates:
            return self.opens_dates[min(period.index, len(self.opens_dates) - 1)].in_year(period.year)
        return self.raw_due(period) - timedelta(days=self.opens_before_days)

    def occurrences(self, year: int) -> list[Occurrence]:
        return [Occurrence(p, self.opens_on(p), self.due_on(p), self.due_at(p)) for p in self.periods(year)]


def deadline_instant(last_day: date, before: bool = False) -> datetime:
    """When work due on `last_day` becomes late, Việt Nam time."""
    if before:
        return datetime.combine(last_day + timedelta(days=1), time(0, 0), clock.VN_TZ)
    return datetime.combine(last_day, time(23, 59, 59), clock.VN_TZ)


_DAY_MONTH = re.compile(r"(\d{1,2})/(\d{1,2})(?:\s*Y\s*([+-]\s*\d))?")


def parse_day_month(text: str) -> DayMonth:
    """`15/01`, `31/12 Y-1`, `15/01 Y+1` -> DayMonth (29/02 is refused: not every year has it)."""
    text = str(text).strip()
    match = _DAY_MONTH.fullmatch(text)
    if not match:
        raise DeadlineError(f"ngày '{text}' phải có dạng DD/MM hoặc DD/MM Y+1 / Y-1")
    day, month = int(match[1]), int(match[2])
    offset = int(match[3].replace(" ", "")) if match[3] else 0
    try:
        date(2027, month, day)  # a non-leap year: 29/02 would silently vanish in three years of four
    except ValueError:
        raise DeadlineError(f"ngày '{text}' không tồn tại") from None
    return DayMonth(day, month, offset)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_schedule(recurrence: str, deadline: str, opens: str = "", report: str = "",
                   opens_before_days: int = DEFAULT_OPENS_BEFORE_DAYS, holiday_rule: str = "next") -> Schedule:
    """Validate a duty's recurrence, deadline and opening; raises DeadlineError with a Vietnamese message."""
    if recurrence not in RECURRENCES:
        raise DeadlineError(f"chu kỳ '{recurrence}' không hợp lệ ({', '.join(RECURRENCES)})")
    if recurrence == "continuous":
        if report not in REPORT_RECURRENCES:
            raise DeadlineError(f"nhiệm vụ thường xuyên cần 'report' là một trong {', '.join(REPORT_RECURRENCES)}")
    elif report:
        raise DeadlineError("'report' chỉ dùng cho nhiệm vụ thường xuyên (continuous)")
    kind = report if recurrence == "continuous" else recurrence
    before = deadline.startswith("before ")
    deadline = deadline.removeprefix("before ").strip()
    base = dict(before=before, recurrence=recurrence, report=kind, opens_text=opens, holiday_rule=holiday_rule,
                deadline_text=("before " if before else "") + deadline, opens_before_days=opens_before_days)

    if recurrence == "on_event":
        base["before"] = False
        if not deadline:
            return Schedule(**base)
        match = re.fullmatch(r"(\d{1,3}) working days", deadline)
        if not match:
            raise DeadlineError(f"hạn '{deadline}' của nhiệm vụ phát sinh phải có dạng 'N working days'")
        return Schedule(**base, within_working_days=int(match[1]))
    if not deadline:
        raise DeadlineError("thiếu hạn (deadline)")

    opens_match = re.fullmatch(r"(\d{1,3}) days before", opens) if opens else None
    if opens_match:
        base["opens_before_days"] = int(opens_match[1])
    if recurrence == "once":
        try:
            day = date(*reversed([int(x) for x in deadline.split("/")]))  # DD/MM/YYYY
        except (TypeError, ValueError):
            raise DeadlineError(f"hạn '{deadline}' của nhiệm vụ một lần phải có dạng DD/MM/YYYY") from None
        if opens and not opens_match:
            try:
                opened = date(*reversed([int(x) for x in opens.split("/")]))
            except (TypeError, ValueError):
                raise DeadlineError(f"ngày mở '{opens}' phải có dạng DD/MM/YYYY hoặc 'N days before'") from None
            base["opens_before_days"] = max((day - opened).days, 0)
        return Schedule(**base, once_on=day)

    opens_dates: tuple[DayMonth, ...] = ()
    if opens and not opens_match:
        opens_dates = tuple(parse_day_month(p) for p in _split(opens))
        if len(opens_dates) not in (1, PERIODS_PER_YEAR[kind]):
            raise DeadlineError(f"ngày mở '{opens}': cần 1 hoặc {PERIODS_PER_YEAR[kind]} ngày")
    if kind == "monthly":
        match = re.fullmatch(r"(\d{1,2})(?:\s*M\s*\+\s*(\d))?", deadline)
        if not match or not 1 <= int(match[1]) <= 31:
            raise DeadlineError(f"hạn hằng tháng '{deadline}' phải có dạng DD hoặc DD M+1")
        return Schedule(**base, month_day=(int(match[1]), int(match[2] or 0)), opens_dates=opens_dates)
    dates = tuple(parse_day_month(p) for p in _split(deadline))
    if len(dates) != PERIODS_PER_YEAR[kind]:
        raise DeadlineError(f"hạn '{deadline}': chu kỳ {kind} cần {PERIODS_PER_YEAR[kind]} ngày, có {len(dates)}")
    return Schedule(**base, dates=dates, opens_dates=opens_dates)


def period_phrase(label: str) -> str:
    """`2027` -> `năm 2027`, `H1/2027` -> `6 tháng đầu năm 2027`, `Q3/2027` -> `quý III/2027`,
    `05/2027` -> `tháng 05/2027`."""
    if re.fullmatch(r"\d{4}", label):
        return f"năm {label}"
    event = re.fullmatch(r"(\d{2}/\d{2}/\d{4})(?: \((\d+)\))?", label)
    if event:  # an on-event duty, started the day its event happened
        return f"ngày {event[1]}" + (f" (lần {event[2]})" if event[2] else "")
    if label.startswith("H"):
        return f"6 tháng {'đầu' if label[1] == '1' else 'cuối'} năm {label[3:]}"
    if label.startswith("Q"):
        return f"quý {['I', 'II', 'III', 'IV'][int(label[1]) - 1]}/{label[3:]}"
    return f"tháng {label}"


def last_day(due_at: datetime) -> date:
    """The last day for work due at `due_at` (00:00 means the day before), Việt Nam time."""
    local = due_at.astimezone(clock.VN_TZ)
    if local.time() == time(0, 0):
        return local.date() - timedelta(days=1)
    return local.date()


def due_phrase(due_at: datetime) -> str:
    """`trước 15/01/2027` for a deadline at 00:00 (late from that day), else the last day `31/12/2026`."""
    local = due_at.astimezone(clock.VN_TZ)
    if local.time() == time(0, 0):
        return "trước " + local.strftime("%d/%m/%Y")
    return local.strftime("%d/%m/%Y")
