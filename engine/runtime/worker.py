"""The worker: opens scheduled duties and fires due BPMN timers, one transaction per instance; safe with several
workers (instances are unique per duty, unit and period; timers are claimed with SKIP LOCKED)."""

from __future__ import annotations

import logging
import time as _time
from datetime import datetime, timedelta

from sqlalchemy import text

from engine.core import audit, clock
from engine.core.db import Database
from engine.core.models import ProcessInstance
from engine.planning import schedule
from engine.runtime import instances, timers

log = logging.getLogger(__name__)
RETRY_AFTER_ERROR = timedelta(minutes=15)


def fire_due_timers(db: Database, now: datetime | None = None, limit: int = 1000) -> int:
    """Run every instance whose next timer is due at `now`; one transaction per instance. Returns the count."""
    now_db = clock.to_db(now or clock.now())
    done = 0
    seen: set[int] = set()
    while done < limit:
        instance_id = None
        try:
            with db.session() as session:
                instance_id = timers.claim_due(session, now_db)
                if instance_id is None or instance_id in seen:
                    return done
                seen.add(instance_id)
                instance = session.get(ProcessInstance, instance_id, populate_existing=True)
                version = instances.version_of(instance)
                workflow, before = instances.load_for_step(instance, version)
                fired, after = instances.advance(workflow)
                instances.audit_timers(session, instance, fired)
                instances.save(session, instance, workflow, version, before, after)
                done += 1
        except Exception as exc:
            log.exception("timer run failed for instance %s", instance_id)
            if instance_id is None:
                raise
            # The reason (a script stopped by the sandbox, say) goes into the history, where the unit sees it.
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:500]
            with db.session() as session:
                session.execute(text("UPDATE process_instance SET next_timer_at = :t WHERE id = :id"),
                                {"t": now_db + RETRY_AFTER_ERROR, "id": instance_id})
                audit.record(session, "error", "system", instance_id=instance_id,
                             summary=f"Lỗi khi chạy bộ hẹn giờ; sẽ thử lại sau {RETRY_AFTER_ERROR.seconds // 60} "
                                     f"phút: {reason}")
    return done


def tick(db: Database, now: datetime | None = None, plan_keys: set[str] | None = None) -> tuple[int, int]:
    """One worker round: open the duties whose window is open, then fire due timers. Returns (opened, fired)."""
    opened = schedule.run(db, now, plan_keys)
    fired = fire_due_timers(db, now)
    return len(opened), fired


def run_forever(db: Database, interval: float = 30.0) -> None:
    """Worker loop: a tick every `interval` seconds until interrupted."""
    while True:
        try:
            opened, fired = tick(db)
        except Exception:  # a bad round must not stop the worker; the next one retries
            log.exception("worker round failed")
            opened = fired = 0
        if opened or fired:
            log.info("opened %d instance(s), fired timers of %d instance(s)", opened, fired)
        _time.sleep(interval)
