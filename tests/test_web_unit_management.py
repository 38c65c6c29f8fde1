"""The unit's manager on the task page (Flask test client): the claim panel's forms, their refusals, and the
Trưởng phòng's review of a held contribution."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from engine import service
from engine.core.models import AuditEvent, WorkItem
from tests.helpers import CONTRIBUTION, complete, open_item, start_review
from tests.test_unit_management import deploy_with_unit_review
from tests.web_helpers import login_ok, token


def signed_in(app, login):
    client = app.test_client()
    login_ok(client, login)
    return client


def page(client, task_id):
    response = client.get(f"/tasks/{task_id}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def post(client, task_id, action, **form):
    csrf = token(client.get(f"/tasks/{task_id}").get_data(as_text=True))
    return client.post(f"/tasks/{task_id}/{action}", data={"csrf_token": csrf, **form})


def count(db, kind):
    with db.read() as s:
        return len(list(s.scalars(select(AuditEvent.id).where(AuditEvent.kind == kind))))


@pytest.fixture
def step(db, actor):
    """KHTC's open contribution to a legal review."""
    inst = start_review(db, actor)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
             {"scope": "Văn bản QPPL lĩnh vực y tế", "contribute_due": "2026-12-20"})
    return open_item(db, actor("khtc.chuyenvien"), "contribute", inst.id)


def test_claim_shows_the_claimant_to_the_unit_and_release_gives_it_back(app, db, actor, step):
    cv, head = signed_in(app, "khtc.chuyenvien"), signed_in(app, "khtc.truongphong")
    assert "Chưa có người nhận" in page(cv, step.task_id) and "Nhận xử lý" in page(cv, step.task_id)
    response = post(cv, step.task_id, "claim")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/tasks/{step.task_id}")
    text = page(cv, step.task_id)
    assert "Bạn đã nhận xử lý công việc này." in text
    assert "Chuyên viên Phòng Kế hoạch - Tài chính</strong> (bạn)" in text
    head_view = page(head, step.task_id)
    assert "Đang xử lý: <strong>Chuyên viên Phòng Kế hoạch - Tài chính</strong>" in head_view
    assert "Nhận thay" in head_view and "Giao việc" in head_view
    post(cv, step.task_id, "claim")  # a double submit
    assert "Bạn đã nhận công việc này rồi" in page(cv, step.task_id) and count(db, "claim") == 1
    post(cv, step.task_id, "release")
    assert "Đã trả công việc về cho đơn vị." in page(cv, step.task_id)
    with db.read() as s:
        assert s.scalar(select(WorkItem.assignee_id).where(WorkItem.task_id == step.task_id)) is None


def test_the_panel_forms_need_the_csrf_token(app, db, step):
    cv = signed_in(app, "khtc.chuyenvien")
    for action in ("claim", "release", "reassign", "approve", "return"):
        response = cv.post(f"/tasks/{step.task_id}/{action}", data={"assignee": "khtc.chuyenvien"})
        assert response.status_code == 400, action
    assert count(db, "claim") == 0


def test_the_head_reassigns_and_refusals_are_shown(app, db, actor, step):
    head, cv = signed_in(app, "khtc.truongphong"), signed_in(app, "khtc.chuyenvien")
    assert 'name="assignee"' not in page(cv, step.task_id)  # a chuyên viên is not offered it
    post(cv, step.task_id, "reassign", assignee="khtc.truongphong")
    assert "Chỉ trưởng đơn vị được giao lại công việc của đơn vị" in page(cv, step.task_id)
    post(head, step.task_id, "reassign", assignee="tt.chuyenvien")  # a person of another unit
    assert "không thuộc đơn vị" in page(head, step.task_id) and count(db, "reassign") == 0
    post(head, step.task_id, "reassign", assignee="khtc.chuyenvien")
    assert "Đã giao công việc cho Chuyên viên Phòng Kế hoạch - Tài chính." in page(head, step.task_id)
    assert count(db, "reassign") == 1
    # Claimed by the chuyên viên now: another unit's head cannot see a way in, a stranger gets 404.
    assert post(signed_in(app, "tccb.truongphong"), step.task_id, "claim").status_code == 404
    lead = signed_in(app, "tt.chuyenvien")  # sees the instance, the step is not theirs
    post(lead, step.task_id, "claim")
    assert "Bạn không có quyền thực hiện bước này" in page(lead, step.task_id)


def test_a_stale_claim_after_completion_is_refused(app, db, actor, step):
    cv = signed_in(app, "khtc.chuyenvien")
    csrf = token(cv.get(f"/tasks/{step.task_id}").get_data(as_text=True))
    service.complete_task(db, actor("khtc.chuyenvien"), step.task_id, CONTRIBUTION)
    cv.post(f"/tasks/{step.task_id}/claim", data={"csrf_token": csrf})
    assert "đã được xử lý" in page(cv, step.task_id) and count(db, "claim") == 0


def test_the_unit_review_on_the_web(app, db, actor, tmp_path):
    deploy_with_unit_review(db, tmp_path)
    inst = start_review(db, actor)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
             {"scope": "Văn bản QPPL lĩnh vực y tế", "contribute_due": "2026-12-20"})
    item = open_item(db, actor("khtc.chuyenvien"), "contribute", inst.id)
    cv, head = signed_in(app, "khtc.chuyenvien"), signed_in(app, "khtc.truongphong")
    csrf = token(cv.get(f"/tasks/{item.task_id}").get_data(as_text=True))
    response = cv.post(f"/tasks/{item.task_id}", data={"csrf_token": csrf, "documents_reviewed": "4",
                                                         "proposals": "Sửa Quyết định 12"})
    assert response.status_code == 303
    text = page(cv, item.task_id)
    assert "Đã gửi trưởng phòng duyệt" in text and "Chờ trưởng phòng duyệt" in text
    assert "đang chờ trưởng phòng duyệt" in text
    review = next(i for i in service.my_work_items(db, actor("khtc.truongphong")) if i.role == "unit_head")
    assert "Duyệt kết quả của đơn vị" in head.get("/").get_data(as_text=True)
    review_page = page(head, review.task_id)
    assert "Kết quả chờ trưởng phòng duyệt" in review_page and "Sửa Quyết định 12" in review_page
    assert "Trả lại người thực hiện" not in page(cv, review.task_id)  # the chuyên viên only sees it
    post(head, review.task_id, "return", comment="")
    assert "Vui lòng ghi rõ nội dung cần sửa" in page(head, review.task_id)
    response = post(head, review.task_id, "return", comment="Bổ sung văn bản số 5")
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    text = page(cv, item.task_id)
    assert "Trưởng phòng Phòng Kế hoạch - Tài chính trả lại: Bổ sung văn bản số 5" in text  # who, why
    assert "Sửa Quyết định 12" in text  # and the form has what they wrote
    assert 'type="submit">Gửi</button>' in text
