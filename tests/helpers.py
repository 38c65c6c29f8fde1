"""Small helpers shared by the engine and process tests: starting and completing work, timers, the BPMN diagram.
The web tests' own (login, CSRF token) are in tests/web_helpers.py."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from engine import service
from engine.core import clock
from engine.core.errors import Conflict
from engine.core.models import AuditEvent, WorkItem

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


def vn(*args) -> datetime:
    """datetime(*args) in Việt Nam time."""
    return datetime(*args, tzinfo=clock.VN_TZ)


def items(db, inst_id, bpmn_id) -> list[WorkItem]:
    """Every work item of `bpmn_id` on that instance, open or not, oldest first."""
    with db.session() as s:
        return list(s.scalars(select(WorkItem).where(WorkItem.instance_id == inst_id, WorkItem.bpmn_id == bpmn_id)
                              .order_by(WorkItem.id)))


def fired(db, inst_id) -> list[str]:
    """The BPMN ids of the instance's timers that fired, oldest first (kept in the events' payload: the summary
    people read is the timer's name)."""
    with db.session() as s:
        return [json.loads(p)["bpmn_id"] for p in s.scalars(
            select(AuditEvent.payload).where(AuditEvent.instance_id == inst_id, AuditEvent.kind == "timer_fired")
            .order_by(AuditEvent.id))]


def assert_reminder_fires_at(db, fake_clock, inst_id, when: datetime) -> None:
    """A minute before `when` the scheduler fires nothing of the instance; a minute after, its reminder alone."""
    fake_clock.set(when - timedelta(minutes=1))
    service.fire_due_timers(db)
    assert fired(db, inst_id) == []
    fake_clock.set(when + timedelta(minutes=1))
    service.fire_due_timers(db)
    assert len(fired(db, inst_id)) == 1 and "wait_reminder" in fired(db, inst_id)[0]


def assert_one_run_fires_at(db, fake_clock, when: datetime) -> None:
    """A minute before `when` a scheduler run fires nothing; a minute after, it fires the timers of one instance."""
    fake_clock.set(when - timedelta(minutes=1))
    assert service.fire_due_timers(db) == 0
    fake_clock.set(when + timedelta(minutes=1))
    assert service.fire_due_timers(db) == 1


NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC", "di": "http://www.omg.org/spec/DD/20100524/DI"}


def deployed(db, path: Path, key: str) -> tuple:
    """(definition, its meta) of process `key`, after the checks every deployed process passes: its file
    validates, each user task has the form `key/<task id>`, reminders 5 working days ahead, documentation."""
    assert service.validate_file(path) == []
    definition = next(d for d in service.definitions(db) if d.process_key == key)
    meta = definition.meta
    assert all(t["form"] == f"{key}/{k}" for k, t in meta["user_tasks"].items())
    assert meta["properties"]["reminder_working_days"] == "5" and meta["documentation"]
    return definition, meta


def assert_fully_drawn(path: Path) -> None:
    """The diagram has a shape or an edge for every element and lane of the process."""
    tree = etree.parse(str(path))
    process = tree.find("bpmn:process", NS)
    elements = {e.get("id") for e in process if etree.QName(e).localname not in
                ("documentation", "extensionElements", "laneSet")}
    elements |= {lane.get("id") for lane in process.iterfind(".//bpmn:lane", NS)}
    drawn = {e.get("bpmnElement") for e in tree.iterfind(".//bpmndi:BPMNShape", NS)}
    drawn |= {e.get("bpmnElement") for e in tree.iterfind(".//bpmndi:BPMNEdge", NS)}
    assert elements <= drawn


def assert_valid_and_fully_laid_out(path: Path, key: str, name: str) -> None:
    """Deployable, and the diagram draws every element: a shape per flow node and lane, an edge per flow whose
    ends touch its source and target, shapes that do not overlap, lanes as stacked horizontal bands."""
    assert service.validate_file(path) == []
    root = etree.parse(str(path)).getroot()
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids (bpmn.io refuses them; SpiffWorkflow keys MI items by id)"
    process = root.find("bpmn:process", NS)
    assert (process.get("id"), process.get("name")) == (key, name)
    shapes = {s.get("bpmnElement"): s for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    flows = {f.get("id"): f for f in process.iterfind("bpmn:sequenceFlow", NS)}
    skip = ("sequenceFlow", "property", "laneSet", "documentation", "extensionElements")
    nodes = [n.get("id") for n in process if etree.QName(n).localname not in skip]
    assert set(flows) == set(edges)
    boxes = {}
    for node in nodes:
        b = shapes[node].find("dc:Bounds", NS)
        boxes[node] = tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))
    names = sorted(boxes)
    for i, a in enumerate(names):
        ax, ay, aw, ah = boxes[a]
        for b in names[i + 1:]:
            bx, by, bw, bh = boxes[b]
            assert not (ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah), (a, b)

    def touches(point, box):
        x, y, w, h = box
        return x <= point[0] <= x + w and y <= point[1] <= y + h

    for fid, flow in flows.items():
        points = [(float(p.get("x")), float(p.get("y"))) for p in edges[fid].iterfind("di:waypoint", NS)]
        assert len(points) >= 2 and touches(points[0], boxes[flow.get("sourceRef")]), fid
        assert touches(points[-1], boxes[flow.get("targetRef")]), fid
    bands = {}
    for lane in process.iterfind(".//bpmn:lane", NS):
        assert shapes[lane.get("id")].get("isHorizontal") == "true"
        b = shapes[lane.get("id")].find("dc:Bounds", NS)
        x, y, w, h = (float(b.get(k)) for k in ("x", "y", "width", "height"))
        bands[lane.get("name")] = (y, y + h)
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            nx, ny, nw, nh = boxes[ref.text]
            assert x <= nx and nx + nw <= x + w and y <= ny and ny + nh <= y + h, ref.text
    assert list(bands) == ["Đơn vị chủ trì", "Đơn vị phối hợp", "Lãnh đạo Sở phê duyệt"]
    assert sum(len(lane.findall("bpmn:flowNodeRef", NS)) for lane in process.iterfind(".//bpmn:lane", NS)) == len(nodes)
    spans = sorted(bands.values())
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))
