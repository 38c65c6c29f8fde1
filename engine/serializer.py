"""SpiffWorkflow (de)serialization, with the spec kept out of the instance document."""

from __future__ import annotations

import json
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from .script_engine import ENGINE

_registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
SERIALIZER = BpmnWorkflowSerializer(_registry)
SERIALIZER_VERSION = SERIALIZER.VERSION
_SPEC_KEYS = ("spec", "subprocess_specs")


def dumps(obj: Any) -> str:
    # 3.2.0 leaves datetimes unconverted in task deltas; the serializer's encoder handles them.
    return json.dumps(obj, cls=SERIALIZER._encoder_cls, ensure_ascii=False)


def spec_document(spec, subprocess_specs) -> str:
    """The JSON stored once per deployed definition version."""
    return dumps({
        "spec": SERIALIZER.to_dict(spec),
        "subprocess_specs": {name: SERIALIZER.to_dict(s) for name, s in subprocess_specs.items()},
    })


def state_document(workflow: BpmnWorkflow) -> str:
    """The instance state without its spec."""
    data = SERIALIZER.to_dict(workflow)
    for key in _SPEC_KEYS:
        data.pop(key, None)
    data[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
    return dumps(data)


def restore(state_json: str, spec_json: str) -> BpmnWorkflow:
    """Rebuild a workflow from its state and its definition's spec; the script engine is set again."""
    data = json.loads(state_json)
    data.update(json.loads(spec_json))
    SERIALIZER.migrate(data)
    workflow = SERIALIZER.from_dict(data)
    workflow.script_engine = ENGINE
    return workflow
