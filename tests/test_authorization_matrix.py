"""The authorization matrix, built from the app's own URL map: every route × every kind of person (nobody, staff
of the lead unit, of a supporting unit, of an uninvolved unit, a Trưởng phòng, the Giám đốc, an administrator, a
user of another Sở) on the objects of their own Sở and on another Sở's. MATRIX says what each must get; a route
missing from it fails the test, so a new route is decided before it ships. The rule is engine.core.access's.

The objects: an index self-assessment of Huế (lead and CCHC focal unit: Văn phòng; Thanh tra owns criteria, so
it is a supporting unit), a piece of evidence Thanh tra added, Thanh tra's open step; and the same in Quảng Ngãi.
Outcomes: "ok" (the page, or the write done), "refused" (a clear refusal, nothing changed), "404" (nothing to
see, nothing changed), "login" (sent to the login page)."""

from __future__ import annotations

import io
import re
import shutil
from datetime import datetime
from urllib.parse import quote, urlsplit

import pytest

from engine import service
from engine.core import clock
from engine.core.db import Database
from engine.plugins.index_self_assessment import api
from engine.plugins.index_self_assessment.appraisal_export import EXPORT_NAME
from tests.helpers import open_item
from tests.test_index_self_assessment import PDF
from tests.test_index_self_assessment import start as start_self_assessment
from tests.web_helpers import login_ok, token
from web.app import create_app

HUE, OTHER = "syt-hue", "syt-quang-ngai"
PEOPLE = {  # kind of person -> (login, Sở)
    "lead": ("vp.chuyenvien", HUE), "supporting": ("tt.chuyenvien", HUE), "uninvolved": ("nvy.chuyenvien", HUE),
    "head": ("tt.truongphong", HUE), "director": ("giamdoc", HUE), "admin": ("admin", HUE),
    "foreign": ("tt.chuyenvien", OTHER),
}
KINDS = ["anonymous", *PEOPLE]
INSTANCE, EVIDENCE, TASK = "instance", "evidence", "task"

# What a real form posts to each write route (a fresh file each time).
FORMS = {
    "auth.login": lambda: {"org": HUE, "login": "tt.chuyenvien", "password": "sai"},
    "auth.logout": dict,
    "work.task": lambda: {"batch_confirmed": "on", "batch_note": "Đợt 1: đã gửi"},
    "processes.cancel": lambda: {"reason": "Hủy thử"},
    "processes.start": lambda: {"process_key": "legal_document_review", "lead_unit": "TTRA", "period": "2026"},
    "processes.start_duty": lambda: {"duty_id": "HUE-CS-01", "lead_unit": "VP", "period": "2026"},
    "evidence.add_file": lambda: {"criterion": "2.1", "title": "Tệp", "file": (io.BytesIO(PDF), "tep.pdf")},
    "evidence.add_link": lambda: {"criterion": "2.1", "url": "https://so.example/x", "title": "Liên kết"},
    "evidence.withdraw": lambda: {"reason": "Rút thử"},
    "work.save_filter": lambda: {"list": "mine", "filter_name": "Quá hạn", "state": "overdue"},
    "work.delete_filter": dict,
    "claims.claim": dict, "claims.release": dict, "claims.approve": dict,
    "claims.reassign": lambda: {"assignee": "tt.chuyenvien"},
    "claims.send_back": lambda: {"comment": "Bổ sung số liệu"},
    "taskpage.save_draft": lambda: {"batch_note": "Nháp đợt 1"},
    "taskpage.attach": lambda: {"file": (io.BytesIO(PDF), "dinh_kem.pdf")},
    "taskpage.comment": lambda: {"body": "Ý kiến thử"},
    "taskpage.send_back": lambda: {"unit": "TTRA", "comment": "Trả lại thử"},
}
IDS = {  # URL argument -> the kind of object it names
    "instance_id": INSTANCE, "evidence_id": EVIDENCE, "task_id": TASK, "name": "export", "filename": "static",
    "filter_id": "filter", "attachment_id": "attachment",
}

ALL = dict.fromkeys(KINDS, "ok") | {"anonymous": "login"}
SEES = ALL | {"uninvolved": "404", "foreign": "404"}  # the instance's parties, the leadership, admins, focal unit
# (endpoint, method) -> kind of person -> outcome, for the objects of Huế.
MATRIX: dict[tuple[str, str], dict[str, str]] = {
    ("static", "GET"): dict.fromkeys(KINDS, "ok"),
    ("auth.login", "GET"): dict.fromkeys(KINDS, "ok"),
    ("auth.login", "POST"): dict.fromkeys(KINDS, "refused"),  # a wrong password, whoever sends it
    ("auth.logout", "POST"): ALL,
    ("work.worklist", "GET"): ALL,
    ("processes.instances", "GET"): ALL,
    ("plans.year", "GET"): ALL,
    ("processes.start", "GET"): ALL,
    ("processes.instance", "GET"): SEES,
    ("processes.diagram", "GET"): SEES,
    ("processes.export", "GET"): SEES,
    ("evidence.export", "GET"): SEES,
    ("evidence.download", "GET"): SEES,
    ("work.task", "GET"): SEES,  # read-only for who sees the instance but holds no role on the step
    # Thanh tra's step: done by Thanh tra's staff (and head), refused to those who only see it.
    ("work.task", "POST"): SEES | {"lead": "refused", "director": "refused", "admin": "refused"},
    ("processes.cancel", "POST"): SEES | {k: "refused" for k in ("lead", "supporting", "head", "director")},
    # Starting the legal review for Thanh tra: its staff, its head, an administrator; the foreign user starts it
    # in their own Sở (their Thanh tra), which is theirs to do.
    # (Quảng Ngãi's plan is its 2025 plan: its Thanh tra may start there, but not for 2026, the year posted.)
    ("processes.start", "POST"): ALL | {"lead": "refused", "uninvolved": "refused", "director": "refused",
                                        "foreign": "refused"},
    # Opening another year's self-assessment of Văn phòng: its staff (and an administrator, who may start anything).
    ("processes.start_duty", "POST"): ALL | {k: "refused" for k in ("supporting", "uninvolved", "head", "director",
                                                                    "foreign")},
    # Evidence of criterion 2.1 (Thanh tra's): its owner unit and the focal unit add and withdraw.
    ("evidence.add_file", "POST"): SEES | {"director": "refused", "admin": "refused"},
    ("evidence.add_link", "POST"): SEES | {"director": "refused", "admin": "refused"},
    ("evidence.withdraw", "POST"): SEES | {"director": "refused", "admin": "refused"},
    # The lists: everyone's own (Việc của đơn vị shows the units one belongs to); saving a filter is one's own.
    ("work.unit_work", "GET"): ALL,
    ("work.done", "GET"): ALL,
    ("work.save_filter", "POST"): ALL,
    # A saved filter of Thanh tra's chuyên viên: theirs alone; for anyone else it does not exist.
    ("work.delete_filter", "POST"): {k: "404" for k in PEOPLE} | {"anonymous": "login", "supporting": "ok"},


    # The unit's manager, on Thanh tra's open step: who may do it claims it; only Thanh tra's head gives it to
    # a person of the unit; it is not claimed, so nobody releases it, and it is no held contribution, so nobody
    # approves or returns it (tests/test_unit_management.py and test_web_unit_management.py test those).
    ("claims.claim", "POST"): SEES | {"lead": "refused", "director": "refused", "admin": "refused"},
    ("claims.release", "POST"): SEES | {k: "refused" for k in ("lead", "supporting", "head", "director", "admin")},
    ("claims.reassign", "POST"): SEES | {k: "refused" for k in ("lead", "supporting", "director", "admin")},
    ("claims.approve", "POST"): SEES | {k: "refused" for k in ("lead", "supporting", "head", "director", "admin")},
    ("claims.send_back", "POST"): SEES | {k: "refused" for k in ("lead", "supporting", "head", "director",
                                                                 "admin")},


    # The task page: drafts and attachments of Thanh tra's step by who may do it; comments and downloads by all
    # who see the instance; a contribution is sent back only by the lead from a consolidation (this step is not
    # one, and not the lead's: refused to all who see it).
    ("taskpage.save_draft", "POST"): SEES | {"lead": "refused", "director": "refused", "admin": "refused"},
    ("taskpage.attach", "POST"): SEES | {"lead": "refused", "director": "refused", "admin": "refused"},
    ("taskpage.download", "GET"): SEES,
    ("taskpage.comment", "POST"): SEES,
    ("taskpage.send_back", "POST"): SEES | {k: "refused" for k in ("lead", "supporting", "head", "director",
                                                                  "admin")},
}


def _rules():
    app = create_app({"DATABASE_URL": "sqlite:///:memory:", "SECRET_KEY": "rules", "TESTING": True})
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


CASES = [(rule, method) for rule in _rules() for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


class World:
    """A demo database with the objects in both Sở, an app, and everyone logged in."""

    def __init__(self, template, folder):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "cchc.db"
        shutil.copy(template, path)
        self.db = Database(f"sqlite:///{path}")
        self.ids = {HUE: self._objects(HUE), OTHER: self._objects(OTHER)}
        self.app = create_app({"DATABASE_URL": f"sqlite:///{path}", "TESTING": True, "SECRET_KEY": "matrix",
                               "RATELIMIT_ENABLED": False})
        self.clients, self.tokens = {}, {}
        for kind, (login, org) in PEOPLE.items():
            client = self.clients[kind] = self.app.test_client()
            login_ok(client, login, org=org)
            self.tokens[kind] = token(client.get("/").get_data(as_text=True))
        self.clients["anonymous"] = self.app.test_client()
        self.tokens["anonymous"] = token(self.clients["anonymous"].get("/login").get_data(as_text=True))

    def _objects(self, org: str) -> dict[str, str]:
        def actor(login):
            return service.actor_for_login(self.db, login, org)

        inst = start_self_assessment(self.db, actor)
        row = api.add_evidence_file(self.db, actor("tt.chuyenvien"), inst.id, "2.1", "Danh mục.pdf", PDF)
        step = open_item(self.db, actor("tt.chuyenvien"), "collect_evidence", inst.id)
        saved = service.save_filter(self.db, actor("tt.chuyenvien"), "mine", "Sắp đến hạn", {"state": "due_soon"})
        attached = service.attach_file(self.db, actor("tt.chuyenvien"), step.task_id, "dinh_kem.pdf", PDF)
        return {INSTANCE: str(inst.id), EVIDENCE: str(row.id), TASK: step.task_id, "export": EXPORT_NAME,
                "static": "style.css", "filter": str(saved.id), "attachment": str(attached.id)}

    def fingerprint(self):
        with self.db.engine.connect() as c:
            return tuple(tuple(c.exec_driver_sql(q).fetchall()) for q in (
                "SELECT count(*) FROM audit_event", "SELECT count(*), sum(withdrawn) FROM evidence",
                "SELECT status, count(*) FROM process_instance GROUP BY status ORDER BY status",
                "SELECT state, count(*) FROM work_item GROUP BY state ORDER BY state",
                "SELECT sum(session_version) FROM app_user", "SELECT count(*) FROM saved_filter",
                "SELECT count(*) FROM task_draft", "SELECT count(*) FROM instance_comment",
                "SELECT count(*) FROM attachment", "SELECT count(*) FROM contribution_rework"))

    def outcome(self, kind: str, rule, method: str, org: str) -> str:
        values = {arg: self.ids[org][IDS[arg]] for arg in rule.arguments}
        url = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", lambda m: quote(values[m[1]], safe=""), rule.rule)
        before = self.fingerprint()
        client = self.clients[kind]
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={**FORMS[rule.endpoint](), "csrf_token": self.tokens[kind]})
        changed = self.fingerprint() != before
        location = urlsplit(response.headers.get("Location", "")).path
        assert response.status_code < 500, (kind, method, url, response.status_code)
        if response.status_code in (301, 302, 303) and location == "/login" and kind == "anonymous":
            assert not changed, (kind, method, url)
            return "login"
        if response.status_code == 404:
            assert not changed, (kind, method, url)
            return "404"
        if method == "GET":
            return "ok" if response.status_code == 200 else f"status {response.status_code}"
        return "ok" if changed or rule.endpoint == "auth.logout" and response.status_code == 302 else "refused"


@pytest.fixture(scope="module")
def shared(demo_template, tmp_path_factory):
    """One world for everything that changes nothing."""
    previous = clock.install(clock.FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=clock.VN_TZ)))
    world = World(demo_template, tmp_path_factory.mktemp("matrix"))
    yield world
    world.db.engine.dispose()
    clock.install(previous)


def test_every_route_and_method_is_in_the_matrix_and_nothing_stale():
    missing = [f"{method} {rule.rule} ({rule.endpoint})" for rule, method in CASES
               if (rule.endpoint, method) not in MATRIX]
    assert not missing, ("routes missing from MATRIX of tests/test_authorization_matrix.py — decide who may use "
                         f"them: {missing}")
    stale = set(MATRIX) - {(rule.endpoint, method) for rule, method in CASES}
    assert not stale, f"MATRIX names routes that no longer exist: {sorted(stale)}"
    assert all(set(row) == set(KINDS) for row in MATRIX.values())


@pytest.mark.parametrize("rule, method", CASES, ids=[f"{m} {r.rule}" for r, m in CASES])
def test_each_person_gets_what_the_policy_says(shared, demo_template, tmp_path, rule, method):
    expected = MATRIX[(rule.endpoint, method)]
    got = {}
    for kind in KINDS:
        # A write that is expected to succeed gets a world of its own, so it changes nobody else's case.
        world = World(demo_template, tmp_path / kind) if method != "GET" and expected[kind] == "ok" else shared
        got[kind] = world.outcome(kind, rule, method, HUE)
    assert got == expected


@pytest.mark.parametrize("rule, method", [(r, m) for r, m in CASES if set(r.arguments) - {"filename"}],
                         ids=[f"{m} {r.rule}" for r, m in CASES if set(r.arguments) - {"filename"}])
def test_the_objects_of_another_so_are_not_there_for_anyone_here(shared, rule, method):
    for kind in PEOPLE:
        if kind == "foreign":
            continue
        assert shared.outcome(kind, rule, method, OTHER) == "404", kind
