"""SpiffWorkflow (de)serialization, with the spec kept out of the instance document.

A deployed version's spec is stored once (`spec_document`) and deserialized once per process
(engine.runtime.definitions); an instance's document holds only its state, and is written and read without
converting the
spec again (`state_document`, `restore`).
"""

from __future__ import annotations

import json
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine.runtime.script_engine import ENGINE


class _StateConverter(BpmnWorkflowConverter):
    """BpmnWorkflowConverter that leaves the spec out when writing: it is stored once per version, and
    converting it on every step was most of the cost of saving."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


_registry = BpmnWorkflowSerializer.configure({**SPIFF_CONFIG, BpmnWorkflow: _StateConverter})
SERIALIZER = BpmnWorkflowSerializer(_registry)
SERIALIZER_VERSION = SERIALIZER.VERSION


def dumps(obj: Any) -> str:
    # 3.2.0 leaves datetimes unconverted in task deltas; the serializer's encoder handles them.
    return json.dumps(obj, cls=SERIALIZER._encoder_cls, ensure_ascii=False)


def spec_document(spec, subprocess_specs) -> str:
    """The JSON stored once per deployed definition version."""
    return dumps({
        "spec": SERIALIZER.to_dict(spec),
        "subprocess_specs": {name: SERIALIZER.to_dict(s) for name, s in subprocess_specs.items()},
    })


def specs_from_document(spec_json: str) -> tuple[Any, dict[str, Any]]:
    """(spec, subprocess specs) of a stored spec document."""
    doc = json.loads(spec_json)
    return (SERIALIZER.from_dict(doc["spec"]),
            {name: SERIALIZER.from_dict(s) for name, s in doc["subprocess_specs"].items()})


def state_document(workflow: BpmnWorkflow) -> str:
    """The instance state without its spec."""
    data = SERIALIZER.to_dict(workflow)
    data[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
    return dumps(data)


def restore(state_json: str, spec: Any, subprocess_specs: dict[str, Any]) -> BpmnWorkflow:
    """Rebuild a workflow from its state and its version's (already deserialized) specs; the script engine is
    set again. Specs are shared by every workflow of the version: SpiffWorkflow never changes them."""
    data = json.loads(state_json)
    if data.get(SERIALIZER.VERSION_KEY) != SERIALIZER.VERSION:
        raise ValueError(f"instance state of serializer version {data.get(SERIALIZER.VERSION_KEY)!r}; "
                         f"this engine reads {SERIALIZER.VERSION!r} (migrate it first)")
    SERIALIZER.migrate(data)  # pops the version key; nothing to upgrade at the current version
    data["spec"] = spec  # the registry passes objects through unchanged
    data["subprocess_specs"] = dict(subprocess_specs)
    workflow = SERIALIZER.from_dict(data)
    workflow.script_engine = ENGINE
    return workflow
