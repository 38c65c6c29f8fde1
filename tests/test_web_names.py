"""People by full name and units by name on the pages, never a login, a unit code or a BPMN id; the favicon."""

from __future__ import annotations

import json

from lxml import html as lxml_html
from sqlalchemy import insert, select

from engine import service
from engine.core import audit, clock, org
from engine.core.errors import Conflict
from engine.core.models import AuditEvent, Organisation, User
from tests.helpers import complete, open_item, run_to_approval, start_review, vn
from tests.web_helpers import login

LOGINS = ("tt.chuyenvien", "khtc.chuyenvien", "nvy.chuyenvien", "giamdoc", "system")
CODES = ("TTRA", "KHTC", "NVY", "BGD", "wait_reminder", "wait_deadline")


def visible_text(page: str) -> str:
    """What a person reads on the page: the body's text, without scripts, attributes or hidden inputs."""
    body = lxml_html.fromstring(page).find("body")
    for script in body.iter("script"):
        script.drop_tree()
    return " ".join(" ".join(body.itertext()).split())


def reminded_review(db, actor, fake_clock):
    """A legal review led by TTRA, waiting for the Giám đốc, whose reminder timer has fired."""
    inst = start_review(db, actor)
    run_to_approval(db, actor, inst.id)
    fake_clock.set(vn(2027, 1, 8, 8, 1))
    assert service.fire_due_timers(db) == 1
    return inst


def test_instance_page_shows_unit_names_full_names_and_timer_names(client, db, actor, fake_clock):
    inst = reminded_review(db, actor, fake_clock)
    login(client, "giamdoc")
    text = visible_text(client.get(f"/instances/{inst.id}").get_data(as_text=True))
    assert "Đơn vị chủ trì Thanh tra Sở" in text
    assert f"Người khởi tạo {actor('tt.chuyenvien').full_name}" in text
    assert "chủ trì: Thanh tra Sở, kỳ 2026" in text  # the start event's summary
    assert "Hệ thống — Đến mốc hẹn giờ: Nhắc hạn trước 5 ngày làm việc" in text
    for who in ("tt.chuyenvien", "khtc.chuyenvien", "nvy.chuyenvien"):
        assert actor(who).full_name in text, who
    for code in LOGINS + CODES:
        assert code not in text, code


def test_history_of_older_timer_events_reads_without_the_bpmn_id(client, db, actor):
    inst = start_review(db, actor)
    with db.session() as s:  # as audit_timers wrote them before: "name (id)", and "id (id)" for an unnamed timer
        for summary, bpmn_id in (("Nhắc hạn (wait_reminder)", "wait_reminder"), ("wait_x (wait_x)", "wait_x")):
            s.execute(insert(AuditEvent).values(kind="timer_fired", actor="system", instance_id=inst.id,
                                                org_id=inst.org_id, at=clock.to_db(clock.now()), summary=summary,
                                                payload=json.dumps({"bpmn_id": bpmn_id})))
    login(client, "tt.chuyenvien")
    text = visible_text(client.get(f"/instances/{inst.id}").get_data(as_text=True))
    assert "Đến mốc hẹn giờ: Nhắc hạn" in text and "wait_reminder" not in text
    assert "Hệ thống — Đến mốc hẹn giờ " in text and "wait_x" not in text  # no name, no colon


def test_display_summary_strips_only_the_recorded_bpmn_id():
    payload = json.dumps({"bpmn_id": "wait_deadline"})
    assert audit.display_summary("timer_fired", "Đến hạn (wait_deadline)", payload) == "Đến hạn"
    assert audit.display_summary("timer_fired", "wait_deadline", payload) == ""
    assert audit.display_summary("timer_fired", "Đến hạn (phụ lục)", payload) == "Đến hạn (phụ lục)"
    assert audit.display_summary("timer_fired", "Đến hạn (wait_deadline)", "không phải JSON") == \
        "Đến hạn (wait_deadline)"
    assert audit.display_summary("complete", "Báo cáo (wait_deadline)", payload) == "Báo cáo (wait_deadline)"


def test_new_timer_events_record_the_name_only(db, actor, fake_clock):
    inst = reminded_review(db, actor, fake_clock)
    with db.read() as s:
        fired = [e for e in audit.history(s, inst.id) if e.kind == "timer_fired"]
        raw = s.query(AuditEvent.summary).filter(AuditEvent.kind == "timer_fired").scalar()
    assert [e.summary for e in fired] == ["Nhắc hạn trước 5 ngày làm việc"] == [raw]
    assert json.loads(fired[0].payload)["bpmn_id"] == "wait_reminder"  # still there for the machine


def test_completed_step_shows_who_by_name_on_task_and_worklist_pages(client, db, actor, fake_clock):
    inst = reminded_review(db, actor, fake_clock)
    consolidated = [i for i in service.instance_view(db, actor("giamdoc"), inst.id)["items"]
                    if i.bpmn_id == "consolidate"][0]
    login(client, "giamdoc")
    task_text = visible_text(client.get(f"/tasks/{consolidated.task_id}").get_data(as_text=True))
    assert f"Đã hoàn thành — {actor('tt.chuyenvien').full_name}," in task_text
    assert "Đơn vị thực hiện Thanh tra Sở" in task_text
    for page in ("/", "/instances", f"/tasks/{open_item(db, actor('giamdoc'), 'approve', inst.id).task_id}"):
        text = visible_text(client.get(page).get_data(as_text=True))
        for code in LOGINS + CODES:
            assert code not in text, (page, code)


def test_a_second_submission_names_who_did_it(db, actor):
    inst = start_review(db, actor, supporting=())
    tt = actor("tt.chuyenvien")
    item = open_item(db, tt, "start_review", inst.id)
    complete(db, tt, "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    try:
        service.complete_task(db, tt, item.task_id, {"scope": "y", "contribute_due": "2026-12-20"})
    except Conflict as exc:
        assert f"bởi {tt.full_name};" in str(exc) and "tt.chuyenvien" not in str(exc)
    else:
        raise AssertionError("a second submission must be refused")


def test_plan_page_names_the_lead_units_of_on_event_duties(client, db):
    login(client, "vp.chuyenvien")
    text = visible_text(client.get("/plan?year=2027").get_data(as_text=True))
    assert "(đột xuất; chủ trì: Văn phòng Sở)" in text
    assert "chủ trì: VP" not in text


def test_people_names_are_those_of_the_organisation_only(db, actor):
    hue = actor("giamdoc").org_id
    with db.session() as s:
        qn = s.get(Organisation, actor("vp.chuyenvien", org="syt-quang-ngai").org_id)
        org.add_user(s, qn, "qn.only", "Lê Thị Ngãi", "VP", "mật khẩu dài 2026", [])
        own = set(s.scalars(select(User.login).where(User.org_id == hue)))
    names = service.people_names(db, hue)
    assert names["tt.chuyenvien"] == actor("tt.chuyenvien").full_name
    assert names["system"] == "Hệ thống"
    assert set(names) == own | {"system"} and "qn.only" not in names


def test_favicon_is_linked_and_served_as_svg_under_the_csp(client):
    page = client.get("/login")
    assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in page.get_data(as_text=True)
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert "img-src 'self'" in icon.headers["Content-Security-Policy"]
    svg = icon.get_data(as_text=True)
    assert svg.startswith("<svg") and "<script" not in svg and "href" not in svg  # nothing the policy would block


def test_logout_button_has_its_own_colours(client):
    login(client, "tt.chuyenvien")
    page = client.get("/").get_data(as_text=True)
    assert '<button class="logout" type="submit">Đăng xuất</button>' in page
    css = client.get("/static/style.css").get_data(as_text=True)
    rule = css[css.index("button.logout {"):].split("}", 1)[0]
    assert "background:#fff" in rule and "color:var(--brand)" in rule


def test_tables_become_cards_through_a_static_script(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<script defer src="/static/tables.js"></script>' in page  # a file of ours: script-src 'self' allows it
    script = client.get("/static/tables.js")
    assert script.status_code == 200 and script.mimetype in ("text/javascript", "application/javascript")
    css = client.get("/static/style.css").get_data(as_text=True)
    # The phone layout's rules come before the features' own blocks, which may refine them.
    assert css.index("table.list.cards td[data-label]::before") < css.index("/* --- blocks added by other features")
