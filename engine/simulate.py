"""Fast-forward a plan through a year on a throw-away database and report what opened when.

The copy is a fresh SQLite database in a temporary directory: every process deployed, the plan loaded with
`active_from` = 1 January, then the clock steps one day at a time (08:30 Việt Nam time, after the 08:00
reminders) running the same worker round as production: scheduler, then due timers.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from . import clock, registry, service, worker
from .db import Database
from .errors import NotFound
from .schedule import Opening


def registry_path(plan_id: str, directory: Path = registry.PLANS_DIR) -> Path:
    """The registry file in processes/plans whose plan id is `plan_id`."""
    for path in registry.plan_files(directory):
        if registry.load(path).plan_id == plan_id:
            return path
    known = ", ".join(registry.load(p).plan_id for p in registry.plan_files(directory))
    raise NotFound(f"Không có kế hoạch '{plan_id}' trong {directory.name}/ (có: {known})")


def simulate_year(path: Path, year: int, step_time: time = time(8, 30)) -> tuple[list[Opening], int]:
    """Openings of the registry at `path` during `year`, in order, and the number of timer runs that fired."""
    fake = clock.FakeClock(datetime(year, 1, 1, step_time.hour, step_time.minute, tzinfo=clock.VN_TZ))
    previous = clock.install(fake)
    try:
        with tempfile.TemporaryDirectory(prefix="cchc-simulate-") as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'simulate.db'}")
            try:
                service.init_db(db)
                service.deploy_all(db)
                service.load_plan(db, path, active_from=datetime(year, 1, 1, tzinfo=clock.VN_TZ))
                openings: list[Opening] = []
                fired = 0
                day = date(year, 1, 1)
                while day.year == year:
                    fake.set(datetime.combine(day, step_time, clock.VN_TZ))
                    opened = service.run_scheduler(db)
                    fired += worker.fire_due_timers(db)
                    openings.extend(opened)
                    day += timedelta(days=1)
            finally:
                db.engine.dispose()
    finally:
        clock.install(previous)
    return openings, fired
