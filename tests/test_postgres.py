"""The same engine on PostgreSQL (the scale-out database): a full run, racing completions, racing workers.

`make test` starts a throw-away server (tests/with_postgres.sh) and sets CCHC_TEST_POSTGRES_URL."""

from __future__ import annotations

import os
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from engine import service
from engine.core import clock
from engine.core.db import Database
from engine.core.errors import AlreadyStarted
from engine.core.models import AuditEvent, ProcessInstance
from tests.helpers import complete, open_item, race, run_to_approval, start_review

pytestmark = pytest.mark.postgres
URL = os.environ.get("CCHC_TEST_POSTGRES_URL")


@pytest.fixture
def pg(fake_clock):
    if not URL:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL: CCHC_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server (run through `make test`)")
    database = Database(URL)
    database.drop_all()
    service.init_db(database)
    service.load_demo(database)
    yield database
    database.engine.dispose()


@pytest.fixture
def pg_actor(pg):
    return lambda login: service.actor_for_login(pg, login, "syt-hue")


def test_full_run_on_postgres(pg, pg_actor):
    assert pg.engine.dialect.name == "postgresql"
    inst = start_review(pg, pg_actor)
    run_to_approval(pg, pg_actor, inst.id)
    complete(pg, pg_actor("giamdoc"), "approve", inst.id, {"decision": "approve"})
    with pg.session() as s:
        assert s.get(ProcessInstance, inst.id).status == "completed"


def test_racing_completions_on_postgres(pg, pg_actor):
    inst = start_review(pg, pg_actor)
    complete(pg, pg_actor("tt.chuyenvien"), "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    who = pg_actor("khtc.chuyenvien")
    item = open_item(pg, who, "contribute", inst.id)
    outcome = race(lambda: service.complete_task(pg, who, item.task_id,
                                                 {"documents_reviewed": 1, "proposals": "Không"}))
    assert outcome == ["conflict", "conflict", "conflict", "ok"]


def test_racing_timer_workers_fire_each_timer_once(pg, pg_actor, fake_clock):
    count = 12
    for n in range(count):
        start_review(pg, pg_actor, period=str(2030 + n), supporting=())
    fake_clock.set(datetime(2045, 2, 1, 9, 0, tzinfo=clock.VN_TZ))  # every reminder and deadline is past
    fired: list[int] = []
    workers = [threading.Thread(target=lambda: fired.append(service.fire_due_timers(pg))) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert sum(fired) == count
    with pg.session() as s:
        timer_events = s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.kind == "timer_fired"))
        assert timer_events == 2 * count  # reminder + deadline, each exactly once per instance
    gd = pg_actor("giamdoc")
    assert len([i for i in service.my_work_items(pg, gd) if i.bpmn_id == "handle_overdue"]) == count


def test_racing_starts_of_the_same_duty_make_one_instance(pg, pg_actor):
    refusals: list[AlreadyStarted] = []

    def attempt():
        try:
            start_review(pg, pg_actor, period="2031", supporting=())
        except AlreadyStarted as exc:
            refusals.append(exc)
            raise

    outcome = race(attempt)
    assert outcome == ["conflict", "conflict", "conflict", "ok"]
    with pg.session() as s:
        ids = s.scalars(select(ProcessInstance.id).where(ProcessInstance.period == "2031")).all()
    assert len(ids) == 1
    # Every loser links to the one instance, whether it saw it before inserting or met it at the unique index.
    assert [r.instance_id for r in refusals] == ids * 3


def test_audit_trail_cannot_be_rewritten_on_postgres(pg, pg_actor):
    start_review(pg, pg_actor)
    with pytest.raises(DatabaseError, match="append-only"), pg.session() as s:
        s.execute(text("DELETE FROM audit_event"))


def test_racing_schedulers_open_each_duty_once_on_postgres(pg, fake_clock):
    """Three workers' scheduler rounds at once over a real plan: every duty × unit × period exactly once."""
    fake_clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=clock.VN_TZ))
    barrier = threading.Barrier(3)
    counts: list[int] = []

    def round_():
        barrier.wait()
        counts.append(len(service.run_scheduler(pg, plan_keys={"hue"})))

    threads = [threading.Thread(target=round_) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    with pg.session() as s:
        keys = s.execute(select(ProcessInstance.duty_key, ProcessInstance.lead_unit_code, ProcessInstance.period)
                         .where(ProcessInstance.duty_key.like("HUE-%"))).all()
    assert len(keys) == len(set(keys)) == sum(counts) > 0
    assert ("HUE-TTHC-01", "TTRA", "2027") in set(keys)


def test_simulate_year_against_postgres_uses_the_registry_as_loaded_there(pg, capsys):
    import json

    from web import cli

    with pg.session() as s:
        before = s.scalar(select(func.count(ProcessInstance.id)))
    assert cli.main(["--database-url", URL, "simulate-year", "--plan", "thanh-hoa", "--year", "2027", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["duty"], r["period"], r["due_on"]) for r in rows} >= {("THA-CD-07", "Q1/2027", "2027-03-22")}
    with pg.session() as s:
        assert s.scalar(select(func.count(ProcessInstance.id))) == before  # the server's data is untouched
