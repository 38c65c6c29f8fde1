"""What every runner shares: the process, the happy path with its data, the clock, the statistics."""

from __future__ import annotations

import inspect
import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine import service
from engine.core import clock
from engine.runtime.serializer import restore, spec_document
from tests.helpers import CONTRIBUTION, REPORT

PROCESS_KEY = "legal_document_review"
BPMN_FILE = service.PROCESSES_DIR / PROCESS_KEY / f"{PROCESS_KEY}.bpmn"
ORG = "syt-hue"  # the demo organisation of the Huế plan
LEAD, SUPPORTING, APPROVER = "TTRA", ("KHTC", "NVY"), "BGD"
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=clock.VN_TZ)  # the bench's frozen clock: cut-offs and timers stay valid


@dataclass(frozen=True)
class Step:
    """One user task of the happy path: who completes it (login, unit) and with what answer."""

    bpmn_id: str
    login: str
    unit: str
    data: dict[str, Any]


START_REVIEW = {"scope": "Văn bản QPPL lĩnh vực y tế", "contribute_due": "2026-12-20"}  # as run_to_approval
STEPS = (
    Step("start_review", "tt.chuyenvien", LEAD, START_REVIEW),
    *(Step("contribute", f"{unit.lower()}.chuyenvien", unit, CONTRIBUTION) for unit in SUPPORTING),
    Step("consolidate", "tt.chuyenvien", LEAD, REPORT),
    Step("approve", "giamdoc", APPROVER, {"decision": "approve"}),
)


def initial_data(period: str) -> dict[str, Any]:
    """The data service.start_instance gives this process for the Thanh tra, two supporting units, year 2026
    (due before 15/01/2027; reminder 5 working days earlier, 08:00)."""
    return {"period": period, "year": 2026, "lead_unit": LEAD, "approver_unit": APPROVER,
            "supporting_units": list(SUPPORTING), "return_count": 0, "max_returns": 3,
            "due_at": "2027-01-15T00:00:00+07:00", "reminder_at": "2027-01-08T08:00:00+07:00"}


def period(number: int) -> str:
    """A distinct period per instance (one instance per duty, unit and period); the year stays 2026."""
    return f"{number}/2026"


def form_strings(data: dict[str, Any]) -> dict[str, str]:
    """What a browser posts for `data`: text fields, dates typed dd/mm/yyyy, and the CSRF token."""
    form = {"csrf_token": "x" * 40}
    for key, value in data.items():
        text = str(value)
        if key.endswith("_due"):
            year, month, day = text.split("-")
            text = f"{day}/{month}/{year}"
        form[key] = text
    return form


def parse_spec():
    """The BPMN file parsed by SpiffWorkflow itself: (spec, subprocess specs, spec JSON for the serializer)."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(BPMN_FILE))
    spec, subs = parser.get_spec(PROCESS_KEY), parser.get_subprocess_specs(PROCESS_KEY)
    return spec, subs, spec_document(spec, subs)


def restore_state(state_json: str, spec, subs, spec_json: str):
    """engine.runtime.serializer.restore, whichever way it takes the spec: the deserialized specs, or (before the
    completion-path work) the stored spec document."""
    if len(inspect.signature(restore).parameters) == 3:
        return restore(state_json, spec, subs)
    return restore(state_json, spec_json)


def _multi_instance(task):
    """The multi-instance wrapper spec if `task` is one of its items, else None."""
    parent = getattr(task.parent, "task_spec", None)
    return parent if getattr(parent, "task_spec", None) == task.task_spec.name else None


def ready_user_tasks(workflow) -> dict[tuple[str, str | None], str]:
    """(bpmn id, unit of a multi-instance item or None) -> task id of each READY user task."""
    return {(t.task_spec.bpmn_id, t.data.get("unit") if _multi_instance(t) else None): str(t.id)
            for t in workflow.get_tasks(state=TaskState.READY, manual=True)}


def task_key(step: Step) -> tuple[str, str | None]:
    """The key of `step`'s task in ready_user_tasks()."""
    return step.bpmn_id, step.unit if step.bpmn_id == "contribute" else None


def put_answer(task, data: dict[str, Any]) -> None:
    """A form answer into the task data as the engine stores it: a multi-instance item's answer goes into its
    output item, tagged with the unit; any other task's answer is merged into its data."""
    output = getattr(_multi_instance(task), "output_item", None)
    if output is not None:
        task.data[output.bpmn_id] = {"unit": task.data["unit"], **data}
    else:
        task.data.update(data)


@dataclass
class Run:
    """One instance taken through the happy path: seconds per timed step, SQL statements, and the end state."""

    start: float = 0.0
    completions: list[float] = field(default_factory=list)
    complete_calls: list[float] = field(default_factory=list)  # service only: submit_task alone
    sql_complete: list[int] = field(default_factory=list)  # service only: statements of submit_task
    sql_view: list[int] = field(default_factory=list)  # service only: statements of the whole web-view sequence
    completed: bool = False
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.start + sum(self.completions)


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """The 95th percentile (inclusive method: a value between two samples, never beyond the largest)."""
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]
