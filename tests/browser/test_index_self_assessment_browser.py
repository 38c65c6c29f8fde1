"""End to end in a real Chromium: the annual CCHC index self-assessment (Tự đánh giá, chấm điểm Chỉ số CCHC) of
Sở Y tế Thừa Thiên Huế, from the evidence batches to the dossier sent for appraisal and its .xlsx export.

A fresh demo database is loaded with `cchc load-demo` and `cchc serve` runs as a separate process. The duty is
started through the engine service exactly as the scheduler would (HUE-CS-01, Văn phòng Sở, 2027), and the batch
confirmations of the owner units that are not on screen are given through the service too; everything else is
done by clicking and typing in the Vietnamese UI. Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.browser import support
from tests.browser.support import expect, login, logout, open_my_task, submit_task, submit_task_refused

pytestmark = pytest.mark.browser

ORG = "syt-hue"

COLLECT = "Cung cấp tài liệu kiểm chứng theo đợt"
REVIEW = "Rà soát tài liệu kiểm chứng của đợt"
SELF_SCORE = "Tự chấm điểm"
APPROVE = "Xem xét, phê duyệt kết quả tự chấm điểm"
SUBMIT = "Gửi hồ sơ tự đánh giá để thẩm định"
OWNERS = ("tt.chuyenvien", "tccb.chuyenvien", "khtc.chuyenvien")  # Thanh tra, TCCB, KHTC own criteria
MISSING = "Tiêu chí chưa có tài liệu kiểm chứng: bắt buộc giải trình"

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
PDF_NAME = "Danh mục văn bản QPPL đã ban hành 2027.pdf"
LINK = "https://syt.thuathienhue.gov.vn/bao-cao-theo-doi-thi-hanh-phap-luat-2027"


@pytest.fixture
def db(live_server):
    """The live server's database, for what the scheduler and the off-screen units do."""
    from engine.core.db import Database

    database = Database(live_server.db_url)
    yield database
    database.engine.dispose()


def shot(page, name: str) -> None:
    support.save_screenshot(page, f"index_self_assessment_{name}")


def done(page, name: str) -> None:
    expect(page.locator(".flash.success")).to_have_text(f"Đã hoàn thành: {name}")


def coverage_row(page, code: str):
    return page.locator(f'#coverage tr[data-code="{code}"]')


def score_row(page, code: str):
    return page.locator(f'table.scores tr[data-code="{code}"]')


def confirm_batch(db, login_name: str, instance_id: int, number: int) -> None:
    """An owner unit confirms its batch through the service (what it would do on its own task page)."""
    from engine import service

    who = service.actor_for_login(db, login_name, ORG)
    (item,) = [i for i in service.my_work_items(db, who) if i.bpmn_id == "collect_evidence"
               and i.instance_id == instance_id]
    service.complete_task(db, who, item.task_id, {"batch_confirmed": True,
                                                  "batch_note": f"Đợt {number}: đã gửi đủ tài liệu kiểm chứng"})


def review_batch(page, base: str, number: int, note: str, missing: str = "") -> None:
    """Văn phòng Sở reviews batch `number` on its task page."""
    login(page, base, "vp.chuyenvien")
    open_my_task(page, REVIEW)
    expect(page.locator("#evidence .batch-status")).to_contain_text(f"Đang thu thập Đợt {number}")
    expect(coverage_row(page, "2.1").locator("td.count")).to_have_text("1")
    expect(coverage_row(page, "1.1")).to_have_class(re.compile(r"\bmissing\b"))
    if number == 1:
        shot(page, "03_review_batch_1")
    page.get_by_label("Nhận xét về mức độ đầy đủ của tài liệu kiểm chứng").fill(note)
    if missing:
        page.get_by_label("Tiêu chí đề nghị bổ sung tài liệu kiểm chứng").fill(missing)
    submit_task(page)
    done(page, REVIEW)
    logout(page)


def vn(x: float) -> str:
    """A number as the UI writes it: 1.75 -> '1,75'."""
    return f"{x:g}".replace(".", ",")


def open_areas(page) -> None:
    """Open every area of the self-score table (they are <details>, the first one open)."""
    areas = page.locator("details.score-area")
    for i in range(areas.count()):
        if areas.nth(i).get_attribute("open") is None:
            areas.nth(i).locator("summary").first.click()


def fill_scores(page) -> dict[str, float]:
    """Every criterion scored a quarter point under its maximum, typed with a decimal comma; returns the scores."""
    open_areas(page)
    typed = {}
    rows = page.locator("table.scores tbody tr")
    for i in range(rows.count()):
        row = rows.nth(i)
        code = row.get_attribute("data-code")
        score_input = row.locator("input.score-input")
        top = float(score_input.get_attribute("data-max").replace(",", "."))
        typed[code] = top - 0.25 if top >= 1 else top
        score_input.fill(vn(typed[code]))
    return typed


def test_index_self_assessment_end_to_end(live_server, db, page, tmp_path):
    from openpyxl import load_workbook

    from engine import service

    base = live_server.base
    # --- the scheduler's part: HUE-CS-01 for 2027, Văn phòng Sở as the focal unit -----------------------------
    vp_actor = service.actor_for_login(db, "vp.chuyenvien", ORG)
    inst = service.start_duty(db, vp_actor, "HUE-CS-01", "VP", "2027")
    instance_url = f"{base}/instances/{inst.id}"

    # --- Thanh tra Sở (owner of 2.1, 2.2 …) provides evidence in batch 1 --------------------------------------
    login(page, base, "tt.chuyenvien")
    open_my_task(page, COLLECT)
    panel = page.locator("#evidence")
    expect(panel.locator(".batch-status")).to_contain_text("Đang thu thập Đợt 1 (hạn 30/06/2027)")
    expect(coverage_row(page, "2.1")).to_contain_text("Thanh tra Sở")
    expect(coverage_row(page, "2.1")).to_have_class(re.compile(r"\bmissing\b"))
    expect(coverage_row(page, "1.1").locator("details.add-evidence")).to_have_count(0)  # Văn phòng's criterion

    row = coverage_row(page, "2.1")
    row.locator("summary", has_text="Thêm tài liệu kiểm chứng").click()
    row.get_by_label("Tệp tài liệu (tiêu chí 2.1)").set_input_files(
        files=[{"name": "Ảnh chụp đổi tên.pdf", "mimeType": "application/pdf", "buffer": PNG}])
    row.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".flash.error")).to_contain_text("không phải tệp PDF hợp lệ (đuôi tệp không khớp với nội dung)")
    expect(page.locator("#evidence-list")).to_have_count(0)  # nothing stored
    shot(page, "01_upload_refused")

    row = coverage_row(page, "2.1")  # a file over 10 MB is stopped before it is sent
    row.locator("summary", has_text="Thêm tài liệu kiểm chứng").click()
    row.get_by_label("Tệp tài liệu (tiêu chí 2.1)").set_input_files(
        files=[{"name": "Quá lớn.pdf", "mimeType": "application/pdf", "buffer": PDF + b"0" * (10 * 1024 * 1024)}])
    row.get_by_role("button", name="Tải lên").click()
    expect(row.locator(".evidence-upload .error")).to_have_text(
        'Tệp "Quá lớn.pdf" quá lớn (10,0 MB); tối đa 10 MB mỗi tệp.')

    row.get_by_label("Tệp tài liệu (tiêu chí 2.1)").set_input_files(  # the form is still open: the right file
        files=[{"name": PDF_NAME, "mimeType": "application/pdf", "buffer": PDF}])
    row.get_by_label("Tiêu đề tệp").fill("Danh mục văn bản QPPL tham mưu ban hành năm 2027")
    row.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã tải lên tài liệu kiểm chứng cho tiêu chí 2.1")
    expect(page.get_by_role("heading", level=1)).to_have_text(COLLECT)  # back on the task page

    row = coverage_row(page, "2.2")
    row.locator("summary", has_text="Thêm tài liệu kiểm chứng").click()
    row.get_by_label("Đường link (tiêu chí 2.2)").fill(LINK)
    row.get_by_label("Tiêu đề đường link").fill("Báo cáo theo dõi thi hành pháp luật năm 2027")
    row.get_by_role("button", name="Thêm đường link").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã thêm đường link kiểm chứng cho tiêu chí 2.2")

    listed = page.locator("#evidence-list tbody tr")
    expect(listed).to_have_count(2)
    pdf_row = listed.filter(has_text=PDF_NAME)
    for text in ("Danh mục văn bản QPPL tham mưu ban hành năm 2027", "Thanh tra Sở", "Đợt 1",
                 "Chuyên viên Thanh tra Sở"):
        expect(pdf_row).to_contain_text(text)
    expect(pdf_row).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"))
    expect(listed.filter(has_text="Báo cáo theo dõi thi hành pháp luật").get_by_role("link", name=LINK)).to_be_visible()
    expect(coverage_row(page, "2.1").locator("td.count")).to_have_text("1")
    with page.expect_download() as downloading:
        pdf_row.get_by_role("link", name="Tải về").click()
    download = downloading.value
    assert download.suggested_filename == PDF_NAME
    assert Path(download.path()).read_bytes() == PDF
    shot(page, "02_evidence_uploaded")

    page.get_by_label("Xác nhận đơn vị đã cung cấp đầy đủ tài liệu kiểm chứng của đợt").check()
    page.get_by_label("Ghi chú của đơn vị").fill("Đã gửi danh mục văn bản QPPL (2.1) và báo cáo thi hành pháp luật "
                                                 "(2.2); các tiêu chí 2.3, 3.x bổ sung ở đợt 2.")
    submit_task(page)
    done(page, COLLECT)
    logout(page)

    # --- the other owners confirm batch 1; Văn phòng reviews each batch ----------------------------------------
    for owner in OWNERS[1:]:
        confirm_batch(db, owner, inst.id, 1)
    review_batch(page, base, 1, "Đợt 1: Thanh tra đã gửi 2 tài liệu; các đơn vị còn lại chưa có tài liệu.",
                 missing="5.2\n6.1")
    for number in (2, 3):
        for owner in OWNERS:
            confirm_batch(db, owner, inst.id, number)
        review_batch(page, base, number, f"Đợt {number}: đã rà soát, chưa có tài liệu bổ sung.")

    # --- Văn phòng self-scores: first without explanations, then with them ---------------------------------
    login(page, base, "vp.chuyenvien")
    score_url = open_my_task(page, SELF_SCORE)
    expect(page.locator("#evidence .batch-status")).to_contain_text("Ngoài các đợt thu thập")
    expect(score_row(page, "2.1").locator("td").nth(3)).to_have_text("1")
    expect(score_row(page, "1.1").get_by_label("Giải trình tiêu chí 1.1")).to_have_attribute("required", "")
    typed = fill_scores(page)
    summary = "Sở Y tế tự chấm các tiêu chí theo tài liệu kiểm chứng đã thu thập qua 3 đợt năm 2027."
    page.get_by_label("Tóm tắt kết quả tự đánh giá").fill(summary)
    submit_task_refused(page)
    expect(score_row(page, "1.1").locator(".error")).to_have_text(MISSING)
    expect(score_row(page, "8.2").locator(".error")).to_have_text(MISSING)
    expect(score_row(page, "2.1").locator(".error")).to_have_count(0)
    expect(score_row(page, "2.2").locator(".error")).to_have_count(0)
    expect(page.locator("#f-scores > .error")).to_contain_text("tiêu chí chưa hợp lệ")
    expect(score_row(page, "1.1").locator("input.score-input")).to_have_value(vn(typed["1.1"]))  # kept
    expect(page.get_by_label("Tóm tắt kết quả tự đánh giá")).to_have_value(summary)
    score_row(page, "1.1").scroll_into_view_if_needed()
    shot(page, "04_self_score_errors")

    missing_rows = page.locator("table.scores tbody tr.missing")
    assert missing_rows.count() == len(typed) - 2  # all but 2.1 and 2.2
    for i in range(missing_rows.count()):
        missing_rows.nth(i).locator("input[name$='.explanation']").fill("Chưa có tài liệu kiểm chứng; đang bổ sung.")
    submit_task(page)
    done(page, SELF_SCORE)
    logout(page)

    # --- Giám đốc returns it once with a comment -------------------------------------------------------------
    login(page, base, "giamdoc")
    open_my_task(page, APPROVE)
    expect(page.locator("#coverage thead")).to_contain_text("Điểm tự chấm")
    expect(coverage_row(page, "2.1").locator("td.score")).to_contain_text(vn(typed["2.1"]))
    expect(page.locator("#evidence .coverage-summary")).to_contain_text("Tổng điểm tự chấm")
    expect(page.locator("#evidence details.add-evidence")).to_have_count(0)  # the approver reads only
    page.get_by_label("Trả lại để chỉnh sửa").check()
    comment = "Tiêu chí 1.1 chưa có kế hoạch kiểm chứng: chấm lại tối đa 1 điểm."
    page.get_by_label("Ý kiến của Lãnh đạo Sở").fill(comment)
    shot(page, "05_approve_return")
    submit_task(page)
    done(page, APPROVE)
    logout(page)

    # --- Văn phòng re-scores from the last scores --------------------------------------------------------------
    login(page, base, "vp.chuyenvien")
    assert open_my_task(page, SELF_SCORE) != score_url  # a new round of the step
    expect(page.locator("section.card", has=page.get_by_role("heading", name="Thông tin hồ sơ"))).to_contain_text(
        comment)
    expect(score_row(page, "1.1").locator("input.score-input")).to_have_value(vn(typed["1.1"]))
    expect(score_row(page, "1.1").locator("input[name$='.explanation']")).to_have_value(
        "Chưa có tài liệu kiểm chứng; đang bổ sung.")
    expect(page.get_by_label("Tóm tắt kết quả tự đánh giá")).to_have_value(summary)
    score_row(page, "1.1").locator("input.score-input").fill("1")
    score_row(page, "1.1").locator("input[name$='.explanation']").fill("Chấm lại theo ý kiến Lãnh đạo Sở.")
    page.get_by_label("Nội dung đã chỉnh sửa theo ý kiến Lãnh đạo Sở (nếu có)").fill("Tiêu chí 1.1: hạ xuống 1 điểm.")
    shot(page, "06_self_score_rework")
    submit_task(page)
    done(page, SELF_SCORE)
    logout(page)

    # --- Giám đốc approves ---------------------------------------------------------------------------------------
    login(page, base, "giamdoc")
    open_my_task(page, APPROVE)
    expect(coverage_row(page, "1.1").locator("td.score")).to_contain_text("1")
    page.get_by_label("Phê duyệt kết quả tự chấm điểm").check()
    submit_task(page)
    done(page, APPROVE)
    logout(page)

    # --- Văn phòng sends the dossier for appraisal and exports it ----------------------------------------------
    login(page, base, "vp.chuyenvien")
    open_my_task(page, SUBMIT)
    page.get_by_label("Số, ký hiệu công văn gửi").fill("1234/SYT-VP")
    page.get_by_label("Ngày gửi").fill("10/12/2027")
    expect(page.get_by_label("Cơ quan thẩm định")).to_have_value("Sở Nội vụ")
    submit_task(page)
    done(page, SUBMIT)

    page.goto(instance_url)
    expect(page.locator("dl.facts dt:has-text('Trạng thái') + dd")).to_contain_text("Đã kết thúc")
    expect(page.locator("#evidence .batch-status")).to_contain_text("Hồ sơ đã kết thúc")
    expect(page.locator("#evidence details.add-evidence")).to_have_count(0)
    expect(page.locator("#evidence-list")).not_to_contain_text("Rút")
    expect(page.locator("#history")).to_contain_text("Thêm tài liệu kiểm chứng")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Xuất hồ sơ tự đánh giá (.xlsx)").click()
    export = downloading.value
    assert export.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(export.path()).read_bytes()))
    assert book.sheetnames == ["Tự chấm điểm", "Tài liệu kiểm chứng"]
    body = {r[1]: r for r in book["Tự chấm điểm"].iter_rows(values_only=True)}
    assert body["1.1"][4] == 1 and body["1.1"][5] == "Chấm lại theo ý kiến Lãnh đạo Sở."
    assert body["2.1"][4] == typed["2.1"] and body["2.1"][6] == 1
    files = [(r[0], r[3], r[5]) for r in list(book["Tài liệu kiểm chứng"].iter_rows(values_only=True))[1:]]
    assert files == [("2.1", 1, PDF_NAME), ("2.2", 1, LINK)]
    shot(page, "07_instance_submitted")
