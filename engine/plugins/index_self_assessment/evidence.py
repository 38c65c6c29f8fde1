"""Evidence (tài liệu kiểm chứng) of the annual CCHC index self-assessment, per criterion, and the self-score.

The self-assessment process carries its criteria set in the instance data (`criteria`, resolved by the
criteria module with each criterion's `owner_unit`). Units add files or links to the criteria they own while the
instance runs; the focal (lead) unit may add to any criterion. Files are checked by extension *and* content
(PDF, DOCX, XLSX, PNG, JPEG; at most 10 MB) and stored in the `evidence` table with their sha256. Evidence is never
deleted: withdrawing hides it from coverage and export, and every add or withdrawal is in the audit trail.

The self-score is checked by self_score; appraisal_export writes the score sheet and evidence list
for the appraisal dossier.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core import audit, clock, roles
from engine.core.errors import Conflict, EngineError, Forbidden, NotFound
from engine.core.models import Evidence, ProcessInstance
from engine.core.org import Actor, unit_name, unit_names
from engine.plugins.index_self_assessment import PROCESS_KEY
from engine.runtime import instances, worklist
from engine.runtime.uploads import (  # noqa: F401  (the names the plug-in's callers and tests know it by)
    ALLOWED_LABEL,
    CONTENT_TYPES,
    INVISIBLE,
    MAX_FILE_BYTES,
    MAX_FILENAME_LENGTH,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_UNCOMPRESSED,
    check_file,
    clean_filename,
    visible_text,
)

SELF_SCORE_TASK = "self_score"
BATCH_TASKS = ("collect_evidence", "review_batch")
MAX_URL_LENGTH = 2000
MAX_TITLE_LENGTH = 500


# --------------------------------------------------------------------------------------------------------------
# Instance data


def _workflow_data(workflow: BpmnWorkflow) -> Mapping[str, Any]:
    """The instance's start data (criteria, batches, units): the root task's data."""
    return workflow.task_tree.data


def criteria_of(workflow: BpmnWorkflow) -> list[dict[str, Any]]:
    """The resolved criteria the instance was started with (empty if none)."""
    return list(_workflow_data(workflow).get("criteria") or [])


def current_batch(workflow: BpmnWorkflow) -> int | None:
    """The batch being collected or reviewed (1, 2, 3 …), or None outside the batches (ad hoc evidence)."""
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        if task.task_spec.bpmn_id in BATCH_TASKS and task.data.get("batch_number"):
            return int(task.data["batch_number"])
    return None


def latest_self_score(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The data of the most recently completed `self_score` task ({} before the first scoring)."""
    done = [t for t in workflow.tasks.values()
            if getattr(t.task_spec, "bpmn_id", None) == SELF_SCORE_TASK and t.state == TaskState.COMPLETED]
    if not done:
        return {}
    return dict(max(done, key=lambda t: (t.depth, t.last_state_change)).data)


def _code_key(code: str) -> tuple:
    """Natural order of criterion codes: 1.2 before 1.10."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


# --------------------------------------------------------------------------------------------------------------
# Access


def _instance(session: Session, actor: Actor, instance_id: int) -> ProcessInstance:
    """The actor's organisation's self-assessment instance `instance_id`; NotFound otherwise."""
    instance = session.get(ProcessInstance, instance_id)
    if instance is None or instance.org_id != actor.org_id:
        raise NotFound("Không tìm thấy hồ sơ quy trình")
    if instance.process_key != PROCESS_KEY:
        raise EngineError("Hồ sơ này không phải hồ sơ tự đánh giá Chỉ số CCHC")
    return instance


def _is_focal(actor: Actor, instance: ProcessInstance) -> bool:
    """Does the actor hold the lead role of the instance's focal unit?"""
    return actor.holds(roles.LEAD_UNIT, instance.lead_unit_code)


def _check_visible(session: Session, actor: Actor, instance: ProcessInstance,
                   criteria: list[dict[str, Any]]) -> None:
    """Participants of the instance (focal, owners of criteria, approver, admins) see its evidence."""
    owners = {c.get("owner_unit") for c in criteria}
    if worklist.can_see_instance(session, actor, instance) or owners & actor.unit_codes:
        return
    raise NotFound("Không tìm thấy hồ sơ quy trình")


def _open(session: Session, actor: Actor, instance_id: int) -> tuple[ProcessInstance, BpmnWorkflow, list[dict]]:
    """(instance, workflow, criteria) of a self-assessment the actor may see: NotFound otherwise."""
    instance = _instance(session, actor, instance_id)
    workflow = instances.load(instance)
    criteria = criteria_of(workflow)
    _check_visible(session, actor, instance, criteria)
    return instance, workflow, criteria


def _visible_row(session: Session, actor: Actor, evidence_id: int) -> tuple[Evidence, ProcessInstance]:
    """(evidence row, its instance) if the actor may see the instance; NotFound otherwise (who may not see it
    learns nothing, not even that the evidence exists)."""
    row = session.get(Evidence, evidence_id)
    if row is None or row.org_id != actor.org_id:
        raise NotFound("Không tìm thấy tài liệu kiểm chứng")
    try:
        instance, _, _ = _open(session, actor, row.instance_id)
    except NotFound:
        raise NotFound("Không tìm thấy tài liệu kiểm chứng") from None
    return row, instance


def adding_unit(actor: Actor, instance: ProcessInstance, criterion: dict[str, Any]) -> str | None:
    """The unit on whose behalf `actor` may add evidence to `criterion`: its owner unit if the actor holds the
    supporting role there, else the focal (lead) unit if the actor holds the lead role; None if neither."""
    owner = criterion.get("owner_unit")
    if owner and actor.holds(roles.SUPPORTING_UNIT, owner):
        return str(owner)
    if _is_focal(actor, instance):
        return instance.lead_unit_code
    return None


def _open_for_adding(session: Session, actor: Actor, instance_id: int,
                     criterion_code: str) -> tuple[ProcessInstance, dict[str, Any], str, int | None]:
    """(instance, criterion, unit code, batch) for a new piece of evidence, or the reason it may not be added."""
    instance, workflow, criteria = _open(session, actor, instance_id)
    if instance.status != "running":
        raise Conflict("Hồ sơ tự đánh giá đã kết thúc; không thể bổ sung tài liệu kiểm chứng")
    code = (criterion_code or "").strip()
    criterion = next((c for c in criteria if c.get("code") == code), None)
    if criterion is None:
        raise NotFound(f"Không có tiêu chí '{code}' trong bộ tiêu chí của hồ sơ")
    unit = adding_unit(actor, instance, criterion)
    if unit is None:
        owner = unit_name(session, instance.org_id, criterion.get("owner_unit") or "")
        raise Forbidden(f"Chỉ đơn vị phụ trách tiêu chí {code} ({owner}) hoặc đơn vị đầu mối "
                        f"({unit_name(session, instance.org_id, instance.lead_unit_code)}) được cung cấp tài liệu "
                        "kiểm chứng cho tiêu chí này")
    return instance, criterion, unit, current_batch(workflow)


# --------------------------------------------------------------------------------------------------------------
# Checks


def check_url(url: str) -> str:
    """The link, if it is an http(s) address; EngineError otherwise."""
    value = (url or "").strip()
    if not value:
        raise EngineError("Chưa nhập đường link")
    if len(value) > MAX_URL_LENGTH:
        raise EngineError(f"Đường link quá dài (tối đa {MAX_URL_LENGTH} ký tự)")
    if any(ch.isspace() or unicodedata.category(ch) in INVISIBLE for ch in value):
        raise EngineError("Đường link không được chứa khoảng trắng, ký tự điều khiển hoặc ký tự ẩn")
    try:
        parts = urlsplit(value)
    except ValueError:
        raise EngineError("Đường link không hợp lệ") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise EngineError("Chỉ chấp nhận đường link bắt đầu bằng http:// hoặc https://")
    return value


def _title(title: str, fallback: str = "") -> str:
    """A one-line title (line breaks and runs of spaces folded, invisible characters dropped, NFC), `fallback`
    when empty."""
    text = " ".join(visible_text(title, " ").split()) or fallback
    if len(text) > MAX_TITLE_LENGTH:
        raise EngineError(f"Tiêu đề quá dài (tối đa {MAX_TITLE_LENGTH} ký tự)")
    return text


# --------------------------------------------------------------------------------------------------------------
# Adding, withdrawing, listing


def add_file(session: Session, actor: Actor, instance_id: int, criterion_code: str, filename: str, data: bytes,
             title: str = "") -> Evidence:
    """Store an uploaded file as evidence for a criterion of a running self-assessment.

    Only the criterion's owner unit or the focal unit may add. Raises NotFound (instance/criterion), Forbidden
    (unit), Conflict (instance ended) or EngineError (type, content, size); nothing is stored then."""
    instance, criterion, unit, batch = _open_for_adding(session, actor, instance_id, criterion_code)
    name, content_type = check_file(filename, data)
    row = Evidence(
        org_id=instance.org_id, instance_id=instance.id, criterion_code=criterion["code"], unit_code=unit,
        batch=batch, kind="file", title=_title(title, PurePosixPath(name).stem or name), filename=name,
        content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(), content=bytes(data),
        url=None, uploaded_by=actor.login, uploaded_at=clock.to_db(clock.now()), withdrawn=False,
    )
    return _store(session, instance, row, actor)


def add_link(session: Session, actor: Actor, instance_id: int, criterion_code: str, url: str,
             title: str) -> Evidence:
    """Record an http(s) link (bài báo, video, trang thông tin …) as evidence for a criterion; same rules as
    add_file, and a title is required."""
    instance, criterion, unit, batch = _open_for_adding(session, actor, instance_id, criterion_code)
    link = check_url(url)
    text = _title(title)
    if not text:
        raise EngineError("Cần nhập tiêu đề cho đường link")
    row = Evidence(
        org_id=instance.org_id, instance_id=instance.id, criterion_code=criterion["code"], unit_code=unit,
        batch=batch, kind="link", title=text, filename=None, content_type=None, size=None, sha256=None,
        content=None, url=link, uploaded_by=actor.login, uploaded_at=clock.to_db(clock.now()), withdrawn=False,
    )
    return _store(session, instance, row, actor)


def _store(session: Session, instance: ProcessInstance, row: Evidence, actor: Actor) -> Evidence:
    """Insert a checked evidence row and its audit event."""
    session.add(row)
    session.flush()
    what = row.filename if row.kind == "file" else row.url
    audit.record(session, "evidence_add", actor.login, instance_id=instance.id, org_id=instance.org_id,
                 summary=f"Tài liệu kiểm chứng tiêu chí {row.criterion_code}: {row.title} ({what})",
                 payload={"evidence_id": row.id, "criterion_code": row.criterion_code, "unit_code": row.unit_code,
                          "batch": row.batch, "kind": row.kind, "filename": row.filename, "url": row.url,
                          "size": row.size, "sha256": row.sha256})
    return row


def withdraw(session: Session, actor: Actor, evidence_id: int, reason: str = "") -> Evidence:
    """Withdraw a piece of evidence (it stays stored, flagged, and leaves coverage and export).

    Allowed to the unit that added it and to the focal unit, while the instance runs."""
    row, instance = _visible_row(session, actor, evidence_id)
    if not (actor.holds(roles.SUPPORTING_UNIT, row.unit_code) or actor.holds(roles.LEAD_UNIT, row.unit_code)
            or _is_focal(actor, instance)):
        raise Forbidden("Chỉ đơn vị đã cung cấp tài liệu hoặc đơn vị đầu mối được rút tài liệu kiểm chứng")
    if instance.status != "running":
        raise Conflict("Hồ sơ tự đánh giá đã kết thúc; không thể rút tài liệu kiểm chứng")
    if row.withdrawn:
        raise Conflict("Tài liệu kiểm chứng này đã được rút trước đó")
    row.withdrawn = True
    audit.record(session, "evidence_withdraw", actor.login, instance_id=instance.id, org_id=instance.org_id,
                 summary=f"Rút tài liệu kiểm chứng tiêu chí {row.criterion_code}: {row.title}"
                         + (f" — {reason.strip()}" if reason and reason.strip() else ""),
                 payload={"evidence_id": row.id, "criterion_code": row.criterion_code, "reason": reason or ""})
    session.flush()
    return row


def list_for(session: Session, actor: Actor, instance_id: int, include_withdrawn: bool = False) -> list[Evidence]:
    """The instance's evidence, by criterion (natural order) then upload time; file content is not loaded."""
    instance, _, _ = _open(session, actor, instance_id)
    return _rows(session, instance.id, include_withdrawn)


def _rows(session: Session, instance_id: int, include_withdrawn: bool = False) -> list[Evidence]:
    """Evidence rows of an instance in display order (criterion, then upload time)."""
    query = select(Evidence).where(Evidence.instance_id == instance_id)
    if not include_withdrawn:
        query = query.where(Evidence.withdrawn.is_(False))
    rows = list(session.scalars(query.order_by(Evidence.uploaded_at, Evidence.id)))
    return sorted(rows, key=lambda r: _code_key(r.criterion_code))


def open_file(session: Session, actor: Actor, evidence_id: int) -> tuple[Evidence, bytes]:
    """(evidence row, file content) for a download, if the actor may see the instance."""
    row, _ = _visible_row(session, actor, evidence_id)
    if row.kind != "file" or row.content is None:
        raise NotFound("Tài liệu kiểm chứng này là đường link, không có tệp để tải về")
    return row, row.content


# --------------------------------------------------------------------------------------------------------------
# Coverage and scores


def coverage_of(session: Session, instance: ProcessInstance, criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """coverage() for criteria already read from the instance."""
    counts = dict(session.execute(
        select(Evidence.criterion_code, func.count(Evidence.id))
        .where(Evidence.instance_id == instance.id, Evidence.withdrawn.is_(False))
        .group_by(Evidence.criterion_code)).all())
    return [{"area_code": c.get("area_code", ""), "area_name": c.get("area_name", ""), "code": c["code"],
             "name": c["name"], "max_points": c["max_points"], "owner": c.get("owner", ""),
             "owner_unit": c.get("owner_unit", ""), "evidence_count": int(counts.get(c["code"], 0))}
            for c in criteria]


def coverage(session: Session, instance: ProcessInstance) -> list[dict[str, Any]]:
    """Per criterion, in the criteria set's order: {area_code, area_name, code, name, max_points, owner,
    owner_unit, evidence_count} (withdrawn evidence not counted)."""
    return coverage_of(session, instance, criteria_of(instances.load(instance)))


def panel(session: Session, actor: Actor, instance_id: int) -> dict[str, Any]:
    """What an evidence page shows: coverage rows (with `can_add` for the actor), the evidence, the current
    batch, whether the instance still takes evidence, and the latest self-score."""
    instance, workflow, criteria = _open(session, actor, instance_id)
    running = instance.status == "running"
    rows = coverage_of(session, instance, criteria)
    for row, c in zip(rows, criteria, strict=True):
        row["can_add"] = running and adding_unit(actor, instance, c) is not None
    return {"instance": instance, "coverage": rows, "evidence": _rows(session, instance.id),
            "current_batch": current_batch(workflow), "batches": list(_workflow_data(workflow).get("batches") or []),
            "running": running, "self_score": latest_self_score(workflow)}


# --------------------------------------------------------------------------------------------------------------
# Export


def dossier(session: Session, actor: Actor, instance_id: int) -> dict[str, Any]:
    """What the appraisal export needs, for someone who may see the instance: the instance, its criteria with
    coverage, the latest self-score, the evidence (withdrawn left out) and the unit names."""
    instance, workflow, criteria = _open(session, actor, instance_id)
    return {"instance": instance, "criteria": criteria, "coverage": coverage_of(session, instance, criteria),
            "self_score": latest_self_score(workflow), "evidence": _rows(session, instance.id),
            "units": unit_names(session, instance.org_id)}


def uploaded_at_local(row: Evidence) -> datetime:
    """When a piece of evidence was added, in Việt Nam time (for display)."""
    return clock.local(clock.from_db(row.uploaded_at))
