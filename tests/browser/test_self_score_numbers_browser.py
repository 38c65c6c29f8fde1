"""In a real Chromium: a chuyên viên of Văn phòng Sở types self-scores with a decimal comma ("1,5", "0,5"), watches
the live total, is refused once (a score the server will not read, an empty summary), then sends; what is stored
and shown is "1,5" and "0,5", never 15 or 5.

The duty is started and its three evidence batches run through the engine service (as in
test_index_self_assessment_browser.py); the self-score is typed in the Vietnamese UI."""

from __future__ import annotations

import pytest

from tests.browser import support
from tests.browser.support import expect, login, open_my_task, submit_task, submit_task_refused

pytestmark = pytest.mark.browser

ORG = "syt-hue"
SELF_SCORE = "Tự chấm điểm"
OWNERS = ("tt.chuyenvien", "tccb.chuyenvien", "khtc.chuyenvien")


@pytest.fixture
def db(live_server):
    from engine.core.db import Database

    database = Database(live_server.db_url)
    yield database
    database.engine.dispose()


def to_self_score(db) -> int:
    """HUE-CS-01 for 2027 with its three batches confirmed and reviewed: the self-score is Văn phòng's."""
    from engine import service

    def finish(login_name: str, bpmn_id: str, data: dict) -> None:
        who = service.actor_for_login(db, login_name, ORG)
        for item in service.my_work_items(db, who):
            if item.bpmn_id == bpmn_id and item.instance_id == inst.id:
                service.complete_task(db, who, item.task_id, data)

    inst = service.start_duty(db, service.actor_for_login(db, "vp.chuyenvien", ORG), "HUE-CS-01", "VP", "2027")
    for number in (1, 2, 3):
        for owner in OWNERS:
            finish(owner, "collect_evidence", {"batch_confirmed": True, "batch_note": f"Đợt {number}"})
        finish("vp.chuyenvien", "review_batch", {"coverage_note": f"Đợt {number}: đã rà soát"})
    return inst.id


def row(page, code: str):
    return page.locator(f'table.scores tr[data-code="{code}"]')


def test_decimal_comma_scores_are_stored_and_shown_as_typed_with_a_live_total(live_server, db, page):
    from engine import service

    instance_id = to_self_score(db)
    login(page, live_server.base, "vp.chuyenvien")
    open_my_task(page, SELF_SCORE)
    total = page.locator("#live-total")
    expect(total).to_have_text("0")
    expect(page.locator("#coverage")).to_have_count(0)  # each criterion once: in the scoring table
    areas = page.locator("details.score-area")
    for i in range(areas.count()):  # collapsed by area; open them all to score
        if areas.nth(i).get_attribute("open") is None:
            areas.nth(i).locator("summary").first.click()
    rows = page.locator("table.scores tbody tr")
    codes = [rows.nth(i).get_attribute("data-code") for i in range(rows.count())]
    for code in codes:
        row(page, code).locator("input[name$='.explanation']").fill("Chưa có tài liệu kiểm chứng; đang bổ sung.")

    row(page, "1.2").locator("input.score-input").fill("1,5")
    expect(total).to_have_text("1,5")
    row(page, "8.1").locator("input.score-input").fill("0,5")
    expect(total).to_have_text("2")  # live, with the server's rule
    area_8 = page.locator('details.score-area[data-area="8"] output.area-sum')
    expect(area_8).to_have_text("0,5")
    row(page, "8.2").locator("input.score-input").fill("1.500")  # ambiguous: not counted, flagged
    expect(page.locator(".invalid-note")).to_be_visible()
    expect(total).to_have_text("2")
    support.save_screenshot(page, "self_score_numbers_01_live_total")

    submit_task_refused(page)  # the summary is empty, 8.2 cannot be read, the others are not scored: all at once
    expect(row(page, "8.2").locator(".error")).to_contain_text("Điểm: không rõ “1.500” là 1500 hay 1,5")
    expect(row(page, "1.1").locator(".error")).to_have_text("Chưa chấm điểm tiêu chí này")
    expect(support.field_error(page, "summary")).to_have_text("Trường này là bắt buộc")
    expect(row(page, "1.2").locator("input.score-input")).to_have_value("1,5")  # what was typed stays
    expect(row(page, "8.1").locator("input.score-input")).to_have_value("0,5")
    expect(total).to_have_text("2")  # computed on load too
    support.save_screenshot(page, "self_score_numbers_02_refused")

    areas = page.locator("details.score-area")
    for i in range(areas.count()):
        if areas.nth(i).get_attribute("open") is None:
            areas.nth(i).locator("summary").first.click()
    for code in codes:
        if code not in ("1.2", "8.1"):
            row(page, code).locator("input.score-input").fill("0")
    expect(page.locator(".invalid-note")).to_be_hidden()
    expect(total).to_have_text("2")
    page.get_by_label("Tóm tắt kết quả tự đánh giá").fill("Tự chấm điểm Chỉ số CCHC năm 2027.")
    submit_task(page)
    expect(page.locator(".flash.success")).to_have_text(f"Đã hoàn thành: {SELF_SCORE}")

    who = service.actor_for_login(db, "giamdoc", ORG)
    from engine.plugins.index_self_assessment import api
    stored = api.evidence_panel(db, who, instance_id)["self_score"]
    assert stored["scores"]["1.2"]["score"] == 1.5 and stored["scores"]["8.1"]["score"] == 0.5
    assert stored["total_score"] == 2
    page.goto(f"{live_server.base}/instances/{instance_id}")
    expect(page.locator('#coverage tr[data-code="1.2"] td.score')).to_contain_text("1,5")
    expect(page.locator('#coverage tr[data-code="8.1"] td.score')).to_contain_text("0,5")
    expect(page.locator("#evidence .coverage-summary")).to_contain_text("Tổng điểm tự chấm: 2 /")
    support.save_screenshot(page, "self_score_numbers_03_stored")
