"""The task page's engine side: drafts, comments, attachments, what completed steps submitted, the contributions
side by side, and one unit's contribution sent back and answered again (through the legal-document review)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine import service
from engine.core.errors import Conflict, EngineError, Forbidden, FormInvalid, NotFound
from engine.core.models import AuditEvent, TaskDraft
from tests.helpers import CONTRIBUTION, REPORT, complete, open_item, start_review
from tests.test_index_self_assessment import PDF

FULL = {"documents_reviewed": 7, "documents_to_amend": 2, "documents_to_repeal": 1,
        "document_list": ["QĐ 12/2020/QĐ-UBND", "QĐ 3/2021/QĐ-UBND"], "proposals": "Sửa đổi QĐ 12/2020"}


def _to_consolidation(db, actor):
    inst = start_review(db, actor)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
             {"scope": "Văn bản QPPL lĩnh vực y tế", "contribute_due": "2026-12-20"})
    complete(db, actor("khtc.chuyenvien"), "contribute", inst.id, FULL)
    complete(db, actor("nvy.chuyenvien"), "contribute", inst.id, CONTRIBUTION)
    return inst, open_item(db, actor("tt.chuyenvien"), "consolidate", inst.id)


def _kinds(db, inst_id):
    with db.read() as s:
        return list(s.scalars(select(AuditEvent.kind).where(AuditEvent.instance_id == inst_id)))


# --- drafts -----------------------------------------------------------------------------------------------------

def test_a_draft_is_resumed_by_another_person_of_the_unit_and_discarded_on_completion(db, actor):
    inst = start_review(db, actor)
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    saved = service.save_draft(db, actor("tt.chuyenvien"), step.task_id,
                               {"scope": "Văn bản về dược", "contribute_due": "31/02/2026", "csrf_token": "x"})
    assert saved.values == {"scope": "Văn bản về dược", "contribute_due": "31/02/2026"}  # as typed, not parsed
    page = service.task_page(db, actor("tt.truongphong"), step.task_id)
    assert page.draft.values["scope"] == "Văn bản về dược" and page.draft.saved_by_name == "Chuyên viên Thanh tra Sở"
    assert "draft_saved" in _kinds(db, inst.id)
    service.submit_task_page(db, actor("tt.truongphong"), step.task_id,
                             {"scope": "Văn bản về dược", "contribute_due": "20/12/2026"}, had_draft=True)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(TaskDraft)) == 0


def test_only_who_may_do_the_step_saves_a_draft(db, actor):
    inst = start_review(db, actor)
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    with pytest.raises(Forbidden):
        service.save_draft(db, actor("khtc.chuyenvien"), step.task_id, {"scope": "x"})  # sees it, not theirs
    with pytest.raises(NotFound):
        service.save_draft(db, actor("tccb.chuyenvien"), step.task_id, {"scope": "x"})  # uninvolved
    with pytest.raises(NotFound):
        service.save_draft(db, actor("tt.chuyenvien", org="syt-quang-ngai"), step.task_id, {"scope": "x"})
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    with pytest.raises(Conflict):
        service.save_draft(db, actor("tt.chuyenvien"), step.task_id, {"scope": "x"})  # a stale page
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(TaskDraft)) == 0


def test_a_draft_of_a_completed_task_is_not_offered(db, actor):
    inst = start_review(db, actor)
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    service.save_draft(db, actor("tt.chuyenvien"), step.task_id, {"scope": "nháp"})
    # completed by a path that did not know of the draft (the page of another tab, the CLI)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    assert service.task_page(db, actor("tt.chuyenvien"), step.task_id).draft is None


# --- comments ---------------------------------------------------------------------------------------------------

def test_comments_are_plain_text_of_who_sees_the_instance(db, actor):
    inst = start_review(db, actor)
    added = service.add_comment(db, actor("khtc.chuyenvien"), inst.id, "  <b>Đề nghị</b> bổ sung\u202e  ")
    assert added.body == "<b>Đề nghị</b> bổ sung" and added.author_name == "Chuyên viên Phòng Kế hoạch - Tài chính"
    service.add_comment(db, actor("giamdoc"), inst.id, "Đồng ý")
    assert [c.body for c in service.instance_extras(db, actor("tt.chuyenvien"), inst.id).comments] == [
        "<b>Đề nghị</b> bổ sung", "Đồng ý"]
    with pytest.raises(NotFound):
        service.add_comment(db, actor("tccb.chuyenvien"), inst.id, "x")
    with pytest.raises(NotFound):
        service.add_comment(db, actor("tt.chuyenvien", org="syt-quang-ngai"), inst.id, "x")
    with pytest.raises(EngineError, match="Chưa nhập nội dung"):
        service.add_comment(db, actor("tt.chuyenvien"), inst.id, " \u200b ")
    with pytest.raises(EngineError, match="quá dài"):
        service.add_comment(db, actor("tt.chuyenvien"), inst.id, "a" * 4001)
    with pytest.raises(NotFound):  # a task of another instance named as where it was written
        other = start_review(db, actor, period="2027")
        service.add_comment(db, actor("tt.chuyenvien"), inst.id, "x",
                            open_item(db, actor("tt.chuyenvien"), "start_review", other.id).task_id)
    assert _kinds(db, inst.id).count("comment") == 2


# --- attachments ------------------------------------------------------------------------------------------------

def test_attachments_are_checked_by_content_and_downloaded_by_who_sees_the_instance(db, actor):
    inst = start_review(db, actor)
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    row = service.attach_file(db, actor("tt.chuyenvien"), step.task_id, "../Kế hoạch.pdf", PDF)
    assert (row.filename, row.content_type, row.size) == ("Kế hoạch.pdf", "application/pdf", len(PDF))
    got = service.attachment_download(db, actor("khtc.chuyenvien"), row.id)
    assert got.content == PDF and got.filename == "Kế hoạch.pdf"
    assert [a.filename for a in service.task_page(db, actor("giamdoc"), step.task_id).attachments] == ["Kế hoạch.pdf"]
    assert [a.id for a in service.instance_extras(db, actor("giamdoc"), inst.id).attachments] == [row.id]
    with pytest.raises(NotFound):
        service.attachment_download(db, actor("tccb.chuyenvien"), row.id)
    with pytest.raises(NotFound):
        service.attachment_download(db, actor("tt.chuyenvien", org="syt-quang-ngai"), row.id)
    refusals = [("gia.pdf", b"MZ\x90\x00", "không khớp"), ("rong.pdf", b"", "rỗng"),
                ("chay.exe", b"MZ\x90\x00", "chỉ nhận tệp"),
                ("lon.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), "quá lớn")]
    for name, data, message in refusals:
        with pytest.raises(EngineError, match=message):
            service.attach_file(db, actor("tt.chuyenvien"), step.task_id, name, data)
    with pytest.raises(Forbidden):
        service.attach_file(db, actor("khtc.chuyenvien"), step.task_id, "a.pdf", PDF)
    with pytest.raises(NotFound):
        service.attach_file(db, actor("tt.chuyenvien", org="syt-quang-ngai"), step.task_id, "a.pdf", PDF)
    assert len(service.instance_extras(db, actor("giamdoc"), inst.id).attachments) == 1
    assert _kinds(db, inst.id).count("attachment_add") == 1


# --- what was submitted; contributions side by side ---------------------------------------------------------------

def test_completed_steps_show_their_submitted_fields_with_labels(db, actor):
    inst, _ = _to_consolidation(db, actor)
    extras = service.instance_extras(db, actor("tt.chuyenvien"), inst.id)
    khtc = next(i for i in service.instance_view(db, actor("tt.chuyenvien"), inst.id)["items"]
                if i.bpmn_id == "contribute" and i.unit_code == "KHTC")
    assert sorted(extras.submitted[khtc.task_id]) == sorted([
        ("documents_reviewed", "Số văn bản đã rà soát", 7),
        ("documents_to_amend", "Số văn bản cần sửa đổi, bổ sung", 2),
        ("documents_to_repeal", "Số văn bản cần bãi bỏ, thay thế", 1),
        ("document_list", "Danh mục văn bản đã rà soát", FULL["document_list"]),
        ("proposals", "Kiến nghị, đề xuất", "Sửa đổi QĐ 12/2020")])


def test_the_lead_and_the_approver_see_every_field_of_every_unit_side_by_side(db, actor):
    inst, consolidation = _to_consolidation(db, actor)
    table = service.task_page(db, actor("tt.chuyenvien"), consolidation.task_id).contributions[0]
    assert table.units == ["KHTC", "NVY"]
    assert {name: values for name, _, values in table.rows} == {
        "documents_reviewed": [7, 4], "documents_to_amend": [2, None], "documents_to_repeal": [1, None],
        "document_list": [FULL["document_list"], None],
        "proposals": ["Sửa đổi QĐ 12/2020", CONTRIBUTION["proposals"]]}
    assert dict((name, label) for name, label, _ in table.rows)["proposals"] == "Kiến nghị, đề xuất"
    complete(db, actor("tt.chuyenvien"), "consolidate", inst.id, REPORT)
    approve = open_item(db, actor("giamdoc"), "approve", inst.id)
    assert service.task_page(db, actor("giamdoc"), approve.task_id).contributions[0].units == ["KHTC", "NVY"]
    assert not service.task_page(db, actor("giamdoc"), approve.task_id).may_send_back  # the lead's only


# --- one contribution sent back -----------------------------------------------------------------------------------

def test_the_lead_sends_one_contribution_back_and_the_consolidation_waits_for_it(db, actor):
    inst, consolidation = _to_consolidation(db, actor)
    tt, nvy = actor("tt.chuyenvien"), actor("nvy.chuyenvien")
    service.send_back_contribution(db, tt, consolidation.task_id, "NVY", "Bổ sung danh mục văn bản")
    # NVY has its task again, with the comment and its last answer; KHTC's stays done
    again = open_item(db, nvy, "contribute", inst.id)
    page = service.task_page(db, nvy, again.task_id)
    assert page.rework.comment == "Bổ sung danh mục văn bản" and page.previous == CONTRIBUTION
    assert not [i for i in service.my_work_items(db, actor("khtc.chuyenvien")) if i.instance_id == inst.id]
    # the consolidation waits: out of the lead's worklist, and refused if submitted from a stale page
    assert not [i for i in service.my_work_items(db, tt) if i.bpmn_id == "consolidate"]
    waiting = next(i for i in service.instance_view(db, tt, inst.id)["items"] if i.bpmn_id == "consolidate")
    assert (waiting.state, waiting.deadline_state) == ("WAITING", "Trong hạn")  # still to do, not done
    with pytest.raises(Conflict):  # nor can a draft or a file be added to it meanwhile
        service.save_draft(db, tt, consolidation.task_id, {"summary": "x"})
    with pytest.raises(Conflict, match="đang chờ đơn vị phối hợp"):
        service.complete_task(db, tt, consolidation.task_id, REPORT)
    with pytest.raises(FormInvalid):
        service.submit_task_page(db, nvy, again.task_id, {"documents_reviewed": "nhiều"}, rework=True)
    service.submit_task_page(db, nvy, again.task_id, {
        "documents_reviewed": "5", "document_list": "QĐ 7/2019", "proposals": "Đã bổ sung"}, rework=True)
    with pytest.raises(Conflict):  # a double submit
        service.submit_task_page(db, nvy, again.task_id, {"documents_reviewed": "5", "proposals": "x"}, rework=True)
    table = service.task_page(db, tt, consolidation.task_id).contributions[0]
    assert dict((n, v) for n, _, v in table.rows)["document_list"] == [FULL["document_list"], ["QĐ 7/2019"]]
    assert open_item(db, tt, "consolidate", inst.id).task_id == consolidation.task_id  # READY again
    complete(db, tt, "consolidate", inst.id, REPORT)
    approve = open_item(db, actor("giamdoc"), "approve", inst.id)  # the approver sees the revised contribution
    rows = service.task_page(db, actor("giamdoc"), approve.task_id).contributions[0].rows
    assert dict((n, v) for n, _, v in rows)["proposals"] == ["Sửa đổi QĐ 12/2020", "Đã bổ sung"]
    service.complete_task(db, actor("giamdoc"), approve.task_id, {"decision": "approve"})
    assert service.instance_view(db, tt, inst.id)["instance"].status == "completed"
    kinds = _kinds(db, inst.id)
    assert kinds.count("contribution_sent_back") == 1 and kinds.count("contribution_resubmitted") == 1
    extras = service.instance_extras(db, tt, inst.id)
    assert dict((n, v) for n, _, v in extras.submitted[again.task_id])["proposals"] == "Đã bổ sung"


def test_sending_back_is_refused_to_others_and_for_bad_requests(db, actor):
    inst, consolidation = _to_consolidation(db, actor)
    with pytest.raises(Forbidden):
        service.send_back_contribution(db, actor("nvy.chuyenvien"), consolidation.task_id, "KHTC", "x")
    with pytest.raises(NotFound):
        service.send_back_contribution(db, actor("tccb.chuyenvien"), consolidation.task_id, "KHTC", "x")
    with pytest.raises(NotFound):
        service.send_back_contribution(db, actor("tt.chuyenvien", org="syt-quang-ngai"), consolidation.task_id,
                                       "KHTC", "x")
    tt = actor("tt.chuyenvien")
    with pytest.raises(EngineError, match="nhập ý kiến"):
        service.send_back_contribution(db, tt, consolidation.task_id, "KHTC", "  ")
    with pytest.raises(EngineError, match="không có kết quả phối hợp"):
        service.send_back_contribution(db, tt, consolidation.task_id, "TCCB", "x")
    service.send_back_contribution(db, tt, consolidation.task_id, "KHTC", "Sửa số liệu")
    with pytest.raises(Conflict, match="đang được trả lại"):
        service.send_back_contribution(db, tt, consolidation.task_id, "KHTC", "lần nữa")
    start = open_item(db, tt, "start_review", start_review(db, actor, period="2027").id)
    with pytest.raises(EngineError, match="không có kết quả phối hợp"):
        service.send_back_contribution(db, tt, start.task_id, "KHTC", "x")  # a step without contributions
    assert _kinds(db, inst.id).count("contribution_sent_back") == 1


def test_cancelling_while_a_contribution_is_out_leaves_no_open_item(db, actor):
    inst, consolidation = _to_consolidation(db, actor)
    service.send_back_contribution(db, actor("tt.chuyenvien"), consolidation.task_id, "NVY", "Bổ sung")
    service.cancel_instance(db, actor("admin"), inst.id, "Hủy thử")
    states = {(i.bpmn_id, i.unit_code): i.state for i in service.instance_view(db, actor("admin"), inst.id)["items"]}
    assert states[("contribute", "NVY")] == "CANCELLED" and states[("consolidate", "TTRA")] == "CANCELLED"
    assert states[("contribute", "KHTC")] == "COMPLETED"
    assert not [i for i in service.my_work_items(db, actor("nvy.chuyenvien")) if i.instance_id == inst.id]


def test_a_completed_task_takes_no_more_files(db, actor):
    inst = start_review(db, actor)
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    with pytest.raises(Conflict):  # a stale page
        service.attach_file(db, actor("tt.chuyenvien"), step.task_id, "a.pdf", PDF)
    assert service.instance_extras(db, actor("tt.chuyenvien"), inst.id).attachments == []


def test_a_step_a_plug_in_checks_is_shown_side_by_side_but_not_sent_back_here(db, actor):
    from tests.test_index_self_assessment import OWNER_LOGINS
    from tests.test_index_self_assessment import start as start_self_assessment

    inst = start_self_assessment(db, actor)
    for unit, login in OWNER_LOGINS.items():
        complete(db, actor(login), "collect_evidence", inst.id, {"batch_confirmed": True, "batch_note": f"{unit} xong"})
    vp = actor("vp.chuyenvien")
    review = open_item(db, vp, "review_batch", inst.id)
    page = service.task_page(db, vp, review.task_id)
    assert page.contributions and not page.contributions[0].returnable and not page.may_send_back
    with pytest.raises(EngineError, match="không trả lại được tại đây"):
        service.send_back_contribution(db, vp, review.task_id, next(iter(OWNER_LOGINS)), "Bổ sung")
