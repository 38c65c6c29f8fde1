"""Runner 3: the project's service layer on SQLite, called as the task view of web/work.py calls it."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter

from sqlalchemy import event, select

from engine import service
from engine.core.db import Database
from engine.core.models import WorkItem
from engine.runtime import state_cache

from .common import LEAD, ORG, PROCESS_KEY, STEPS, SUPPORTING, Run, form_strings, period


class StatementCounter:
    """Counts the SQL statements an engine sends to the database while a label is switched on."""

    def __init__(self, engine):
        self.counts: Counter[str] = Counter()
        self._active: set[str] = set()
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        for label in self._active:
            self.counts[label] += 1

    @contextmanager
    def counting(self, label: str):
        self.counts[label] = 0
        self._active.add(label)
        try:
            yield
        finally:
            self._active.discard(label)


class ServiceLayer:
    """The service layer as `cchc serve` runs it: one process, so a step finds the workflow the instance's last
    step left (engine.runtime.state_cache). With `restoring`, every step restores the state document instead, as
    when another web process served the previous step (several processes on PostgreSQL)."""

    label = "3 service layer (task view)"

    def __init__(self, folder: Path, restoring: bool = False):
        self.restoring = restoring
        if restoring:
            self.label = "3b same, restoring every step"
        self.cache = state_cache.StateCache(size=0 if restoring else state_cache.DEFAULT_SIZE)
        self.db = Database(f"sqlite:///{folder / ('service-restoring.db' if restoring else 'service.db')}")
        service.init_db(self.db)
        service.load_demo(self.db)
        logins = {step.login for step in STEPS}
        self.user_ids = {login: service.actor_for_login(self.db, login, ORG).user_id for login in logins}
        self.approver = service.actor_for_login(self.db, "giamdoc", ORG)
        self.sql = StatementCounter(self.db.engine)

    def _task_id(self, instance_id: int, bpmn_id: str, unit: str) -> str:
        """The task the user picked on their worklist (looked up outside the timing and the counting)."""
        with self.db.read() as s:
            return s.scalars(select(WorkItem.task_id).where(
                WorkItem.instance_id == instance_id, WorkItem.bpmn_id == bpmn_id, WorkItem.unit_code == unit,
                WorkItem.state == "READY")).one()

    def run_instance(self, number: int) -> Run:
        shared, state_cache.CACHE = state_cache.CACHE, self.cache  # each runner its own cache
        try:
            return self._run_instance(number)
        finally:
            state_cache.CACHE = shared

    def _run_instance(self, number: int) -> Run:
        run = Run()
        started = perf_counter()
        lead = service.actor_for_user(self.db, self.user_ids[STEPS[0].login])
        instance = service.start_instance(self.db, lead, PROCESS_KEY, lead_unit=LEAD, period=period(number),
                                          supporting_units=list(SUPPORTING))
        run.start = perf_counter() - started
        for step in STEPS:
            task_id = self._task_id(instance.id, step.bpmn_id, step.unit)
            form = form_strings(step.data)
            with self.sql.counting("view"):
                started = perf_counter()
                actor = service.actor_for_user(self.db, self.user_ids[step.login])  # flask-login's user loader
                with self.sql.counting("complete"):
                    called = perf_counter()
                    # The POST path of web/work.py's view: the form read and the task completed in one transaction
                    # (the view's widget reader returns at once on a form without plug-in widgets).
                    task_form = service.submit_task(self.db, actor, task_id, form)
                    done = perf_counter()
            assert task_form.bpmn_id == step.bpmn_id, task_form
            run.completions.append(done - started)
            run.complete_calls.append(done - called)
            run.sql_complete.append(self.sql.counts["complete"])
            run.sql_view.append(self.sql.counts["view"])
        view = service.instance_view(self.db, self.approver, instance.id)
        run.completed, run.data = view["instance"].status == "completed", view["data"]
        return run

    def snapshot(self, path: Path) -> Path:
        """A copy of this runner's database as the runs left it (the worklist's starting point)."""
        with self.db.read_rows() as connection:  # (no BEGIN: VACUUM runs outside a transaction)
            connection.exec_driver_sql(f"VACUUM INTO '{path}'")
        return path

    def close(self) -> None:
        self.db.engine.dispose()
