"""The list pages over the web: Việc của tôi, Việc của đơn vị, Việc đã làm and Hồ sơ quy trình filtered, searched
and paged through their query strings; saved filters posted with the CSRF token; each refusal."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from engine.core.models import SavedFilter
from tests.helpers import complete, run_to_approval, start_review
from tests.test_worklists import seed
from tests.web_helpers import login_ok, token


def rows(html: str) -> int:
    return len(re.findall(r'<a href="/tasks/', html))


def saved_count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(SavedFilter))


def test_the_worklist_is_filtered_searched_and_paged_by_its_query_string(client, db, actor):
    seed(db, actor, 25)
    login_ok(client, "tt.chuyenvien")
    first = client.get("/").get_data(as_text=True)
    assert rows(first) == 20 and 'href="/?page=2"' in first and "trang 1/2" in first
    assert "Việc của đơn vị" in first and "Việc đã làm" in first  # the two new lists are in the menu
    second = client.get("/?page=2").get_data(as_text=True)
    assert rows(second) >= 5 and 'aria-current="page">2<' in second
    found = client.get("/?q=ke+hoach&sort=name").get_data(as_text=True)
    assert rows(found) == 9 and "9 mục" in found and "Kế hoạch chuyển đổi số 00" in found
    assert "Báo cáo rà soát văn bản 0" not in found
    soon = client.get("/?state=due_soon").get_data(as_text=True)
    assert soon.count('class="badge soon"') == rows(soon) == 9
    none = client.get("/?q=khong+co+gi").get_data(as_text=True)
    assert "Không có mục nào khớp bộ lọc." in none and "Bỏ lọc" in none


def test_a_bad_date_is_named_and_what_was_typed_is_kept(client, db, actor):
    seed(db, actor, 3)
    login_ok(client, "tt.chuyenvien")
    response = client.get("/?due_from=31/02/2026&q=bao+cao")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hạn từ ngày «31/02/2026» không hợp lệ: nhập ngày dạng dd/mm/yyyy" in html
    assert 'name="due_from" value="31/02/2026"' in html and 'value="bao cao"' in html
    assert rows(html) == 2  # the search still applies


def test_returned_work_shows_the_approvers_comment(client, db, actor, fake_clock):
    inst = start_review(db, actor)
    run_to_approval(db, actor, inst.id)
    fake_clock.advance(timedelta(minutes=5))
    complete(db, actor("giamdoc"), "approve", inst.id, {"decision": "return", "comment": "Bổ sung số liệu quý IV"})
    login_ok(client, "tt.chuyenvien")
    html = client.get("/").get_data(as_text=True)
    assert "Bị trả lại" in html and "Ý kiến: Bổ sung số liệu quý IV" in html


def test_unit_work_shows_the_unit_and_refuses_another(client, db, actor):
    seed(db, actor, 2)
    login_ok(client, "tt.truongphong")
    html = client.get("/unit-work").get_data(as_text=True)
    assert "Tổng quan công việc đang mở" in html and "Chưa ai nhận" in html and rows(html) >= 2
    refused = client.get("/unit-work?unit=KHTC")
    assert refused.status_code == 403 and "Bạn chỉ xem được công việc của đơn vị mình" in refused.get_data(
        as_text=True)


def test_done_lists_what_i_completed(client, db, actor):
    inst = seed(db, actor, 1)[0]
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id, {"scope": "QPPL", "contribute_due": "2026-12-02"})
    login_ok(client, "tt.chuyenvien")
    html = client.get("/done").get_data(as_text=True)
    assert "Kế hoạch chuyển đổi số 00" in html and "Hoàn thành đúng hạn" in html
    other = client.application.test_client()
    login_ok(other, "tt.truongphong")
    assert "Kế hoạch chuyển đổi số 00" not in other.get("/done").get_data(as_text=True)


def test_the_instance_list_is_filtered_and_paged(client, db, actor):
    seed(db, actor, 25)
    login_ok(client, "giamdoc")
    html = client.get("/instances?q=k%E1%BA%BF+ho%E1%BA%A1ch&unit=TTRA").get_data(as_text=True)
    assert html.count("Kế hoạch chuyển đổi số") == 9 and "9 mục" in html
    assert "trang 1/" in client.get("/instances").get_data(as_text=True)


def test_a_filter_is_saved_picked_and_deleted_with_the_csrf_token(client, db, actor):
    login_ok(client, "tt.chuyenvien")
    page = client.get("/?state=overdue&period=2026").get_data(as_text=True)
    assert 'name="filter_name"' in page
    form = {"csrf_token": token(page), "list": "mine", "filter_name": "Quá hạn 2026", "state": "overdue",
            "period": "2026"}
    assert client.post("/filters", data={k: v for k, v in form.items() if k != "csrf_token"}).status_code == 400
    assert saved_count(db) == 0  # no token, nothing saved
    saved = client.post("/filters", data=form)
    assert saved.status_code == 303 and saved.headers["Location"] == "/?period=2026&state=overdue"
    assert client.post("/filters", data=form).status_code == 303 and saved_count(db) == 1  # twice: one filter
    listed = client.get("/").get_data(as_text=True)
    assert '<a href="/?period=2026&amp;state=overdue">Quá hạn 2026</a>' in listed
    filter_id = re.search(r'action="/filters/(\d+)/delete"', listed)[1]
    other = client.application.test_client()
    login_ok(other, "tt.truongphong")
    other_token = token(other.get("/").get_data(as_text=True))
    assert other.post(f"/filters/{filter_id}/delete", data={"csrf_token": other_token}).status_code == 404
    assert saved_count(db) == 1
    gone = client.post(f"/filters/{filter_id}/delete", data={"csrf_token": token(listed)})
    assert gone.status_code == 303 and saved_count(db) == 0
    again = client.post(f"/filters/{filter_id}/delete", data={"csrf_token": token(listed)})
    assert again.status_code == 404 and "Không tìm thấy bộ lọc" in again.get_data(as_text=True)


def test_a_filter_without_a_name_or_for_no_list_is_refused_and_nothing_is_saved(client, db):
    login_ok(client, "tt.chuyenvien")
    csrf = token(client.get("/").get_data(as_text=True))
    nameless = client.post("/filters", data={"csrf_token": csrf, "list": "done", "filter_name": " ",
                                             "state": "done_late"}, follow_redirects=True)
    assert "Hãy đặt tên cho bộ lọc" in nameless.get_data(as_text=True)
    wrong = client.post("/filters", data={"csrf_token": csrf, "list": "all", "filter_name": "x"},
                        follow_redirects=True)
    assert "Danh sách không hợp lệ." in wrong.get_data(as_text=True)
    assert saved_count(db) == 0
