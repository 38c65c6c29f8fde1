"""The filtered, sorted, paged lists (engine.runtime.list_pages) and saved filters: Việc của tôi, Việc của đơn vị,
Việc đã làm and the instance list, with what each may show whom (engine.core.access)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select, update

from engine import service
from engine.core import clock
from engine.core.errors import EngineError, Forbidden, NotFound
from engine.core.models import AuditEvent, User, WorkItem
from engine.runtime import list_pages
from tests.helpers import complete, open_item, run_to_approval, start_review, vn

# Huế plan duties of two areas (lĩnh vực): digital government, and direction and administration.
DIGITAL, DIRECTION = "HUE-CQS-07", "HUE-CD-01"


def seed(db, actor, count: int = 25) -> list:
    """`count` legal reviews led by Thanh tra, each with its start step open for tt.chuyenvien: every third a
    Kế hoạch of the digital area due 03/12/2026 (due soon on 01/12), the others a Báo cáo of the direction area
    due 15/12/2026; periods 2026 and 2027 alternate."""
    tt = actor("tt.chuyenvien")
    started = []
    for n in range(count):
        digital = n % 3 == 0
        started.append(service.start_instance(
            db, tt, "legal_document_review", lead_unit="TTRA", period=str(2026 + n % 2),
            supporting_units=["KHTC"], duty_key=f"{DIGITAL if digital else DIRECTION}" if n < 2 else f"X-{n:02d}",
            title=(f"Kế hoạch chuyển đổi số {n:02d}" if digital else f"Báo cáo rà soát văn bản {n:02d}"),
            due_at=vn(2026, 12, 3, 17, 0) if digital else vn(2026, 12, 15, 17, 0)))
    return started


def page(db, who, list_name="mine", **args):
    return service.work_list_page(db, who, list_name, {k: str(v) for k, v in args.items()})


def ids(p) -> list[int]:
    return [r.item.instance_id for r in p.rows]


def test_my_items_come_twenty_a_page_with_the_total_and_no_row_twice(db, actor):
    tt = actor("tt.chuyenvien")
    before = page(db, tt).total
    seed(db, actor)
    first, second = page(db, tt), page(db, tt, page=2)
    assert first.total == second.total == before + 25
    assert (len(first.rows), first.pages, first.page) == (20, 2, 1)
    assert len(second.rows) == before + 5 and not set(ids(first)) & set(ids(second))
    assert page(db, tt, page=99).page == 2  # past the end: the last page
    assert page(db, tt, page="abc").page == 1
    assert first.page_numbers == [1, 2]
    # The existing list stays what it was: every open item, by deadline.
    assert len(service.my_work_items(db, tt)) == before + 25


def test_search_matches_duty_and_step_names_with_or_without_diacritics(db, actor):
    seed(db, actor, 6)
    tt = actor("tt.chuyenvien")
    with_marks = page(db, tt, q="Kế hoạch")
    assert with_marks.total == 2 and all("Kế hoạch" in r.item.instance.title for r in with_marks.rows)
    assert ids(page(db, tt, q="ke hoach")) == ids(with_marks)
    assert ids(page(db, tt, q="KẾ HOẠCH chuyen doi")) == ids(with_marks)
    assert page(db, tt, q="chuyển đổi 03").total == 1
    assert page(db, tt, q="khởi động báo cáo").total == 4  # the step's name and the duty's title together
    assert page(db, tt, q="đất đai").total == 0
    assert page(db, tt, q="%").total == 0  # a wildcard is a character like any other


def test_filters_by_area_duty_period_unit_and_due_window(db, actor):
    started = seed(db, actor, 6)
    tt = actor("tt.chuyenvien")
    assert ids(page(db, tt, area="chinh_quyen_so")) == [started[0].id]
    assert ids(page(db, tt, area="chi_dao_dieu_hanh")) == [started[1].id]
    assert page(db, tt, area="cong_vu").total == 0
    assert ids(page(db, tt, duty=DIRECTION)) == [started[1].id]
    assert set(ids(page(db, tt, period="2027"))) == {s.id for s in started if s.period == "2027"}
    assert page(db, tt, unit="TTRA").total == page(db, tt).total and page(db, tt, unit="KHTC").total == 0
    window = page(db, tt, due_from="01/12/2026", due_to="05/12/2026")
    assert set(ids(window)) == {started[0].id, started[3].id}
    assert page(db, tt, due_from="16/12/2026").total == 0
    assert page(db, tt, due_to="15/12/2026", period="2026").total == 3


def test_due_soon_is_within_the_configured_working_days(db, actor, fake_clock, monkeypatch):
    started = seed(db, actor, 6)
    tt = actor("tt.chuyenvien")
    soon = page(db, tt, state="due_soon")  # Tue 01/12: three working days reach Fri 04/12; 03/12 is inside
    assert set(ids(soon)) == {started[0].id, started[3].id} and all(r.due_soon for r in soon.rows)
    assert page(db, tt, state="on_time").total == page(db, tt).total  # due soon is still on time
    monkeypatch.setattr(list_pages, "DUE_SOON_WORKING_DAYS", 1)  # 02/12 only: 03/12 is not yet due soon
    assert page(db, tt, state="due_soon").total == 0
    monkeypatch.setattr(list_pages, "DUE_SOON_WORKING_DAYS", 3)
    fake_clock.set(vn(2026, 12, 4, 9, 0))
    overdue = page(db, tt, state="overdue")
    assert set(ids(overdue)) == {started[0].id, started[3].id}
    assert all(r.item.deadline_state == "Quá hạn" and not r.due_soon for r in overdue.rows)
    assert started[0].id not in ids(page(db, tt, state="due_soon"))


def test_sort_by_due_date_by_creation_and_by_name(db, actor, fake_clock):
    started = []
    for n, (title, due) in enumerate([("Đánh giá", 20), ("Báo cáo", 10), ("Kế hoạch", 15)]):
        fake_clock.advance(timedelta(minutes=1))
        started.append(service.start_instance(
            db, actor("tt.chuyenvien"), "legal_document_review", lead_unit="TTRA", period="2026",
            supporting_units=["KHTC"], duty_key=f"S-{n}", title=title, due_at=vn(2026, 12, due, 17, 0)))
    tt = actor("tt.chuyenvien")
    mine = {s.id for s in started}

    def order(sort):
        return [i for i in ids(page(db, tt, sort=sort)) if i in mine]

    by_id = [s.id for s in started]
    assert order("due") == [by_id[1], by_id[2], by_id[0]]
    assert order("created") == [by_id[2], by_id[1], by_id[0]]
    # All three steps are named alike, so the duty title decides: Báo cáo, Đánh giá (Đ as D), Kế hoạch.
    assert order("name") == [by_id[1], by_id[0], by_id[2]]


def test_bad_input_is_named_in_vietnamese_and_the_rest_of_the_filter_still_applies(db, actor):
    seed(db, actor, 3)
    tt = actor("tt.chuyenvien")
    p = page(db, tt, due_from="31/02/2026", period="2027", state="soon", sort="random")
    assert p.errors == ("Tình trạng hạn đã chọn không có trong danh sách này",
                        "Cách sắp xếp đã chọn không có trong danh sách này",
                        "Hạn từ ngày «31/02/2026» không hợp lệ: nhập ngày dạng dd/mm/yyyy, ví dụ 31/12/2026")
    assert p.total == 1 and p.filter.sort == ""  # by due date, the default
    backwards = page(db, tt, due_from="10/12/2026", due_to="01/12/2026")
    assert backwards.errors == ("Khoảng hạn không hợp lệ: «từ ngày» sau «đến ngày»",)
    assert backwards.total == page(db, tt).total


def test_unit_work_shows_the_units_open_items_and_who_holds_them(db, actor):
    started = seed(db, actor, 3)
    head = actor("tt.truongphong")
    item = open_item(db, actor("tt.chuyenvien"), "start_review", started[0].id)
    with db.session() as s:
        tt_id = s.scalar(select(User.id).where(User.login == "tt.chuyenvien", User.org_id == head.org_id))
        s.execute(update(WorkItem).where(WorkItem.id == item.id).values(assignee_id=tt_id))
    p = page(db, head, "unit")
    held = {r.item.instance_id: r.assignee for r in p.rows}
    assert held[started[0].id] == "Chuyên viên Thanh tra Sở" and held[started[1].id] is None
    assert all(r.item.unit_code == "TTRA" for r in p.rows)
    (summary,) = p.summary
    assert (summary.unit_code, summary.open, summary.unassigned) == ("TTRA", p.total, p.total - 1)
    assert summary.due_soon == 1  # started[0], due 03/12
    # Everyone of the unit sees the same list; another unit does not see it, and may not ask for it.
    assert page(db, actor("tt.chuyenvien"), "unit").total == p.total
    assert started[0].id not in ids(page(db, actor("khtc.chuyenvien"), "unit"))
    with pytest.raises(Forbidden, match="đơn vị mình"):
        page(db, actor("khtc.chuyenvien"), "unit", unit="TTRA")
    assert page(db, actor("tt.chuyenvien", org="syt-quang-ngai"), "unit").total == 0  # another Sở's Thanh tra


def test_done_lists_what_i_completed_newest_first(db, actor, fake_clock):
    started = seed(db, actor, 3)
    tt = actor("tt.chuyenvien")
    for inst in started:
        fake_clock.advance(timedelta(minutes=5))
        complete(db, tt, "start_review", inst.id, {"scope": "Văn bản QPPL", "contribute_due": "2026-12-02"})
    done = page(db, tt, "done")
    assert ids(done) == [s.id for s in reversed(started)] and all(r.item.state == "COMPLETED" for r in done.rows)
    assert all(r.item.deadline_state == "Hoàn thành đúng hạn" for r in done.rows)
    assert page(db, tt, "done", state="done_late").total == 0
    assert page(db, tt, "done", q="ke hoach").total == 1
    assert page(db, actor("tt.truongphong"), "done").total == 0  # the same unit, but not done by them
    assert page(db, actor("tt.chuyenvien", org="syt-quang-ngai"), "done").total == 0
    assert started[0].id not in ids(page(db, tt))  # no longer open


def test_returned_work_is_marked_with_the_approvers_comment(db, actor, fake_clock):
    inst = start_review(db, actor)
    run_to_approval(db, actor, inst.id)
    gd, tt = actor("giamdoc"), actor("tt.chuyenvien")
    other = seed(db, actor, 1)[0]
    fake_clock.advance(timedelta(minutes=5))
    complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Bổ sung số liệu quý IV"})
    rows = {r.item.instance_id: r for r in page(db, tt).rows}
    assert (rows[inst.id].returned, rows[inst.id].return_comment) == (True, "Bổ sung số liệu quý IV")
    assert not rows[other.id].returned
    fake_clock.advance(timedelta(minutes=5))
    complete(db, tt, "consolidate", inst.id, {"report_title": "Báo cáo", "total_reviewed": 8, "summary": "Đủ"})
    approve = [r for r in page(db, gd).rows if r.item.instance_id == inst.id]
    assert len(approve) == 1 and not approve[0].returned  # the resubmission is not a return
    redone = [r for r in page(db, tt, "done").rows if r.item.instance_id == inst.id and r.returned]
    assert [r.item.bpmn_id for r in redone] == ["consolidate"]


def test_saved_filters_are_named_picked_replaced_and_deleted_by_their_owner(db, actor):
    tt, other = actor("tt.chuyenvien"), actor("tt.truongphong")
    saved = service.save_filter(db, tt, "mine", "  Sắp đến hạn  2027 ", {"state": "due_soon", "period": "2027",
                                                                         "page": "3", "junk": "x"})
    assert (saved.name, saved.query) == ("Sắp đến hạn 2027", {"state": "due_soon", "period": "2027"})
    again = service.save_filter(db, tt, "mine", "Sắp đến hạn 2027", {"state": "overdue"})  # same name: replaced
    assert again.id == saved.id
    assert [(f.name, f.query) for f in page(db, tt).saved] == [("Sắp đến hạn 2027", {"state": "overdue"})]
    assert page(db, tt, "done").saved == () and page(db, other).saved == ()
    with pytest.raises(EngineError, match="đặt tên"):
        service.save_filter(db, tt, "mine", "   ", {"state": "overdue"})
    with pytest.raises(EngineError, match="dd/mm/yyyy"):
        service.save_filter(db, tt, "mine", "Sai", {"due_to": "32/12/2026"})
    with pytest.raises(NotFound):
        service.delete_filter(db, other, saved.id)  # another's filter is not there for them
    with pytest.raises(NotFound):
        service.delete_filter(db, actor("tt.chuyenvien", org="syt-quang-ngai"), saved.id)
    assert service.delete_filter(db, tt, saved.id).name == "Sắp đến hạn 2027"
    assert page(db, tt).saved == ()
    with pytest.raises(NotFound):
        service.delete_filter(db, tt, saved.id)  # twice: gone
    with db.session() as s:
        kinds = list(s.scalars(select(AuditEvent.kind).where(AuditEvent.kind.like("filter_%"))
                               .order_by(AuditEvent.id)))
    assert kinds == ["filter_saved", "filter_saved", "filter_deleted"]


def test_the_instance_list_filters_sorts_and_pages_what_the_actor_may_see(db, actor):
    started = seed(db, actor, 25)
    gd = actor("giamdoc")
    everything = service.instance_list_page(db, gd, {})
    assert len(everything.rows) == 20 and everything.total >= 25
    assert everything.rows[0].instance.id == started[-1].id  # newest first
    plans = service.instance_list_page(db, gd, {"q": "ke hoach", "unit": "TTRA"})
    assert {r.instance.id for r in plans.rows} == {s.id for s in started if "Kế hoạch" in s.title}
    assert plans.total == 9 and all(r.due_soon for r in plans.rows)
    assert service.instance_list_page(db, gd, {"q": "ke hoach", "state": "due_soon"}).total == 9
    assert service.instance_list_page(db, gd, {"area": "chinh_quyen_so"}).total == 1
    assert service.instance_list_page(db, gd, {"state": "done_late"}).total == 0
    # Thanh tra's reviews (KHTC supports them) are not for an uninvolved unit, nor for another Sở.
    mine = {s.id for s in started}
    nvy = service.instance_list_page(db, actor("nvy.chuyenvien"), {"unit": "TTRA"})
    assert not {r.instance.id for r in nvy.rows} & mine and nvy.total == 0
    assert service.instance_list_page(db, actor("khtc.chuyenvien"), {"unit": "TTRA"}).total == 25
    foreign = service.instance_list_page(db, actor("tt.chuyenvien", org="syt-quang-ngai"), {"q": "ke hoach"})
    assert not {r.instance.id for r in foreign.rows} & mine


@pytest.fixture
def statements(db):
    seen = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def _record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    yield seen
    event.remove(db.engine, "before_cursor_execute", _record)


@pytest.mark.parametrize("list_name, index", [
    ("mine", "ix_work_item_worklist"), ("unit", "ix_work_item_unit"), ("done", "ix_work_item_done")])
def test_each_work_list_is_answered_by_its_index(db, actor, statements, list_name, index):
    seed(db, actor, 2)
    statements.clear()
    page(db, actor("tt.truongphong"), list_name, q="bao cao", state="on_time")
    queries = [(q, p) for q, p in statements if "FROM work_item" in q and "LIMIT" in q]
    assert len(queries) == 1
    with db.engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + queries[0][0], queries[0][1])]
    assert any(index in p for p in plan), plan
    assert not [p for p in plan if p.startswith("SCAN work_item")], plan


def test_a_new_work_item_and_instance_carry_their_folded_text(db, actor):
    inst = seed(db, actor, 1)[0]
    with db.session() as s:
        text = s.scalar(select(WorkItem.search_text).where(WorkItem.instance_id == inst.id))
    assert text == "khoi dong ra soat van ban qppl ke hoach chuyen doi so 00"  # "Khởi động rà soát văn bản QPPL"
    assert clock.today_local() == date(2026, 12, 1)


@pytest.mark.postgres
def test_the_lists_on_postgres(fake_clock):
    """The same SQL on PostgreSQL: search without diacritics, a deadline state, the unit overview, Việc đã làm,
    the instance list and a saved filter."""
    import os

    from engine.core.db import Database

    url = os.environ.get("CCHC_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL: CCHC_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server (run through `make test`)")
    pg = Database(url)
    pg.drop_all()
    service.init_db(pg)
    service.load_demo(pg)
    try:
        def actor(login, org="syt-hue"):
            return service.actor_for_login(pg, login, org)

        tt = actor("tt.chuyenvien")
        before = page(pg, tt, "unit").total
        started = seed(pg, actor, 22)
        assert page(pg, tt, q="KE HOACH chuyển").total == 8
        assert page(pg, tt, state="due_soon").total == 8 and page(pg, tt, q="50%").total == 0
        assert len(page(pg, tt).rows) == 20 and page(pg, tt, page=2).page == 2
        (summary,) = page(pg, actor("tt.truongphong"), "unit").summary
        assert (summary.open, summary.due_soon, summary.unassigned) == (before + 22, 8, before + 22)
        complete(pg, tt, "start_review", started[1].id, {"scope": "QPPL", "contribute_due": "2026-12-10"})
        assert ids(page(pg, tt, "done", area="chi_dao_dieu_hanh")) == [started[1].id]
        reviews = service.instance_list_page(pg, actor("giamdoc"), {"q": "bao cao ra soat van ban", "sort": "name"})
        assert reviews.total == 14
        saved = service.save_filter(pg, tt, "mine", "Sắp đến hạn", {"state": "due_soon"})
        assert service.delete_filter(pg, tt, saved.id).query == {"state": "due_soon"}
    finally:
        pg.engine.dispose()
