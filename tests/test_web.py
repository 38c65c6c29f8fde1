"""Web app through Flask's test client: login, scoping, forms, CSRF, foreign links."""

from __future__ import annotations

from engine import service
from tests.helpers import REPORT, complete, open_item, start_review
from tests.web_helpers import PASSWORD, login, token


def test_login_page_is_vietnamese(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="vi"' in html and "Đăng nhập" in html and "Mật khẩu" in html


def test_wrong_password_is_refused(client):
    response = login(client, "tt.chuyenvien", "sai-mat-khau")
    assert response.status_code == 401
    assert "Sai đơn vị, tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still anonymous


def test_pages_need_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_does_not_redirect_off_site(client):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login?next=//evil.example/x", data={
        "csrf_token": token(page), "org": "syt-hue", "login": "tt.chuyenvien", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_post_without_csrf_token_is_rejected(client):
    response = client.post("/login", data={"login": "tt.chuyenvien", "password": PASSWORD})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_task_post_without_csrf_token_is_rejected_and_changes_nothing(client, db, actor):
    inst = start_review(db, actor)
    item = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    login(client, "tt.chuyenvien")
    response = client.post(f"/tasks/{item.task_id}", data={"scope": "x", "contribute_due": "20/12/2026"})
    assert response.status_code == 400
    assert open_item(db, actor("tt.chuyenvien"), "start_review", inst.id).state == "READY"


def test_worklist_shows_only_my_units_work(client, db, actor):
    inst = start_review(db, actor)
    login(client, "tt.chuyenvien")
    html = client.get("/").get_data(as_text=True)
    assert "Khởi động rà soát văn bản QPPL" in html and "Trong hạn" in html and "trước 15/01/2027" in html
    client.post("/logout", data={"csrf_token": token(html)})
    login(client, "khtc.chuyenvien")
    html = client.get("/").get_data(as_text=True)
    assert "Khởi động rà soát" not in html and "Không có công việc nào" in html
    assert inst.id


def test_form_errors_keep_what_was_typed(client, db, actor):
    inst = start_review(db, actor)
    item = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    login(client, "tt.chuyenvien")
    page = client.get(f"/tasks/{item.task_id}").get_data(as_text=True)
    response = client.post(f"/tasks/{item.task_id}", data={
        "csrf_token": token(page), "scope": "", "contribute_due": "31/02/2026",
        "instructions": "Gửi kèm danh mục văn bản có dấu tiếng Việt"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Trường này là bắt buộc" in html and "Ngày không hợp lệ" in html
    assert "Gửi kèm danh mục văn bản có dấu tiếng Việt" in html and 'value="31/02/2026"' in html
    assert open_item(db, actor("tt.chuyenvien"), "start_review", inst.id).state == "READY"


def test_complete_then_double_submit_gets_a_clear_conflict(client, db, actor):
    inst = start_review(db, actor)
    item = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    login(client, "tt.chuyenvien")
    page = client.get(f"/tasks/{item.task_id}").get_data(as_text=True)
    data = {"csrf_token": token(page), "scope": "Văn bản năm 2026", "contribute_due": "20/12/2026"}
    first = client.post(f"/tasks/{item.task_id}", data=data)
    assert first.status_code == 303
    second = client.post(f"/tasks/{item.task_id}", data=data, follow_redirects=True)
    assert "đã được xử lý" in second.get_data(as_text=True)
    assert open_item(db, actor("khtc.chuyenvien"), "contribute", inst.id)


def test_foreign_task_link_is_not_found(client, db, actor):
    inst = start_review(db, actor)
    item = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    login(client, "nvd.chuyenvien")
    assert client.get(f"/tasks/{item.task_id}").status_code == 404
    page = client.get("/").get_data(as_text=True)
    response = client.post(f"/tasks/{item.task_id}", data={"csrf_token": token(page), "scope": "x"})
    assert response.status_code == 404
    assert client.get(f"/instances/{inst.id}").status_code == 404
    assert client.get("/tasks/not-a-task").status_code == 404


def test_approver_approves_through_the_form(client, db, actor):
    inst = start_review(db, actor, supporting=())
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    complete(db, actor("tt.chuyenvien"), "consolidate", inst.id, REPORT)
    item = open_item(db, actor("giamdoc"), "approve", inst.id)
    login(client, "giamdoc")
    page = client.get(f"/tasks/{item.task_id}").get_data(as_text=True)
    assert "Phê duyệt, ban hành" in page and REPORT["summary"] in page
    returned = client.post(f"/tasks/{item.task_id}", data={"csrf_token": token(page), "decision": "return"})
    assert returned.status_code == 400 and "Trường này là bắt buộc" in returned.get_data(as_text=True)
    done = client.post(f"/tasks/{item.task_id}", data={"csrf_token": token(page), "decision": "approve"})
    assert done.status_code == 303
    html = client.get(f"/instances/{inst.id}").get_data(as_text=True)
    assert "Đã kết thúc" in html and "Xem xét, phê duyệt báo cáo" in html


def test_start_page_starts_an_instance_for_my_unit_only(client, db):
    login(client, "tt.chuyenvien")
    page = client.get("/start").get_data(as_text=True)
    assert "Rà soát, hệ thống hóa văn bản QPPL" in page
    response = client.post("/start", data={
        "csrf_token": token(page), "process_key": "legal_document_review", "lead_unit": "TTRA",
        "period": "2026", "supporting_units": ["KHTC"], "due_date": ""})
    assert response.status_code == 303
    foreign = client.post("/start", data={
        "csrf_token": token(page), "process_key": "legal_document_review", "lead_unit": "VP", "period": "2026"})
    assert foreign.status_code == 400 and "đơn vị mình chủ trì" in foreign.get_data(as_text=True)
    again = client.post("/start", data={
        "csrf_token": token(page), "process_key": "legal_document_review", "lead_unit": "TTRA", "period": "2026"})
    assert again.status_code == 400 and "đã được khởi tạo" in again.get_data(as_text=True)
    rows = service.list_instances(db)
    assert [(r.lead_unit_code, r.period) for r in rows] == [("TTRA", "2026")]


def test_each_plan_is_a_sở_to_log_in_to(client):
    page = client.get("/login").get_data(as_text=True)
    for name in ("Sở Y tế tỉnh Thừa Thiên Huế", "Sở Y tế tỉnh Quảng Ngãi", "Sở Y tế tỉnh Thanh Hóa"):
        assert name in page
    # The same login names a different person in another Sở: Văn phòng's chuyên viên in Đồng Nai.
    assert login(client, "vp.chuyenvien", org="syt-dong-nai").status_code == 302
    assert "Văn phòng Sở" in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": token(client.get("/").get_data(as_text=True))})
    assert login(client, "vp.chuyenvien", org="syt-khong-co").status_code == 401


def test_a_session_of_one_sở_sees_nothing_of_another(client, db, actor):
    from tests.helpers import start_review

    inst = start_review(db, actor)
    assert login(client, "tt.chuyenvien", org="syt-thanh-hoa").status_code == 302
    assert client.get(f"/instances/{inst.id}").status_code == 404
    assert "Khởi động rà soát" not in client.get("/").get_data(as_text=True)


def test_plan_page_shows_the_year_schedule_with_states(client, db, actor, fake_clock):
    from engine import service as svc

    svc.run_scheduler(db, plan_keys={"hue"})
    login(client, "tt.chuyenvien")
    page = client.get("/plan?year=2026").get_data(as_text=True)
    assert "Kế hoạch CCHC năm 2026" in page and "Sở Y tế tỉnh Thừa Thiên Huế" in page
    assert "HUE-TTHC-01" in page and "Xây dựng Kế hoạch kiểm soát TTHC" in page and "31/12/2026" in page
    assert "Trong hạn" in page  # opened today by the scheduler
    assert "Chưa mở" in client.get("/plan?year=2027").get_data(as_text=True)
    login(client, "tt.chuyenvien", org="syt-thanh-hoa")
    assert "HUE-TTHC-01" not in client.get("/plan?year=2026").get_data(as_text=True)


def test_case_data_shows_the_label_of_a_chosen_option_not_its_stored_value(client, db, actor):
    from features.form_data import answers

    opened = {o.duty_id: o for o in service.run_scheduler(db, plan_keys={"hue"})}["HUE-TTHC-01"]
    tt = actor("tt.chuyenvien")
    items = [i for i in service.my_work_items(db, tt) if i.instance_id == opened.instance_id]
    service.complete_task(db, tt, items[0].task_id, answers("document_issuance", "draft"))
    view = service.instance_view(db, tt, opened.instance_id)
    for unit in view["data"]["supporting_units"]:
        who = actor(f"{unit.lower()}.chuyenvien") if unit != "TTRA" else tt
        mine = [i for i in service.my_work_items(db, who) if i.instance_id == opened.instance_id]
        service.complete_task(db, who, mine[0].task_id, {"agreement": "agree_with_comments", "comments": "Bổ sung"})
    finalize = [i for i in service.my_work_items(db, tt) if i.instance_id == opened.instance_id][0]
    login(client, "tt.chuyenvien")
    page = client.get(f"/tasks/{finalize.task_id}").get_data(as_text=True)
    assert "Thống nhất, có ý kiến bổ sung" in page and "agree_with_comments" not in page
