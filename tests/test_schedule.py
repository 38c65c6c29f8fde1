"""The scheduler: one instance per duty × responsible unit × period when its window opens; idempotent,
catching up after downtime, never opening a backlog of duties already late when a plan is loaded."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from engine import service
from engine.core import clock
from engine.core.errors import Conflict, EngineError, Forbidden
from engine.core.models import ProcessInstance
from engine.planning import calendar
from engine.runtime import worklist

MINI = Path(__file__).parent / "data" / "plans" / "mini.yaml"


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=clock.VN_TZ)


@pytest.fixture
def mini(db, fake_clock):
    """The test registry loaded on 20/11/2026 (its own organisation, with demo accounts)."""
    fake_clock.set(vn(2026, 11, 20, 9, 0))
    service.load_plan(db, MINI, demo_users=True)
    return db


def schedule(db):
    """The scheduler for the test plan only (the demo database also holds the five real plans)."""
    return service.run_scheduler(db, plan_keys={"mini"})


def opened(db) -> set[tuple[str, str, str]]:
    with db.session() as s:
        rows = s.query(ProcessInstance).all()
        return {(r.duty_key, r.lead_unit_code, r.period) for r in rows if r.duty_key.startswith("MINI-")}


def test_tthc_plan_opens_on_1_december_for_next_year(mini, fake_clock, actor):
    fake_clock.set(vn(2026, 11, 30, 23, 0))
    schedule(mini)
    assert ("MINI-TTHC-01", "TTRA", "2027") not in opened(mini)
    fake_clock.set(vn(2026, 12, 1, 0, 5))
    rows = {o.duty_id: o for o in schedule(mini)}
    opening = rows["MINI-TTHC-01"]
    assert (opening.unit, opening.period, opening.due_at) == ("TTRA", "2027", vn(2026, 12, 31, 23, 59, 59))
    tt = actor("tt.chuyenvien", "syt-mini")
    items = service.my_work_items(mini, tt)
    assert [(i.instance.title, i.instance.period) for i in items] == [
        ("Xây dựng Kế hoạch kiểm soát TTHC năm 2027", "2027")]
    view = service.instance_view(mini, tt, opening.instance_id)
    assert view["data"]["supporting_units"] == ["VP", "KHTC", "CDC", "BVDK"]  # the lead is not its own supporter
    assert view["data"]["duty_id"] == "MINI-TTHC-01" and view["data"]["timing"] == "Tháng 12 hàng năm"
    assert worklist.instance_status(view["instance"]) == worklist.ON_TIME


def test_scheduler_is_idempotent(mini, fake_clock):
    fake_clock.set(vn(2026, 12, 1, 9, 0))
    first = schedule(mini)
    assert first
    assert schedule(mini) == []
    assert len(opened(mini)) == len(first)


def test_a_group_lead_opens_one_instance_per_unit(mini, fake_clock):
    fake_clock.set(vn(2026, 12, 31, 9, 0))
    schedule(mini)
    assert {("MINI-CD-02", "CDC", "2027"), ("MINI-CD-02", "BVDK", "2027")} <= opened(mini)


def test_loading_mid_year_opens_no_backlog_but_downtime_is_caught_up(mini, fake_clock):
    fake_clock.set(vn(2026, 12, 1, 9, 0))
    schedule(mini)
    quarterly = {p for d, _u, p in opened(mini) if d == "MINI-CD-01"}
    assert quarterly == {"Q4/2026"}  # Q3/2026 (due 21/09) was already late when the plan was loaded
    fake_clock.set(vn(2027, 4, 15, 9, 0))  # the worker was down for four months
    schedule(mini)
    quarterly = {p for d, _u, p in opened(mini) if d == "MINI-CD-01"}
    assert quarterly == {"Q4/2026", "Q1/2027"}  # Q2 opens 20 days before 21/06/2027
    with mini.session() as s:
        q1 = s.query(ProcessInstance).filter_by(duty_key="MINI-CD-01", period="Q1/2027").one()
        assert worklist.instance_status(q1) == worklist.OVERDUE  # opened late: its deadline already passed
        assert q1.title == "Báo cáo CCHC định kỳ quý I/2027"


def test_deadline_on_a_sunday_moves_to_monday(mini, fake_clock):
    fake_clock.set(vn(2026, 12, 1, 9, 0))
    rows = {(o.duty_id, o.period): o for o in schedule(mini)}
    assert rows[("MINI-CD-01", "Q4/2026")].due_at == vn(2026, 12, 21, 23, 59, 59)  # 20/12/2026 is a Sunday


def test_once_and_on_event_duties(mini, fake_clock):
    fake_clock.set(vn(2027, 12, 10, 9, 0))
    schedule(mini)
    assert ("MINI-TC-01", "KHTC", "2027") not in opened(mini)
    fake_clock.set(vn(2027, 12, 11, 9, 0))
    schedule(mini)
    assert ("MINI-TC-01", "KHTC", "2027") in opened(mini)
    assert not any(d == "MINI-TTHC-02" for d, _u, _p in opened(mini))


def test_racing_schedulers_open_each_instance_once(mini, fake_clock):
    fake_clock.set(vn(2026, 12, 31, 9, 0))
    barrier = threading.Barrier(3)
    results: list[int] = []

    def run():
        barrier.wait()
        results.append(len(schedule(mini)))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sum(results) == len(opened(mini)) == 4  # TTHC-01/2027, CD-01/Q4, CD-02 for CDC and BVDK


def test_the_worker_tick_opens_then_fires(mini, fake_clock):
    from engine.runtime import worker

    fake_clock.set(vn(2026, 12, 1, 9, 0))
    opened_count, _fired = worker.tick(mini, plan_keys={"mini"})
    assert opened_count == len(opened(mini)) > 0
    assert worker.tick(mini, plan_keys={"mini"})[0] == 0


def test_an_on_event_duty_is_started_by_hand_with_working_days_to_do_it(mini, fake_clock, actor):
    fake_clock.set(vn(2027, 2, 3, 10, 0))  # Wednesday before Tết 2027
    tt = actor("tt.chuyenvien", "syt-mini")
    inst = service.start_duty(mini, tt, "MINI-TTHC-02", "TTRA")
    assert (inst.period, inst.title) == ("03/02/2027", "Công bố, công khai TTHC khi có văn bản mới ngày 03/02/2027")
    # five working days after the event, Tết skipped: 11/02, 12/02, 15/02, 16/02, 17/02
    assert clock.from_db(inst.due_at).date() == date(2027, 2, 17)
    assert clock.from_db(inst.due_at).date() == calendar.add_working_days(date(2027, 2, 3), 5)
    with pytest.raises(Conflict, match="Thêm lần phát sinh trong ngày"):
        service.start_duty(mini, tt, "MINI-TTHC-02", "TTRA")  # most likely a second click
    second = service.start_duty(mini, tt, "MINI-TTHC-02", "TTRA", again=True)  # a second new document
    assert (second.period, second.title) == ("03/02/2027 (2)",
                                              "Công bố, công khai TTHC khi có văn bản mới ngày 03/02/2027 (lần 2)")
    with pytest.raises(Forbidden):
        service.start_duty(mini, actor("vp.chuyenvien", "syt-mini"), "MINI-TTHC-02", "VP")


def test_a_scheduled_period_can_be_opened_ahead_and_the_scheduler_then_skips_it(mini, fake_clock, actor):
    fake_clock.set(vn(2026, 11, 25, 9, 0))
    inst = service.start_duty(mini, actor("tt.chuyenvien", "syt-mini"), "MINI-TTHC-01", "TTRA", "2027")
    assert clock.from_db(inst.due_at) == vn(2026, 12, 31, 23, 59, 59)
    fake_clock.set(vn(2026, 12, 1, 9, 0))
    assert "MINI-TTHC-01" not in {o.duty_id for o in schedule(mini)}
    with pytest.raises(EngineError, match="không có trong lịch"):
        service.start_duty(mini, actor("tt.chuyenvien", "syt-mini"), "MINI-TTHC-01", "TTRA", "2035")


def test_an_index_self_assessment_opened_late_skips_the_batches_already_past(db, fake_clock):
    giamdoc = service.actor_for_login(db, "giamdoc", "syt-hue")
    fake_clock.set(vn(2026, 12, 2, 9, 0))  # the demo plan was loaded on 01/12/2026: the 2026 round opens late
    late = {o.duty_id: o for o in service.run_scheduler(db, plan_keys={"hue"})}["HUE-CS-01"]
    assert late.period == "2026"
    assert service.instance_view(db, giamdoc, late.instance_id)["data"]["batches"] == []
    fake_clock.set(vn(2027, 1, 1, 9, 0))
    on_time = {o.duty_id: o for o in service.run_scheduler(db, plan_keys={"hue"})}["HUE-CS-01"]
    data = service.instance_view(db, giamdoc, on_time.instance_id)["data"]
    assert data["batches"] == ["2027-06-30", "2027-09-30", "2027-11-15"]
    assert data["supporting_units"] and "VP" not in data["supporting_units"]  # the focal unit leads
