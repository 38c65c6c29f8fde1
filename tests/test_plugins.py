"""Process plug-ins (engine.core.hooks): a second specialised process needs no edit of the core.

A tiny plug-in for a test process, registered here and nowhere else, adds start data and supporting units, a
registry key, a completion check, a case-data label, a panel and an export; the scheduler, the registry, task
completion, the task page and the instance page use them as they are. And the core never names the shipped
plug-in: its process key is written once, in the plug-in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader

from engine import service
from engine.core import hooks
from engine.core.errors import EngineError, FormInvalid, NotFound, ValidationFailed
from engine.core.models import ProcessInstance
from engine.planning import registry
from engine.plugins import index_self_assessment
from engine.plugins.index_self_assessment import appraisal_export, plugin
from engine.runtime import worklist
from tests.helpers import open_item
from tests.test_index_self_assessment import start as start_self_assessment
from tests.web_helpers import login
from web import panels

ROOT = Path(__file__).resolve().parent.parent
PROBE = "plugin_probe"  # the test process
ORG = "syt-probe"

PROBE_BPMN = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_probe" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="{PROBE}" name="Quy trình thử plug-in" isExecutable="true">
    <bpmn:extensionElements>
      <camunda:properties><camunda:property name="deadline" value="31/12" /></camunda:properties>
    </bpmn:extensionElements>
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_lead" name="Đơn vị chủ trì">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>check</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="check" name="Kiểm tra thử" camunda:formKey="legal_document_review/start_review" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""

PROBE_PLAN = f"""plan: {{id: probe, province: Tỉnh Thử plug-in, title: Kế hoạch thử plug-in, source: probe.txt}}
organisation: {{code: {ORG}, name: Sở Y tế tỉnh Thử plug-in}}
units:
  - {{code: BGD, name: Ban Giám đốc Sở, kind: leadership}}
  - {{code: VP, name: Văn phòng Sở, kind: department}}
  - {{code: TTRA, name: Thanh tra Sở, kind: department, login: tt}}
  - {{code: KHTC, name: Phòng Kế hoạch - Tài chính, kind: department}}
functions: {{cchc_focal: VP, tthc_control: TTRA, legal: TTRA, inspection: TTRA, personnel: VP, finance: KHTC,
            digital: KHTC, one_stop: VP}}
defaults: {{approver: BGD, recipient: UBND tỉnh}}
duties:
  - id: PROBE-01
    area: tthc
    duty: Nhiệm vụ thử plug-in
    product: Báo cáo
    lead: TTRA
    support: [VP]
    timing: Tháng 12 hàng năm
    recurrence: annual
    deadline: 31/12
    opens: 01/12
    batches: [15/12]
    process: {PROBE}
    source: probe.txt:1
"""


# --- the tiny plug-in ------------------------------------------------------------------------------------------

def probe_start(opening: hooks.DutyOpening) -> hooks.StartData:
    """Start data from the plan (the duty's batches) and supporting units of the plug-in's choosing."""
    return hooks.StartData(
        {"probe_note": f"Mở cho {opening.lead_unit}, kỳ {opening.period.label}",
         "probe_batches": [b.text for b in opening.duty.batches]},
        supporting_units=["KHTC"])


def probe_check(session, instance, workflow, data):
    """Refuse a scope of "sai"; otherwise mark what is completed."""
    if data.get("scope") == "sai":
        raise FormInvalid({"scope": "Plug-in thử không nhận phạm vi này"})
    return {**data, "scope": f"{data['scope']} (plug-in đã kiểm tra)"}


def _visible(session, actor, instance_id) -> ProcessInstance:
    instance = session.get(ProcessInstance, instance_id)
    if instance is None or not worklist.can_see_instance(session, actor, instance):
        raise NotFound("Không tìm thấy hồ sơ quy trình")
    return instance


def probe_panel(session, actor, instance_id):
    return {"title": _visible(session, actor, instance_id).title}


def probe_export(session, actor, instance_id) -> bytes:
    return f"Ghi chú thử: {_visible(session, actor, instance_id).title}".encode()


PROBE_PLUGIN = hooks.Plugin(
    process_key=PROBE,
    start=probe_start,
    completion_checks={"check": probe_check},
    panel=hooks.Panel("probe", probe_panel),
    labels={"probe_note": "Ghi chú của plug-in thử"},
    exports=(hooks.Export("probe-note.txt", "Tải ghi chú thử", "text/plain",
                          lambda instance: f"ghi-chu-{instance.id}.txt", probe_export, hint="Một tệp văn bản"),),
    duty_keys=frozenset({"batches"}),
)


@pytest.fixture
def probe(db, tmp_path, monkeypatch):
    """The test process deployed, its plug-in registered, its plan loaded (organisation syt-probe)."""
    hooks.register(PROBE_PLUGIN)
    monkeypatch.setitem(panels._panels, "probe", panels.PanelPart(
        "_probe_panel.html", lambda data, here: {**data, "here": here}))
    try:
        bpmn = tmp_path / "probe.bpmn"
        bpmn.write_text(PROBE_BPMN, encoding="utf-8")
        service.deploy_file(db, bpmn)
        plan = tmp_path / "probe.yaml"
        plan.write_text(PROBE_PLAN, encoding="utf-8")
        service.load_plan(db, plan, demo_users=True)
        yield db
    finally:
        hooks.unregister(PROBE)


def opened_probe(db):
    """The scheduler run for the test plan (01/12/2026: PROBE-01 of 2026 opens); its one instance's view."""
    (opening,) = service.run_scheduler(db, plan_keys={"probe"})
    tt = service.actor_for_login(db, "tt.chuyenvien", ORG)
    return tt, service.instance_view(db, tt, opening.instance_id)


def test_the_scheduler_takes_start_data_and_supporting_units_from_the_plug_in(probe):
    _, view = opened_probe(probe)
    data = view["data"]
    assert data["probe_note"] == "Mở cho TTRA, kỳ 2026" and data["probe_batches"] == ["15/12"]
    assert data["supporting_units"] == ["KHTC"]  # the plug-in's choice, not the duty's support: [VP]
    assert data["duty_id"] == "PROBE-01"  # the core's own start data is still there


def test_the_registry_accepts_batches_only_where_a_plug_in_says_so(probe):
    assert registry.parse(PROBE_PLAN, "probe.yaml").duty("PROBE-01").batches
    hooks.unregister(PROBE)
    with pytest.raises(ValidationFailed) as refused:
        registry.parse(PROBE_PLAN, "probe.yaml")
    assert "'batches' (các đợt tài liệu kiểm chứng) chỉ dùng cho index_self_assessment" in refused.value.problems[0]
    hooks.register(PROBE_PLUGIN)
    assert hooks.processes_accepting("batches") == ["index_self_assessment", PROBE]


def test_completing_a_step_runs_the_plug_in_check(probe):
    tt, view = opened_probe(probe)
    item = open_item(probe, tt, "check", view["instance"].id)
    with pytest.raises(FormInvalid) as refused:
        service.complete_task(probe, tt, item.task_id, {"scope": "sai", "contribute_due": "2026-12-20"})
    assert refused.value.errors == {"scope": "Plug-in thử không nhận phạm vi này"}
    service.complete_task(probe, tt, item.task_id, {"scope": "Văn bản y tế", "contribute_due": "2026-12-20"})
    done = service.instance_view(probe, tt, view["instance"].id)
    assert done["instance"].status == "completed"
    assert done["data"]["scope"] == "Văn bản y tế (plug-in đã kiểm tra)"


def test_the_task_page_labels_the_plug_in_data(probe):
    tt, view = opened_probe(probe)
    item = open_item(probe, tt, "check", view["instance"].id)
    rows = {key: label for key, label, _ in service.task_context(probe, tt, item.task_id)["context_rows"]}
    assert rows["probe_note"] == "Ghi chú của plug-in thử"


def test_the_instance_page_draws_the_plug_in_panel_and_lists_its_export(probe, app, client):
    app.jinja_env.loader = ChoiceLoader([
        DictLoader({"_probe_panel.html": '<section id="probe">Bảng thử: {{ p.title }} ({{ p.here }})</section>'}),
        app.jinja_env.loader])
    _, view = opened_probe(probe)
    instance_id = view["instance"].id
    login(client, "tt.chuyenvien", org=ORG)
    html = client.get(f"/instances/{instance_id}").get_data(as_text=True)
    assert f'<section id="probe">Bảng thử: {view["instance"].title} (/instances/{instance_id})</section>' in html
    assert f'href="/instances/{instance_id}/exports/probe-note.txt"' in html and "Tải ghi chú thử" in html
    assert "Một tệp văn bản" in html
    response = client.get(f"/instances/{instance_id}/exports/probe-note.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == f"Ghi chú thử: {view['instance'].title}"
    assert f"ghi-chu-{instance_id}.txt" in response.headers["Content-Disposition"]
    # The task form does not ask for the panel ("x-panel"), so its page does not show it.
    item = open_item(probe, service.actor_for_login(probe, "tt.chuyenvien", ORG), "check", instance_id)
    assert 'id="probe"' not in client.get(f"/tasks/{item.task_id}").get_data(as_text=True)


def test_an_export_is_served_only_for_the_process_that_offers_it(probe, actor):
    tt, view = opened_probe(probe)
    assert service.export_instance(probe, tt, view["instance"].id, "probe-note.txt").filename.startswith("ghi-chu-")
    with pytest.raises(EngineError, match="không có bản xuất"):  # the self-assessment's export, another process
        service.export_instance(probe, tt, view["instance"].id, appraisal_export.EXPORT_NAME)
    with pytest.raises(NotFound):
        service.export_instance(probe, tt, view["instance"].id, "no-such-export")
    index = start_self_assessment(probe, actor)  # (Huế) — and the probe's export is not the self-assessment's
    with pytest.raises(EngineError, match="không có bản xuất"):
        service.export_instance(probe, actor("vp.chuyenvien"), index.id, "probe-note.txt")
    with pytest.raises(NotFound):  # another Sở's instance
        service.export_instance(probe, tt, index.id, appraisal_export.EXPORT_NAME)


def test_a_panel_is_wanted_by_name_or_through_a_widget():
    panel = hooks.Panel("p", probe_panel, widgets=frozenset({"w"}))
    assert panel.wanted_by({"x-panel": "p", "properties": {}})
    assert panel.wanted_by({"properties": {"a": {"x-widget": "w"}}})
    assert not panel.wanted_by({"x-panel": "q", "properties": {"a": {"x-widget": "textarea"}}})


def test_a_process_has_one_plug_in_and_an_export_name_one_owner():
    with pytest.raises(ValueError, match="already registered"):
        hooks.register(hooks.Plugin(index_self_assessment.PROCESS_KEY))
    clash = hooks.Plugin(PROBE, exports=(hooks.Export(appraisal_export.EXPORT_NAME, "x", "text/plain", str,
                                                      probe_export),))
    with pytest.raises(ValueError, match="already registered"):
        hooks.register(clash)
    assert hooks.plugin(PROBE) is None


# --- the core never names the shipped plug-in ------------------------------------------------------------------

CORE = [*sorted((ROOT / "engine" / "core").rglob("*.py")), *sorted((ROOT / "engine" / "runtime").rglob("*.py")),
        *sorted((ROOT / "engine" / "planning").rglob("*.py")), *sorted((ROOT / "engine" / "service").rglob("*.py")),
        ROOT / "engine" / "__init__.py"]
# The generic web: every module but the plug-in's web part (web/evidence.py) and the app factory, which registers
# that part (as engine.plugins imports the engine's); the generic templates.
PLUGIN_WEB = {"evidence.py", "app.py", "_evidence_panel.html", "_criteria_scores.html"}
GENERIC_WEB = [p for p in [*sorted((ROOT / "web").glob("*.py")), *sorted((ROOT / "web" / "templates").glob("*.html"))]
               if p.name not in PLUGIN_WEB]
# What would name the index self-assessment: its key, its modules, its data, its export, its widget.
NAMES = [index_self_assessment.PROCESS_KEY, "engine.plugins.", "self_score", "appraisal", "criteria",
         "requested_evidence", appraisal_export.EXPORT_NAME, plugin.SCORES_WIDGET]


def _mentions(paths, names) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{number}: {name}" for path in paths
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            for name in names if name in line]


def test_no_core_module_names_the_plug_in():
    assert len(CORE) > 30
    assert _mentions(CORE, NAMES) == []


def test_no_generic_web_view_or_template_names_the_plug_in():
    assert {"work.py", "processes.py", "panels.py", "task.html", "instance.html"} <= {p.name for p in GENERIC_WEB}
    assert _mentions(GENERIC_WEB, [*NAMES, "evidence"]) == []


def test_the_process_key_is_written_once_in_the_code():
    quoted = re.compile(r"""["']index_self_assessment["']""")
    found = [f"{path.relative_to(ROOT)}:{number}" for path in sorted([*(ROOT / "engine").rglob("*.py"),
                                                                      *(ROOT / "web").rglob("*.py")])
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if quoted.search(line)]
    assert found == ["engine/plugins/index_self_assessment/__init__.py:6"]
