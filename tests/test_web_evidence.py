"""The index self-assessment in the web app (Flask test client): evidence panel, uploads, links, withdrawal,
downloads, the per-criterion self-score form and the .xlsx export."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import undefer

from engine import service
from engine.core.models import Evidence
from engine.plugins.index_self_assessment import api
from tests.helpers import complete, open_item
from tests.test_index_self_assessment import DOCX, JPEG, PDF, PNG, XLSX, param_id, resolved, run_batch, start
from tests.web_helpers import login, token
from web.evidence import MAX_REQUEST_BYTES

SELF_SCORE = "Tự chấm điểm"
MISSING = "Tiêu chí chưa có tài liệu kiểm chứng: bắt buộc giải trình"


def rows(db, instance_id) -> list[Evidence]:
    with db.session() as s:
        found = list(s.scalars(select(Evidence).where(Evidence.instance_id == instance_id).order_by(Evidence.id)
                               .options(undefer(Evidence.content))))
    return found


def tr(html: str, code: str, after: str = "") -> str:
    """The first table row for criterion `code` (after the text `after`, to pick a table)."""
    start_at = html.index(after) if after else 0
    match = re.search(rf'<tr[^>]*data-code="{re.escape(code)}"[^>]*>.*?</tr>', html[start_at:], re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def flashes(html: str) -> list[str]:
    return re.findall(r'<div class="flash [a-z]+" role="status">(.*?)</div>', html, re.S)


def collect_page(client, db, actor, login_name="tt.chuyenvien"):
    """(instance, task URL, page HTML): the owner unit's collect_evidence step of a fresh self-assessment."""
    inst = start(db, actor)
    item = open_item(db, actor(login_name), "collect_evidence", inst.id)
    login(client, login_name)
    url = f"/tasks/{item.task_id}"
    return inst, url, client.get(url).get_data(as_text=True)


def upload(client, instance_id, page, code, filename, data, title="", back="", with_token=True):
    form = {"criterion": code, "title": title, "next": back, "file": (io.BytesIO(data), filename)}
    if with_token:
        form["csrf_token"] = token(page)
    return client.post(f"/instances/{instance_id}/evidence/file", data=form, content_type="multipart/form-data")


# --- the panel -------------------------------------------------------------------------------------------------

def test_instance_page_shows_coverage_evidence_and_export(client, db, actor):
    inst = start(db, actor)
    login(client, "vp.chuyenvien")
    html = client.get(f"/instances/{inst.id}").get_data(as_text=True)
    assert "Tài liệu kiểm chứng" in html and "Đang thu thập <strong>Đợt 1</strong> (hạn 30/06/2027)" in html
    assert "0/33 tiêu chí đã có tài liệu kiểm chứng" in html.replace("<strong>", "").replace("</strong>", "")
    assert len(re.findall(r'<tr class="criterion', html)) == len(resolved())
    assert "2. Cải cách thể chế" in html  # criteria grouped by area
    row = tr(html, "2.1", 'id="coverage"')
    assert "Tham mưu ban hành văn bản QPPL" in row and "Thanh tra Sở" in row and ">3<" in row
    assert 'class="criterion missing"' in row and "Chưa có" in row
    assert "1,5" in tr(html, "1.2", 'id="coverage"')  # max points with a decimal comma
    # The focal unit may add to every criterion: one upload and one link form per criterion.
    assert html.count('class="evidence-upload"') == len(resolved()) == html.count('class="evidence-link"')
    assert 'accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg"' in html and 'enctype="multipart/form-data"' in html
    assert "Xuất hồ sơ tự đánh giá (.xlsx)" in html and f"/instances/{inst.id}/exports/self-assessment.xlsx" in html
    assert "Chưa có tài liệu kiểm chứng nào" in html


def test_owner_unit_gets_forms_for_its_own_criteria_only(client, db, actor):
    inst, url, html = collect_page(client, db, actor, "khtc.chuyenvien")
    owned = {c["code"] for c in resolved() if c["owner_unit"] == "KHTC"}
    assert owned and html.count('class="evidence-upload"') == len(owned)
    assert 'id="ev-file-6_1"' in tr(html, "6.1", 'id="coverage"')
    assert "evidence-upload" not in tr(html, "2.1", 'id="coverage"')
    assert "Cung cấp tài liệu kiểm chứng theo đợt" in html and 'name="batch_note"' in html
    login(client, "giamdoc")
    html = client.get(f"/instances/{inst.id}").get_data(as_text=True)
    assert 'id="coverage"' in html and "evidence-upload" not in html  # the approver reads, does not add


def test_other_processes_have_no_evidence_panel(client, db, actor):
    from tests.helpers import start_review

    inst = start_review(db, actor)
    login(client, "tt.chuyenvien")
    html = client.get(f"/instances/{inst.id}").get_data(as_text=True)
    assert 'id="evidence"' not in html and "Xuất hồ sơ tự đánh giá" not in html
    item = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    assert 'id="evidence"' not in client.get(f"/tasks/{item.task_id}").get_data(as_text=True)
    assert client.get(f"/instances/{inst.id}/self-assessment.xlsx").status_code == 400
    assert client.get(f"/instances/{inst.id}/exports/self-assessment.xlsx").status_code == 400
    assert client.get(f"/instances/{inst.id}/exports/no-such-export").status_code == 404


# --- uploads ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("filename, data, content_type", [
    ("Danh mục văn bản QPPL.pdf", PDF, "application/pdf"),
    ("Báo cáo rà soát.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Số liệu TTHC.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("Ảnh niêm yết.png", PNG, "image/png"),
    ("Ảnh sổ theo dõi.jpg", JPEG, "image/jpeg"),
    ("Biên bản kiểm tra.JPEG", JPEG, "image/jpeg"),
], ids=param_id)
def test_each_allowed_type_is_uploaded_from_the_task_page(client, db, actor, filename, data, content_type):
    inst, url, page = collect_page(client, db, actor)
    response = upload(client, inst.id, page, "2.1", filename, data, "Tài liệu kiểm chứng 2.1", back=url)
    assert response.status_code == 303 and response.headers["Location"] == f"{url}#evidence"
    html = client.get(url).get_data(as_text=True)
    assert flashes(html) == [f"Đã tải lên tài liệu kiểm chứng cho tiêu chí 2.1: Tài liệu kiểm chứng 2.1 ({filename})."]
    (row,) = rows(db, inst.id)
    assert (row.filename, row.content_type, row.content, row.batch) == (filename, content_type, data, 1)
    listed = tr(html, "2.1", 'id="evidence-list"')
    for text in ("Tài liệu kiểm chứng 2.1", filename, "Thanh tra Sở", "Đợt 1", actor("tt.chuyenvien").full_name,
                 "01/12/2026 09:00", f"/evidence/{row.id}/download", f"/evidence/{row.id}/withdraw"):
        assert text in listed, text
    assert "<td>tt.chuyenvien</td>" not in listed  # the uploader by name, not by login
    coverage = tr(html, "2.1", 'id="coverage"')
    assert "missing" not in coverage and '<td class="count">1</td>' in coverage


BIG_BUT_ACCEPTED_BY_FLASK = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)  # 10 MB + 9 bytes: the engine says no


@pytest.mark.parametrize("login_name, code, filename, data, message", [
    ("tt.chuyenvien", "2.1", "chuong_trinh.exe", b"MZ\x90\x00", "chỉ nhận tệp PDF, DOCX, XLSX, PNG, JPEG"),
    ("tt.chuyenvien", "2.1", "anh_doi_ten.pdf", PNG, "không phải tệp PDF hợp lệ (đuôi tệp không khớp với nội dung)"),
    ("tt.chuyenvien", "2.1", "bang_tinh.docx", XLSX, "không phải tệp DOCX hợp lệ"),
    ("tt.chuyenvien", "2.1", "qua_lon.pdf", BIG_BUT_ACCEPTED_BY_FLASK, "quá lớn (10.0 MB); tối đa 10 MB mỗi tệp"),
    ("tt.chuyenvien", "2.1", "rong.pdf", b"", "rỗng, không có nội dung"),
    ("khtc.chuyenvien", "2.1", "cua_thanh_tra.pdf", PDF, "Chỉ đơn vị phụ trách tiêu chí 2.1 (Thanh tra Sở)"),
], ids=param_id)
def test_refused_uploads_are_flashed_and_nothing_is_stored(client, db, actor, login_name, code, filename, data,
                                                            message):
    inst, url, page = collect_page(client, db, actor, login_name)
    response = upload(client, inst.id, page, code, filename, data, back=url)
    assert response.status_code == 303
    (flash,) = flashes(client.get(url).get_data(as_text=True))
    assert flash.startswith("Chưa lưu tài liệu: ") and message in flash, flash
    assert rows(db, inst.id) == []


def test_upload_without_a_file_says_so(client, db, actor):
    inst, url, page = collect_page(client, db, actor)
    response = client.post(f"/instances/{inst.id}/evidence/file", data={
        "csrf_token": token(page), "criterion": "2.1", "next": url}, content_type="multipart/form-data")
    assert response.status_code == 303
    assert flashes(client.get(url).get_data(as_text=True)) == ["Chưa chọn tệp tài liệu kiểm chứng cho tiêu chí 2.1."]


def test_oversize_request_gets_a_vietnamese_page_not_a_crash(client, db, actor):
    inst, url, page = collect_page(client, db, actor)
    response = upload(client, inst.id, page, "2.1", "qua_lon.pdf", b"%PDF-1.7\n" + b"0" * MAX_REQUEST_BYTES, back=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in html and "tối đa 10 MB" in html and "chưa được lưu" in html
    assert rows(db, inst.id) == []


def test_upload_without_csrf_token_is_refused(client, db, actor):
    inst, url, page = collect_page(client, db, actor)
    response = upload(client, inst.id, page, "2.1", "a.pdf", PDF, back=url, with_token=False)
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    link = client.post(f"/instances/{inst.id}/evidence/link", data={
        "criterion": "2.2", "url": "https://syt.gov.vn/a", "title": "Bài viết"})
    assert link.status_code == 400
    assert rows(db, inst.id) == []


def test_another_sở_or_a_bystander_unit_gets_404_and_stores_nothing(client, db, actor):
    inst = start(db, actor)
    login(client, "tt.chuyenvien", org="syt-thanh-hoa")
    page = client.get("/").get_data(as_text=True)
    assert upload(client, inst.id, page, "2.1", "a.pdf", PDF).status_code == 404
    client.post("/logout", data={"csrf_token": token(page)})
    login(client, "nvy.chuyenvien")  # Huế, but Nghiệp vụ Y owns no criterion and has no step here
    page = client.get("/").get_data(as_text=True)
    assert upload(client, inst.id, page, "2.1", "a.pdf", PDF).status_code == 404
    assert client.post(f"/instances/{inst.id}/evidence/link", data={
        "csrf_token": token(page), "criterion": "2.1", "url": "https://a.vn", "title": "x"}).status_code == 404
    assert rows(db, inst.id) == []


def test_unsafe_next_is_not_followed(client, db, actor):
    inst, url, page = collect_page(client, db, actor)
    response = upload(client, inst.id, page, "2.1", "a.pdf", PDF, back="//evil.example/x")
    assert response.headers["Location"] == f"/instances/{inst.id}#evidence"


# --- links and withdrawal --------------------------------------------------------------------------------------

def test_links_are_added_and_bad_ones_refused(client, db, actor):
    inst, url, page = collect_page(client, db, actor)
    response = client.post(f"/instances/{inst.id}/evidence/link", data={
        "csrf_token": token(page), "criterion": "2.2", "next": url,
        "url": "https://syt.thuathienhue.gov.vn/bao-cao-thi-hanh-phap-luat", "title": "Báo cáo thi hành pháp luật"})
    assert response.status_code == 303
    html = client.get(url).get_data(as_text=True)
    assert flashes(html) == ["Đã thêm đường link kiểm chứng cho tiêu chí 2.2: Báo cáo thi hành pháp luật."]
    listed = tr(html, "2.2", 'id="evidence-list"')
    assert 'href="https://syt.thuathienhue.gov.vn/bao-cao-thi-hanh-phap-luat"' in listed
    assert 'rel="noopener noreferrer"' in listed and "/download" not in listed
    for bad, message in (("javascript:alert(1)", "http:// hoặc https://"), ("", "Chưa nhập đường link")):
        client.post(f"/instances/{inst.id}/evidence/link", data={
            "csrf_token": token(page), "criterion": "2.2", "next": url, "url": bad, "title": "x"})
        (flash,) = flashes(client.get(url).get_data(as_text=True))
        assert flash.startswith("Chưa lưu đường link: ") and message in flash
    assert [r.kind for r in rows(db, inst.id)] == ["link"]


def test_uploader_withdraws_own_evidence(client, db, actor):
    inst, url, page = collect_page(client, db, actor)
    upload(client, inst.id, page, "2.1", "Danh mục.pdf", PDF, back=url)
    (row,) = rows(db, inst.id)
    client.post("/logout", data={"csrf_token": token(page)})

    login(client, "khtc.chuyenvien")  # a participant: sees the row, has no withdraw button, may not withdraw
    html = client.get(f"/instances/{inst.id}").get_data(as_text=True)
    assert "Danh mục.pdf" in html and f"/evidence/{row.id}/withdraw" not in html
    client.post(f"/evidence/{row.id}/withdraw", data={"csrf_token": token(html), "next": f"/instances/{inst.id}"})
    (flash,) = flashes(client.get(f"/instances/{inst.id}").get_data(as_text=True))
    assert "Chỉ đơn vị đã cung cấp tài liệu hoặc đơn vị đầu mối" in flash
    assert not rows(db, inst.id)[0].withdrawn
    client.post("/logout", data={"csrf_token": token(html)})

    login(client, "tt.chuyenvien")
    page = client.get(url).get_data(as_text=True)
    response = client.post(f"/evidence/{row.id}/withdraw", data={"csrf_token": token(page), "next": url})
    assert response.status_code == 303 and response.headers["Location"] == f"{url}#evidence"
    html = client.get(url).get_data(as_text=True)
    assert flashes(html) == ["Đã rút tài liệu kiểm chứng của tiêu chí 2.1: Danh mục."]
    assert 'id="evidence-list"' not in html and "Chưa có tài liệu kiểm chứng nào" in html
    assert "missing" in tr(html, "2.1", 'id="coverage"')
    assert rows(db, inst.id)[0].withdrawn  # kept, flagged
    assert "Rút tài liệu kiểm chứng" in client.get(f"/instances/{inst.id}").get_data(as_text=True)  # history


# --- downloads -------------------------------------------------------------------------------------------------

def test_download_sends_the_stored_bytes_with_safe_headers(client, db, actor):
    inst, url, page = collect_page(client, db, actor)
    name = "Danh mục văn bản QPPL 2027.pdf"
    upload(client, inst.id, page, "2.1", name, PDF, back=url)
    (row,) = rows(db, inst.id)
    for who in ("tt.chuyenvien", "giamdoc", "vp.chuyenvien", "khtc.chuyenvien"):
        client.post("/logout", data={"csrf_token": token(client.get("/").get_data(as_text=True))})
        login(client, who)
        response = client.get(f"/evidence/{row.id}/download")
        assert response.status_code == 200, who
        assert response.data == PDF and response.mimetype == "application/pdf"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and f"filename*=UTF-8''{quote(name)}" in disposition
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"]


def test_download_and_export_are_404_for_a_foreign_sở_or_unit(client, db, actor):
    inst = start(db, actor)
    row = api.add_evidence_file(db, actor("tt.chuyenvien"), inst.id, "2.1", "a.pdf", PDF)
    login(client, "nvy.chuyenvien")
    assert client.get(f"/evidence/{row.id}/download").status_code == 404
    assert client.get(f"/instances/{inst.id}/self-assessment.xlsx").status_code == 404
    assert client.get(f"/instances/{inst.id}").status_code == 404
    client.post("/logout", data={"csrf_token": token(client.get("/").get_data(as_text=True))})
    login(client, "giamdoc", org="syt-thanh-hoa")
    assert client.get(f"/evidence/{row.id}/download").status_code == 404
    assert client.get(f"/instances/{inst.id}/self-assessment.xlsx").status_code == 404
    assert client.get("/evidence/999999/download").status_code == 404


def test_a_link_has_nothing_to_download(client, db, actor):
    inst = start(db, actor)
    row = api.add_evidence_link(db, actor("tt.chuyenvien"), inst.id, "2.2", "https://a.vn/x", "Bài viết")
    login(client, "tt.chuyenvien")
    assert client.get(f"/evidence/{row.id}/download").status_code == 404


# --- the self-score form ---------------------------------------------------------------------------------------

def to_self_score(db, actor, instance_id):
    """Three batches reviewed (with evidence for 2.1 in batch 1): the self-score is the focal unit's."""
    api.add_evidence_file(db, actor("tt.chuyenvien"), instance_id, "2.1", "Danh mục.pdf", PDF)
    for number in (1, 2, 3):
        run_batch(db, actor, instance_id, number)
    return open_item(db, actor("vp.chuyenvien"), "self_score", instance_id)


def score_form(page: str, scores: dict, explanations: dict, summary="Tổng hợp kết quả tự chấm điểm năm 2027"):
    form = {"csrf_token": token(page), "summary": summary}
    for code, value in scores.items():
        form[f"scores.{code}.score"] = value
    for code, text in explanations.items():
        form[f"scores.{code}.explanation"] = text
    return form


def test_self_score_table_shows_every_criterion_with_its_evidence(client, db, actor):
    inst = start(db, actor)
    item = to_self_score(db, actor, inst.id)
    login(client, "vp.chuyenvien")
    html = client.get(f"/tasks/{item.task_id}").get_data(as_text=True)
    table = html[html.index('class="list small scores"'):]
    assert len(re.findall(r"<tr data-code=", table)) == len(resolved())
    row = tr(table, "2.1")
    assert "Tham mưu ban hành văn bản QPPL" in row and "<td>3</td>" in row and '<td class="count">1</td>' in row
    # A text input read by the one number parser: a number input would not take "1,5" the same in every browser.
    assert 'type="number"' not in row and 'inputmode="decimal"' in row and 'data-max="3"' in row
    assert 'name="scores.2.1.explanation"' in row and "required" not in row
    missing = tr(table, "1.2")
    assert "Chưa có" in missing and 'required aria-required="true"' in missing and "<td>1,5</td>" in missing
    assert 'id="f-total_score"' in html and 'name="total_score"' not in html  # computed by the engine
    assert 'id="evidence"' in html  # the panel too
    # Each criterion once: the panel leaves its coverage table to the scoring table, grouped by area.
    assert 'id="coverage"' not in html and len(re.findall(r'<tr data-code="2\.1"', html)) == 1
    areas = re.findall(r'<details class="score-area" data-area="([^"]+)"( open)?>', html)
    assert [a for a, _ in areas] == list(dict.fromkeys(c["area_code"] for c in resolved()))
    assert [bool(o) for _, o in areas] == [True] + [False] * (len(areas) - 1)  # the first area open
    total = sum(c["max_points"] for c in resolved())
    assert re.search(rf'<output id="live-total" data-max="{total:g}">0</output></strong> / {total:g}', html)
    assert html.count("evidence.js") == 1  # the live total and the upload check, loaded once (no inline script)


def test_self_score_errors_per_criterion_keep_what_was_typed_then_success(client, db, actor):
    inst = start(db, actor)
    item = to_self_score(db, actor, inst.id)
    criteria = resolved()
    login(client, "vp.chuyenvien")
    url = f"/tasks/{item.task_id}"
    page = client.get(url).get_data(as_text=True)
    scores = {c["code"]: f"{c['max_points'] - 0.25:g}".replace(".", ",") for c in criteria}
    scores.update({"1.2": "0.3", "3.2": "5", "1.3": "", "1.4": "nhiều", "1.6": "nan"})
    response = client.post(url, data=score_form(page, scores, {"1.2": "x", "3.2": "y", "1.5": "Đang bổ sung"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    table = html[html.index('class="list small scores"'):]
    assert "Điểm phải là bội số của 0,25 (ví dụ 0,25; 0,5; 0,75)" in tr(table, "1.2")
    assert "Điểm phải từ 0 đến 2" in tr(table, "3.2")
    assert "Chưa chấm điểm tiêu chí này" in tr(table, "1.3")
    assert "Điểm phải là một số" in tr(table, "1.4") and "Điểm phải là một số" in tr(table, "1.6")
    assert MISSING in tr(table, "1.1") and MISSING in tr(table, "8.2")
    assert 'class="error"' not in tr(table, "2.1") and 'class="error"' not in tr(table, "1.5")
    bad = len([c for c in criteria if c["code"] not in ("2.1", "1.5")])
    assert f"Có {bad} tiêu chí chưa hợp lệ" in html
    # What was typed stays as typed: scores, explanations, summary.
    assert 'value="0.3"' in tr(table, "1.2") and 'value="x"' in tr(table, "1.2")
    assert 'value="1,75"' in tr(table, "1.1") and 'value="Đang bổ sung"' in tr(table, "1.5")
    assert "Tổng hợp kết quả tự chấm điểm năm 2027" in html
    assert open_item(db, actor("vp.chuyenvien"), "self_score", inst.id).state == "READY"

    good = {c["code"]: f"{c['max_points'] - 0.25:g}" for c in criteria}
    explanations = {c["code"]: "Chưa có tài liệu, đang bổ sung" for c in criteria if c["code"] != "2.1"}
    response = client.post(url, data=score_form(page, good, explanations))
    assert response.status_code == 303
    assert f"Đã hoàn thành: {SELF_SCORE}" in client.get("/").get_data(as_text=True)
    data = api.evidence_panel(db, actor("giamdoc"), inst.id)["self_score"]
    assert data["scores"]["2.1"] == {"score": 2.75, "explanation": ""}
    assert data["scores"]["1.1"] == {"score": 1.75, "explanation": "Chưa có tài liệu, đang bổ sung"}
    assert data["total_score"] == round(sum(c["max_points"] - 0.25 for c in criteria), 2)

    # The approver sees the scores in the panel, returns; the rework opens with the last scores.
    login(client, "giamdoc")
    approve = open_item(db, actor("giamdoc"), "approve", inst.id)
    html = client.get(f"/tasks/{approve.task_id}").get_data(as_text=True)
    assert "<th>Điểm tự chấm</th>" in html and "2,75" in tr(html, "2.1", 'id="coverage"')
    assert "Tổng điểm tự chấm" in html
    complete(db, actor("giamdoc"), "approve", inst.id, {"decision": "return", "comment": "Tiêu chí 1.1 chấm quá cao"})
    login(client, "vp.chuyenvien")
    rework = open_item(db, actor("vp.chuyenvien"), "self_score", inst.id)
    html = client.get(f"/tasks/{rework.task_id}").get_data(as_text=True)
    table = html[html.index('class="list small scores"'):]
    assert 'value="1,75"' in tr(table, "1.1") and 'value="Chưa có tài liệu, đang bổ sung"' in tr(table, "1.1")
    assert "Tiêu chí 1.1 chấm quá cao" in html


def test_other_fields_are_checked_with_the_scores_kept(client, db, actor):
    inst = start(db, actor)
    item = to_self_score(db, actor, inst.id)
    login(client, "vp.chuyenvien")
    url = f"/tasks/{item.task_id}"
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data=score_form(page, {"1.1": "2"}, {"1.1": "Giải trình"}, summary=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Trường này là bắt buộc" in html
    assert 'value="2"' in tr(html, "1.1", 'class="list small scores"')
    assert open_item(db, actor("vp.chuyenvien"), "self_score", inst.id).state == "READY"


def test_an_empty_self_score_form_reports_every_error_in_one_round(client, db, actor):
    inst = start(db, actor)
    item = to_self_score(db, actor, inst.id)
    login(client, "vp.chuyenvien")
    url = f"/tasks/{item.task_id}"
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data=score_form(page, {}, {}, summary=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Trường này là bắt buộc" in html  # the summary …
    table = html[html.index('class="list small scores"'):]
    for c in resolved():  # … and every criterion, at once
        assert "Chưa chấm điểm tiêu chí này" in tr(table, c["code"]), c["code"]
    assert f"Có {len(resolved())} tiêu chí chưa hợp lệ" in html
    assert open_item(db, actor("vp.chuyenvien"), "self_score", inst.id).state == "READY"


@pytest.mark.parametrize(("typed", "stored", "shown"), [("1,5", 1.5, "1,5"), ("0,5", 0.5, "0,5"), ("1.5", 1.5, "1,5")])
def test_a_decimal_comma_score_is_stored_as_typed_never_tenfold(client, db, actor, typed, stored, shown):
    inst = start(db, actor)
    item = to_self_score(db, actor, inst.id)
    login(client, "vp.chuyenvien")
    url = f"/tasks/{item.task_id}"
    page = client.get(url).get_data(as_text=True)
    scores = {c["code"]: "0" for c in resolved()}
    scores["8.1"] = typed  # maximum 8: "1,5" read as 15 was refused, "0,5" read as 5 was stored
    explanations = {c["code"]: "Chưa có" for c in resolved() if c["code"] != "2.1"}
    assert client.post(url, data=score_form(page, scores, explanations)).status_code == 303
    data = api.evidence_panel(db, actor("giamdoc"), inst.id)["self_score"]
    assert data["scores"]["8.1"]["score"] == stored and data["total_score"] == stored
    login(client, "giamdoc")
    html = client.get(f"/instances/{inst.id}").get_data(as_text=True)
    assert f'<td class="score">{shown}' in tr(html, "8.1", 'id="coverage"')


def test_an_ambiguous_score_is_refused_with_the_reason(client, db, actor):
    inst = start(db, actor)
    item = to_self_score(db, actor, inst.id)
    login(client, "vp.chuyenvien")
    url = f"/tasks/{item.task_id}"
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data=score_form(page, {"8.1": "1.500"}, {"8.1": "x"}))
    assert response.status_code == 400
    assert "Điểm: không rõ “1.500” là 1500 hay 1,5" in tr(response.get_data(as_text=True), "8.1",
                                                          'class="list small scores"')


def test_evidence_added_outside_the_batches_is_labelled_so(client, db, actor):
    inst = start(db, actor)
    item = to_self_score(db, actor, inst.id)
    login(client, "vp.chuyenvien")
    url = f"/tasks/{item.task_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Ngoài các đợt thu thập" in page
    upload(client, inst.id, page, "1.1", "Kế hoạch CCHC 2027.pdf", PDF, back=url)
    html = client.get(url).get_data(as_text=True)
    listed = tr(html, "1.1", 'id="evidence-list"')
    assert "Ngoài đợt" in listed and "Văn phòng Sở" in listed
    assert '<td class="count">1</td>' in tr(html, "1.1", 'class="list small scores"')  # counted at once
    # The row's add-evidence inputs belong to a form outside the self-score form (forms cannot nest).
    row = tr(html, "1.1", 'class="list small scores"')
    assert 'form="ev-file-form-1_1"' in row and 'form="ev-link-form-1_1"' in row and "<form" not in row
    outer = html[:html.index('class="card task-form"')]
    assert re.search(r'<form method="post" enctype="multipart/form-data" class="evidence-upload" '
                     rf'id="ev-file-form-1_1"\s+action="/instances/{inst.id}/evidence/file">', outer)


# --- export ----------------------------------------------------------------------------------------------------

def test_export_downloads_an_xlsx_for_whoever_sees_the_instance(client, db, actor):
    inst = start(db, actor)
    item = to_self_score(db, actor, inst.id)
    scores = {c["code"]: {"score": c["max_points"], "explanation": "" if c["code"] == "2.1" else "Chưa có"}
              for c in resolved()}
    service.complete_task(db, actor("vp.chuyenvien"), item.task_id, {"scores": scores, "summary": "Tự chấm"})
    # the instance page's link (the generic exports route) and the address first published
    urls = (f"/instances/{inst.id}/exports/self-assessment.xlsx", f"/instances/{inst.id}/self-assessment.xlsx")
    for who, url in (("giamdoc", urls[0]), ("khtc.chuyenvien", urls[0]), ("giamdoc", urls[1])):
        login(client, who)
        response = client.get(url)
        assert response.status_code == 200, (who, url)
        assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        book = load_workbook(io.BytesIO(response.data))
        assert book.sheetnames == ["Tự chấm điểm", "Tài liệu kiểm chứng"]
        body = {r[1]: r for r in book["Tự chấm điểm"].iter_rows(values_only=True)}
        assert body["2.1"][4] == 3 and body["2.1"][6] == 1 and body["1.1"][5] == "Chưa có"
        evidence_rows = list(book["Tài liệu kiểm chứng"].iter_rows(values_only=True))
        assert [(r[0], r[3], r[5]) for r in evidence_rows[1:]] == [("2.1", 1, "Danh mục.pdf")]
        client.post("/logout", data={"csrf_token": token(client.get("/").get_data(as_text=True))})


def test_scores_that_are_not_finite_numbers_are_refused_not_a_crash():
    from engine.plugins.index_self_assessment import self_score

    crit = [{"code": "1.1", "name": "A", "max_points": 2.0}]
    for value in ("nan", "inf", float("nan"), float("-inf")):
        assert self_score.validate_scores(crit, {"1.1": {"score": value, "explanation": "x"}}, {"1.1": 1}) == {
            "1.1": "Điểm phải là một số"}
