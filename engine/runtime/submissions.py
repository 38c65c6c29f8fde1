"""What each completed step submitted, for the instance page: the data its completion recorded in the audit trail
(the last one wins: a contribution sent back and answered again shows its new answer), labelled by the step's
form in the instance's own version."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from engine.core.audit import HistoryRow
from engine.runtime import definitions, forms
from engine.runtime.worklist import WorklistRow

SUBMITTING_KINDS = ("complete", "return", "contribution_resubmitted")


def submitted_fields(version: definitions.Version, items: Iterable[WorklistRow],
                     history: Iterable[HistoryRow]) -> dict[str, list[tuple[str, str, Any]]]:
    """task id -> [(field, label, value)] of every completed step, in its form's order (empty values left out)."""
    latest: dict[str, dict[str, Any]] = {}
    for event in history:
        if event.kind in SUBMITTING_KINDS and event.task_id:
            latest[event.task_id] = json.loads(event.payload or "{}").get("data") or {}
    shown = {}
    for item in items:
        data = latest.get(item.task_id)
        if item.state != "COMPLETED" or not data:
            continue
        properties = version.form(item.form_key)["properties"]
        shown[item.task_id] = [(name, spec.get("title", name), data[name]) for name, spec in properties.items()
                               if data.get(name) not in (None, "", [])]
    return shown


def choice_labels(version: definitions.Version) -> dict[str, dict[Any, str]]:
    """field -> stored value -> the label its form showed, over every form of the version."""
    found: dict[str, dict[Any, str]] = {}
    for info in version.meta["user_tasks"].values():
        for name, spec in version.form(info["form"])["properties"].items():
            options = forms.choices(spec.get("items", {}) if spec.get("type") == "array" else spec)
            if options:
                found.setdefault(name, {}).update(dict(options))
    return found
