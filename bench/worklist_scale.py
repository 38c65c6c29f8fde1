"""One user's worklist (service.my_work_items) as the work_item table grows to a million rows.

Synthetic organisations, each a Sở with the usual unit codes (so other Sở's items match the user's role and unit
codes), are added in bulk with plain SQL next to the demo ones. Every synthetic instance has four work items:
the lead unit's start (completed), two supporting units' contributions and the lead unit's consolidation (open),
so three rows in four are READY. The user under test (tt.chuyenvien of the Huế demo) has OWN_ITEMS open items of
their own among their Sở's others. Synthetic instances of other Sở carry a placeholder state; the user's own carry
a real state document, as the worklist query loads their instances.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta
from time import perf_counter

from engine import service
from engine.core import clock
from engine.core.db import Database
from engine.runtime.serializer import SERIALIZER_VERSION

from .common import LEAD, ORG, PROCESS_KEY

UNIT_CODES = ("BGD", "VP", "TCCB", "KHTC", "NVY", "NVD", "TTRA", "CDC", "BVTINH", "CCATTP", "TTKN", "TTYT")
WORKING_UNITS = UNIT_CODES[1:]  # BGD, the leadership, approves
ITEMS_PER_ORG = 500
ITEMS_PER_INSTANCE = 4
OWN_ITEMS = 20
LOGIN = "tt.chuyenvien"
DEMO_PASSWORD = "demo@2026"  # engine.planning.plans.DEMO_PASSWORD
# Việc của tôi searched, filtered by period and deadline state and sorted by due date (the page the issue asks for).
FILTERED_PAGE = "/?q=ra+soat&period=2026&state=on_time&sort=due"


def _stamp(value: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (naive UTC)."""
    return f"{clock.to_db(value):%Y-%m-%d %H:%M:%S}.000000"


class WorklistScale:
    def __init__(self, db: Database, seed: int = 2026):
        self.db = db
        self.actor = service.actor_for_login(db, LOGIN, ORG)
        self.random = random.Random(seed)
        self.conn = sqlite3.connect(db.engine.url.database, isolation_level=None)
        self.conn.execute("PRAGMA foreign_keys=ON")
        q = self.conn.execute
        self.definition_id = q("SELECT max(id) FROM process_definition WHERE process_key = ?",
                               (PROCESS_KEY,)).fetchone()[0]
        real_state = q("SELECT state FROM process_instance ORDER BY id DESC LIMIT 1").fetchone()
        self.real_state = real_state[0] if real_state else "{}"
        self.now = _stamp(clock.now())
        self.orgs_added = 0
        self.own_added = False

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM work_item").fetchone()[0]

    def _next_id(self, table: str) -> int:
        return self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]

    def grow(self, target: int) -> float:
        """Add organisations (with their instances and work items) until work_item has `target` rows;
        returns the seconds it took."""
        started = perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self._instance_id, self._item_id = self._next_id("process_instance"), self._next_id("work_item")
        self._instances: list[tuple] = []
        self._items: list[tuple] = []
        needed = target - self.count()
        if not self.own_added:
            org_id = self.conn.execute("SELECT id FROM organisation WHERE code = ?", (ORG,)).fetchone()[0]
            needed -= self._add_org_instances(org_id, ITEMS_PER_ORG, exclude=LEAD)
            needed -= self._add_own_instances(org_id)
            self.own_added = True
        while needed > 0:
            org_id = self._add_org()
            needed -= self._add_org_instances(org_id, min(needed, ITEMS_PER_ORG))
            if len(self._items) > 200_000:
                self._flush()
        self._flush()
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return perf_counter() - started

    def _add_org(self) -> int:
        self.orgs_added += 1
        code = f"bench-{self.orgs_added:05d}"
        org_id = self.conn.execute("INSERT INTO organisation (code, name, province) VALUES (?, ?, ?)",
                                   (code, f"Sở Y tế {code}", f"Tỉnh {code}")).lastrowid
        self.conn.executemany(
            "INSERT INTO unit (org_id, code, name, kind, sort_order) VALUES (?, ?, ?, ?, ?)",
            [(org_id, unit, unit, "leadership" if unit == "BGD" else "department", n)
             for n, unit in enumerate(UNIT_CODES)])
        return org_id

    def _add_org_instances(self, org_id: int, items: int, exclude: str = "") -> int:
        """Instances of random units (never `exclude`) with `items` work items in all; returns `items`."""
        units = [u for u in WORKING_UNITS if u != exclude]
        left = items
        while left > 0:
            lead, first, second = self.random.sample(units, 3)
            left -= self._add_instance(org_id, lead, first, second, keep=min(left, ITEMS_PER_INSTANCE))
        return items

    def _add_own_instances(self, org_id: int) -> int:
        """OWN_ITEMS open items of the user: half as the lead unit's consolidation, half as a contribution."""
        others = [u for u in WORKING_UNITS if u != LEAD]
        added = 0
        for n in range(OWN_ITEMS):
            a, b = self.random.sample(others, 2)
            units = (LEAD, a, b) if n % 2 == 0 else (a, LEAD, b)
            added += self._add_instance(org_id, *units, state=self.real_state)
        return added

    def _add_instance(self, org_id: int, lead: str, first: str, second: str, keep: int = ITEMS_PER_INSTANCE,
                      state: str = "{}") -> int:
        """One running instance and its first `keep` work items; returns `keep`."""
        instance_id = self._instance_id
        self._instance_id += 1
        due = clock.now() + timedelta(days=self.random.randrange(10, 400))
        self._instances.append((
            instance_id, org_id, self.definition_id, PROCESS_KEY, f"duty-{instance_id}", f"Rà soát — {instance_id}",
            lead, "2026", "running", state, SERIALIZER_VERSION, _stamp(due), _stamp(due - timedelta(days=7)),
            self.now, "system", self.now, None, 0, f"ra soat — {instance_id}"))
        rows = [("start_review", "lead_unit", lead, "COMPLETED"), ("contribute", "supporting_unit", first, "READY"),
                ("contribute", "supporting_unit", second, "READY"), ("consolidate", "lead_unit", lead, "READY")]
        for bpmn_id, role, unit, status in rows[:keep]:
            self._items.append((
                self._item_id, instance_id, org_id, f"00000000-0000-4000-8000-{self._item_id:012d}", bpmn_id,
                bpmn_id, role, unit, None, f"{PROCESS_KEY}/{bpmn_id}", status, _stamp(due), self.now,
                self.now if status == "COMPLETED" else None, "system" if status == "COMPLETED" else None,
                f"{bpmn_id} ra soat — {instance_id}"))
            self._item_id += 1
        return keep

    def _flush(self) -> None:
        self.conn.executemany(
            "INSERT INTO process_instance (id, org_id, definition_id, process_key, duty_key, title, lead_unit_code,"
            " period, status, state, serializer_version, due_at, next_timer_at, started_at, started_by, updated_at,"
            " completed_at, lock_version, search_text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self._instances)
        self.conn.executemany(
            "INSERT INTO work_item (id, instance_id, org_id, task_id, bpmn_id, name, role, unit_code, assignee_id,"
            " form_key, state, due_at, created_at, closed_at, completed_by, search_text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self._items)
        self._instances, self._items = [], []

    def check(self, warm_up: int = 10) -> None:
        """The user sees exactly their own open items; then `warm_up` untimed calls."""
        items = service.my_work_items(self.db, self.actor)
        assert len(items) == OWN_ITEMS, len(items)
        for _ in range(warm_up):
            service.my_work_items(self.db, self.actor)

    def time_one(self) -> float:
        """Seconds of one service.my_work_items call for the user."""
        started = perf_counter()
        service.my_work_items(self.db, self.actor)
        return perf_counter() - started

    def page_client(self):
        """A logged-in Flask test client of the web app on this database, for time_page."""
        import re

        from web.app import create_app

        app = create_app({"DATABASE_URL": str(self.db.engine.url), "TESTING": True, "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False})
        client = app.test_client()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]
        response = client.post("/login", data={"csrf_token": csrf, "org": ORG, "login": LOGIN,
                                               "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.status_code
        self.client = client
        self.check_page()

    def check_page(self, warm_up: int = 10) -> None:
        """The filtered page shows the user's own items, all on one page; then `warm_up` untimed calls."""
        html = self.client.get(FILTERED_PAGE).get_data(as_text=True)
        assert html.count('<a href="/tasks/') == OWN_ITEMS, html[-2000:]
        for _ in range(warm_up):
            self.client.get(FILTERED_PAGE)

    def time_page(self) -> float:
        """Seconds of one GET of the filtered Việc của tôi through the Flask view (query + template rendering)."""
        started = perf_counter()
        response = self.client.get(FILTERED_PAGE)
        elapsed = perf_counter() - started
        assert response.status_code == 200
        return elapsed

    def close(self) -> None:
        self.conn.close()
        self.db.engine.dispose()
