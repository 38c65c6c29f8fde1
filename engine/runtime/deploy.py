"""Validate BPMN files and deploy them as versioned process definitions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core import audit, clock
from engine.core.errors import ValidationFailed
from engine.core.models import ProcessDefinition
from engine.core.roles import role_for_lane
from engine.planning import deadlines
from engine.runtime import forms
from engine.runtime.bpmn_parser import (
    NS,
    TIMER_TAGS,
    ProjectParser,
    element_label,
    form_keys,
    process_properties,
    quote_iso_timers,
)
from engine.runtime.safe_xml import UnsafeXml, read_xml
from engine.runtime.script_engine import UnsafeScript, check_source
from engine.runtime.serializer import spec_document

BPMN_NS = NS["bpmn"]


@dataclass
class ParsedProcess:
    """A validated process, ready to store."""

    key: str
    name: str
    spec: Any
    subprocess_specs: dict
    meta: dict[str, Any] = field(default_factory=dict)
    xml: str = ""  # the document as UTF-8 text, whatever encoding the file was written in
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)  # form key -> JSON Schema of every user task


def validate_bpmn(data: bytes, filename: str = "<upload>", forms_dir: Path | None = None) -> ParsedProcess:
    """Parse and check a BPMN document; raise ValidationFailed with one line per problem."""
    try:
        document = read_xml(data)
    except UnsafeXml as exc:
        raise ValidationFailed([f"{filename}: {exc}"]) from None
    tree = document.tree
    root = tree.getroot()
    if etree.QName(root).namespace != BPMN_NS or etree.QName(root).localname != "definitions":
        raise ValidationFailed([f"{filename}: not a BPMN 2.0 document (root element must be bpmn:definitions)"])
    processes = root.findall("bpmn:process", NS)
    executable = [p for p in processes if p.get("isExecutable") == "true"]
    if not executable:
        names = ", ".join(f"'{p.get('id')}'" for p in processes) or "none"
        raise ValidationFailed([
            f"{filename}: no executable process (processes: {names}); set isExecutable=\"true\" "
            "(Camunda Modeler: 'Executable' checkbox)"])
    process = executable[0]
    quote_iso_timers(tree)
    problems = _check_expressions(root)
    parser = ProjectParser()
    try:
        parser.add_bpmn_xml(tree, filename=filename)
        spec = parser.get_spec(process.get("id"))
        subprocess_specs = parser.get_subprocess_specs(process.get("id"))
    except (ValidationException, SpiffWorkflowException, RecursionError) as exc:
        where = f" at {exc.tag} '{exc.id}'" if getattr(exc, "id", "") else ""
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "recursion" in reason.lower():  # SpiffWorkflow walks a chain of steps recursively
            reason = ("the process chains too many steps one after another for the engine (a few hundred at "
                      "most); group them into subprocesses")
        raise ValidationFailed(problems + [f"{filename}: {reason}{where}"]) from None
    meta = _describe(process, spec)
    found_forms: dict[str, dict[str, Any]] = {}
    problems += _check_user_tasks(process, meta, forms_dir, found_forms)
    problems += _check_properties(meta["properties"])
    if problems:
        raise ValidationFailed([f"{filename}: {p}" for p in problems])
    name = process.get("name") or process.get("id")
    return ParsedProcess(process.get("id"), name, spec, subprocess_specs, meta, document.text, found_forms)


# Every element whose text SpiffWorkflow evaluates as Python (besides timers and scripts, below): (namespace,
# tag, mode, what the problem calls it). The sandbox checks all code again before it runs, whatever its source.
_EXPRESSIONS = (
    (BPMN_NS, "conditionExpression", "eval", "condition"),
    (BPMN_NS, "condition", "eval", "condition"),
    (BPMN_NS, "completionCondition", "eval", "completion condition"),
    (BPMN_NS, "loopCardinality", "eval", "loop cardinality"),
    (BPMN_NS, "loopCondition", "eval", "loop condition"),
    (BPMN_NS, "messagePath", "eval", "message expression"),
    (NS["spiffworkflow"], "preScript", "exec", "preScript"),
    (NS["spiffworkflow"], "postScript", "exec", "postScript"),
)


def _owner(node: etree._Element) -> etree._Element:
    """The flow element or flow an expression belongs to (for the problem's wording)."""
    for parent in node.iterancestors():
        if parent.get("id") and etree.QName(parent).localname not in (
                "timerEventDefinition", "conditionalEventDefinition", "multiInstanceLoopCharacteristics",
                "standardLoopCharacteristics", "extensionElements"):
            return parent
    return node


def _check_expressions(root: etree._Element) -> list[str]:
    """Every script, condition and timer expression of the document (all its processes) against the sandbox's
    allow-list; one problem per refusal."""
    problems = []
    for namespace, tag, mode, what in _EXPRESSIONS:
        for node in root.iter(f"{{{namespace}}}{tag}"):
            if (node.text or "").strip() or mode == "exec":
                problems += _check((node.text or "").strip(), mode, f"{what} of {element_label(_owner(node))}")
    for tag in TIMER_TAGS:
        for node in root.iter(f"{{{BPMN_NS}}}{tag}"):
            owner = _owner(node)
            text = (node.text or "").strip()
            if not text:
                problems.append(f"timer of {element_label(owner)} has an empty {tag}")
                continue
            found = _check(text, "eval", f"timer of {element_label(owner)}")
            if not found and text[0] in "'\"":
                found = _check_timer_literal(text.strip("'\""), tag, owner)
            problems += found
    for task in root.iter(f"{{{BPMN_NS}}}scriptTask"):
        script = task.find("bpmn:script", NS)
        source = (script.text or "") if script is not None else ""
        problems += _check(source, "exec", f"script of {element_label(task)}")
    return problems


def _check(source: str, mode: str, where: str) -> list[str]:
    try:
        check_source(source, mode)
    except SyntaxError as exc:
        return [f"{where} does not parse: {exc.msg} ('{source.strip()[:80]}')"]
    except UnsafeScript as exc:
        return [f"{where}: {exc}"]
    return []


_TIMER_KIND = {"timeDate": "date-time", "timeDuration": "duration", "timeCycle": "cycle"}


def _check_timer_literal(text: str, tag: str, owner: etree._Element) -> list[str]:
    try:
        if tag == "timeCycle":
            TimerEventDefinition.parse_iso_recurring_interval(text)
        elif tag == "timeDuration":
            TimerEventDefinition.parse_iso_duration(text)
        else:
            TimerEventDefinition.get_datetime(text)
    except Exception:  # the library raises ValueError, IndexError or TypeError on bad ISO text
        return [f"timer of {element_label(owner)}: '{text}' is not a valid ISO 8601 {_TIMER_KIND[tag]}"]
    return []


def _describe(process: etree._Element, spec) -> dict[str, Any]:
    """What the app needs to know about the process without loading its spec."""
    keys = form_keys(process)
    nodes = {n.get("id"): n for n in process.iter(f"{{{BPMN_NS}}}userTask")}
    tasks: dict[str, dict[str, Any]] = {}
    for ts in spec.task_specs.values():
        if getattr(ts, "manual", False):
            doc = getattr(ts, "documentation", None) or ""
            tasks[ts.bpmn_id] = {
                "name": ts.bpmn_name or ts.bpmn_id, "lane": ts.lane, "role": role_for_lane(ts.lane),
                "form": keys.get(ts.bpmn_id) or f"{process.get('id')}/{ts.bpmn_id}", "documentation": doc,
                "properties": process_properties(nodes[ts.bpmn_id]) if ts.bpmn_id in nodes else {},
            }
    return {"user_tasks": tasks, "properties": process_properties(process),
            "documentation": (process.findtext("bpmn:documentation", "", NS) or "").strip()}


def _check_properties(props: dict[str, str]) -> list[str]:
    """The deadline properties an instance started by hand relies on must parse (registry grammar)."""
    problems = []
    if props.get("deadline"):
        try:
            deadlines.parse_day_month(props["deadline"].strip().removeprefix("before ").strip())
        except deadlines.DeadlineError as exc:
            problems.append(f"process property 'deadline': {exc}")
    for name in ("deadline_year_offset", "reminder_working_days"):
        if props.get(name) and not props[name].lstrip("-").isdigit():
            problems.append(f"process property '{name}' must be a whole number, not '{props[name]}'")
    return problems


def _check_user_tasks(process: etree._Element, meta: dict[str, Any], forms_dir: Path | None,
                      found_forms: dict[str, dict[str, Any]]) -> list[str]:
    """Lanes, deadlines and forms of every user task; the forms found go into `found_forms`."""
    problems = []
    nodes = {n.get("id"): n for n in process.iter() if n.get("id")}
    for bpmn_id, task in sorted(meta["user_tasks"].items()):
        label = element_label(nodes[bpmn_id]) if bpmn_id in nodes else f"userTask '{bpmn_id}'"
        days = task["properties"].get("due_in_working_days")
        if days is not None and not days.isdigit():
            problems.append(f"{label}: due_in_working_days must be a whole number of days, not '{days}'")
        if task["lane"] is None:
            problems.append(f"{label} is in no lane; put it in a lane named for a role "
                            "(Đơn vị chủ trì, Đơn vị phối hợp, Lãnh đạo Sở phê duyệt)")
        elif task["role"] is None:
            problems.append(f"{label} is in lane '{task['lane']}', which is not a known role "
                            "(Đơn vị chủ trì, Đơn vị phối hợp, Lãnh đạo Sở phê duyệt)")
        try:
            found_forms[task["form"]] = forms.load_schema(task["form"], forms_dir)
        except forms.FormMissing as exc:
            problems.append(f"{label} has no form: {exc}")
    return problems


def deploy(session: Session, data: bytes, filename: str, actor: str,
           forms_dir: Path | None = None) -> tuple[ProcessDefinition, bool]:
    """Validate and store a new version unless identical to the latest. Returns (definition, created).

    A version is the BPMN file with its forms: changing either makes a new version, and running instances keep
    the forms of their own. The stored XML is the decoded text (UTF-8, for the diagram viewer); the sha256 is of
    the file's own bytes and the forms."""
    parsed = validate_bpmn(data, filename, forms_dir)
    forms_json = _forms_document(parsed.forms)
    digest = version_digest(data, parsed.forms)
    latest = latest_definition(session, parsed.key)
    if latest is not None and latest.sha256 == digest:
        return latest, False
    version = (session.scalar(select(func.max(ProcessDefinition.version))
                              .where(ProcessDefinition.process_key == parsed.key)) or 0) + 1
    definition = ProcessDefinition(
        process_key=parsed.key, version=version, name=parsed.name, sha256=digest,
        bpmn_xml=parsed.xml, spec_json=spec_document(parsed.spec, parsed.subprocess_specs),
        meta_json=json.dumps(parsed.meta, ensure_ascii=False), forms_json=forms_json,
        deployed_at=clock.to_db(clock.now()), deployed_by=actor,
    )
    session.add(definition)
    session.flush()
    audit.record(session, "deploy", actor, summary=f"{parsed.key} v{version} ({filename})",
                 payload={"process_key": parsed.key, "version": version, "sha256": digest})
    return definition, True


def _forms_document(found: dict[str, dict[str, Any]]) -> str:
    return json.dumps(found, ensure_ascii=False, sort_keys=True)


def version_digest(data: bytes, found_forms: dict[str, dict[str, Any]]) -> str:
    """The identity of a version: the sha256 of the BPMN file's own bytes and of its forms."""
    return hashlib.sha256(data + b"\0" + _forms_document(found_forms).encode("utf-8")).hexdigest()


def latest_definition(session: Session, key: str) -> ProcessDefinition | None:
    return session.scalar(select(ProcessDefinition).where(ProcessDefinition.process_key == key)
                          .order_by(ProcessDefinition.version.desc()).limit(1))


def deploy_directory(session: Session, directory: Path, actor: str) -> list[tuple[ProcessDefinition, bool]]:
    """Deploy every *.bpmn below `directory` (one process folder each)."""
    return [deploy(session, path.read_bytes(), path.name, actor) for path in sorted(directory.rglob("*.bpmn"))]
