"""The task page in a real Chromium, on the legal-document review: a contribution's draft left by one person of
the unit and resumed by another, who attaches a file and comments before submitting; the lead, seeing the
contributions side by side, sends that unit's contribution back; the unit resubmits and the lead sees the new
answer. The steps before the contributions are done through the engine (they are tested elsewhere)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine import service
from engine.core import clock
from tests.browser.support import expect, login, logout, open_my_task, submit_task

pytestmark = pytest.mark.browser

CONTRIBUTE = "Rà soát văn bản thuộc lĩnh vực của đơn vị"
CONSOLIDATE = "Tổng hợp, xây dựng báo cáo kết quả rà soát"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def db(live_server):
    from engine.core.db import Database

    database = Database(live_server.db_url)
    yield database
    database.engine.dispose()


def _done_by_engine(db, login_name: str, bpmn_id: str, instance_id: int, data: dict) -> None:
    who = service.actor_for_login(db, login_name, "syt-hue")
    item = next(i for i in service.my_work_items(db, who) if i.bpmn_id == bpmn_id and i.instance_id == instance_id)
    service.complete_task(db, who, item.task_id, data)


def test_draft_attachment_comment_and_a_contribution_sent_back(live_server, page, db):
    base = live_server.base
    tt = service.actor_for_login(db, "tt.chuyenvien", "syt-hue")
    inst = service.start_instance(db, tt, "legal_document_review", lead_unit="TTRA", period="2031",
                                  supporting_units=["KHTC", "NVY"])
    due = (clock.today_local() + timedelta(days=1)).isoformat()
    _done_by_engine(db, "tt.chuyenvien", "start_review", inst.id, {"scope": "Văn bản QPPL", "contribute_due": due})
    _done_by_engine(db, "khtc.chuyenvien", "contribute", inst.id,
                    {"documents_reviewed": 6, "documents_to_amend": 2, "proposals": "Sửa đổi QĐ 12/2020"})

    # --- a staff member of Nghiệp vụ Y types part of the contribution and saves a draft ----------------------
    login(page, base, "nvy.chuyenvien")
    open_my_task(page, CONTRIBUTE)
    page.get_by_label("Số văn bản đã rà soát").fill("3")
    page.get_by_label("Kiến nghị, đề xuất").fill("Chưa xong: còn rà soát QĐ 5/2022")
    page.locator("form.task-form").get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".flash.success")).to_have_text("Đã lưu nháp.")
    logout(page)

    # --- the head of the unit resumes it, attaches a file, comments, submits ----------------------------------
    login(page, base, "nvy.truongphong")
    open_my_task(page, CONTRIBUTE)
    expect(page.locator(".notice.draft")).to_contain_text("bởi Chuyên viên Phòng Nghiệp vụ Y")
    expect(page.get_by_label("Số văn bản đã rà soát")).to_have_value("3")
    page.get_by_label("Thêm tệp").set_input_files(
        files=[{"name": "Danh mục rà soát.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator("#attachments").get_by_role("button", name="Tải lên").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã đính kèm tệp «Danh mục rà soát.pdf»")
    expect(page.locator("#attachments").get_by_role("link", name="Danh mục rà soát.pdf")).to_be_visible()
    page.get_by_label("Ý kiến của bạn").fill("Đề nghị <b>gia hạn</b> 2 ngày")
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.locator(".comment-body")).to_have_text("Đề nghị <b>gia hạn</b> 2 ngày")  # shown as typed
    expect(page.get_by_label("Số văn bản đã rà soát")).to_have_value("3")  # the draft is still there
    page.get_by_label("Kiến nghị, đề xuất").fill("Đề nghị bãi bỏ QĐ 5/2022")
    submit_task(page)
    expect(page.locator(".flash.success")).to_have_text(f"Đã hoàn thành: {CONTRIBUTE}")
    logout(page)

    # --- the lead sees both contributions side by side and sends Nghiệp vụ Y's back ---------------------------
    login(page, base, "tt.chuyenvien")
    open_my_task(page, CONSOLIDATE)
    table = page.locator("table.side-by-side")
    expect(table.locator("thead")).to_contain_text("Phòng Kế hoạch - Tài chính")
    expect(table.locator("thead")).to_contain_text("Phòng Nghiệp vụ Y")
    expect(table.locator("tr", has_text="Số văn bản cần sửa đổi, bổ sung")).to_contain_text("2")
    expect(table.locator("tr", has_text="Kiến nghị, đề xuất")).to_contain_text("Đề nghị bãi bỏ QĐ 5/2022")
    page.locator("form.send-back select").select_option("NVY")
    page.get_by_label("Nội dung cần chỉnh sửa").fill("Bổ sung danh mục văn bản đã rà soát")
    page.get_by_role("button", name="Trả lại đơn vị").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã trả lại kết quả của Phòng Nghiệp vụ Y")
    expect(page.locator(".notice.waiting")).to_contain_text("Phòng Nghiệp vụ Y")
    expect(page.locator("form.task-form")).to_have_count(0)
    logout(page)

    # --- Nghiệp vụ Y has its task again, with the comment, and resubmits --------------------------------------
    login(page, base, "nvy.chuyenvien")
    open_my_task(page, CONTRIBUTE)
    expect(page.locator(".notice.rework")).to_contain_text("Bổ sung danh mục văn bản đã rà soát")
    expect(page.get_by_label("Kiến nghị, đề xuất")).to_have_value("Đề nghị bãi bỏ QĐ 5/2022")
    page.get_by_label("Danh mục văn bản đã rà soát").fill("QĐ 5/2022/QĐ-UBND\nQĐ 9/2023/QĐ-UBND")
    submit_task(page)
    expect(page.locator(".flash.success")).to_have_text(f"Đã hoàn thành: {CONTRIBUTE}")
    logout(page)

    # --- the lead's consolidation is open again, with the revised contribution -------------------------------
    login(page, base, "tt.chuyenvien")
    open_my_task(page, CONSOLIDATE)
    expect(page.locator("table.side-by-side tr", has_text="Danh mục văn bản đã rà soát")).to_contain_text(
        "QĐ 9/2023/QĐ-UBND")
    expect(page.locator("form.task-form")).to_have_count(1)
