"""Fast-forward a plan through a year on a throw-away database and report what opened when.

Two ways to get the throw-away database:
- a copy of the working SQLite database (`simulate_copy`): the plan as loaded there, the processes as deployed
  there, the instances already there (they are not opened again);
- a fresh database built from a registry file and processes/ (`simulate_year`), e.g. to try a registry before
  loading it, or when the working database is a server (PostgreSQL) that cannot be copied as a file.
Either way the plan's `active_from` becomes 1 January and the clock steps one day at a time (08:30 Việt Nam time,
after the 08:00 reminders) running the worker's round: the scheduler for that plan, then due timers.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import update

from engine import service
from engine.core import clock
from engine.core.db import Database
from engine.core.errors import NotFound
from engine.core.models import Plan
from engine.planning import plans, registry
from engine.planning.schedule import Opening
from engine.runtime import worker

STEP_TIME = time(8, 30)


def registry_path(plan_id: str, directory: Path = registry.PLANS_DIR) -> Path:
    """The registry file in processes/plans whose plan id is `plan_id`."""
    for path in registry.plan_files(directory):
        if registry.load(path).plan_id == plan_id:
            return path
    known = ", ".join(registry.load(p).plan_id for p in registry.plan_files(directory))
    raise NotFound(f"Không có kế hoạch '{plan_id}' trong {directory.name}/ (có: {known})")


def _run_year(db: Database, fake: clock.FakeClock, plan_key: str, year: int) -> tuple[list[Opening], int]:
    with db.session() as s:
        s.execute(update(Plan).where(Plan.plan_key == plan_key)
                  .values(active_from=clock.to_db(datetime(year, 1, 1, tzinfo=clock.VN_TZ))))
    openings: list[Opening] = []
    fired = 0
    day = date(year, 1, 1)
    while day.year == year:
        fake.set(datetime.combine(day, STEP_TIME, clock.VN_TZ))
        openings.extend(service.run_scheduler(db, plan_keys={plan_key}))
        fired += worker.fire_due_timers(db)
        day += timedelta(days=1)
    return openings, fired


def _with_clock(year: int, run):
    fake = clock.FakeClock(datetime.combine(date(year, 1, 1), STEP_TIME, clock.VN_TZ))
    previous = clock.install(fake)
    try:
        with tempfile.TemporaryDirectory(prefix="cchc-simulate-") as tmp:
            return run(fake, Path(tmp) / "simulate.db")
    finally:
        clock.install(previous)


def simulate_year(path: Path, year: int) -> tuple[list[Opening], int]:
    """Openings of the registry at `path` during `year` on a fresh database, and the number of timer runs."""
    def run(fake, target: Path):
        db = Database(f"sqlite:///{target}")
        try:
            service.init_db(db)
            service.deploy_all(db)
            plan = service.load_plan(db, path)
            return _run_year(db, fake, plan.plan_key, year)
        finally:
            db.engine.dispose()
    return _with_clock(year, run)


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL, if it is one and exists."""
    if not url.startswith("sqlite:///") or url.startswith("sqlite:///:memory:"):
        return None
    path = Path(url.removeprefix("sqlite:///"))
    return path if path.is_file() else None


def simulate_copy(source: Path, plan_key: str, year: int) -> tuple[list[Opening], int]:
    """Openings of plan `plan_key` during `year` on a copy of the SQLite database at `source` (left untouched)."""
    def run(fake, target: Path):
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)  # a consistent copy even while the app is writing (WAL included)
        db = Database(f"sqlite:///{target}")
        try:
            service.init_db(db)  # a copy of an older schema is brought up to date, like the app would
            with db.session() as s:
                plans.get_plan(s, plan_key)
            return _run_year(db, fake, plan_key, year)
        finally:
            db.engine.dispose()
    return _with_clock(year, run)
