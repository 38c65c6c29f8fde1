"""The hostile-script corpus (tests/hostile_scripts.py), end to end: every case is refused at validate and deploy
with its reason, or stopped at run time with its reason and nothing stored; the command line gives the same
verdicts; a bomb being stopped does not hold up other users; the worker process holds no secret."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine import service
from engine.core.errors import EngineError, ValidationFailed
from engine.core.models import AuditEvent, ProcessInstance
from engine.runtime import deploy
from engine.runtime.sandbox import runner
from tests.hostile_scripts import CASES, Case, make_process

REFUSED = [c for c in CASES if c.expect == "refused"]
STOPPED = [c for c in CASES if c.expect == "stopped"]
CCHC = str(Path(sys.executable).parent / "cchc")


def test_the_corpus_covers_every_family():
    families = ["match", "__class__", "__globals__", "gi_frame", "tb_frame", "format", "getattr", "vars", "dir(",
                "type(", "@", "lambda", "__builtins__", "import", "while", "10**10**10", "'a' * 10**10",
                "range(10**13)"]
    sources = "\n".join(c.source for c in CASES)
    assert all(f in sources for f in families), [f for f in families if f not in sources]
    assert {c.where for c in REFUSED} == {"script", "condition", "timer"}
    assert {c.where for c in STOPPED} == {"script", "condition", "timer"}


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.id)
def test_refused_at_validate_with_its_reason(case: Case):
    with pytest.raises(ValidationFailed) as caught:
        deploy.validate_bpmn(make_process(case), f"{case.id}.bpmn")
    element = {"script": "scriptTask 'hostile_script'", "condition": "sequenceFlow 'flow_condition'",
               "timer": "boundaryEvent 'deadline'"}[case.where]
    assert any(case.reason in p and element in p for p in caught.value.problems), caught.value.problems


def test_refused_files_are_not_deployed(db):
    for case in REFUSED:
        with pytest.raises(ValidationFailed), db.session() as s:
            deploy.deploy(s, make_process(case), f"{case.id}.bpmn", "modeller")
    assert all(d.process_key != "hostile" for d in service.definitions(db))


@pytest.mark.parametrize("case", STOPPED, ids=lambda c: c.id)
def test_stopped_at_run_time_with_its_reason_and_nothing_stored(db, actor, case: Case):
    with db.session() as s:
        deploy.deploy(s, make_process(case), f"{case.id}.bpmn", "modeller")
    with db.read() as s:
        before = s.scalar(select(func.count(AuditEvent.id)))
    started = time.monotonic()
    with pytest.raises(EngineError) as caught:
        service.start_process(db, actor("tt.chuyenvien"), "hostile", lead_unit="TTRA", period="2026")
    elapsed = time.monotonic() - started
    assert case.reason in str(caught.value), str(caught.value)
    assert elapsed < runner.LIMITS.wall_seconds + 2
    with db.read() as s:
        assert s.scalar(select(func.count(ProcessInstance.id)).where(ProcessInstance.process_key == "hostile")) == 0
        assert s.scalar(select(func.count(AuditEvent.id))) == before


def _cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CCHC, "--database-url", db_url, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CCHC_SECRET_KEY": "test"})


@pytest.mark.parametrize("case_id", ["issue-match-payload", "while-true", "power-tower-timer", "cpu-bomb",
                                     "memory-bomb", "power-from-data"])
def test_the_command_line_validates_deploys_and_starts_with_the_same_verdicts(db_url, tmp_path, case_id):
    case = next(c for c in CASES if c.id == case_id)
    path = tmp_path / f"{case.id}.bpmn"
    path.write_bytes(make_process(case))
    validated, deployed = _cli(db_url, "validate", str(path)), _cli(db_url, "deploy", str(path))
    if case.expect == "refused":
        assert validated.returncode == 1 and case.reason in validated.stdout, validated.stdout
        assert deployed.returncode == 1 and case.reason in deployed.stderr, deployed.stderr
        return
    assert validated.returncode == 0 and deployed.returncode == 0, (validated.stdout, deployed.stderr)
    started = _cli(db_url, "start", "hostile", "--org", "syt-hue", "--unit", "TTRA", "--period", "2026")
    assert started.returncode == 1 and case.reason in started.stderr, started.stderr
    assert "Traceback" not in started.stderr
    assert "hostile" not in _cli(db_url, "instances").stdout


# --- Other users while a bomb is being stopped -----------------------------------------------------------------

class _Browser:
    """A user of the served app: cookies, and the CSRF token of the last page."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, path: str, fields: dict | list) -> tuple[int, str]:
        _, page = self.get(path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        body = urllib.parse.urlencode([("csrf_token", token), *items]).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


@pytest.fixture
def served(app):
    """The app on a threaded HTTP server (a thread per request, as waitress serves it in production)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_other_users_are_answered_within_a_second_while_a_bomb_is_stopped(db, served):
    cpu_bomb = next(c for c in CASES if c.id == "cpu-bomb")
    with db.session() as s:
        deploy.deploy(s, make_process(cpu_bomb), "cpu-bomb.bpmn", "modeller")
    modeller, other = _Browser(served), _Browser(served)
    for who, login in ((modeller, "tt.chuyenvien"), (other, "khtc.chuyenvien")):
        assert who.post("/login", {"org": "syt-hue", "login": login, "password": "demo@2026"})[0] == 200
    outcome: dict = {}

    def bomb():
        started = time.monotonic()
        outcome["response"] = modeller.post("/start", {"process_key": "hostile", "lead_unit": "TTRA",
                                                       "period": "2026", "due_date": ""})
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=bomb)
    thread.start()
    time.sleep(0.15)  # the start request is in the sandbox now
    timings = []
    while thread.is_alive():
        for path in ("/", "/instances", "/login"):
            started = time.monotonic()
            status, _ = (other.get(path) if path != "/login" else _Browser(served).get(path))
            timings.append((path, status, time.monotonic() - started))
    thread.join()
    status, page = outcome["response"]
    assert status == 400 and "of CPU time" in page, page[:2000]
    assert outcome["seconds"] >= 0.8  # the bomb really ran while the others were served
    assert len(timings) >= 6, timings
    assert all(code == 200 for _, code, _ in timings), timings
    assert max(seconds for _, _, seconds in timings) < 1.0, timings


def test_the_worker_process_holds_no_secret(monkeypatch):
    """While a script runs in the worker, neither its environment nor its memory holds the server's secret."""
    canary = "cchc-canary-" + os.urandom(8).hex()
    monkeypatch.setenv("CCHC_SECRET_KEY", canary)
    seen: dict = {}
    real_popen = subprocess.Popen

    def spy(*args, **kwargs):
        process = real_popen(*args, **kwargs)
        seen["process"] = process
        return process

    monkeypatch.setattr(runner.subprocess, "Popen", spy)
    result: dict = {}
    thread = threading.Thread(target=lambda: result.setdefault("error", _run_long_script()))
    thread.start()
    deadline = time.monotonic() + 10
    while "process" not in seen and time.monotonic() < deadline:
        time.sleep(0.01)
    pid = seen["process"].pid
    time.sleep(0.3)  # started and limited itself; now in the loop
    environ = Path(f"/proc/{pid}/environ").read_bytes()
    memory = _read_memory(pid)
    thread.join()
    assert environ == b""
    assert len(memory) > 1_000_000 and canary.encode() not in memory
    assert "loop steps" in str(result["error"]) or "CPU time" in str(result["error"])


def _run_long_script():
    try:
        runner.run(next(c for c in CASES if c.id == "cpu-bomb").source, "exec", {"n": 1})
    except runner.ScriptFailed as exc:
        return exc
    return None


def _read_memory(pid: int) -> bytes:
    """Every readable mapping of the process (it is ours, so /proc/PID/mem opens)."""
    chunks = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb") as mem:
        for line in maps:
            span, perms = line.split()[:2]
            if "r" not in perms:
                continue
            start, end = (int(x, 16) for x in span.split("-"))
            try:
                mem.seek(start)
                chunks.append(mem.read(end - start))
            except (OSError, ValueError, OverflowError):
                continue
    return b"".join(chunks)


def test_every_expression_site_of_the_file_is_checked():
    """Loop cardinalities, completion conditions and the scripts of a second (called) process are checked too."""
    xml = make_process(next(c for c in CASES if c.id == "import")).decode()
    task = '<bpmn:userTask id="work" name="Làm việc" camunda:formKey="legal_document_review/start_review"'
    xml = xml.replace(task + " />", task + ">"
                      '<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>len(().__class__.__mro__)'
                      '</bpmn:loopCardinality><bpmn:completionCondition>10**10**10</bpmn:completionCondition>'
                      '</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>')
    xml = xml.replace("</bpmn:definitions>", '<bpmn:process id="called" isExecutable="false"><bpmn:scriptTask '
                      'id="called_script"><bpmn:script>x = vars()</bpmn:script></bpmn:scriptTask></bpmn:process>'
                      "</bpmn:definitions>")
    with pytest.raises(ValidationFailed) as caught:
        deploy.validate_bpmn(xml.encode(), "sites.bpmn")
    problems = "\n".join(caught.value.problems)
    assert "script of scriptTask 'hostile_script'" in problems and "import is not allowed" in problems
    assert "loop cardinality of userTask 'work'" in problems and "attribute '__class__'" in problems
    assert "completion condition of userTask 'work'" in problems and "the number would have" in problems
    assert "script of scriptTask 'called_script'" in problems and "name 'vars'" in problems
