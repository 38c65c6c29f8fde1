"""The task page through Flask's test client: a draft saved and resumed by another person of the unit, comments
(escaped), attachments (upload, refusals, download), what completed steps submitted on the instance page, the
contributions side by side and one sent back and answered again."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from engine.core.models import Attachment, InstanceComment, TaskDraft
from tests.helpers import CONTRIBUTION, complete, open_item, start_review
from tests.test_index_self_assessment import PDF
from tests.test_task_page import FULL
from tests.web_helpers import login, token


def _count(db, model):
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def _switch(client, who):
    client.post("/logout", data={"csrf_token": token(client.get("/").get_data(as_text=True))})
    login(client, who)


def test_a_draft_is_saved_resumed_by_a_colleague_and_gone_once_completed(client, db, actor):
    inst = start_review(db, actor)
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    login(client, "tt.chuyenvien")
    page = client.get(f"/tasks/{step.task_id}").get_data(as_text=True)
    assert "Lưu nháp" in page
    response = client.post(f"/tasks/{step.task_id}/draft", data={
        "csrf_token": token(page), "scope": "Văn bản lĩnh vực dược", "contribute_due": "20/12/2026"})
    assert response.status_code == 303
    _switch(client, "tt.truongphong")
    page = client.get(f"/tasks/{step.task_id}").get_data(as_text=True)
    assert "Bản nháp lưu lúc 01/12/2026 09:00 bởi Chuyên viên Thanh tra Sở" in page
    assert ">Văn bản lĩnh vực dược</textarea>" in page and 'value="20/12/2026"' in page
    assert 'name="had_draft" value="1"' in page
    response = client.post(f"/tasks/{step.task_id}", data={
        "csrf_token": token(page), "scope": "Văn bản lĩnh vực dược", "contribute_due": "20/12/2026", "had_draft": "1"})
    assert response.status_code == 303 and _count(db, TaskDraft) == 0


def test_a_draft_needs_the_csrf_token_and_the_step(client, db, actor):
    inst = start_review(db, actor)
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    login(client, "khtc.chuyenvien")  # sees the instance, the step is not theirs
    page = client.get(f"/tasks/{step.task_id}").get_data(as_text=True)
    assert "Lưu nháp" not in page
    assert client.post(f"/tasks/{step.task_id}/draft", data={"scope": "x"}).status_code == 400  # no token
    assert client.post(f"/tasks/{step.task_id}/draft",
                       data={"csrf_token": token(page), "scope": "x"}).status_code == 403
    assert _count(db, TaskDraft) == 0


def test_comments_are_shown_escaped_on_the_instance_and_task_pages(client, db, actor):
    inst = start_review(db, actor)
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    login(client, "khtc.chuyenvien")
    page = client.get(f"/instances/{inst.id}").get_data(as_text=True)
    response = client.post(f"/instances/{inst.id}/comments",
                           data={"csrf_token": token(page), "body": "<script>alert(1)</script> Đề nghị gia hạn"})
    assert response.status_code == 303
    for url in (f"/instances/{inst.id}", f"/tasks/{step.task_id}"):
        html = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Đề nghị gia hạn" in html and "<script>alert(1)" not in html
        assert "Chuyên viên Phòng Kế hoạch - Tài chính" in html
    html = client.post(f"/instances/{inst.id}/comments", data={"csrf_token": token(page), "body": " "},
                       follow_redirects=True).get_data(as_text=True)
    assert "Chưa nhập nội dung ý kiến" in html and _count(db, InstanceComment) == 1
    _switch(client, "tccb.chuyenvien")  # an uninvolved unit
    page = client.get("/").get_data(as_text=True)
    assert client.post(f"/instances/{inst.id}/comments",
                       data={"csrf_token": token(page), "body": "x"}).status_code == 404
    assert _count(db, InstanceComment) == 1


def test_attachments_are_uploaded_refused_and_downloaded(client, db, actor):
    inst = start_review(db, actor)
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    login(client, "tt.chuyenvien")
    page = client.get(f"/tasks/{step.task_id}").get_data(as_text=True)
    html = client.post(f"/tasks/{step.task_id}/attachments", data={
        "csrf_token": token(page), "file": (io.BytesIO(b"MZ\x90"), "baocao.pdf")},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "không khớp với nội dung" in html and _count(db, Attachment) == 0
    html = client.post(f"/tasks/{step.task_id}/attachments", data={
        "csrf_token": token(page), "file": (io.BytesIO(PDF), "Kế hoạch rà soát.pdf")},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "Đã đính kèm tệp «Kế hoạch rà soát.pdf»" in html
    with db.read() as s:
        attachment_id = s.scalar(select(Attachment.id))
    _switch(client, "giamdoc")
    assert f"/attachments/{attachment_id}" in client.get(f"/instances/{inst.id}").get_data(as_text=True)
    got = client.get(f"/attachments/{attachment_id}")
    assert got.status_code == 200 and got.data == PDF and got.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in got.headers["Content-Disposition"]
    _switch(client, "tccb.chuyenvien")
    assert client.get(f"/attachments/{attachment_id}").status_code == 404


def test_the_lead_sees_contributions_side_by_side_sends_one_back_and_the_unit_resubmits(client, db, actor):
    inst = start_review(db, actor)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
             {"scope": "Văn bản QPPL", "contribute_due": "2026-12-20"})
    complete(db, actor("khtc.chuyenvien"), "contribute", inst.id, FULL)
    complete(db, actor("nvy.chuyenvien"), "contribute", inst.id, CONTRIBUTION)
    consolidation = open_item(db, actor("tt.chuyenvien"), "consolidate", inst.id)
    login(client, "tt.chuyenvien")
    html = client.get(f"/instances/{inst.id}").get_data(as_text=True)
    assert "Nội dung đã gửi" in html and "Số văn bản cần bãi bỏ, thay thế" in html
    page = client.get(f"/tasks/{consolidation.task_id}").get_data(as_text=True)
    assert "Phòng Kế hoạch - Tài chính</th>" in page and "Phòng Nghiệp vụ Y</th>" in page
    assert "Số văn bản cần sửa đổi, bổ sung" in page and "QĐ 3/2021/QĐ-UBND" in page
    response = client.post(f"/tasks/{consolidation.task_id}/send-back", data={
        "csrf_token": token(page), "unit": "NVY", "comment": "Bổ sung danh mục văn bản"})
    assert response.status_code == 303
    page = client.get(f"/tasks/{consolidation.task_id}").get_data(as_text=True)
    assert "đang chờ" in page and "Phòng Nghiệp vụ Y" in page and 'class="card task-form"' not in page
    _switch(client, "nvy.chuyenvien")
    again = open_item(db, actor("nvy.chuyenvien"), "contribute", inst.id)
    page = client.get(f"/tasks/{again.task_id}").get_data(as_text=True)
    assert "Bổ sung danh mục văn bản" in page and 'name="rework" value="1"' in page
    assert CONTRIBUTION["proposals"] in page  # the form opens with what the unit sent
    response = client.post(f"/tasks/{again.task_id}", data={
        "csrf_token": token(page), "rework": "1", "documents_reviewed": "5", "document_list": "QĐ 7/2019",
        "proposals": "Đã bổ sung"})
    assert response.status_code == 303
    again_html = client.post(f"/tasks/{again.task_id}", data={
        "csrf_token": token(page), "rework": "1", "documents_reviewed": "5", "proposals": "x"},
        follow_redirects=True).get_data(as_text=True)
    assert "đã được xử lý" in again_html  # a double submit
    _switch(client, "tt.chuyenvien")
    page = client.get(f"/tasks/{consolidation.task_id}").get_data(as_text=True)
    assert "QĐ 7/2019" in page and 'class="card task-form"' in page
