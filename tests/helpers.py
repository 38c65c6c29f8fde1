"""Small helpers shared by the engine and web tests."""

from __future__ import annotations

import threading

from engine import service
from engine.errors import Conflict

CONTRIBUTION = {"documents_reviewed": 4, "proposals": "Đề nghị sửa đổi Quyết định số 12/2020/QĐ-UBND"}
REPORT = {"report_title": "Báo cáo kết quả rà soát năm 2026", "total_reviewed": 8,
          "summary": "Đã rà soát 8 văn bản; 1 văn bản cần sửa đổi."}


def start_review(db, actor, period="2026", supporting=("KHTC", "NVY")):
    return service.start_instance(db, actor("tt.chuyenvien"), "legal_document_review", lead_unit="TTRA",
                                  period=period, supporting_units=list(supporting))


def open_item(db, who, bpmn_id, instance_id):
    """The one open work item of `bpmn_id` on that instance in who's worklist."""
    items = [i for i in service.my_work_items(db, who) if i.bpmn_id == bpmn_id and i.instance_id == instance_id]
    assert len(items) == 1, [(i.bpmn_id, i.unit_code) for i in service.my_work_items(db, who)]
    return items[0]


def complete(db, who, bpmn_id, instance_id, data):
    return service.complete_task(db, who, open_item(db, who, bpmn_id, instance_id).task_id, data)


def run_to_approval(db, actor, instance_id, supporting=("KHTC", "NVY")):
    """Start review, every contribution, consolidation: the report waits for the approver."""
    tt = actor("tt.chuyenvien")
    complete(db, tt, "start_review", instance_id,
             {"scope": "Văn bản QPPL lĩnh vực y tế", "contribute_due": "2026-12-20"})
    for unit in supporting:
        complete(db, actor(f"{unit.lower()}.chuyenvien"), "contribute", instance_id, CONTRIBUTION)
    complete(db, tt, "consolidate", instance_id, REPORT)


def race(attempt, threads: int = 4) -> list[str]:
    """Run `attempt()` in several threads released at once; sorted outcomes, 'ok' or 'conflict' each."""
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []

    def run():
        barrier.wait()
        try:
            attempt()
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    return sorted(outcomes)
