"""The annual CCHC index self-assessment: criteria set, evidence batches, self-score, approval, export."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from engine import service
from engine.core import clock
from engine.core.errors import Conflict, EngineError, Forbidden, FormInvalid, NotFound, ValidationFailed
from engine.core.models import AuditEvent, Evidence, ProcessInstance, Timer, WorkItem
from engine.planning import registry
from engine.plugins.index_self_assessment import appraisal_export, criteria, evidence, self_score
from tests.helpers import complete, open_item

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"  # the plans the criteria cite (copies)
HUE_FUNCTIONS = {"cchc_focal": "VP", "tthc_control": "TTRA", "legal": "TTRA", "inspection": "TTRA",
                 "personnel": "TCCB", "finance": "KHTC", "digital": "KHTC", "one_stop": "VP"}
BATCHES = ["2027-06-30", "2027-09-30", "2027-11-15"]
OWNER_LOGINS = {"TTRA": "tt.chuyenvien", "TCCB": "tccb.chuyenvien", "KHTC": "khtc.chuyenvien"}


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=clock.VN_TZ)


def resolved() -> list[dict]:
    return criteria.resolve(criteria.load(), HUE_FUNCTIONS)


def start(db, actor, batches=BATCHES):
    res = resolved()
    return service.start_instance(db, actor("vp.chuyenvien"), "index_self_assessment", lead_unit="VP", period="2027",
                                  supporting_units=criteria.owner_units(res, "VP"),
                                  data={"batches": list(batches), "criteria": res})


def run_batch(db, actor, instance_id, number, missing=()):
    for unit, login in OWNER_LOGINS.items():
        complete(db, actor(login), "collect_evidence", instance_id,
                 {"batch_confirmed": True, "batch_note": f"Đợt {number}: {unit} đã gửi tài liệu kiểm chứng"})
    review = {"coverage_note": f"Đợt {number}: đã rà soát"}
    if missing:
        review["missing_requests"] = list(missing)
    complete(db, actor("vp.chuyenvien"), "review_batch", instance_id, review)


# --- sample files --------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16 + b"\xff\xd9"


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def _xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "Số hồ sơ trực tuyến"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = _xlsx()


def param_id(value) -> str:
    """Short test ids (the file contents would make ids of megabytes)."""
    if isinstance(value, str):
        return value
    return value.__name__ if isinstance(value, type) else "_"


def add_file(db, who, instance_id, code, filename, data, title=""):
    with db.session() as s:
        return evidence.add_file(s, who, instance_id, code, filename, data, title)


def add_link(db, who, instance_id, code, url, title):
    with db.session() as s:
        return evidence.add_link(s, who, instance_id, code, url, title)


def evidence_rows(db, instance_id) -> list[Evidence]:
    with db.session() as s:
        return list(s.scalars(select(Evidence).where(Evidence.instance_id == instance_id)))


def all_scores(res, explain_missing=True, evidence_codes=()):
    return {c["code"]: {"score": c["max_points"] - 0.25 if c["max_points"] >= 1 else c["max_points"],
                        **({"explanation": "Chưa có tài liệu, đang bổ sung"}
                           if explain_missing and c["code"] not in evidence_codes else {})}
            for c in res}


# --- criteria set ----------------------------------------------------------------------------------------------

def test_shipped_criteria_load_and_resolve():
    items = criteria.load()
    assert 20 <= len(items) <= 35
    codes = [c["code"] for c in items]
    assert len(codes) == len(set(codes))
    assert {c["owner"] for c in items} <= set(registry.FUNCTIONS)
    assert all(c["max_points"] > 0 and c["name"] and c["evidence"] for c in items)
    areas = {c["area_name"] for c in items}
    assert {"Cải cách thể chế", "Cải cách thủ tục hành chính", "Cải cách tài chính công"} <= areas
    res = criteria.resolve(items, HUE_FUNCTIONS)
    by_code = {c["code"]: c for c in res}
    assert by_code["2.1"]["owner_unit"] == "TTRA" and by_code["5.2"]["owner_unit"] == "TCCB"
    assert by_code["6.2"]["owner_unit"] == "KHTC" and by_code["1.1"]["owner_unit"] == "VP"
    assert "line" not in by_code["1.1"]
    assert criteria.owner_units(res, "VP") == ["TTRA", "TCCB", "KHTC"]
    assert criteria.batch_dates(2027) == BATCHES


def test_criteria_cite_existing_seed_lines():
    for c in criteria.load():
        if not c["source"]:
            continue
        name, line = c["source"].split(":")
        lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        assert 1 <= int(line) <= len(lines) and lines[int(line) - 1].strip(), c["source"]


BAD_CRITERIA = """\
areas:
  - code: "1"
    name: Công tác chỉ đạo, điều hành
    criteria:
      - code: "1.1"
        name: Kế hoạch CCHC
        max_points: 2
        owner: cchc_focal
        evidence: Kế hoạch
      - code: "1.1"
        name: Trùng mã
        max_points: 1
        owner: cchc_focal
        evidence: x
      - code: "1.2"
        name: Chức năng lạ
        max_points: 1
        owner: ke_toan
        evidence: x
      - code: "1.3"
        name: Điểm bằng 0
        max_points: 0
        owner: legal
        evidence: x
      - code: "1.4"
        name: Điểm âm
        max_points: -1.5
        owner: legal
        evidence: x
      - code: 1.5
        name: Mã không trong ngoặc kép
        max_points: 1
        owner: legal
        evidence: x
      - code: "1.6"
        name: Bước điểm lẻ
        max_points: 1.1
        owner: legal
        evidence: x
"""


def test_bad_criteria_rows_are_rejected_with_their_line():
    with pytest.raises(ValidationFailed) as caught:
        criteria.parse(BAD_CRITERIA, "bad.yaml")
    problems = caught.value.problems
    assert len(problems) == 6, problems
    expected = [("bad.yaml:10:", "1.1: mã bị trùng (đã có ở dòng 5)"), ("bad.yaml:15:", "'ke_toan'"),
                ("bad.yaml:20:", "max_points phải lớn hơn 0"), ("bad.yaml:25:", "max_points phải lớn hơn 0"),
                ("bad.yaml:30:", "ngoặc kép"), ("bad.yaml:35:", "bội số của 0.25")]
    for (where, what), problem in zip(expected, problems, strict=True):
        assert problem.startswith(where) and what in problem, problem


def test_criteria_file_must_have_areas_and_valid_yaml(tmp_path):
    with pytest.raises(ValidationFailed, match="areas"):
        criteria.parse("criteria_set: {id: x}\n", "x.yaml")
    with pytest.raises(ValidationFailed, match=r"x.yaml:3: YAML không hợp lệ"):
        criteria.parse("areas:\n  - code: \"1\"\n   name: x\n", "x.yaml")
    with pytest.raises(ValidationFailed, match="không đọc được"):
        criteria.load(tmp_path / "missing.yaml")


def test_resolve_needs_every_owner_function():
    with pytest.raises(ValidationFailed, match="'finance'"):
        criteria.resolve(criteria.load(), {k: v for k, v in HUE_FUNCTIONS.items() if k != "finance"})


# --- the process -----------------------------------------------------------------------------------------------

def test_each_owner_unit_collects_evidence_by_the_batch_deadline(db, actor):
    inst = start(db, actor)
    for unit, login in OWNER_LOGINS.items():
        item = open_item(db, actor(login), "collect_evidence", inst.id)
        assert item.unit_code == unit and item.role == "supporting_unit"
        assert clock.from_db(item.due_at) == vn(2027, 6, 30, 23, 59, 59)
    assert service.my_work_items(db, actor("nvy.chuyenvien")) == []
    # The submission deadline comes from the process (15/12); the reminder 5 working days before it.
    assert clock.from_db(inst.due_at) == vn(2027, 12, 15, 23, 59, 59)
    assert clock.from_db(inst.next_timer_at) == vn(2027, 12, 8, 8, 0)


def test_end_to_end_three_batches_score_return_approve_submit(db, actor):
    inst = start(db, actor)
    vp, tt, gd = actor("vp.chuyenvien"), actor("tt.chuyenvien"), actor("giamdoc")
    first = add_file(db, tt, inst.id, "2.1", "Danh mục văn bản QPPL 2027.pdf", PDF)
    assert first.batch == 1 and first.unit_code == "TTRA"
    run_batch(db, actor, inst.id, 1, missing=["2.2", "5.2"])
    for login in OWNER_LOGINS.values():  # batch 2 has its own deadline
        assert clock.from_db(open_item(db, actor(login), "collect_evidence", inst.id).due_at) == \
            vn(2027, 9, 30, 23, 59, 59)
    second = add_file(db, actor("tccb.chuyenvien"), inst.id, "5.2", "Kết quả tuyển dụng.docx", DOCX)
    assert second.batch == 2
    run_batch(db, actor, inst.id, 2)
    third = add_link(db, tt, inst.id, "2.2", "https://syt.thuathienhue.gov.vn/bao-cao-thi-hanh-phap-luat",
                     "Báo cáo theo dõi thi hành pháp luật")
    assert third.batch == 3
    run_batch(db, actor, inst.id, 3)

    score_item = open_item(db, vp, "self_score", inst.id)
    res = resolved()
    with_evidence = ("2.1", "2.2", "5.2")
    adhoc = add_file(db, vp, inst.id, "1.1", "Kế hoạch CCHC 2027.pdf", PDF)
    assert adhoc.batch is None  # outside the batches: ad hoc evidence

    bad = all_scores(res, evidence_codes=with_evidence + ("1.1",))
    bad["1.2"] = {"score": 0.3, "explanation": "x"}
    bad["3.2"] = {"score": 5, "explanation": "x"}
    bad["7.3"] = {"score": 3}
    del bad["8.2"]
    with db.session() as s, pytest.raises(FormInvalid) as caught:
        self_score.complete_self_score(s, vp, score_item.task_id, {"scores": bad, "summary": "Tự chấm lần 1"})
    errors = caught.value.errors
    assert errors["scores.1.2"] == "Điểm phải là bội số của 0,25 (ví dụ 0,25; 0,5; 0,75)"
    assert errors["scores.3.2"] == "Điểm phải từ 0 đến 2"
    assert errors["scores.7.3"] == "Tiêu chí chưa có tài liệu kiểm chứng: bắt buộc giải trình"
    assert errors["scores.8.2"] == "Chưa chấm điểm tiêu chí này"
    assert open_item(db, vp, "self_score", inst.id).state == "READY"

    scores = all_scores(res, evidence_codes=with_evidence + ("1.1",))
    with db.session() as s:
        self_score.complete_self_score(s, vp, score_item.task_id, {"scores": scores, "summary": "Tự chấm lần 1"})
    complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Tiêu chí 3.5 chấm quá cao"})
    rework = open_item(db, vp, "self_score", inst.id)
    context = service.task_context(db, vp, rework.task_id)
    assert context["prefill"]["scores"]["3.5"]["score"] == 2.75  # last round's scores are kept
    scores["3.5"] = {"score": 2, "explanation": "Giảm theo ý kiến Lãnh đạo Sở"}
    with db.session() as s:
        self_score.complete_self_score(s, vp, rework.task_id, {"scores": scores, "summary": "Tự chấm lần 2",
                                                             "revision_note": "Sửa 3.5"})
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    complete(db, vp, "submit_for_appraisal", inst.id,
             {"dispatch_number": "1234/SYT-VP", "dispatch_date": "2027-12-10"})

    view = service.instance_view(db, gd, inst.id)
    assert view["instance"].status == "completed"
    data = view["data"]
    assert data["assessment_status"] == "submitted" and data["dispatch_number"] == "1234/SYT-VP"
    assert [b["batch"] for b in data["batch_log"]] == [1, 2, 3]
    assert data["batch_log"][0]["missing_requests"] == ["2.2", "5.2"]
    assert data["batch_log"][1]["missing_requests"] == []  # not carried over from batch 1
    assert sorted(c["unit"] for c in data["batch_log"][2]["confirmations"]) == ["KHTC", "TCCB", "TTRA"]
    expected_total = round(sum(v["score"] for v in scores.values()), 2)
    assert data["total_score"] == expected_total and data["scores"]["3.5"]["score"] == 2.0
    kinds = [e.kind for e in view["history"]]
    assert kinds.count("return") == 1 and kinds.count("evidence_add") == 4 and kinds[-1] == "instance_completed"
    assert all(i.state != "READY" for i in view["items"])
    with db.session() as s:
        assert s.scalars(select(Timer).where(Timer.instance_id == inst.id)).all() == []
    with pytest.raises(Conflict):  # an ended self-assessment takes no more evidence
        add_file(db, vp, inst.id, "1.1", "muộn.pdf", PDF)


def test_no_batches_goes_straight_to_self_scoring(db, actor):
    inst = start(db, actor, batches=[])
    assert open_item(db, actor("vp.chuyenvien"), "self_score", inst.id)
    assert service.my_work_items(db, actor("tt.chuyenvien")) == []


def test_returns_are_bounded_then_the_approver_finalizes(db, actor):
    inst = start(db, actor, batches=[])
    vp, gd = actor("vp.chuyenvien"), actor("giamdoc")
    scores = all_scores(resolved())
    for _ in range(4):
        task_id = open_item(db, vp, "self_score", inst.id).task_id
        with db.session() as s:
            self_score.complete_self_score(s, vp, task_id, {"scores": scores, "summary": "Tự chấm"})
        complete(db, gd, "approve", inst.id, {"decision": "return", "comment": "Chưa đạt"})
    complete(db, gd, "finalize_by_approver", inst.id, {"final_note": "Lãnh đạo Sở hoàn thiện"})
    complete(db, vp, "submit_for_appraisal", inst.id, {"dispatch_number": "99/SYT-VP", "dispatch_date": "2027-12-14"})
    assert service.instance_view(db, gd, inst.id)["instance"].status == "completed"


def test_deadline_escalates_to_the_approver_and_ends_with_the_submission(db, actor, fake_clock):
    inst = start(db, actor, batches=[])
    fake_clock.set(vn(2027, 12, 15, 23, 59))  # 15/12 is the last day: not yet overdue
    service.fire_due_timers(db)
    assert [i.bpmn_id for i in service.my_work_items(db, actor("giamdoc"))] == []
    fake_clock.set(vn(2027, 12, 16, 8, 0))
    assert service.fire_due_timers(db) == 1
    gd, vp = actor("giamdoc"), actor("vp.chuyenvien")
    escalation = open_item(db, gd, "handle_overdue", inst.id)
    task_id = open_item(db, vp, "self_score", inst.id).task_id
    with db.session() as s:
        self_score.complete_self_score(s, vp, task_id, {"scores": all_scores(resolved()), "summary": "Tự chấm"})
    complete(db, gd, "approve", inst.id, {"decision": "approve"})
    complete(db, vp, "submit_for_appraisal", inst.id, {"dispatch_number": "1/SYT-VP", "dispatch_date": "2027-12-16"})
    with db.session() as s:
        assert s.get(WorkItem, escalation.id).state == "CANCELLED"
        assert s.get(ProcessInstance, inst.id).status == "completed"


def test_self_score_api_is_only_for_the_self_score_step(db, actor):
    inst = start(db, actor)
    tt = actor("tt.chuyenvien")
    item = open_item(db, tt, "collect_evidence", inst.id)
    with db.session() as s, pytest.raises(EngineError, match="không phải bước tự chấm điểm"):
        self_score.complete_self_score(s, tt, item.task_id, {"scores": {}, "summary": "x"})


# --- evidence ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code, filename, data, content_type", [
    ("2.1", "Kế hoạch rà soát.pdf", PDF, "application/pdf"),
    ("2.3", "Báo cáo rà soát.DOCX", DOCX,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("3.1", "Số liệu TTHC.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("3.3", "Ảnh niêm yết.png", PNG, "image/png"),
    ("3.4", "Ảnh sổ theo dõi.jpg", JPEG, "image/jpeg"),
    ("5.5", "Biên bản.jpeg", JPEG, "image/jpeg"),
], ids=param_id)
def test_each_allowed_file_type_is_accepted(db, actor, code, filename, data, content_type):
    inst = start(db, actor)
    vp, gd = actor("vp.chuyenvien"), actor("giamdoc")
    row = add_file(db, actor("tt.chuyenvien"), inst.id, code, f"C:\\Tài liệu\\{filename}", data)
    assert row.filename == filename and row.content_type == content_type and row.size == len(data)
    assert row.sha256 == hashlib.sha256(data).hexdigest() and row.kind == "file"
    assert row.title == filename.rsplit(".", 1)[0]
    with db.session() as s:
        listed = evidence.list_for(s, vp, inst.id)
        assert [(r.criterion_code, r.filename) for r in listed] == [(code, filename)]
        got, content = evidence.open_file(s, gd, row.id)
        assert content == data and got.uploaded_by == "tt.chuyenvien"
        event = s.scalars(select(AuditEvent).where(AuditEvent.kind == "evidence_add")).one()
        assert event.instance_id == inst.id and code in event.summary and row.sha256 in event.payload


def test_links_are_accepted_for_http_and_https_only(db, actor):
    inst = start(db, actor)
    tt = actor("tt.chuyenvien")
    row = add_link(db, tt, inst.id, "3.3", "http://dichvucong.gov.vn/thu-tuc?id=1", "Công khai TTHC trên Cổng")
    assert row.kind == "link" and row.content is None and row.filename is None
    for url in ("javascript:alert(1)", "ftp://example.org/a.pdf", "file:///etc/passwd", "https://", "//x.vn/a",
                "https://a.vn/có khoảng trắng", ""):
        with pytest.raises(EngineError):
            add_link(db, tt, inst.id, "3.3", url, "Tiêu đề")
    with pytest.raises(EngineError, match="tiêu đề"):
        add_link(db, tt, inst.id, "3.3", "https://a.vn/x", "  ")
    assert len(evidence_rows(db, inst.id)) == 1


BIG = b"%PDF-1.7\n" + b"0" * (evidence.MAX_FILE_BYTES - 9)


@pytest.mark.parametrize("login, code, filename, data, error, message", [
    ("tt.chuyenvien", "2.1", "chuong_trinh.exe", b"MZ\x90\x00", EngineError, "chỉ nhận tệp PDF, DOCX"),
    ("tt.chuyenvien", "2.1", "ghi_chu.txt", b"%PDF-1.4 text", EngineError, "chỉ nhận tệp PDF, DOCX"),
    ("tt.chuyenvien", "2.1", "khong_duoi", PDF, EngineError, "chỉ nhận tệp PDF, DOCX"),
    ("tt.chuyenvien", "2.1", "anh_doi_ten.pdf", PNG, EngineError, "không phải tệp PDF hợp lệ"),
    ("tt.chuyenvien", "2.1", "gia.png", JPEG, EngineError, "không phải tệp PNG hợp lệ"),
    ("tt.chuyenvien", "2.1", "gia.jpg", PNG, EngineError, "không phải tệp JPG hợp lệ"),
    ("tt.chuyenvien", "2.1", "zip_bat_ky.docx", _zip({"[Content_Types].xml": "x", "a.txt": "x"}), EngineError,
     "không phải tệp DOCX hợp lệ"),
    ("tt.chuyenvien", "2.1", "bang_tinh.docx", XLSX, EngineError, "không phải tệp DOCX hợp lệ"),
    ("tt.chuyenvien", "2.1", "van_ban.xlsx", DOCX, EngineError, "không phải tệp XLSX hợp lệ"),
    ("tt.chuyenvien", "2.1", "hong.xlsx", b"PK\x03\x04garbage", EngineError, "không phải tệp XLSX hợp lệ"),
    ("tt.chuyenvien", "2.1", "macro.docx",
     _zip({"[Content_Types].xml": "x", "word/document.xml": "x", "word/vbaProject.bin": "x"}), EngineError, "macro"),
    ("tt.chuyenvien", "2.1", "qua_lon.pdf", BIG + b"0", EngineError, "quá lớn"),
    ("tt.chuyenvien", "2.1", "rong.pdf", b"", EngineError, "rỗng"),
    ("khtc.chuyenvien", "2.1", "cua_don_vi_khac.pdf", PDF, Forbidden, "tiêu chí 2.1 (Thanh tra Sở)"),
    ("tccb.chuyenvien", "6.1", "cua_don_vi_khac.pdf", PDF, Forbidden, "Chỉ đơn vị phụ trách"),
    ("giamdoc", "2.1", "lanh_dao.pdf", PDF, Forbidden, "Chỉ đơn vị phụ trách"),
    ("nvy.chuyenvien", "2.1", "khong_tham_gia.pdf", PDF, NotFound, "Không tìm thấy"),
    ("tt.chuyenvien", "9.9", "khong_co.pdf", PDF, NotFound, "Không có tiêu chí '9.9'"),
], ids=param_id)
def test_bad_uploads_are_refused_and_nothing_is_stored(db, actor, login, code, filename, data, error, message):
    inst = start(db, actor)
    with pytest.raises(error) as caught:
        add_file(db, actor(login), inst.id, code, filename, data)
    assert message in str(caught.value)
    assert evidence_rows(db, inst.id) == []
    with db.session() as s:
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.kind == "evidence_add")) == 0


def test_largest_allowed_file_is_accepted(db, actor):
    inst = start(db, actor)
    assert add_file(db, actor("tt.chuyenvien"), inst.id, "2.1", "vua_du.pdf", BIG).size == evidence.MAX_FILE_BYTES


def test_other_organisations_cannot_reach_the_evidence(db, actor):
    inst = start(db, actor)
    row = add_file(db, actor("tt.chuyenvien"), inst.id, "2.1", "a.pdf", PDF)
    others = [code for code, _ in service.organisations(db) if code != "syt-hue"]
    if not others:
        pytest.skip("only one organisation loaded")
    stranger = service.actor_for_login(db, "giamdoc", others[0])
    with db.session() as s:
        with pytest.raises(NotFound):
            evidence.list_for(s, stranger, inst.id)
        with pytest.raises(NotFound):
            evidence.open_file(s, stranger, row.id)
        with pytest.raises(NotFound):
            evidence.withdraw(s, stranger, row.id)


def test_a_unit_with_no_part_in_the_assessment_cannot_tell_its_evidence_exists(db, actor):
    inst = start(db, actor)
    row = add_file(db, actor("tt.chuyenvien"), inst.id, "2.1", "a.pdf", PDF)
    outsider = actor("bvtinh.chuyenvien")
    with db.session() as s, pytest.raises(NotFound):
        evidence.withdraw(s, outsider, row.id)


def test_focal_unit_may_add_to_any_criterion_and_withdrawals_leave_coverage(db, actor):
    inst = start(db, actor)
    vp, tt, khtc = actor("vp.chuyenvien"), actor("tt.chuyenvien"), actor("khtc.chuyenvien")
    by_focal = add_file(db, vp, inst.id, "6.2", "Quyết định giao tự chủ.pdf", PDF)
    assert by_focal.unit_code == "VP"
    own = add_file(db, tt, inst.id, "2.1", "Danh mục.pdf", PDF)
    with db.session() as s:
        with pytest.raises(Forbidden):
            evidence.withdraw(s, khtc, own.id)
    with db.session() as s:
        evidence.withdraw(s, tt, own.id, "Tải nhầm tệp")
    with db.session() as s, pytest.raises(Conflict):
        evidence.withdraw(s, tt, own.id)
    with db.session() as s:
        instance = s.get(ProcessInstance, inst.id)
        counts = {row["code"]: row["evidence_count"] for row in evidence.coverage(s, instance)}
        assert counts["2.1"] == 0 and counts["6.2"] == 1 and len(counts) == len(resolved())
        assert [r.id for r in evidence.list_for(s, vp, inst.id)] == [by_focal.id]
        assert len(evidence.list_for(s, vp, inst.id, include_withdrawn=True)) == 2
        summary = s.scalars(select(AuditEvent.summary).where(AuditEvent.kind == "evidence_withdraw")).one()
        assert "Tải nhầm tệp" in summary
        panel = evidence.panel(s, khtc, inst.id)
        can_add = {row["code"]: row["can_add"] for row in panel["coverage"]}
        assert can_add["6.1"] and can_add["7.3"] and not can_add["2.1"]
        assert panel["current_batch"] == 1 and panel["batches"] == BATCHES


def test_validate_scores_messages():
    crit = [{"code": "1.1", "name": "A", "max_points": 2.0}, {"code": "1.2", "name": "B", "max_points": 1.5}]
    cov = {"1.1": 1, "1.2": 0}
    assert self_score.validate_scores(crit, {"1.1": {"score": 1.75}, "1.2": {"score": 0, "explanation": "Chưa có"}},
                                    cov) == {}
    assert self_score.validate_scores(crit, {"1.1": "1,5", "1.2": {"score": "1.5", "explanation": "x"}}, cov) == {}
    errors = self_score.validate_scores(crit, {"1.1": {"score": True}, "1.2": {"score": 1.5, "explanation": " "},
                                            "9.9": {"score": 1}}, cov)
    assert errors == {"1.1": "Điểm phải là một số", "1.2": "Tiêu chí chưa có tài liệu kiểm chứng: bắt buộc giải trình",
                      "9.9": "Không có tiêu chí này trong bộ tiêu chí"}
    assert self_score.validate_scores(crit, {"1.1": {"score": -0.25}, "1.2": 1.6}, cov) == {
        "1.1": "Điểm phải từ 0 đến 2", "1.2": "Điểm phải từ 0 đến 1,5"}
    assert self_score.validate_scores(crit, None, cov) == {"scores": "Chưa có bảng điểm tự chấm"}


def test_export_holds_scores_and_evidence_in_vietnamese(db, actor):
    inst = start(db, actor, batches=["2027-06-30"])
    vp, tt = actor("vp.chuyenvien"), actor("tt.chuyenvien")
    pdf = add_file(db, tt, inst.id, "2.1", "Danh mục văn bản QPPL đã rà soát.pdf", PDF, "=Danh mục văn bản")
    add_link(db, tt, inst.id, "2.2", "https://syt.gov.vn/thi-hanh-phap-luat", "Báo cáo thi hành pháp luật")
    run_batch(db, actor, inst.id, 1)
    add_file(db, actor("khtc.chuyenvien"), inst.id, "7.3", "Số liệu hồ sơ trực tuyến.xlsx", XLSX)
    res = resolved()
    scores = all_scores(res, evidence_codes=("2.1", "2.2", "7.3"))
    scores["2.1"] = {"score": 2.75, "explanation": "Đã ban hành đúng quy trình"}
    task_id, gd = open_item(db, vp, "self_score", inst.id).task_id, actor("giamdoc")
    with db.session() as s:
        self_score.complete_self_score(s, vp, task_id, {"scores": scores,
                                                      "summary": "Tổng hợp kết quả tự chấm điểm năm 2027"})
    with db.session() as s:
        data = appraisal_export.export_xlsx(s, gd, inst.id)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Tự chấm điểm", "Tài liệu kiểm chứng"]

    sheet = book["Tự chấm điểm"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows.index(["Lĩnh vực", "Mã tiêu chí", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Giải trình",
                         "Số tài liệu kiểm chứng", "Đơn vị phụ trách"])
    body = {r[1]: r for r in rows[header + 1:-1]}
    assert len(body) == len(res)
    assert body["2.1"][0] == "Cải cách thể chế" and body["2.1"][4] == 2.75
    assert body["2.1"][5] == "Đã ban hành đúng quy trình" and body["2.1"][6] == 1
    assert body["2.1"][2].startswith("Tham mưu ban hành văn bản QPPL")
    assert body["8.2"][5] == "Chưa có tài liệu, đang bổ sung" and body["8.2"][6] == 0
    total = rows[-1]
    assert total[0] == "Tổng cộng" and total[3] == criteria.max_total(res)
    assert total[4] == round(sum(v["score"] for v in scores.values()), 2) and total[6] == 3
    assert "Tổng hợp kết quả tự chấm điểm năm 2027" in total

    sheet = book["Tài liệu kiểm chứng"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["Mã tiêu chí", "Tiêu chí", "Đơn vị", "Đợt"]
    assert [(r[0], r[3]) for r in rows[1:]] == [("2.1", 1), ("2.2", 1), ("7.3", "Ngoài đợt")]
    first = rows[1]
    assert first[4] == "=Danh mục văn bản" and sheet["E2"].data_type == "s"  # not turned into a formula
    assert first[5] == "Danh mục văn bản QPPL đã rà soát.pdf" and first[6] == "tt.chuyenvien"
    assert first[8] == pdf.sha256 and first[7] == datetime(2026, 12, 1, 9, 0)
    assert "Thanh tra" in first[2]
    assert rows[2][5] == "https://syt.gov.vn/thi-hanh-phap-luat" and sheet["F3"].hyperlink.target == rows[2][5]


def test_evidence_requested_at_a_review_is_shown_to_the_owners_in_the_next_batch(db, actor):
    inst = start(db, actor)
    run_batch(db, actor, inst.id, 1, missing=("2.2", "5.2"))
    tccb = actor("tccb.chuyenvien")
    item = open_item(db, tccb, "collect_evidence", inst.id)
    rows = {label: value for *_key, label, value in service.task_context(db, tccb, item.task_id)["context_rows"]}
    assert rows["Tiêu chí đơn vị đầu mối yêu cầu bổ sung tài liệu kiểm chứng"] == ["2.2", "5.2"]
