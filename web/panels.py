"""What process plug-ins add to the generic pages, on the web side: their panels and their form widgets.

The engine's hook table decides whether an instance or a task page has a plug-in panel (service.instance_panel,
service.task_panel); the web part of a plug-in registers here, under the panel's name, how to draw it, and the form
widgets (`"x-widget"`) it draws. The generic views (work.py, processes.py) ask only this module, never a process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import url_for

from engine import service

from .context import db


@dataclass(frozen=True)
class PanelPart:
    """How to draw a plug-in panel: a template (included with `p`) and what it gets as `p`."""

    template: str
    context: Callable[[dict[str, Any], str], dict[str, Any]]  # (the panel's data, page its forms return to) -> p


@dataclass(frozen=True)
class Widget:
    """A form widget a plug-in draws and reads, with the data of its panel (a field with `"x-widget": <name>`)."""

    panel: str  # the panel whose data it needs; without that panel on the page the field is an ordinary one
    template: str  # included for the field, with name, spec, required, rows, errors
    read: Callable[[dict[str, Any], str, Mapping[str, str]], Any]  # (p, field, submitted form) -> the field's value
    # (p, field, what was stored last time, what was typed, errors) -> what the template shows
    rows: Callable[[dict[str, Any], str, Any, Mapping[str, str], Mapping[str, str]], Any]


_panels: dict[str, PanelPart] = {}
_widgets: dict[str, Widget] = {}


def register_panel(name: str, part: PanelPart) -> None:
    _panels[name] = part


def register_widget(name: str, widget: Widget) -> None:
    _widgets[name] = widget


def _drawn(view: service.PanelView | None, here: str) -> dict[str, Any] | None:
    part = _panels.get(view.name) if view is not None else None
    if part is None:
        return None  # no plug-in panel, or none the web app can draw
    return {**part.context(view.data, here), "name": view.name, "template": part.template, "shows": view.shows}


def instance_panel(me, instance) -> dict[str, Any] | None:
    """The plug-in panel of an instance page (one the actor may see), ready for its template; None if none."""
    return _drawn(service.instance_panel(db(), me, instance), url_for("processes.instance", instance_id=instance.id))


def task_panel(me, form) -> dict[str, Any] | None:
    """The plug-in panel of a task page whose form asks for it (`form`: service.TaskForm); None otherwise."""
    return _drawn(service.task_panel(db(), me, form), url_for("work.task", task_id=form.task_id))


def without_shown(context_rows: list[tuple[str, str, Any]], panel: dict[str, Any] | None) -> list[tuple[str, str, Any]]:
    """Case-data rows minus those the panel already shows."""
    shown = panel["shows"] if panel else frozenset()
    return [row for row in context_rows if row[0] not in shown]


def _widgets_of(schema: dict[str, Any], panel: dict[str, Any] | None) -> dict[str, Widget]:
    """field -> its plug-in widget, for the widgets whose panel is on the page."""
    if panel is None:
        return {}
    found = {name: _widgets.get(spec.get("x-widget")) for name, spec in schema["properties"].items()}
    return {name: w for name, w in found.items() if w is not None and w.panel == panel["name"]}


def has_widgets(schema: dict[str, Any]) -> bool:
    """Whether a form has a field a plug-in widget draws (without reading any panel)."""
    return any(spec.get("x-widget") in _widgets for spec in schema["properties"].values())


def read_widgets(schema: dict[str, Any], form: Mapping[str, str], data: dict[str, Any], errors: dict[str, str],
                 panel: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Put the plug-in widgets' fields of a submitted form into `data`. The generic parse knows nothing of them, so
    its error for such a field ("required") is dropped: the plug-in's completion check judges them."""
    widgets = _widgets_of(schema, panel)
    if not widgets:
        return data, errors
    data, errors = dict(data), dict(errors)
    for name, widget in widgets.items():
        errors.pop(name, None)
        data[name] = widget.read(panel, name, form)
    return data, errors


def widget_fields(schema: dict[str, Any], panel: dict[str, Any] | None, prefill: Mapping[str, Any],
                  values: Mapping[str, str], errors: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """field -> {"template", "rows"} for each plug-in widget of the form (what task.html includes instead of the
    ordinary field)."""
    return {name: {"template": w.template, "rows": w.rows(panel, name, prefill.get(name), values, errors)}
            for name, w in _widgets_of(schema, panel).items()}
