"""The hook table: what a process plug-in adds to the core, by process key and step.

The core asks this table and imports no plug-in; a plug-in registers its hooks when it is imported (engine.service
imports the shipped ones). This module imports nothing of the engine, so any module may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# check(session, instance, workflow, data) -> the data to complete the step with; raises FormInvalid to refuse.
CompletionCheck = Callable[[Any, Any, Any, dict[str, Any]], dict[str, Any]]

_completion_checks: dict[tuple[str, str], CompletionCheck] = {}


def register_completion_check(process_key: str, bpmn_id: str, check: CompletionCheck) -> None:
    """Run `check` whenever a step `bpmn_id` of process `process_key` is completed, on the loaded workflow and
    under the instance lock, before the step runs."""
    _completion_checks[(process_key, bpmn_id)] = check


def completion_check(process_key: str, bpmn_id: str) -> CompletionCheck | None:
    """The check a plug-in registered for that step, if any."""
    return _completion_checks.get((process_key, bpmn_id))
