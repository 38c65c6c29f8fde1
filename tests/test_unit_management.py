"""The unit's manager (engine): claim, release, reassign, delegate (ủy quyền), and the Trưởng phòng's review of
a supporting unit's contribution (process property unit_review)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine import service
from engine.core.errors import Conflict, EngineError, Forbidden, FormInvalid, NotFound
from engine.core.models import AuditEvent, UnitReview, WorkItem
from engine.runtime import unit_review
from tests.helpers import CONTRIBUTION, REPORT, complete, open_item, race, start_review
from tests.test_completion_path import statements  # noqa: F401  (the statement recorder fixture)
from tests.test_postgres import pg, pg_actor  # noqa: F401  (the PostgreSQL fixtures)

SOURCE = service.PROCESSES_DIR / "legal_document_review" / "legal_document_review.bpmn"


def deploy_with_unit_review(db, tmp_path):
    """A new version of the legal review with the unit review switched on (the shipped one has it off)."""
    xml = SOURCE.read_text(encoding="utf-8").replace(
        '<camunda:property name="reminder_working_days" value="5" />',
        '<camunda:property name="reminder_working_days" value="5" />\n'
        '        <camunda:property name="unit_review" value="true" />', 1)
    assert "unit_review" in xml
    path = tmp_path / "legal_document_review.bpmn"
    path.write_text(xml, encoding="utf-8")
    row, created = service.deploy_file(db, path)
    assert created and row.meta["properties"]["unit_review"] == "true"


def contribution_of(db, actor, unit, instance_id):
    return open_item(db, actor(f"{unit.lower()}.chuyenvien"), "contribute", instance_id)


@pytest.fixture
def review(db, actor):
    """A legal review waiting for the contributions of KHTC and NVY."""
    inst = start_review(db, actor)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
             {"scope": "Văn bản QPPL lĩnh vực y tế", "contribute_due": "2026-12-20"})
    return inst


def events(db, kind):
    with db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.kind == kind)))


def assignee_of(db, task_id):
    with db.read() as s:
        return s.scalar(select(WorkItem.assignee_id).where(WorkItem.task_id == task_id))


# --- claim / release ---

def test_a_chuyen_vien_claims_and_the_unit_sees_who(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    cv, head = actor("khtc.chuyenvien"), actor("khtc.truongphong")
    person = service.claim_task(db, cv, step.task_id)
    assert person.login == "khtc.chuyenvien" and assignee_of(db, step.task_id) == cv.user_id
    panel = service.manager_panel(db, head, step.task_id).claim
    assert panel.assignee.full_name == cv.full_name and not panel.mine
    assert panel.may_release and panel.may_reassign and panel.may_claim  # the head can take it over
    assert service.assignees(db, head, [step.task_id]) == {step.task_id: cv.full_name}
    (event,) = events(db, "claim")
    assert event.actor == "khtc.chuyenvien" and event.task_id == step.task_id


def test_a_second_claim_is_refused_naming_the_claimant(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    service.claim_task(db, actor("khtc.chuyenvien"), step.task_id)
    with pytest.raises(Conflict, match="Bạn đã nhận công việc này rồi"):
        service.claim_task(db, actor("khtc.chuyenvien"), step.task_id)
    with db.session() as s:  # a colleague of the unit with the same role
        from engine.core import org
        from engine.core.models import Organisation
        hue = s.scalar(select(Organisation).where(Organisation.code == "syt-hue"))
        org.add_user(s, hue, "khtc.chuyenvien2", "Nguyễn Thị Hoa", "KHTC", "x" * 12,
                     [("supporting_unit", "KHTC"), ("lead_unit", "KHTC")])
    with pytest.raises(Conflict, match="đã được Chuyên viên .* nhận"):
        service.claim_task(db, actor("khtc.chuyenvien2"), step.task_id)
    with pytest.raises(Forbidden, match="đã có người khác nhận"):  # nor may they complete it
        service.complete_task(db, actor("khtc.chuyenvien2"), step.task_id, CONTRIBUTION)
    assert len(events(db, "claim")) == 1


def test_racing_claims_one_wins(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    cv = actor("khtc.chuyenvien")
    assert race(lambda: service.claim_task(db, cv, step.task_id)) == ["conflict", "conflict", "conflict", "ok"]
    assert assignee_of(db, step.task_id) == cv.user_id and len(events(db, "claim")) == 1


def test_the_head_takes_over_and_completes_a_claimed_step(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    service.claim_task(db, actor("khtc.chuyenvien"), step.task_id)
    head = actor("khtc.truongphong")
    service.claim_task(db, head, step.task_id)
    assert assignee_of(db, step.task_id) == head.user_id
    assert "nhận thay" in events(db, "claim")[-1].summary
    done = service.complete_task(db, head, step.task_id, CONTRIBUTION)
    assert done.state == "COMPLETED" and done.completed_by == "khtc.truongphong"


def test_the_claimant_completes_their_claimed_step(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    cv = actor("khtc.chuyenvien")
    service.claim_task(db, cv, step.task_id)
    assert service.complete_task(db, cv, step.task_id, CONTRIBUTION).state == "COMPLETED"
    with pytest.raises(Conflict, match="đã được xử lý"):
        service.claim_task(db, cv, step.task_id)


def test_release_gives_the_step_back_to_the_unit(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    cv = actor("khtc.chuyenvien")
    with pytest.raises(Conflict, match="chưa có người nhận"):
        service.release_task(db, cv, step.task_id)
    service.claim_task(db, cv, step.task_id)
    service.release_task(db, cv, step.task_id)
    assert assignee_of(db, step.task_id) is None and len(events(db, "release")) == 1
    service.claim_task(db, cv, step.task_id)
    service.release_task(db, actor("khtc.truongphong"), step.task_id)  # the head may release it too
    assert assignee_of(db, step.task_id) is None


def test_claims_of_others_are_refused(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    with pytest.raises(Forbidden):  # Thanh tra sees the instance (lead) but the step is KHTC's
        service.claim_task(db, actor("tt.chuyenvien"), step.task_id)
    with pytest.raises(NotFound):  # a unit with no part in it
        service.claim_task(db, actor("tccb.chuyenvien"), step.task_id)
    with pytest.raises(NotFound):  # another Sở
        service.claim_task(db, actor("khtc.chuyenvien", "syt-quang-ngai"), step.task_id)
    with pytest.raises(NotFound):  # a stale or made-up link
        service.claim_task(db, actor("khtc.chuyenvien"), "00000000-0000-0000-0000-000000000000")
    service.claim_task(db, actor("khtc.chuyenvien"), step.task_id)
    with pytest.raises(Forbidden):  # Thanh tra's head is not KHTC's
        service.release_task(db, actor("tt.truongphong"), step.task_id)
    assert assignee_of(db, step.task_id) == actor("khtc.chuyenvien").user_id


# --- reassign / delegate ---

def test_the_head_reassigns_within_the_unit(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    head = actor("khtc.truongphong")
    person = service.reassign_task(db, head, step.task_id, "khtc.chuyenvien")
    assert person.login == "khtc.chuyenvien" and assignee_of(db, step.task_id) == actor("khtc.chuyenvien").user_id
    (event,) = events(db, "reassign")
    assert event.actor == "khtc.truongphong" and json.loads(event.payload) == {"assignee": "khtc.chuyenvien"}
    with pytest.raises(Conflict, match="đã được giao cho"):
        service.reassign_task(db, head, step.task_id, "khtc.chuyenvien")


def test_reassign_refusals(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    head = actor("khtc.truongphong")
    with pytest.raises(Forbidden, match="Chỉ trưởng đơn vị"):  # a chuyên viên may not reassign
        service.reassign_task(db, actor("khtc.chuyenvien"), step.task_id, "khtc.truongphong")
    with pytest.raises(EngineError, match="không thuộc đơn vị"):  # someone of another unit
        service.reassign_task(db, head, step.task_id, "tt.chuyenvien")
    with pytest.raises(EngineError, match="Không tìm thấy người"):  # nobody of that login here
        service.reassign_task(db, head, step.task_id, "khong.co")
    with pytest.raises(EngineError, match="không thuộc đơn vị"):  # the Giám đốc holds no KHTC role
        service.reassign_task(db, head, step.task_id, "giamdoc")
    with pytest.raises(Forbidden):  # another unit's head
        service.reassign_task(db, actor("tt.truongphong"), step.task_id, "khtc.chuyenvien")
    assert assignee_of(db, step.task_id) is None and not events(db, "reassign")


def test_candidates_are_the_people_of_the_unit_with_the_role(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    panel = service.manager_panel(db, actor("khtc.truongphong"), step.task_id).claim
    assert {p.login for p in panel.candidates} == {"khtc.chuyenvien", "khtc.truongphong"}
    assert service.manager_panel(db, actor("khtc.chuyenvien"), step.task_id).claim.candidates == ()


# --- the unit review ---

def test_without_the_property_a_contribution_counts_at_once(db, actor, review):
    step = contribution_of(db, actor, "KHTC", review.id)
    assert service.complete_task(db, actor("khtc.chuyenvien"), step.task_id, CONTRIBUTION).state == "COMPLETED"
    assert not [i for i in service.my_work_items(db, actor("khtc.truongphong")) if i.role == "unit_head"]


@pytest.fixture
def reviewed(db, actor, tmp_path):
    deploy_with_unit_review(db, tmp_path)
    inst = start_review(db, actor)
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id,
             {"scope": "Văn bản QPPL lĩnh vực y tế", "contribute_due": "2026-12-20"})
    return inst


def review_item(db, actor, unit, instance_id):
    items = [i for i in service.my_work_items(db, actor(f"{unit.lower()}.truongphong"))
             if i.role == "unit_head" and i.instance_id == instance_id]
    assert len(items) == 1
    return items[0]


def test_a_contribution_waits_for_the_head_who_approves_it(db, actor, reviewed):
    step = contribution_of(db, actor, "KHTC", reviewed.id)
    cv, head = actor("khtc.chuyenvien"), actor("khtc.truongphong")
    held = service.complete_task(db, cv, step.task_id, CONTRIBUTION)
    assert held.state == unit_review.IN_REVIEW
    assert not [i for i in service.my_work_items(db, cv) if i.task_id == step.task_id]  # off their list
    item = review_item(db, actor, "KHTC", reviewed.id)
    panel = service.manager_panel(db, head, item.task_id)
    assert panel.may_review and panel.review.data == CONTRIBUTION and panel.review.submitted_by == cv.full_name
    assert not service.manager_panel(db, cv, step.task_id).may_review
    ctx = service.task_context(db, head, item.task_id)
    assert not ctx["can_act"] and ("documents_reviewed", ctx["labels"]["documents_reviewed"], 4) in ctx["context_rows"]
    with pytest.raises(Conflict):  # a double submit of the held contribution
        service.complete_task(db, cv, step.task_id, CONTRIBUTION)
    with pytest.raises(Forbidden):  # the chuyên viên cannot approve their own work
        service.approve_contribution(db, cv, item.task_id)
    with pytest.raises(Conflict):  # the review item is not completed as a form
        service.complete_task(db, head, item.task_id, {})
    service.approve_contribution(db, head, item.task_id)
    with pytest.raises(Conflict, match="đã được duyệt hoặc trả lại"):
        service.approve_contribution(db, head, item.task_id)
    with db.read() as s:
        row = s.scalar(select(WorkItem).where(WorkItem.task_id == step.task_id))
        assert (row.state, row.completed_by) == ("COMPLETED", "khtc.chuyenvien")
        assert s.scalar(select(UnitReview.state)) == "approved"
    assert [e.actor for e in events(db, "unit_review_approve")] == ["khtc.truongphong"]
    # Both contributions in (NVY's head submits its own: not held), the lead consolidates.
    complete(db, actor("nvy.truongphong"), "contribute", reviewed.id, CONTRIBUTION)
    complete(db, actor("tt.chuyenvien"), "consolidate", reviewed.id, REPORT)


def test_the_head_returns_a_contribution_with_a_comment(db, actor, reviewed):
    step = contribution_of(db, actor, "KHTC", reviewed.id)
    cv, head = actor("khtc.chuyenvien"), actor("khtc.truongphong")
    service.complete_task(db, cv, step.task_id, CONTRIBUTION)
    item = review_item(db, actor, "KHTC", reviewed.id)
    with pytest.raises(FormInvalid):  # a return says why
        service.return_contribution(db, head, item.task_id, "  ")
    service.return_contribution(db, head, item.task_id, "Bổ sung số liệu quý IV")
    again = contribution_of(db, actor, "KHTC", reviewed.id)
    assert again.task_id == step.task_id and assignee_of(db, step.task_id) == cv.user_id
    panel = service.manager_panel(db, cv, step.task_id)
    assert panel.review.state == "returned" and panel.review.comment == "Bổ sung số liệu quý IV"
    assert service.task_context(db, cv, step.task_id)["prefill"]["proposals"] == CONTRIBUTION["proposals"]
    assert "Bổ sung số liệu quý IV" in events(db, "unit_review_return")[0].summary
    with pytest.raises(Conflict):
        service.approve_contribution(db, head, item.task_id)
    service.complete_task(db, cv, step.task_id, CONTRIBUTION | {"documents_reviewed": 5})  # held again
    service.approve_contribution(db, head, review_item(db, actor, "KHTC", reviewed.id).task_id)
    with db.read() as s:
        assert s.scalar(select(WorkItem.state).where(WorkItem.task_id == step.task_id)) == "COMPLETED"


def test_the_head_delegates_the_review_to_a_chuyen_vien(db, actor, reviewed):
    step = contribution_of(db, actor, "KHTC", reviewed.id)
    service.complete_task(db, actor("khtc.chuyenvien"), step.task_id, CONTRIBUTION)
    item = review_item(db, actor, "KHTC", reviewed.id)
    head = actor("khtc.truongphong")
    with pytest.raises(EngineError, match="Chỉ ủy quyền được cho người thuộc đơn vị"):
        service.reassign_task(db, head, item.task_id, "tt.chuyenvien")
    with pytest.raises(Forbidden):  # not delegated yet: a chuyên viên may not decide
        service.approve_contribution(db, actor("nvy.chuyenvien"), item.task_id)
    with db.session() as s:  # a second chuyên viên of KHTC, the delegate
        from engine.core import org
        from engine.core.models import Organisation
        org.add_user(s, s.scalar(select(Organisation).where(Organisation.code == "syt-hue")), "khtc.pho",
                     "Lê Văn Phó", "KHTC", "x" * 12, [("supporting_unit", "KHTC")])
    service.reassign_task(db, head, item.task_id, "khtc.pho")
    assert events(db, "delegate")[0].summary.endswith("Lê Văn Phó")
    service.approve_contribution(db, actor("khtc.pho"), item.task_id)
    assert [e.actor for e in events(db, "unit_review_approve")] == ["khtc.pho"]


def test_review_of_another_unit_or_so_is_refused(db, actor, reviewed):
    step = contribution_of(db, actor, "KHTC", reviewed.id)
    service.complete_task(db, actor("khtc.chuyenvien"), step.task_id, CONTRIBUTION)
    item = review_item(db, actor, "KHTC", reviewed.id)
    with pytest.raises(Forbidden):  # the lead unit's head sees the instance, not KHTC's review
        service.approve_contribution(db, actor("tt.truongphong"), item.task_id)
    with pytest.raises(NotFound):
        service.return_contribution(db, actor("khtc.truongphong", "syt-quang-ngai"), item.task_id, "Sửa")
    with pytest.raises(NotFound):
        service.approve_contribution(db, actor("tccb.truongphong"), item.task_id)
    with pytest.raises(Conflict, match="không phải là kết quả chờ"):  # an ordinary step is not a review
        service.approve_contribution(db, actor("nvy.truongphong"), contribution_of(db, actor, "NVY",
                                                                                    reviewed.id).task_id)
    assert not events(db, "unit_review_approve") and not events(db, "unit_review_return")


# --- on PostgreSQL (tests/with_postgres.sh): races take the rows' locks there ---

@pytest.mark.postgres
def test_racing_claims_and_approvals_on_postgres(pg, pg_actor, tmp_path):  # noqa: F811
    assert pg.engine.dialect.name == "postgresql"
    deploy_with_unit_review(pg, tmp_path)
    inst = start_review(pg, pg_actor)
    complete(pg, pg_actor("tt.chuyenvien"), "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    cv, head = pg_actor("khtc.chuyenvien"), pg_actor("khtc.truongphong")
    step = open_item(pg, cv, "contribute", inst.id)
    assert race(lambda: service.claim_task(pg, cv, step.task_id)) == ["conflict", "conflict", "conflict", "ok"]
    assert service.complete_task(pg, cv, step.task_id, CONTRIBUTION).state == unit_review.IN_REVIEW
    item = next(i for i in service.my_work_items(pg, head) if i.role == "unit_head")
    assert race(lambda: service.approve_contribution(pg, head, item.task_id)) == ["conflict"] * 3 + ["ok"]
    with pg.read() as s:
        assert s.scalar(select(WorkItem.state).where(WorkItem.task_id == step.task_id)) == "COMPLETED"


def test_a_delegated_review_is_in_the_delegates_worklist(db, actor, reviewed):
    step = contribution_of(db, actor, "KHTC", reviewed.id)
    service.complete_task(db, actor("khtc.chuyenvien"), step.task_id, CONTRIBUTION)
    item = review_item(db, actor, "KHTC", reviewed.id)
    assert item.task_id not in {i.task_id for i in service.my_work_items(db, actor("nvy.chuyenvien"))}
    service.reassign_task(db, actor("khtc.truongphong"), item.task_id, "khtc.chuyenvien")
    mine = [i for i in service.my_work_items(db, actor("khtc.chuyenvien")) if i.role == "unit_head"]
    assert [i.task_id for i in mine] == [item.task_id]
    assert [i.task_id for i in service.my_work_items(db, actor("khtc.truongphong")) if i.role == "unit_head"] \
        == [item.task_id]  # still the head's too, once
    with pytest.raises(Forbidden, match="Không thể tự duyệt"):  # but nobody reviews their own contribution
        service.approve_contribution(db, actor("khtc.chuyenvien"), item.task_id)
    service.approve_contribution(db, actor("khtc.truongphong"), item.task_id)


def test_cancelling_the_instance_withdraws_its_held_contributions(db, actor, reviewed):
    step = contribution_of(db, actor, "KHTC", reviewed.id)
    service.complete_task(db, actor("khtc.chuyenvien"), step.task_id, CONTRIBUTION)
    item = review_item(db, actor, "KHTC", reviewed.id)
    service.cancel_instance(db, actor("admin"), reviewed.id, "Hủy thử")
    assert not [i for i in service.my_work_items(db, actor("khtc.truongphong")) if i.role == "unit_head"]
    with db.read() as s:
        states = dict(s.execute(select(WorkItem.task_id, WorkItem.state)
                                .where(WorkItem.task_id.in_([step.task_id, item.task_id]))).all())
        assert states == {step.task_id: "CANCELLED", item.task_id: "CANCELLED"}
        assert s.scalar(select(UnitReview.state)) == "withdrawn"
    with pytest.raises(Conflict):
        service.approve_contribution(db, actor("khtc.truongphong"), item.task_id)


def test_completing_a_claimed_step_costs_no_more_statements(db, actor, review, statements):  # noqa: F811
    second = start_review(db, actor, period="2027")  # the same first contribution, not claimed
    complete(db, actor("tt.chuyenvien"), "start_review", second.id,
             {"scope": "Văn bản QPPL lĩnh vực y tế", "contribute_due": "2026-12-20"})
    step, other = (contribution_of(db, actor, "KHTC", i.id) for i in (review, second))
    cv = actor("khtc.chuyenvien")
    service.claim_task(db, cv, step.task_id)
    counts = []
    for item in (step, other):
        with statements as seen:
            service.complete_task(db, cv, item.task_id, CONTRIBUTION)
        counts.append(len(seen))
    assert counts[0] == counts[1] and max(counts) <= 8, counts  # the claim is read by the lock already
