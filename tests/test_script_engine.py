"""BPMN scripts cannot reach the operating system; ordinary scripts still work."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from engine.core.errors import ValidationFailed
from engine.runtime import deploy
from engine.runtime.script_engine import ENGINE, UnsafeScript, check_source

LEGAL = Path(__file__).resolve().parent.parent / "processes" / "legal_document_review" / "legal_document_review.bpmn"

ESCAPES = [
    "import os",
    "from os import system",
    "__import__('os').system('id')",
    "x = ().__class__.__base__.__subclasses__()",
    "x = [c for c in ().__class__.__mro__]",
    "x = '{0.__class__}'.format(1)",
    "x = '{a.__globals__}'.format_map({'a': len})",
    "x = open('/etc/passwd').read()",
    "x = getattr(1, '__class__')",
    "x = eval('1')",
    "x = type(1)",
    "def f(): pass",
    "x = (lambda: 1)()",
    "x = vars()",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_escape_attempts_are_refused_by_the_gate(source):
    with pytest.raises(UnsafeScript):
        check_source(source)


@pytest.mark.parametrize("source", ESCAPES)
def test_escape_attempts_do_not_run(source):
    context = {"x": 0}
    with pytest.raises(UnsafeScript):
        ENGINE.environment.execute(source, context)
    assert context["x"] == 0


def test_builtins_are_restricted_even_without_the_gate():
    # Defence in depth: had the policy missed `open`, compiled code has no real builtins to find it in.
    from engine.runtime.sandbox.guards import restricted_globals
    names = restricted_globals()
    assert set(names["__builtins__"]) == {"True", "False", "None"}
    assert not {"open", "__import__", "eval", "getattr", "type"} & set(names)


def test_ordinary_scripts_and_expressions_work():
    context = {"return_count": 1, "units": ["KHTC", "NVY"]}
    ENGINE.environment.execute("return_count = return_count + 1\nn = len([u for u in units if u != 'NVY'])",
                               context)
    assert context["return_count"] == 2 and context["n"] == 1
    assert ENGINE.environment.evaluate('f"{return_count}/{max(1, 3)}"', context) == "2/3"


def test_a_dunder_escape_in_a_bpmn_script_is_refused_at_deploy():
    xml = LEGAL.read_text(encoding="utf-8").replace(
        'report_status = "issued"', "report_status = ().__class__.__base__.__subclasses__()")
    with pytest.raises(ValidationFailed) as caught:
        deploy.validate_bpmn(xml.encode(), "escape.bpmn")
    assert any("scriptTask 'issue'" in p and "attribute '__" in p for p in caught.value.problems)


def test_a_condition_that_calls_the_os_is_refused_at_deploy():
    xml = LEGAL.read_text(encoding="utf-8").replace('decision == "approve"',
                                                    "__import__('os').system('touch /tmp/pwned') == 0")
    with pytest.raises(ValidationFailed) as caught:
        deploy.validate_bpmn(xml.encode(), "escape.bpmn")
    assert any("name '__import__' is not allowed" in p for p in caught.value.problems)


@pytest.mark.parametrize(("script", "reason"), [
    ("report_status = 1 / 0", "division by zero"),
    ("x = [str(i) for i in range(500000)]\nfor i in range(500):\n    y = str(x)", "of CPU time"),
    ("report_status = 'issued' * (return_count + 10**9)", "the repeated sequence would have"),
])
def test_a_script_failing_at_run_time_loses_nothing(db, actor, script, reason):
    """A deployable script that fails or is stopped while running, when a user completes the step before it,
    gives a clear error and leaves the instance and the user's task unchanged."""
    from sqlalchemy import select

    from engine import service
    from engine.core.errors import EngineError
    from engine.core.models import ProcessInstance, WorkItem
    from tests.helpers import REPORT, complete, open_item, start_review

    xml = LEGAL.read_text(encoding="utf-8").replace('report_status = "issued"', escape(script))
    with db.session() as s:
        deploy.deploy(s, xml.encode(), "legal.bpmn", "modeller")
    inst = start_review(db, actor, supporting=())
    complete(db, actor("tt.chuyenvien"), "start_review", inst.id, {"scope": "x", "contribute_due": "2026-12-20"})
    complete(db, actor("tt.chuyenvien"), "consolidate", inst.id, REPORT)
    gd = actor("giamdoc")
    item = open_item(db, gd, "approve", inst.id)
    with db.session() as s:
        before = s.get(ProcessInstance, inst.id).state
    with pytest.raises(EngineError, match=re.escape(reason)):
        service.complete_task(db, gd, item.task_id, {"decision": "approve"})
    with db.session() as s:
        assert s.get(ProcessInstance, inst.id).state == before
        assert s.scalar(select(WorkItem.state).where(WorkItem.id == item.id)) == "READY"


# Every module of engine/ (found with pkgutil, so a new one is covered) imported in a fresh interpreter; then no
# Flask, Werkzeug or web module may be loaded. engine.core.migrations.env is Alembic's script, which only runs inside
# an upgrade (Database.migrate imports it there).
_IMPORT_EVERY_ENGINE_MODULE = """
import importlib, json, pkgutil, sys
import engine
names = [m.name for m in pkgutil.walk_packages(engine.__path__, "engine.") if m.name != "engine.core.migrations.env"]
for name in names:
    importlib.import_module(name)
web_side = sorted(m for m in sys.modules if m.split(".")[0] in ("flask", "werkzeug", "web") or m.startswith("flask_"))
print(json.dumps({"imported": names, "web_side": web_side}))
"""


def test_engine_never_imports_flask():
    import json
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _IMPORT_EVERY_ENGINE_MODULE], cwd=LEGAL.parents[2],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.splitlines()[-1])
    assert {"engine.service", "engine.runtime.worker", "engine.core.config", "engine.runtime.sandbox.worker",
            "engine.core.migrations.versions.0001_initial_schema"} <= set(found["imported"])
    assert found["web_side"] == []


def test_the_shipped_processes_conditions_and_timers_run_in_process():
    """What every duty evaluates all the time stays in the server's process (no worker start per decision)."""
    from lxml import etree

    from engine.runtime.sandbox.policy import compile_code

    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    expressions = []
    for path in sorted((LEGAL.parents[1]).glob("*/*.bpmn")):
        root = etree.parse(str(path)).getroot()
        expressions += [e.text.strip() for e in root.iterfind(".//bpmn:conditionExpression", ns)]
        expressions += [e.text.strip() for e in root.iterfind(".//bpmn:timeDate", ns)]
    assert len(expressions) > 30
    assert [e for e in expressions if not compile_code(e, "eval").cheap] == []


def test_code_that_loops_runs_in_the_worker_and_gives_the_same_answer(monkeypatch):
    from engine.runtime.sandbox import runner

    spawned = []
    real = runner.subprocess.Popen
    monkeypatch.setattr(runner.subprocess, "Popen", lambda *a, **k: spawned.append(a) or real(*a, **k))
    data = {"scores": [{"criterion": "1.1", "score": 0.5}, {"criterion": "1.2", "score": 1.25}]}
    value, _ = runner.run("sum(s['score'] for s in scores)", "eval", data)
    assert value == 1.75 and len(spawned) == 1
    _, after = runner.run("total = scores[0]['score'] + scores[1]['score']\nlabel = f'{total:.2f} điểm'", "exec",
                          data)
    assert after["label"] == "1.75 điểm" and len(spawned) == 1  # cheap: in-process


def test_a_timer_driven_script_stopped_by_the_sandbox_is_retried_later_and_others_run(db, actor, fake_clock):
    """The worker records why, tries that instance again 15 minutes later, and fires the other instances' timers
    in the same round."""
    from datetime import datetime, timedelta

    from sqlalchemy import select

    from engine import service
    from engine.core import clock
    from engine.core.models import AuditEvent, ProcessInstance
    from tests.helpers import start_review

    # Started before the bomb's version is deployed, so it keeps the healthy version; due the same day.
    healthy = service.start_instance(db, actor("tt.chuyenvien"), "legal_document_review", lead_unit="TTRA",
                                     period="2027", due_at=datetime(2027, 1, 15, tzinfo=clock.VN_TZ))
    xml = LEGAL.read_text(encoding="utf-8").replace(
        "reminder_sent = True", escape("x = [str(i) for i in range(500000)]\nfor i in range(500):\n    y = str(x)"))
    with db.session() as s:
        deploy.deploy(s, xml.encode(), "legal.bpmn", "modeller")
    bomb = start_review(db, actor, period="2026", supporting=())
    with db.read() as s:
        state_before = s.get(ProcessInstance, bomb.id).state
        reminders = [s.get(ProcessInstance, i).next_timer_at for i in (healthy.id, bomb.id)]
    fake_clock.set(clock.from_db(max(reminders)) + timedelta(minutes=1))
    assert service.fire_due_timers(db) == 1  # the healthy one; the bomb's run was stopped
    with db.read() as s:
        row = s.get(ProcessInstance, bomb.id)
        assert row.state == state_before
        assert clock.from_db(row.next_timer_at) == clock.now() + timedelta(minutes=15)
        error = s.scalar(select(AuditEvent.summary).where(AuditEvent.instance_id == bomb.id,
                                                          AuditEvent.kind == "error"))
        assert "sẽ thử lại sau 15 phút" in error and "of CPU time" in error
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.instance_id == healthy.id,
                                                    AuditEvent.kind == "timer_fired")) is not None


def test_joining_lists_in_cheap_code_is_redone_in_the_worker(monkeypatch):
    """`a + b` looks cheap, but on lists its size check walks what they hold: the worker does the run."""
    from engine.runtime.sandbox import runner

    spawned = []
    real = runner.subprocess.Popen
    monkeypatch.setattr(runner.subprocess, "Popen", lambda *a, **k: spawned.append(a) or real(*a, **k))
    _, after = runner.run("n = n + 1\nlog = log + [n]", "exec", {"n": 1, "log": [1]})
    assert after == {"n": 2, "log": [1, 2]} and len(spawned) == 1
    _, after = runner.run("n = n + 1\nlabel = 'kỳ ' + str(n)", "exec", {"n": 1})
    assert after == {"n": 2, "label": "kỳ 2"} and len(spawned) == 1
