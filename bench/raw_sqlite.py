"""Runner 2, the minimal durable engine: raw SpiffWorkflow with its state in one SQLite row, loaded before and
committed after every step, with the project's SQLite settings (WAL, foreign keys, busy timeout, BEGIN IMMEDIATE:
engine/core/db.py make_engine)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from time import perf_counter
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.runtime.script_engine import ENGINE
from engine.runtime.serializer import state_document

from .common import (
    STEPS,
    Run,
    initial_data,
    parse_spec,
    period,
    put_answer,
    ready_user_tasks,
    restore_state,
    task_key,
)


def connect(path: Path) -> sqlite3.Connection:
    """A connection set up as make_engine sets up the project's."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)  # we emit BEGIN ourselves
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


class RawSqlite:
    label = "2 raw SpiffWorkflow + SQLite row"

    def __init__(self, folder: Path):
        self.spec, self.subs, self.spec_json = parse_spec()
        self.conn = connect(folder / "raw.db")
        self.conn.execute("CREATE TABLE instance (id INTEGER PRIMARY KEY, state TEXT NOT NULL)")

    def run_instance(self, number: int) -> Run:
        run = Run()
        started = perf_counter()
        workflow = BpmnWorkflow(self.spec, self.subs, script_engine=ENGINE)
        workflow.task_tree.data.update(initial_data(period(number)))
        workflow.do_engine_steps()
        self.conn.execute("BEGIN IMMEDIATE")
        instance_id = self.conn.execute("INSERT INTO instance (state) VALUES (?)",
                                        (state_document(workflow),)).lastrowid
        self.conn.execute("COMMIT")
        run.start = perf_counter() - started
        for step in STEPS:
            task_id = ready_user_tasks(workflow)[task_key(step)]  # (what a worklist would have shown)
            started = perf_counter()
            self.conn.execute("BEGIN IMMEDIATE")
            (state,) = self.conn.execute("SELECT state FROM instance WHERE id = ?", (instance_id,)).fetchone()
            workflow = restore_state(state, self.spec, self.subs, self.spec_json)
            task = workflow.get_task_from_id(UUID(task_id))
            assert task is not None and task.state == TaskState.READY
            put_answer(task, step.data)
            task.run()
            workflow.do_engine_steps()
            self.conn.execute("UPDATE instance SET state = ? WHERE id = ?", (state_document(workflow), instance_id))
            self.conn.execute("COMMIT")
            run.completions.append(perf_counter() - started)
        (state,) = self.conn.execute("SELECT state FROM instance WHERE id = ?", (instance_id,)).fetchone()
        workflow = restore_state(state, self.spec, self.subs, self.spec_json)
        run.completed, run.data = workflow.is_completed(), dict(workflow.data)
        return run

    def close(self) -> None:
        self.conn.close()
