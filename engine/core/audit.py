"""Append-only audit trail."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from engine.core import clock
from engine.core.models import AuditEvent

KIND_LABELS = {
    "deploy": "Triển khai quy trình", "start": "Khởi tạo", "complete": "Hoàn thành", "return": "Trả lại",
    "timer_fired": "Đến mốc hẹn giờ", "instance_completed": "Kết thúc", "cancel": "Hủy", "error": "Lỗi",
    "plan_loaded": "Nạp kế hoạch", "evidence_add": "Thêm tài liệu kiểm chứng",
    "evidence_withdraw": "Rút tài liệu kiểm chứng",
    "filter_saved": "Lưu bộ lọc", "filter_deleted": "Xóa bộ lọc",


    # the unit's manager (engine.runtime.claims, engine.runtime.unit_review)
    "claim": "Nhận xử lý", "release": "Trả lại cho đơn vị", "reassign": "Giao lại", "delegate": "Ủy quyền",
    "unit_review_submit": "Gửi trưởng phòng duyệt", "unit_review_approve": "Trưởng phòng duyệt",
    "unit_review_return": "Trưởng phòng trả lại",


    # The task page (engine.runtime.drafts, comments, attachments, contributions):
    "draft_saved": "Lưu nháp", "comment": "Ý kiến", "attachment_add": "Đính kèm tệp",
    "contribution_sent_back": "Trả lại kết quả đơn vị phối hợp",
    "contribution_resubmitted": "Gửi lại kết quả đã chỉnh sửa",
}


_INSERT = insert(AuditEvent.__table__)


def record(session: Session, kind: str, actor: str, *, instance_id: int | None = None, org_id: int | None = None,
           task_id: str | None = None, summary: str = "", payload: dict[str, Any] | None = None) -> None:
    """Append one event; never updated or deleted afterwards. Written at once, as a plain INSERT on the session's
    connection (no ORM object to flush later: it is on every step; the rows it refers to have their ids, so
    they are in the database already)."""
    session.connection().execute(_INSERT, {
        "kind": kind, "actor": actor, "instance_id": instance_id, "org_id": org_id, "task_id": task_id,
        "at": clock.to_db(clock.now()), "summary": summary,
        "payload": json.dumps(payload or {}, ensure_ascii=False, default=str)})


@dataclass(frozen=True)
class HistoryRow:
    """One event of an instance's history, as its page shows it."""

    at: datetime
    kind: str
    actor: str
    summary: str
    task_id: str | None
    payload: str  # JSON, as recorded


def history(session: Session, instance_id: int) -> list[HistoryRow]:
    """The instance's events, oldest first (plain rows: the page only reads them), with summaries as people read
    them (display_summary)."""
    return [HistoryRow(at, kind, actor, display_summary(kind, summary, payload), task_id, payload)
            for at, kind, actor, summary, task_id, payload in session.execute(
                select(AuditEvent.at, AuditEvent.kind, AuditEvent.actor, AuditEvent.summary, AuditEvent.task_id,
                       AuditEvent.payload)
                .where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.at, AuditEvent.id))]


def display_summary(kind: str, summary: str, payload: str) -> str:
    """An event's summary without the BPMN id that older timer events recorded ("Nhắc hạn (wait_reminder)" reads
    "Nhắc hạn"; a summary that was only the id reads ""): the trail is never rewritten, so old events are
    cleaned up when shown."""
    if kind != "timer_fired":
        return summary
    try:
        bpmn_id = json.loads(payload or "{}").get("bpmn_id")
    except (ValueError, AttributeError):
        return summary
    if not bpmn_id:
        return summary
    if summary == bpmn_id or summary == f"{bpmn_id} ({bpmn_id})":
        return ""
    return summary.removesuffix(f" ({bpmn_id})")
