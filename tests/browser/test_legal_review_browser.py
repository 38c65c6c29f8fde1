"""End to end in a real Chromium: the legal-document review (Rà soát văn bản QPPL) from start to issued report.

A fresh demo database is loaded with `cchc load-demo`, `cchc serve` runs as a separate process, and every step
is done by clicking and typing in the Vietnamese UI as the demo users would. Screenshots of the key pages go to
test-artifacts/ (gitignored).
"""

from __future__ import annotations

import re

import pytest

from tests.browser import support
from tests.browser.support import expect, field_error, login, logout, open_my_task, submit_task, submit_task_refused

pytestmark = pytest.mark.browser

START_REVIEW = "Khởi động rà soát văn bản QPPL"
CONTRIBUTE = "Rà soát văn bản thuộc lĩnh vực của đơn vị"
CONSOLIDATE = "Tổng hợp, xây dựng báo cáo kết quả rà soát"
APPROVE = "Xem xét, phê duyệt báo cáo"
KHTC = "Phòng Kế hoạch - Tài chính"
NVY = "Phòng Nghiệp vụ Y"


def shot(page, name: str) -> None:
    support.save_screenshot(page, f"legal_review_{name}")


def expect_diagram(page, completed: tuple[str, ...] = (), active: tuple[str, ...] = ()) -> None:
    """support.expect_diagram, and the diagram's legend names both markings."""
    support.expect_diagram(page, completed, active)
    legend = page.locator("#diagram .diagram-legend")
    expect(legend).to_contain_text("Đã hoàn thành")
    expect(legend).to_contain_text("Đang chờ xử lý")


def contribute(page, base: str, username: str, unit: str, count: int, documents: list[str], proposals: str) -> str:
    """Log in as a supporting unit, find its contribution in Việc của tôi, fill it in; returns the task URL."""
    login(page, base, username)
    row = page.locator("table.list tbody tr", has=page.get_by_role("link", name=CONTRIBUTE, exact=True))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(unit)
    expect(row).to_contain_text("20/12/2026")  # the contribute_due set in Khởi động
    shot(page, f"04_worklist_{username.split('.')[0]}")
    url = open_my_task(page, CONTRIBUTE)
    expect(page.locator(".doc")).to_be_visible()
    page.get_by_label("Số văn bản đã rà soát").fill(str(count))
    page.get_by_label("Số văn bản cần sửa đổi, bổ sung").fill("1")
    page.get_by_label("Danh mục văn bản đã rà soát").fill("\n".join(documents))
    page.get_by_label("Kiến nghị, đề xuất").fill(proposals)
    submit_task(page)
    expect(page.locator(".flash.success")).to_have_text(f"Đã hoàn thành: {CONTRIBUTE}")
    expect(page.get_by_role("link", name=CONTRIBUTE, exact=True)).to_have_count(0)
    logout(page)
    return url


def test_legal_document_review_end_to_end(live_server, page):
    base = live_server.base

    # --- Thanh tra Sở starts the duty for 2026 with two supporting units --------------------------------
    login(page, base, "tt.chuyenvien")
    page.get_by_role("link", name="Khởi tạo nhiệm vụ").click()
    expect(page.get_by_role("heading", name="Khởi tạo nhiệm vụ")).to_be_visible()
    process = page.locator("select[name=process_key]")
    process.select_option("legal_document_review")
    expect(process.locator("option:checked")).to_have_text(re.compile(r"^Rà soát, hệ thống hóa văn bản QPPL"))
    page.get_by_label("Kỳ (năm)").fill("2026")
    boxes = page.locator("input[name=supporting_units]")
    assert boxes.count() >= 3
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if box.get_attribute("value") in ("KHTC", "NVY"):
            box.check()
        else:
            box.uncheck()
    expect(page.get_by_label(KHTC)).to_be_checked()
    expect(page.get_by_label(NVY)).to_be_checked()
    expect(page.get_by_label("Phòng Nghiệp vụ Dược")).not_to_be_checked()
    shot(page, "01_start_form")
    page.get_by_role("button", name="Khởi tạo").click()

    page.wait_for_url(re.compile(r"/instances/\d+$"))
    instance_url = page.url
    expect(page.locator(".flash.success")).to_contain_text("Đã khởi tạo")
    title = page.get_by_role("heading", level=1).inner_text()
    # (started from the process, it becomes the plan's duty for Thanh tra and 2026, under the duty's title)
    assert "rà soát, hệ thống hóa văn bản qppl" in title.lower() and title.endswith("2026"), title
    expect(page.locator("dl.facts")).to_contain_text("Thanh tra Sở")
    expect(page.locator("dl.facts")).to_contain_text("Đang thực hiện")
    expect(page.locator("#steps")).to_contain_text(START_REVIEW)
    expect_diagram(page, completed=("start",), active=("start_review", "wait_reminder"))
    expect(page.locator('#diagram .djs-element[data-element-id="approve"]')).not_to_have_class(
        re.compile("cchc-"))
    expect(page.locator('#diagram [data-element-id="lane_supporting"]')).to_contain_text("Đơn vị phối hợp")
    shot(page, "02_instance_started")

    # --- Khởi động: a bad submission keeps what was typed and says what is wrong ------------------------
    open_my_task(page, START_REVIEW)
    instructions = "Các phòng gửi danh mục văn bản kèm ý kiến đề xuất xử lý."
    page.get_by_label("Hạn gửi kết quả của đơn vị phối hợp").fill("31/02/2026")
    page.get_by_label("Hướng dẫn cho các đơn vị phối hợp").fill(instructions)
    submit_task_refused(page)
    expect(field_error(page, "contribute_due")).to_have_text("Ngày không hợp lệ (nhập dd/mm/yyyy)")
    expect(page.locator("#f-contribute_due")).to_have_value("31/02/2026")
    expect(page.locator("#f-instructions")).to_have_value(instructions)
    expect(page.locator("#f-scope")).to_have_value("")
    shot(page, "03_start_review_errors")

    scope = (
        "Văn bản QPPL về y tế dự phòng, khám bệnh, chữa bệnh, dược – mỹ phẩm và tài chính y tế "
        "do HĐND, UBND tỉnh ban hành"
    )
    page.get_by_label("Phạm vi rà soát").fill(scope)
    page.get_by_label("Hạn gửi kết quả của đơn vị phối hợp").fill("20/12/2026")
    submit_task(page)
    expect(page.locator(".flash.success")).to_have_text(f"Đã hoàn thành: {START_REVIEW}")
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    logout(page)

    # --- KHTC contributes ----------------------------------------------------------------------------------
    khtc_task_url = contribute(
        page,
        base,
        "khtc.chuyenvien",
        KHTC,
        5,
        [
            "Quyết định 12/2021/QĐ-UBND về giá dịch vụ khám bệnh, chữa bệnh",
            "Nghị quyết 08/2022/NQ-HĐND về mức chi hỗ trợ y tế cơ sở",
        ],
        "Đề nghị sửa đổi Quyết định 12/2021/QĐ-UBND cho phù hợp Luật Khám bệnh, chữa bệnh 2023.",
    )

    # --- NVD is not a supporting unit here: nothing in its worklist, and the KHTC task is a 404 ------------
    login(page, base, "nvd.chuyenvien")
    expect(page.get_by_role("link", name=CONTRIBUTE, exact=True)).to_have_count(0)
    response = page.goto(khtc_task_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("Không tìm thấy")
    expect(page.locator("form.task-form")).to_have_count(0)
    shot(page, "05_nvd_404")
    logout(page)

    # --- NVY contributes -----------------------------------------------------------------------------------
    contribute(
        page,
        base,
        "nvy.chuyenvien",
        NVY,
        7,
        ["Quyết định 25/2020/QĐ-UBND về quản lý hành nghề y tư nhân"],
        "Đề nghị bãi bỏ Quyết định 25/2020/QĐ-UBND do đã hết hiệu lực thực tế.",
    )

    # --- Thanh tra consolidates, seeing both units' results ------------------------------------------------
    login(page, base, "tt.chuyenvien")
    page.goto(instance_url)
    expect_diagram(page, completed=("start_review", "contribute"), active=("consolidate",))
    shot(page, "06_instance_at_consolidate")
    open_my_task(page, CONSOLIDATE)
    info = page.locator("section.card", has=page.get_by_role("heading", name="Thông tin hồ sơ"))
    side_by_side = page.locator("section.contributions")  # the units' results, a column each
    expect(side_by_side).to_contain_text("Kết quả rà soát của đơn vị")
    expect(side_by_side).to_contain_text(KHTC)
    expect(side_by_side).to_contain_text(NVY)
    expect(side_by_side).to_contain_text("Đề nghị sửa đổi Quyết định 12/2021/QĐ-UBND")
    expect(side_by_side).to_contain_text("Đề nghị bãi bỏ Quyết định 25/2020/QĐ-UBND")
    expect(info).to_contain_text(scope)
    expect(page.get_by_label("Tên báo cáo")).to_have_value(
        "Báo cáo kết quả công tác rà soát, hệ thống hóa văn bản QPPL"
    )
    shot(page, "06_consolidate")
    page.get_by_label("Tổng số văn bản đã rà soát").fill("12")
    page.get_by_label("Nội dung báo cáo (tóm tắt)").fill(
        "Đã rà soát 12 văn bản; kiến nghị sửa đổi 2 văn bản, bãi bỏ 1 văn bản."
    )
    submit_task(page)
    expect(page.locator(".flash.success")).to_have_text(f"Đã hoàn thành: {CONSOLIDATE}")
    logout(page)

    # --- Giám đốc approves -----------------------------------------------------------------------------------
    login(page, base, "giamdoc")
    open_my_task(page, APPROVE)
    expect(page.locator("section.card", has=page.get_by_role("heading", name="Thông tin hồ sơ"))).to_contain_text(
        "Đã rà soát 12 văn bản")
    page.get_by_label("Phê duyệt, ban hành").check()
    shot(page, "07_approve")
    submit_task(page)
    expect(page.locator(".flash.success")).to_have_text(f"Đã hoàn thành: {APPROVE}")
    expect(page.get_by_role("link", name=APPROVE, exact=True)).to_have_count(0)

    # --- The instance is finished, with its history ------------------------------------------------------
    page.get_by_role("link", name="Hồ sơ quy trình").click()
    page.get_by_role("link", name=title, exact=True).click()
    assert page.url == instance_url
    facts = page.locator("dl.facts")
    expect(facts.locator("dt:has-text('Trạng thái') + dd")).to_contain_text("Đã kết thúc")
    history = page.locator("#history li")
    for step in (START_REVIEW, CONSOLIDATE, APPROVE):
        expect(history.filter(has_text=step)).to_have_count(1)
    expect(history.filter(has_text=CONTRIBUTE)).to_have_count(2)
    # People by full name, never by login.
    expect(page.locator("#history")).to_contain_text("Chuyên viên Phòng Kế hoạch - Tài chính — Hoàn thành")
    expect(page.locator("#history")).to_contain_text("Chuyên viên Phòng Nghiệp vụ Y — Hoàn thành")
    expect(page.locator("#history")).not_to_contain_text("khtc.chuyenvien")
    steps = page.locator("#steps tbody tr")
    expect(steps).to_have_count(5)
    expect(steps.filter(has_text="Đang chờ xử lý")).to_have_count(0)
    expect_diagram(page, completed=("start_review", "contribute", "consolidate", "approve", "issue", "end_issued"))
    expect(page.locator("#diagram .cchc-active")).to_have_count(0)
    shot(page, "08_instance_done")


def test_all_field_errors_shown_at_once(live_server, page):
    """Empty required 'Phạm vi rà soát' and an impossible date in one submission: both fields get their error."""
    login(page, live_server.base, "tt.chuyenvien")
    page.get_by_role("link", name="Khởi tạo nhiệm vụ").click()
    page.locator("select[name=process_key]").select_option("legal_document_review")
    page.get_by_label("Kỳ (năm)").fill("2027")
    page.get_by_role("button", name="Khởi tạo").click()
    page.wait_for_url(re.compile(r"/instances/\d+$"))
    page.locator("#steps").get_by_role("link", name=START_REVIEW).click()
    page.get_by_label("Hạn gửi kết quả của đơn vị phối hợp").fill("31/02/2027")
    submit_task(page)
    expect(field_error(page, "contribute_due")).to_have_text("Ngày không hợp lệ (nhập dd/mm/yyyy)")
    expect(field_error(page, "scope")).to_be_visible(timeout=2_000)
