"""One clock for the whole app.

SpiffWorkflow's timer module reads `datetime.now()` directly; we replace the `datetime` name in that module
with a subclass whose `now()` asks our clock, so moving the clock in tests moves BPMN timers too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import SpiffWorkflow.bpmn.specs.event_definitions.timer as _spiff_timer

VN_TZ = timezone(timedelta(hours=7), "ICT")  # Việt Nam has no daylight saving time.


class Clock:
    """The real time, as an aware UTC datetime."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock(Clock):
    """A clock tests move by hand (`set`, `advance`)."""

    def __init__(self, start: datetime):
        self._now = _aware(start)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = _aware(when)

    def advance(self, delta: timedelta) -> None:
        self._now = self._now + delta


_current: Clock = Clock()


def now() -> datetime:
    """Current time (aware, UTC) from the installed clock."""
    return _current.now()


def install(clock: Clock) -> Clock:
    """Make `clock` the app's clock; returns the previous one so callers can restore it."""
    global _current
    previous, _current = _current, clock
    return previous


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value.astimezone(UTC)


def to_db(value: datetime | None) -> datetime | None:
    """Datetimes are stored as naive UTC so SQLite and PostgreSQL compare them the same way."""
    if value is None:
        return None
    return _aware(value).replace(tzinfo=None)


def from_db(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


def local(value: datetime) -> datetime:
    """The same instant in Việt Nam time."""
    return _aware(value).astimezone(VN_TZ)


def today_local() -> date:
    return local(now()).date()


class _ClockDatetime(datetime):
    @classmethod
    def now(cls, tz=None):  # noqa: D102 - mirrors datetime.now
        current = _current.now()
        if tz is None:
            return datetime.fromtimestamp(current.timestamp())
        return current.astimezone(tz)


_spiff_timer.datetime = _ClockDatetime
