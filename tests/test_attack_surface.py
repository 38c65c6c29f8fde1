"""An attacker's tour of every route, generated from the app's URL map (app.url_map.iter_rules()), so a new route is
attacked by default:

(a) anonymous requests are redirected to the login page (only /login and /static are public);
(b) every POST/PUT/PATCH/DELETE without a CSRF token is refused with 400;
(c) every id in a URL set to 0, -1, 2^63, 10^20, non-digits… is 404, never 500;
(d) a user of another organisation gets 404 on the objects of the first one;
(e) a user of the same organisation whose unit has no part in the instance gets 404/403, and changes nothing.

ROUTES says, for each endpoint, which kind of object each URL argument names (an instance, an evidence, a task,
a plug-in's export)
and what a form posted to it holds; a route missing from it fails with a message saying to add it. One demo
database and one app serve the whole module (nothing here may succeed in changing it)."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from engine import service
from engine.core import clock
from engine.core.db import Database
from engine.plugins.index_self_assessment import api
from engine.plugins.index_self_assessment.appraisal_export import EXPORT_NAME
from tests.conftest import DEMO_ORG
from tests.helpers import open_item
from tests.test_index_self_assessment import PDF
from tests.test_index_self_assessment import start as start_self_assessment
from tests.web_helpers import login_ok, token
from web.app import create_app

INSTANCE, EVIDENCE, TASK, EXPORT, FILTER, ATTACHMENT = "instance", "evidence", "task", "export", "filter", "attachment"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Route:
    """How to attack one endpoint: what its URL arguments name, and the form a real request would post."""

    ids: dict[str, str] = field(default_factory=dict)  # URL argument -> INSTANCE / EVIDENCE / TASK / EXPORT
    form: Any = None  # dict, or a function returning one (a fresh file each time)
    public: bool = False


ROUTES: dict[str, Route] = {
    "static": Route(public=True),
    "auth.login": Route(public=True, form={"org": DEMO_ORG, "login": "tt.chuyenvien", "password": "sai"}),
    "auth.logout": Route(),
    "work.worklist": Route(),
    "work.unit_work": Route(),
    "work.done": Route(),
    "work.save_filter": Route(form={"list": "mine", "filter_name": "Lạ", "state": "overdue"}),
    "work.delete_filter": Route(ids={"filter_id": FILTER}),
    "work.task": Route(ids={"task_id": TASK}, form={"batch_confirmed": "on", "batch_note": "Đợt 1: đã gửi"}),
    "processes.instances": Route(),
    "processes.instance": Route(ids={"instance_id": INSTANCE}),
    "processes.diagram": Route(ids={"instance_id": INSTANCE}),
    "processes.export": Route(ids={"instance_id": INSTANCE, "name": EXPORT}),
    "processes.cancel": Route(ids={"instance_id": INSTANCE}, form={"reason": "Hủy thử"}),
    "processes.start": Route(form={"process_key": "legal_document_review", "lead_unit": "TTRA", "period": "2026"}),
    "processes.start_duty": Route(form={"duty_id": "HUE-CS-01", "lead_unit": "VP", "period": "2027"}),
    "plans.year": Route(),
    "evidence.add_file": Route(ids={"instance_id": INSTANCE}, form=lambda: {
        "criterion": "2.1", "title": "Tệp lạ", "file": (io.BytesIO(PDF), "la.pdf")}),
    "evidence.add_link": Route(ids={"instance_id": INSTANCE}, form={
        "criterion": "2.1", "url": "https://la.example/x", "title": "Link lạ"}),
    "evidence.withdraw": Route(ids={"evidence_id": EVIDENCE}, form={"reason": "Rút thử"}),
    "evidence.download": Route(ids={"evidence_id": EVIDENCE}),
    "evidence.export": Route(ids={"instance_id": INSTANCE}),
    "claims.claim": Route(ids={"task_id": TASK}, form={}),
    "claims.release": Route(ids={"task_id": TASK}, form={}),
    "claims.reassign": Route(ids={"task_id": TASK}, form={"assignee": "tt.chuyenvien"}),
    "claims.approve": Route(ids={"task_id": TASK}, form={}),
    "claims.send_back": Route(ids={"task_id": TASK}, form={"comment": "Sửa lại"}),
    "taskpage.save_draft": Route(ids={"task_id": TASK}, form={"batch_note": "Nháp lạ"}),
    "taskpage.attach": Route(ids={"task_id": TASK}, form=lambda: {"file": (io.BytesIO(PDF), "la.pdf")}),
    "taskpage.download": Route(ids={"attachment_id": ATTACHMENT}),
    "taskpage.comment": Route(ids={"instance_id": INSTANCE}, form={"body": "Ý kiến lạ"}),
    "taskpage.send_back": Route(ids={"task_id": TASK}, form={"unit": "TTRA", "comment": "Trả lại lạ"}),
}

BAD_IDS = ["0", "-1", str(2**63), str(10**20), "abc", "1e3", "01", " 1", "1.0", "\u0661", "\r\n", "%00",
           "2" * 400, "00000000-0000-0000-0000-000000000000"]


def _rules():
    """Every rule of the app as create_app builds it (on a throw-away in-memory database)."""
    app = create_app({"DATABASE_URL": "sqlite:///:memory:", "SECRET_KEY": "rules", "TESTING": True})
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


RULES = _rules()
CASES = [(rule, method) for rule in RULES for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
CASE_IDS = [f"{method} {rule.rule}" for rule, method in CASES]


def route_of(rule) -> Route:
    """The ROUTES entry of a rule, or a failure telling the developer what to add."""
    found = ROUTES.get(rule.endpoint)
    if found is None:
        pytest.fail(f"{rule.rule} (endpoint {rule.endpoint!r}) is not in ROUTES of tests/test_attack_surface.py: add "
                    "it, saying which object each URL argument names and what its form posts, so it is attacked too")
    if not found.public and set(found.ids) != set(rule.arguments):
        pytest.fail(f"ROUTES[{rule.endpoint!r}].ids names {sorted(found.ids)} but {rule.rule} has arguments "
                    f"{sorted(rule.arguments)}: say which object each one names")
    return found


@dataclass
class World:
    app: Any
    db: Database
    ids: dict[str, str]  # INSTANCE / EVIDENCE / TASK / EXPORT -> a real one of Huế
    clients: dict[str, Any]  # persona -> logged-in test client
    tokens: dict[str, str]  # persona -> its CSRF token

    def url(self, rule, **override: str) -> str:
        """The rule's URL with real ids, or the given raw text for some arguments."""
        route = ROUTES[rule.endpoint]
        values = {arg: self.ids[kind] for arg, kind in route.ids.items()} | override
        return re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", lambda m: quote(values[m[1]], safe=""), rule.rule)

    def send(self, persona: str, rule, method: str, url: str | None = None, csrf: bool = True):
        """The request a real form would make (with the persona's CSRF token unless csrf=False)."""
        client = self.clients[persona]
        url = url or self.url(rule)
        if method not in WRITES:
            return client.open(url, method=method)
        form = ROUTES[rule.endpoint].form
        data = dict((form() if callable(form) else form) or {})
        if csrf:
            data["csrf_token"] = self.tokens[persona]
        return client.open(url, method=method, data=data)

    def fingerprint(self):
        """What a successful write would change."""
        with self.db.engine.connect() as c:
            return tuple(tuple(c.exec_driver_sql(q).fetchall()) for q in (
                "SELECT count(*) FROM audit_event",
                "SELECT count(*), sum(withdrawn) FROM evidence",
                "SELECT status, count(*) FROM process_instance GROUP BY status ORDER BY status",
                "SELECT state, count(*) FROM work_item GROUP BY state ORDER BY state",
                "SELECT (SELECT count(*) FROM saved_filter), (SELECT count(*) FROM task_draft),"
                " (SELECT count(*) FROM instance_comment), (SELECT count(*) FROM attachment),"
                " (SELECT count(*) FROM contribution_rework)"))


# The people who attack: the owner unit of the objects (tt.chuyenvien of Huế: for CSRF and ids), two people of
# another Sở (its admin passes every role check, so only the organisation stops them), a Huế unit with no part in
# the self-assessment (nvy.chuyenvien), and nobody logged in.
PERSONAS = {"owner": ("tt.chuyenvien", DEMO_ORG), "bystander": ("nvy.chuyenvien", DEMO_ORG)}
FOREIGN = ("admin", "tt.chuyenvien")


@pytest.fixture(scope="module")
def world(demo_template, tmp_path_factory):
    previous = clock.install(clock.FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=clock.VN_TZ)))
    path = tmp_path_factory.mktemp("attack") / "cchc.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    db = Database(url)

    def actor(login: str, org: str = DEMO_ORG):
        return service.actor_for_login(db, login, org)

    inst = start_self_assessment(db, actor)
    evidence = api.add_evidence_file(db, actor("tt.chuyenvien"), inst.id, "2.1", "Danh mục.pdf", PDF)
    task = open_item(db, actor("tt.chuyenvien"), "collect_evidence", inst.id)
    saved = service.save_filter(db, actor("tt.chuyenvien"), "mine", "Sắp đến hạn", {"state": "due_soon"})
    attached = service.attach_file(db, actor("tt.chuyenvien"), task.task_id, "dinh_kem.pdf", PDF)
    app = create_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False})
    other_org = next(code for code, _ in service.organisations(db) if code != DEMO_ORG)
    people = dict(PERSONAS) | {f"foreign {name}": (name, other_org) for name in FOREIGN}
    clients, tokens = {}, {}
    for persona, (name, org) in people.items():
        clients[persona] = app.test_client()
        login_ok(clients[persona], name, org=org)
        tokens[persona] = token(clients[persona].get("/").get_data(as_text=True))
    clients["anonymous"] = app.test_client()
    tokens["anonymous"] = token(clients["anonymous"].get("/login").get_data(as_text=True))
    yield World(app, db, {INSTANCE: str(inst.id), EVIDENCE: str(evidence.id), TASK: task.task_id,
                               EXPORT: EXPORT_NAME, FILTER: str(saved.id), ATTACHMENT: str(attached.id)},
                              clients, tokens)
    db.engine.dispose()
    clock.install(previous)


def test_every_route_is_in_the_table_and_the_table_has_no_stale_entry():
    for rule in RULES:
        route_of(rule)
    stale = set(ROUTES) - {rule.endpoint for rule in RULES}
    assert not stale, f"ROUTES of tests/test_attack_surface.py names endpoints that no longer exist: {sorted(stale)}"


def test_the_test_apps_check_csrf(app, world):
    """The default test app (tests/conftest.py) and this module's both enforce CSRF tokens."""
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert world.app.config.get("WTF_CSRF_ENABLED", True) is True


def test_the_objects_are_real_for_their_owner(world):
    """The ids the attacks use open for the owner unit, so a 404 below means refused, not missing."""
    for rule, method in CASES:
        if method == "GET" and ROUTES.get(rule.endpoint) and ROUTES[rule.endpoint].ids:
            assert world.send("owner", rule, method).status_code == 200, rule.rule


@pytest.mark.parametrize("rule, method", CASES, ids=CASE_IDS)
def test_a_anonymous_is_sent_to_login(world, rule, method):
    route = route_of(rule)
    if route.public:
        return
    before = world.fingerprint()
    response = world.send("anonymous", rule, method)
    assert response.status_code in (302, 401, 403), (rule.rule, response.status_code)
    if response.status_code == 302:
        assert urlsplit(response.headers["Location"]).path == "/login", response.headers["Location"]
    assert world.fingerprint() == before


@pytest.mark.parametrize("rule, method", [c for c in CASES if c[1] in WRITES],
                         ids=[i for i, c in zip(CASE_IDS, CASES, strict=True) if c[1] in WRITES])
def test_b_a_write_without_csrf_token_is_refused(world, rule, method):
    route_of(rule)
    before = world.fingerprint()
    for persona in ("owner", "anonymous"):
        response = world.send(persona, rule, method, csrf=False)
        assert response.status_code == 400, (persona, rule.rule, response.status_code)
        assert "CSRF" in response.get_data(as_text=True)
    assert world.fingerprint() == before


@pytest.mark.parametrize("rule, method", [c for c in CASES if c[0].arguments and c[0].endpoint != "static"],
                         ids=[i for i, c in zip(CASE_IDS, CASES, strict=True)
                              if c[0].arguments and c[0].endpoint != "static"])
def test_c_an_id_out_of_range_or_not_an_id_is_not_found(world, rule, method):
    route_of(rule)
    before = world.fingerprint()
    for arg in sorted(rule.arguments):
        for bad in BAD_IDS:
            response = world.send("owner", rule, method, url=world.url(rule, **{arg: bad}))
            assert response.status_code == 404, (rule.rule, arg, bad, response.status_code)
        unknown = "9223372036854775807" if ROUTES[rule.endpoint].ids[arg] != TASK else \
            "12345678-1234-1234-1234-123456789abc"  # the largest id, or a task id that was never issued
        response = world.send("owner", rule, method, url=world.url(rule, **{arg: unknown}))
        assert response.status_code == 404, (rule.rule, arg, unknown, response.status_code)
    assert world.fingerprint() == before


OBJECT_CASES = [c for c in CASES if c[0].arguments and c[0].endpoint != "static"]
OBJECT_IDS = [f"{method} {rule.rule}" for rule, method in OBJECT_CASES]


@pytest.mark.parametrize("rule, method", OBJECT_CASES, ids=OBJECT_IDS)
@pytest.mark.parametrize("persona", [f"foreign {name}" for name in FOREIGN])
def test_d_another_organisation_gets_not_found(world, persona, rule, method):
    route_of(rule)
    before = world.fingerprint()
    response = world.send(persona, rule, method)
    assert response.status_code == 404, (persona, rule.rule, response.status_code)
    assert world.fingerprint() == before


@pytest.mark.parametrize("rule, method", OBJECT_CASES, ids=OBJECT_IDS)
def test_e_a_unit_with_no_part_is_refused(world, rule, method):
    route_of(rule)
    before = world.fingerprint()
    response = world.send("bystander", rule, method)
    assert response.status_code in (403, 404), (rule.rule, response.status_code)
    assert world.fingerprint() == before
