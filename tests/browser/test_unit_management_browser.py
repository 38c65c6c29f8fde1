"""In a real Chromium: a Trưởng phòng claims, releases and reassigns a step of the unit, and the unit review sends
a chuyên viên's contribution back with a comment (the legal review, deployed with unit_review switched on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import service
from engine.core.db import Database
from tests.browser import support
from tests.browser.support import expect, login, logout, open_my_task, submit_task
from tests.helpers import complete, start_review

pytestmark = pytest.mark.browser

CONTRIBUTE = "Rà soát văn bản thuộc lĩnh vực của đơn vị"
REVIEW = f"Duyệt kết quả của đơn vị: {CONTRIBUTE}"
CV_NAME = "Chuyên viên Phòng Kế hoạch - Tài chính"
HEAD_NAME = "Trưởng phòng Phòng Kế hoạch - Tài chính"


def _open_review(db_url: str, folder: Path) -> None:
    """Beside the UI: the legal review with the unit review on, started and opened to the supporting units."""
    db = Database(db_url)
    try:
        source = service.PROCESSES_DIR / "legal_document_review" / "legal_document_review.bpmn"
        path = folder / "legal_document_review.bpmn"
        path.write_text(source.read_text(encoding="utf-8").replace(
            '<camunda:property name="reminder_working_days" value="5" />',
            '<camunda:property name="reminder_working_days" value="5" />'
            '<camunda:property name="unit_review" value="true" />', 1), encoding="utf-8")
        service.deploy_file(db, path)

        def actor(login):
            return service.actor_for_login(db, login, "syt-hue")
        inst = start_review(db, actor, period="2026", supporting=("KHTC",))
        complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
                 {"scope": "Văn bản QPPL lĩnh vực y tế", "contribute_due": "2026-12-30"})
    finally:
        db.engine.dispose()


def test_head_claims_releases_reassigns_and_returns_the_contribution(live_server, page, tmp_path):
    _open_review(live_server.db_url, tmp_path)
    base = live_server.base
    panel = page.locator("#claim-panel")

    # --- The Trưởng phòng claims the step, gives it back, then gives it to the chuyên viên -----------------
    login(page, base, "khtc.truongphong")
    open_my_task(page, CONTRIBUTE)
    expect(panel).to_contain_text("Chưa có người nhận")
    panel.get_by_role("button", name="Nhận xử lý").click()
    expect(page.locator(".flash.success")).to_have_text("Bạn đã nhận xử lý công việc này.")
    expect(panel).to_contain_text(f"Đang xử lý: {HEAD_NAME} (bạn)")
    panel.get_by_role("button", name="Trả lại cho đơn vị").click()
    expect(page.locator(".flash.success")).to_have_text("Đã trả công việc về cho đơn vị.")
    expect(panel).to_contain_text("Chưa có người nhận")
    panel.get_by_label("Giao cho").select_option(label=CV_NAME)
    panel.get_by_role("button", name="Giao việc").click()
    expect(page.locator(".flash.success")).to_have_text(f"Đã giao công việc cho {CV_NAME}.")
    expect(panel).to_contain_text(f"Đang xử lý: {CV_NAME}")
    support.save_screenshot(page, "unit_management_01_reassigned")
    logout(page)

    # --- The chuyên viên submits; it waits for the Trưởng phòng --------------------------------------------
    login(page, base, "khtc.chuyenvien")
    open_my_task(page, CONTRIBUTE)
    expect(panel).to_contain_text(f"Đang xử lý: {CV_NAME} (bạn)")
    page.get_by_label("Số văn bản đã rà soát").fill("4")
    page.get_by_label("Kiến nghị, đề xuất").fill("Đề nghị sửa Quyết định 12/2020")
    submit_task(page)
    expect(page.locator(".flash.success")).to_have_text(f"Đã gửi trưởng phòng duyệt: {CONTRIBUTE}")
    expect(page.get_by_role("link", name=CONTRIBUTE, exact=True)).to_have_count(0)
    logout(page)

    # --- The Trưởng phòng returns it with a comment ---------------------------------------------------------
    login(page, base, "khtc.truongphong")
    open_my_task(page, REVIEW)
    expect(panel).to_contain_text("Kết quả chờ trưởng phòng duyệt")
    expect(page.locator("main")).to_contain_text("Đề nghị sửa Quyết định 12/2020")
    panel.get_by_role("button", name="Trả lại người thực hiện").click()
    expect(page.locator(".flash.error")).to_contain_text("Vui lòng ghi rõ nội dung cần sửa")
    panel.get_by_label("Nội dung cần sửa").fill("Bổ sung danh mục văn bản đã rà soát")
    panel.get_by_role("button", name="Trả lại người thực hiện").click()
    expect(page.locator(".flash.success")).to_have_text("Đã trả lại kết quả cho người thực hiện.")
    logout(page)

    # --- The chuyên viên has the task back, with the comment and what they wrote ---------------------------
    login(page, base, "khtc.chuyenvien")
    open_my_task(page, CONTRIBUTE)
    expect(panel.locator(".review-comment")).to_contain_text("trả lại: Bổ sung danh mục văn bản đã rà soát")
    expect(page.get_by_label("Kiến nghị, đề xuất")).to_have_value("Đề nghị sửa Quyết định 12/2020")
    support.save_screenshot(page, "unit_management_02_returned")
