"""Khởi tạo nhiệm vụ through Flask's test client: the plan's duties a unit leads, and /start/duty starting an
on-event duty today or a scheduled period ahead of its window; refusals (another unit's duty, another Sở's plan,
no CSRF token, the same event twice a day) say why and create nothing.

The clock is the conftest's fake_clock: 01/12/2026 09:00 Việt Nam time (a Tuesday)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from lxml import html as lxml_html

from engine import service
from engine.core import clock
from engine.planning import calendar
from tests.web_helpers import login_ok, token

TODAY = "01/12/2026"


def flashes(page: str, category: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in lxml_html.fromstring(page).find_class("flash")
            if category in e.get("class", "").split()]


def duty_rows(page: str) -> list[dict]:
    """The rows of "Nhiệm vụ theo kế hoạch": id, title, unit, button and the periods offered."""
    doc = lxml_html.fromstring(page)
    section = doc.xpath('//section[h2="Nhiệm vụ theo kế hoạch"]')
    if not section:
        return []
    rows = []
    for tr in section[0].xpath(".//tbody/tr"):
        cells = [" ".join(td.text_content().split()) for td in tr.xpath("td")]
        rows.append({"id": cells[0], "title": cells[1], "unit": cells[2],
                     "button": tr.xpath("string(.//button)").strip(),
                     "lead_unit": tr.xpath("string(.//input[@name='lead_unit']/@value)"),
                     "periods": [o.text_content() for o in tr.xpath(".//select[@name='period']/option")]})
    return rows


def start_duty(client, duty_id: str, lead_unit: str, period: str | None = None, follow: bool = True,
               again: str | None = None):
    """Post the form of the start page's row, with the page's CSRF token."""
    data = {"csrf_token": token(client.get("/start").get_data(as_text=True)), "duty_id": duty_id,
            "lead_unit": lead_unit}
    if again is not None:
        data["again"] = again
    if period is not None:
        data["period"] = period
    return client.post("/start/duty", data=data, follow_redirects=follow)


def instances(db) -> list[tuple[str, str, str]]:
    return [(r.duty_key, r.lead_unit_code, r.period) for r in service.list_instances(db)]


def test_start_page_lists_the_duties_my_unit_leads_on_event_first(client, db):
    login_ok(client, "vp.chuyenvien")
    response = client.get("/start")
    assert response.status_code == 200
    rows = duty_rows(response.get_data(as_text=True))
    reg = service.plan_registry(db, "hue")
    today = date(2026, 12, 1)
    still_open = {d.id for d in reg.duties if "VP" in d.lead_units and (
        not d.schedule.scheduled or any(o.due_on >= today for y in (2026, 2027) for o in d.schedule.occurrences(y)))}
    assert {r["id"] for r in rows} == still_open
    assert "HUE-CQS-19" not in still_open  # a one-off due 31/12/2021: nothing left to open
    assert all(r["unit"] == "Văn phòng Sở" and r["lead_unit"] == "VP" for r in rows)
    on_event = [r["id"] for r in rows if r["button"] == "Phát sinh hôm nay"]
    assert on_event == ["HUE-CD-07", "HUE-TTHC-05"]
    assert [r["id"] for r in rows[:2]] == on_event  # the duties started by hand come first
    assert all(r["button"] == "Mở kỳ" for r in rows[2:])
    tthc05 = rows[1]
    assert tthc05["title"] == "Cập nhật, công khai TTHC" and tthc05["periods"] == []
    quarterly = next(r for r in rows if r["id"] == "HUE-CD-06")
    assert quarterly["periods"] == ["Q4/2026", "Q1/2027", "Q2/2027", "Q3/2027"]  # not yet due, at most four
    assert "HUE-TTHC-01" not in {r["id"] for r in rows}  # Thanh tra's duty


def test_start_page_of_thanh_tra_lists_its_own_duties_with_the_next_periods(client):
    login_ok(client, "tt.chuyenvien")
    rows = {r["id"]: r for r in duty_rows(client.get("/start").get_data(as_text=True))}
    assert rows["HUE-TTHC-01"]["periods"] == ["2027"]  # the 2027 plan is due 31/12/2026; the 2026 one is past
    assert rows["HUE-TTHC-04"]["lead_unit"] == "TTRA"  # led by TTRA and VP: each unit starts its own
    assert "HUE-TTHC-05" not in rows and "HUE-CD-07" not in rows


def test_an_on_event_duty_starts_today_with_working_days_to_do_it(client, db):
    login_ok(client, "vp.chuyenvien")
    response = start_duty(client, "HUE-TTHC-05", "VP", follow=False)
    assert response.status_code == 303
    match = re.fullmatch(r"/instances/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    instance_id = int(match.group(1))

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    title = f"Cập nhật, công khai TTHC ngày {TODAY}"
    assert flashes(page, "success") == [f"Đã khởi tạo: {title}"]
    assert f"<h1>{title}</h1>" in page
    last_day = calendar.add_working_days(date(2026, 12, 1), 10)  # no deadline in the registry: 10 working days
    assert last_day == date(2026, 12, 15)
    assert "15/12/2026" in page and "Trong hạn" in page and "Đang thực hiện" in page

    vp = service.actor_for_login(db, "vp.chuyenvien", "syt-hue")
    view = service.instance_view(db, vp, instance_id)
    inst = view["instance"]
    assert (inst.duty_key, inst.lead_unit_code, inst.period, inst.title) == ("HUE-TTHC-05", "VP", TODAY, title)
    assert (inst.process_key, inst.started_by) == ("tthc_publication", "vp.chuyenvien")
    assert clock.local(clock.from_db(inst.due_at)).date() == last_day
    assert view["data"]["supporting_units"] == ["TTRA", "TCCB", "KHTC", "NVY", "NVD"]  # the plan's, less VP
    assert view["data"]["duty_id"] == "HUE-TTHC-05"
    assert instances(db) == [("HUE-TTHC-05", "VP", TODAY)]
    # The first step waits in Văn phòng's worklist.
    worklist = client.get("/").get_data(as_text=True)
    assert title in worklist and "Trong hạn" in worklist


def test_a_scheduled_period_is_opened_ahead_of_its_window(client, db):
    login_ok(client, "vp.chuyenvien")
    page = start_duty(client, "HUE-CD-06", "VP", "Q1/2027").get_data(as_text=True)
    assert flashes(page, "success") == ["Đã khởi tạo: Báo cáo CCHC định kỳ quý I/2027"]
    assert instances(db) == [("HUE-CD-06", "VP", "Q1/2027")]
    inst = service.list_instances(db)[0]
    assert clock.local(clock.from_db(inst.due_at)).date() == date(2027, 3, 15)
    # The scheduler will not open the same period again when its window comes.
    assert all(o.duty_id != "HUE-CD-06" or o.period != "Q1/2027"
               for o in service.run_scheduler(db, clock.now() + timedelta(days=80), plan_keys={"hue"}))
    assert instances(db).count(("HUE-CD-06", "VP", "Q1/2027")) == 1


def test_a_period_not_in_the_duty_schedule_is_refused(client, db):
    login_ok(client, "vp.chuyenvien")
    response = start_duty(client, "HUE-CD-06", "VP", "Q1/2035")
    assert response.status_code == 200 and response.request.path == "/start"
    [message] = flashes(response.get_data(as_text=True), "error")
    assert message.startswith("Kỳ 'Q1/2035' không có trong lịch của nhiệm vụ HUE-CD-06")
    assert instances(db) == []


def test_a_duty_another_unit_leads_is_refused_and_nothing_is_created(client, db):
    login_ok(client, "vp.chuyenvien")
    # As Văn phòng: Thanh tra leads the TTHC control plan.
    response = start_duty(client, "HUE-TTHC-01", "VP", "2027")
    assert response.request.path == "/start"
    assert flashes(response.get_data(as_text=True), "error") == [
        "Nhiệm vụ HUE-TTHC-01 do Thanh tra Sở chủ trì, không phải Văn phòng Sở"]
    # Claiming to be Thanh tra (a crafted form): the unit is not one the user leads.
    response = start_duty(client, "HUE-TTHC-01", "TTRA", "2027")
    assert response.request.path == "/start"
    assert flashes(response.get_data(as_text=True), "error") == [
        "Bạn chỉ có thể khởi tạo nhiệm vụ cho đơn vị mình chủ trì"]
    assert instances(db) == []


def test_the_giam_doc_has_no_duty_to_start(client, db):
    login_ok(client, "giamdoc")
    page = client.get("/start").get_data(as_text=True)
    assert "Bạn không có vai trò đơn vị chủ trì nên không thể khởi tạo nhiệm vụ." in page
    assert duty_rows(page) == []
    response = start_duty(client, "HUE-TTHC-05", "VP")
    assert flashes(response.get_data(as_text=True), "error") == [
        "Bạn chỉ có thể khởi tạo nhiệm vụ cho đơn vị mình chủ trì"]
    assert instances(db) == []


def test_a_duty_of_another_plan_is_not_found(client, db):
    """Quảng Ngãi's Văn phòng cannot start Huế's duty: its own plan has no such duty."""
    login_ok(client, "vp.chuyenvien", org="syt-quang-ngai")
    response = start_duty(client, "HUE-TTHC-05", "VP")
    assert flashes(response.get_data(as_text=True), "error") == ["Kế hoạch không có nhiệm vụ 'HUE-TTHC-05'"]
    assert instances(db) == []


def test_start_duty_without_csrf_token_is_refused(client, db):
    login_ok(client, "vp.chuyenvien")
    response = client.post("/start/duty", data={"duty_id": "HUE-TTHC-05", "lead_unit": "VP"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    response = client.post("/start/duty", data={"csrf_token": "forged", "duty_id": "HUE-TTHC-05", "lead_unit": "VP"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert instances(db) == []


def test_start_duty_needs_login(client, db):
    response = client.post("/start/duty", data={"duty_id": "HUE-TTHC-05", "lead_unit": "VP"})
    assert response.status_code in (302, 400)  # the CSRF check or the login redirect, never a start
    assert instances(db) == []


def test_the_same_event_twice_the_same_day_is_a_clear_conflict(client, db, fake_clock):
    login_ok(client, "vp.chuyenvien")
    first = start_duty(client, "HUE-TTHC-05", "VP")
    assert flashes(first.get_data(as_text=True), "success") == [
        f"Đã khởi tạo: Cập nhật, công khai TTHC ngày {TODAY}"]
    again = start_duty(client, "HUE-TTHC-05", "VP")
    assert again.status_code == 200 and again.request.path == "/start"
    assert flashes(again.get_data(as_text=True), "error") == [
        "Hôm nay đã khởi tạo nhiệm vụ HUE-TTHC-05 cho Văn phòng Sở. Nếu đây là một lần phát sinh khác "
        "(văn bản mới khác), chọn 'Thêm lần phát sinh trong ngày'."]
    assert instances(db) == [("HUE-TTHC-05", "VP", TODAY)]
    # A second new document the same day, said so explicitly, is a second case.
    second = start_duty(client, "HUE-TTHC-05", "VP", again="1")
    assert flashes(second.get_data(as_text=True), "success") == [
        f"Đã khởi tạo: Cập nhật, công khai TTHC ngày {TODAY} (lần 2)"]
    assert sorted(instances(db)) == [("HUE-TTHC-05", "VP", TODAY), ("HUE-TTHC-05", "VP", f"{TODAY} (2)")]
    # The next day's event is a new case.
    fake_clock.advance(timedelta(days=1))
    next_day = start_duty(client, "HUE-TTHC-05", "VP")
    assert flashes(next_day.get_data(as_text=True), "success") == [
        "Đã khởi tạo: Cập nhật, công khai TTHC ngày 02/12/2026"]
    assert ("HUE-TTHC-05", "VP", "02/12/2026") in instances(db)


def test_the_start_page_and_the_command_line_give_the_same_refusals(client, db, db_url):
    """One rule in the engine (engine.runtime.manual_start): the page and `cchc start` refuse the same input alike."""
    import subprocess
    import sys
    from pathlib import Path

    login_ok(client, "tt.chuyenvien")
    cases = [({"period": "Q1/2026"}, "Kỳ phải là năm, ví dụ 2026"),
             ({"due_date": "31/02/2027"}, "Hạn không hợp lệ (nhập dd/mm/yyyy)"),
             ({"lead_unit": "KHTC"}, "Bạn chỉ có thể khởi tạo nhiệm vụ cho đơn vị mình chủ trì"),
             ({"supporting_units": "XYZ"}, "Đơn vị phối hợp không hợp lệ: XYZ"),
             ({"period": "1900"}, "Kỳ 1900 nằm ngoài thời gian có thể khởi tạo"),
             ({"due_date": "20/11/2026"}, "Hạn 20/11/2026 đã qua")]
    cchc = str(Path(sys.executable).parent / "cchc")
    for change, message in cases:
        form = {"process_key": "legal_document_review", "lead_unit": "TTRA", "period": "2027", "due_date": "",
                "supporting_units": "KHTC", **change}
        page = client.post("/start", data={"csrf_token": token(client.get("/start").get_data(as_text=True)),
                                           **form})
        assert page.status_code == 400 and message in page.get_data(as_text=True), message
        args = ["start", form["process_key"], "--org", "syt-hue", "--as", "tt.chuyenvien", "--unit",
                form["lead_unit"], "--period", form["period"], "--supporting", form["supporting_units"]]
        if form["due_date"]:
            args += ["--due", form["due_date"]]
        done = subprocess.run([cchc, "--database-url", db_url, *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and message in done.stderr, (message, done.stderr)
    assert [i for i in instances(db) if i[0] == "legal_document_review"] == []


# --- the start rules on the page (engine.runtime.start_rules) -----------------------------------------------------

def start_form(client, **change):
    form = {"csrf_token": token(client.get("/start").get_data(as_text=True)), "process_key": "legal_document_review",
            "lead_unit": "TTRA", "period": "2026", "due_date": "", **change}
    return client.post("/start", data=form)


def error_box(page: str):
    return lxml_html.fromstring(page).find_class("error")[0]


def test_a_second_start_by_either_path_links_to_the_existing_instance(client, db):
    login_ok(client, "tt.chuyenvien")
    first = start_duty(client, "HUE-TC-03", "TTRA", "2026", follow=False)
    assert first.status_code == 303
    instance_url = first.headers["Location"]
    for response in (start_form(client), start_duty(client, "HUE-TC-03", "TTRA", "2026", follow=False)):
        assert response.status_code == 400
        box = error_box(response.get_data(as_text=True))
        assert "đã được khởi tạo cho Thanh tra Sở, kỳ 2026" in box.text_content()
        assert "TTRA" not in box.text_content()
        assert box.xpath(".//a/@href") == [instance_url] and instance_url.startswith("/instances/")
    assert [i for i in instances(db) if i[0] == "HUE-TC-03"] == [("HUE-TC-03", "TTRA", "2026")]


def test_a_past_deadline_is_refused_until_the_late_start_is_ticked(client, db):
    login_ok(client, "tt.chuyenvien")
    refused = start_form(client, due_date="20/11/2026")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Hạn 20/11/2026 đã qua" in page
    assert 'name="late" value="1"' in page and "Khởi tạo muộn" in page
    assert 'value="20/11/2026"' in page  # what was typed stays
    assert instances(db) == []
    done = start_form(client, due_date="20/11/2026", late="1")
    assert done.status_code == 303
    history = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "khởi tạo muộn, sau hạn 20/11/2026" in history


def test_a_past_period_from_the_duty_list_offers_the_late_start(client, db):
    login_ok(client, "tt.chuyenvien")
    refused = start_duty(client, "HUE-TTHC-01", "TTRA", "2026", follow=False)
    assert refused.status_code == 400
    box = error_box(refused.get_data(as_text=True))
    assert "đã qua" in box.text_content()
    confirm = {i.get("name"): i.get("value") for i in box.xpath(".//form//input")}
    assert confirm["duty_id"] == "HUE-TTHC-01" and confirm["period"] == "2026" and confirm["late"] == "1"
    assert instances(db) == []
    done = client.post("/start/duty", data=confirm)
    assert done.status_code == 303 and ("HUE-TTHC-01", "TTRA", "2026") in instances(db)


@pytest.mark.parametrize(("change", "message"), [
    ({"period": "1900"}, "Kỳ 1900 nằm ngoài thời gian có thể khởi tạo (từ năm 2025 đến năm 2028)"),
    ({"period": "2030"}, "Kỳ 2030 nằm ngoài thời gian có thể khởi tạo (từ năm 2025 đến năm 2028)"),
    ({"due_date": "01/01/2099"}, "Hạn 01/01/2099 không hợp lý cho kỳ 2026"),
])
def test_years_and_dates_out_of_bounds_are_refused(client, db, change, message):
    login_ok(client, "tt.chuyenvien")
    response = start_form(client, **change)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert instances(db) == []


def test_the_start_form_without_csrf_token_creates_nothing(client, db):
    login_ok(client, "tt.chuyenvien")
    response = client.post("/start", data={"process_key": "legal_document_review", "lead_unit": "TTRA",
                                           "period": "2026", "late": "1"})
    assert response.status_code == 400 and instances(db) == []
