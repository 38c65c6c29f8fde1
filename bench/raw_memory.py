"""Runner 1, the floor: raw SpiffWorkflow in memory, serializing after every step (nothing is stored)."""

from __future__ import annotations

from time import perf_counter
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.runtime.script_engine import ENGINE
from engine.runtime.serializer import state_document

from .common import STEPS, Run, initial_data, parse_spec, period, put_answer, ready_user_tasks, task_key


class RawMemory:
    label = "1 raw SpiffWorkflow, in memory"

    def __init__(self):
        self.spec, self.subs, _ = parse_spec()

    def run_instance(self, number: int) -> Run:
        run = Run()
        started = perf_counter()
        workflow = BpmnWorkflow(self.spec, self.subs, script_engine=ENGINE)
        workflow.task_tree.data.update(initial_data(period(number)))
        workflow.do_engine_steps()
        state_document(workflow)
        run.start = perf_counter() - started
        for step in STEPS:
            task_id = ready_user_tasks(workflow)[task_key(step)]
            started = perf_counter()
            task = workflow.get_task_from_id(UUID(task_id))
            assert task is not None and task.state == TaskState.READY
            put_answer(task, step.data)
            task.run()
            workflow.do_engine_steps()
            state_document(workflow)
            run.completions.append(perf_counter() - started)
        run.completed, run.data = workflow.is_completed(), dict(workflow.data)
        return run
