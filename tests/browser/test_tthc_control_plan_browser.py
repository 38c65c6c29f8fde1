"""End to end in a real Chromium: Huế's TTHC control plan (HUE-TTHC-01, Kế hoạch kiểm soát TTHC năm 2027).

The duty opens by itself on 01/12 for the next year and must be issued by 31/12 (process document_issuance:
draft → each supporting unit contributes → finalise → the Giám đốc approves or returns → issue and send). Here the
clock reads 01/12/2026 09:00 (Việt Nam time) and runs on from there in the test process and in `cchc load-demo` and
`cchc serve`, and the scheduler is run for plan "hue" the way the worker does, so the instance exists before anyone
logs in. Every step of the lead unit, two supporting units and the Giám đốc is done by clicking and typing in the
Vietnamese UI; the other supporting units answer through engine.service. Screenshots of the key pages go to
test-artifacts/ (gitignored).
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from engine import service
from engine.core import clock
from engine.core.db import Database
from tests.browser import support
from tests.browser.support import HUE, expect, expect_diagram, field_error, logout, submit_task, submit_task_refused

pytestmark = pytest.mark.browser

ORG = "syt-hue"
OTHER_ORG = "Sở Y tế tỉnh Quảng Ngãi"  # has a KHTC unit too, with the same demo login names

START = datetime(2026, 12, 1, 9, 0, tzinfo=clock.VN_TZ)  # the window of the 2027 plan opens on 01/12/2026
TITLE = "Xây dựng Kế hoạch kiểm soát TTHC năm 2027"
DRAFT = "Xây dựng dự thảo văn bản"
CONTRIBUTE = "Góp ý dự thảo văn bản"
FINALIZE = "Tiếp thu góp ý, hoàn thiện dự thảo trình ký"
APPROVE = "Xem xét, ký ban hành văn bản"
ISSUE = "Phát hành và gửi văn bản"
KHTC = "Phòng Kế hoạch - Tài chính"
NVY = "Phòng Nghiệp vụ Y"
DOCUMENT_TITLE = "Kế hoạch kiểm soát thủ tục hành chính năm 2027 của Sở Y tế tỉnh Thừa Thiên Huế"
RETURN_COMMENT = "Bổ sung chỉ tiêu số hóa hồ sơ TTHC và phân công cụ thể cho từng đơn vị trực thuộc."


class Case:
    """The live server and what the test process needs to act beside it (database, instance)."""

    def __init__(self, base: str, db: Database, instance_id: int):
        self.base, self.db, self.instance_id = base, db, instance_id

    @property
    def instance_url(self) -> str:
        return f"{self.base}/instances/{self.instance_id}"


@pytest.fixture(scope="module")
def case(live_server_factory):
    """A demo database served by `cchc serve` (no worker) on a clock that starts at 01/12/2026 09:00 in both
    processes, with the scheduler run for plan "hue"; the database is disposed of at teardown."""
    server = live_server_factory(start=START)
    db = Database(server.db_url)
    try:
        opened = service.run_scheduler(db, plan_keys={"hue"})  # what the worker's tick does on 01/12/2026
        ours = [o for o in opened if o.duty_id == "HUE-TTHC-01"]
        assert [(o.unit, o.period) for o in ours] == [("TTRA", "2027")], opened
        yield Case(server.base, db, ours[0].instance_id)
    finally:
        db.engine.dispose()


def shot(page, name: str) -> None:
    support.save_screenshot(page, f"tthc_plan_{name}")


def login(page, base: str, username: str, org: str = HUE) -> None:
    """support.login, and the server's footer shows the test's date."""
    support.login(page, base, username, org)
    expect(page.locator("footer")).to_have_text("Hôm nay: 01/12/2026")  # the server runs on the test's clock


def my_row(page, task: str):
    """The row of Việc của tôi for the work item `task` of this case (other duties have steps of the same name)."""
    page.get_by_role("navigation").get_by_role("link", name="Việc của tôi").click()
    return page.locator("table.list tbody tr").filter(
        has=page.get_by_role("link", name=TITLE, exact=True)).filter(
        has=page.get_by_role("link", name=task, exact=True))


def open_my_task(page, task: str) -> str:
    """Việc của tôi → this case's work item `task`; returns the task page URL."""
    row = my_row(page, task)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=task, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(task)
    expect(page.locator("p.crumbs")).to_have_text(TITLE)
    return page.url


def expect_done(page, task: str) -> None:
    expect(page.locator(".flash.success")).to_have_text(f"Đã hoàn thành: {task}")
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()


def info_card(page):
    return page.locator("section.card", has=page.get_by_role("heading", name="Thông tin hồ sơ"))


def contribute(page, case: Case, username: str, unit: str, agreement: str, comments: str = "") -> str:
    """Log in as a supporting unit, find its contribution in Việc của tôi, answer it; returns the task URL."""
    login(page, case.base, username)
    row = my_row(page, CONTRIBUTE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(unit)
    expect(row).to_contain_text("15/12/2026")  # the contribute_due the lead set in the draft
    expect(row).to_contain_text("Trong hạn")
    shot(page, f"04_worklist_{username.split('.')[0]}")
    url = open_my_task(page, CONTRIBUTE)
    expect(page.locator("dl.facts")).to_contain_text(unit)
    expect(info_card(page)).to_contain_text(DOCUMENT_TITLE)  # the draft the lead sent
    page.get_by_label(agreement, exact=True).check()
    if comments:
        page.get_by_label("Nội dung góp ý").fill(comments)
    submit_task(page)
    expect_done(page, CONTRIBUTE)
    expect(my_row(page, CONTRIBUTE)).to_have_count(0)
    logout(page)
    return url


def other_units_contribute(case: Case, done: set[str]) -> list[str]:
    """Every supporting unit not in `done` agrees with the draft through engine.service, as its chuyên viên;
    returns their unit codes."""
    logins = {code.split(" — ")[-1]: login for login, code in service.demo_logins(case.db, ORG)
              if login.endswith(".chuyenvien")}
    giamdoc = service.actor_for_login(case.db, "giamdoc", ORG)
    items = [i for i in service.instance_view(case.db, giamdoc, case.instance_id)["items"]
             if i.bpmn_id == "contribute" and i.state == "READY" and i.unit_code not in done]
    for item in items:
        who = service.actor_for_login(case.db, logins[item.unit_code], ORG)
        service.complete_task(case.db, who, item.task_id, {"agreement": "agree"})
    return [i.unit_code for i in items]


def test_tthc_control_plan_end_to_end(case, page):
    base = case.base

    # --- The scheduler opened the duty on 01/12/2026: Thanh tra Sở finds it in Việc của tôi ------------------
    login(page, base, "tt.chuyenvien")
    row = my_row(page, DRAFT)
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(2)).to_have_text("2027")
    expect(cells.nth(3)).to_have_text("Thanh tra Sở")
    expect(cells.nth(5)).to_have_text("31/12/2026")
    expect(cells.nth(6)).to_have_text("Trong hạn")
    shot(page, "01_worklist_tt")

    row.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert page.url == case.instance_url
    facts = page.locator("dl.facts")
    expect(facts.locator("dt:has-text('Đơn vị chủ trì') + dd")).to_have_text("Thanh tra Sở")
    expect(facts.locator("dt:has-text('Kỳ') + dd")).to_have_text("2027")
    expect(facts.locator("dt:has-text('Hạn') + dd")).to_contain_text("31/12/2026")
    expect(facts.locator("dt:has-text('Hạn') + dd")).to_contain_text("Trong hạn")
    expect(facts.locator("dt:has-text('Trạng thái') + dd")).to_contain_text("Đang thực hiện")
    expect(page.locator("#history")).to_contain_text("Hệ thống")  # opened by the scheduler, not by a person
    expect_diagram(page, completed=("start", "fork_deadline"), active=("draft", "wait_reminder"))
    shot(page, "02_instance_opened")

    # --- Draft: a submission with a required field empty keeps what was typed and says what is missing ------
    open_my_task(page, DRAFT)
    expect(page.locator("dl.facts")).to_contain_text("31/12/2026")
    page.get_by_label("Kế hoạch", exact=True).check()
    page.get_by_label("Trích yếu văn bản").fill(DOCUMENT_TITLE)
    page.get_by_label("Đường dẫn tệp dự thảo").fill("https://vanban.hue.gov.vn/syt/du-thao/kh-kstthc-2027.docx")
    page.get_by_label("Hạn góp ý của các đơn vị phối hợp").fill("15/12/2026")
    submit_task_refused(page)
    expect(field_error(page, "draft_summary")).to_have_text("Trường này là bắt buộc")
    expect(page.locator(".field.has-error")).to_have_count(1)
    expect(page.get_by_label("Kế hoạch", exact=True)).to_be_checked()
    expect(page.locator("#f-document_title")).to_have_value(DOCUMENT_TITLE)
    expect(page.locator("#f-draft_link")).to_have_value("https://vanban.hue.gov.vn/syt/du-thao/kh-kstthc-2027.docx")
    expect(page.locator("#f-contribute_due")).to_have_value("15/12/2026")
    expect(page.locator("#f-draft_summary")).to_have_value("")
    shot(page, "03_draft_errors")

    page.get_by_label("Nội dung chính của dự thảo").fill(
        "I. Mục đích, yêu cầu. II. Nội dung: rà soát, đánh giá TTHC; công khai TTHC; tiếp nhận phản ánh, kiến nghị; "
        "số hóa hồ sơ. III. Tổ chức thực hiện."
    )
    submit_task(page)
    expect_done(page, DRAFT)
    expect(my_row(page, DRAFT)).to_have_count(0)
    logout(page)

    # --- Two supporting units answer in the browser -----------------------------------------------------------
    khtc_task_url = contribute(
        page, case, "khtc.chuyenvien", KHTC, "Thống nhất, có ý kiến bổ sung",
        "Đề nghị bố trí kinh phí số hóa hồ sơ TTHC trong dự toán năm 2027.",
    )
    contribute(page, case, "nvy.chuyenvien", NVY, "Thống nhất với dự thảo")

    # --- A unit that has no part in this case (another Sở's KHTC, same login) sees nothing of it -----------------
    login(page, base, "khtc.chuyenvien", org=OTHER_ORG)
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_have_count(0)
    for url in (khtc_task_url, case.instance_url):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_contain_text("Không tìm thấy")
        expect(page.locator("form.task-form")).to_have_count(0)
        expect(page.locator("body")).not_to_contain_text(TITLE)
    shot(page, "05_other_unit_404")
    logout(page)

    # --- The other supporting units answer through the service (to keep the test short) ----------------------
    others = other_units_contribute(case, done={"KHTC", "NVY"})
    assert len(others) == 10 and {"VP", "TCCB", "NVD", "CDC"} <= set(others), others

    # --- Thanh tra finalises, with every unit's answer in front of it ----------------------------------------
    login(page, base, "tt.chuyenvien")
    page.goto(case.instance_url)
    expect_diagram(page, completed=("draft", "gw_has_supporting", "contribute"), active=("finalize_draft",))
    expect(page.locator("#steps tbody tr").filter(has_text=CONTRIBUTE)).to_have_count(12)
    shot(page, "06_instance_at_finalize")
    open_my_task(page, FINALIZE)
    side_by_side = page.locator("section.contributions")  # the units' answers, a column each
    expect(side_by_side).to_contain_text("các đơn vị phối hợp")
    expect(side_by_side).to_contain_text(KHTC)
    expect(side_by_side).to_contain_text(NVY)
    expect(side_by_side).to_contain_text("Đề nghị bố trí kinh phí số hóa hồ sơ TTHC")
    expect(page.locator("#f-document_title")).to_have_value(DOCUMENT_TITLE)  # carried over from the draft
    page.get_by_label("Nội dung dự thảo trình ký (tóm tắt)").fill(
        "Dự thảo Kế hoạch kiểm soát TTHC năm 2027, đã tiếp thu ý kiến của 12 đơn vị."
    )
    page.get_by_label("Giải trình, tiếp thu ý kiến góp ý").fill(
        "Tiếp thu ý kiến Phòng KHTC: bổ sung mục kinh phí số hóa hồ sơ TTHC."
    )
    shot(page, "07_finalize")
    submit_task(page)
    expect_done(page, FINALIZE)
    logout(page)

    # --- The Giám đốc returns the draft with a comment (which returning requires) -------------------------------
    login(page, base, "giamdoc")
    open_my_task(page, APPROVE)
    expect(info_card(page)).to_contain_text("đã tiếp thu ý kiến của 12 đơn vị")
    page.get_by_label("Trả lại để chỉnh sửa").check()
    submit_task(page)
    expect(field_error(page, "comment")).to_be_visible()
    expect(page.get_by_label("Trả lại để chỉnh sửa")).to_be_checked()
    page.get_by_label("Ý kiến của Lãnh đạo Sở").fill(RETURN_COMMENT)
    shot(page, "08_return")
    submit_task(page)
    expect_done(page, APPROVE)
    expect(my_row(page, APPROVE)).to_have_count(0)
    logout(page)

    # --- Thanh tra sees the comment and re-submits ----------------------------------------------------------------
    login(page, base, "tt.chuyenvien")
    row = my_row(page, FINALIZE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Trong hạn")
    open_my_task(page, FINALIZE)
    info = info_card(page)
    expect(info).to_contain_text(RETURN_COMMENT)
    expect(info).to_contain_text("Số lần đã trả lại: 1")
    expect(page.locator("#f-final_summary")).to_have_value(  # what was submitted last time
        "Dự thảo Kế hoạch kiểm soát TTHC năm 2027, đã tiếp thu ý kiến của 12 đơn vị."
    )
    shot(page, "09_rework")
    page.get_by_label("Nội dung đã chỉnh sửa theo ý kiến Lãnh đạo Sở (nếu có)").fill(
        "Đã bổ sung chỉ tiêu số hóa 100% hồ sơ TTHC và phân công cho từng đơn vị trực thuộc."
    )
    submit_task(page)
    expect_done(page, FINALIZE)
    page.goto(case.instance_url)
    expect_diagram(page, completed=("finalize_draft", "gw_decision", "count_return", "gw_return_limit"),
                   active=("approve",))  # returned once, submitted again
    logout(page)

    # --- The Giám đốc approves ------------------------------------------------------------------------------------
    login(page, base, "giamdoc")
    open_my_task(page, APPROVE)
    expect(info_card(page)).to_contain_text("Đã bổ sung chỉ tiêu số hóa 100% hồ sơ TTHC")
    expect(page.get_by_label("Phê duyệt, ký ban hành")).not_to_be_checked()  # the last decision is not prefilled
    page.get_by_label("Phê duyệt, ký ban hành").check()
    submit_task(page)
    expect_done(page, APPROVE)
    logout(page)

    # --- Thanh tra issues and sends the plan ----------------------------------------------------------------------
    login(page, base, "tt.chuyenvien")
    open_my_task(page, ISSUE)
    page.get_by_label("Số, ký hiệu văn bản").fill("3120/KH-SYT")
    page.get_by_label("Ngày ban hành").fill("01/12/2026")
    page.get_by_label("Nơi nhận").fill("UBND tỉnh; Văn phòng UBND tỉnh; các phòng chức năng; các đơn vị trực thuộc")
    page.get_by_label("Đường dẫn văn bản đã ban hành").fill("https://vanban.hue.gov.vn/syt/3120-KH-SYT.pdf")
    shot(page, "10_issue")
    submit_task(page)
    expect_done(page, ISSUE)
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_have_count(0)

    # --- The instance is finished on time, with its history and every step marked on the diagram ----------------
    page.get_by_role("link", name="Hồ sơ quy trình").click()
    page.get_by_role("link", name=TITLE, exact=True).click()
    assert page.url == case.instance_url
    facts = page.locator("dl.facts")
    expect(facts.locator("dt:has-text('Trạng thái') + dd")).to_contain_text("Đã kết thúc")
    expect(facts.locator("dt:has-text('Hạn') + dd")).to_contain_text("Hoàn thành đúng hạn")
    history = page.locator("#history li")
    expect(history.filter(has_text=DRAFT)).to_have_count(1)
    expect(history.filter(has_text=CONTRIBUTE)).to_have_count(12)
    expect(history.filter(has_text=FINALIZE)).to_have_count(2)
    expect(history.filter(has_text=APPROVE)).to_have_count(2)
    expect(history.filter(has_text=RETURN_COMMENT)).to_have_count(1)
    expect(history.filter(has_text=ISSUE)).to_have_count(1)
    for who in ("Chuyên viên Thanh tra Sở", "Chuyên viên Phòng Kế hoạch - Tài chính", "Chuyên viên Phòng Nghiệp vụ Y",
                "Giám đốc Sở"):  # people by name, never by login
        expect(page.locator("#history")).to_contain_text(who)
    expect(page.locator("#history")).not_to_contain_text("tt.chuyenvien")
    steps = page.locator("#steps tbody tr")
    expect(steps).to_have_count(18)  # draft, 12 contributions, finalise ×2, approve ×2, issue
    expect(steps.filter(has_text="Đang chờ xử lý")).to_have_count(0)
    expect(steps.filter(has_text="Quá hạn")).to_have_count(0)
    expect_diagram(page, completed=("start", "draft", "contribute", "finalize_draft", "approve", "count_return",
                                    "issue_and_send", "end_issued"))
    expect(page.locator("#diagram .cchc-active")).to_have_count(0)
    for never in ("finalize_by_approver", "handle_overdue"):
        expect(page.locator(f'#diagram .djs-element[data-element-id="{never}"]')).not_to_have_class(
            re.compile("cchc-"))
    shot(page, "11_instance_done")
