"""The hook table: what a process plug-in adds to the core, by process key.

A plug-in describes itself once, as a `Plugin`, and registers it when it is imported; the core only asks this table
and never names a plug-in. The shipped plug-ins (the package engine.plugins lists them) are imported the first time
the table is asked, so whoever asks first — the scheduler, a registry check, the web app — sees them. This module
imports nothing of the engine, so any module may use it.

What a plug-in may add:

- `start`: extra start data (and the supporting units) when the scheduler or a lead unit opens a duty of its process;
- `completion_checks`: per step, a check run under the instance lock before the step completes;
- `panel`: a block on the instance page and on the task pages whose form asks for it (`"x-panel": <name>`);
- `labels`: labels of the case data it adds (shown on task pages);
- `exports`: downloads of an instance (listed on the instance page, served at /instances/<id>/exports/<name>);
- `duty_keys`: registry keys its duties may carry (e.g. `batches`), refused for other processes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SHIPPED = "engine.plugins"  # the package whose import registers the shipped plug-ins


@dataclass(frozen=True)
class DutyOpening:
    """A duty being opened for one lead unit and period: what a start hook may read."""

    registry: Any  # engine.planning.registry.Registry (its functions, units …)
    duty: Any  # engine.planning.registry.Duty (its batches, support units …)
    period: Any  # engine.planning.deadlines.Period (label, year, first and last day)
    lead_unit: str


@dataclass(frozen=True)
class StartData:
    """What a start hook adds: data merged into the start data, and the supporting units when the plug-in decides
    them (None: the duty's own support units)."""

    data: Mapping[str, Any]
    supporting_units: list[str] | None = None


# start(opening) -> StartData
StartHook = Callable[[DutyOpening], StartData]
# check(session, instance, workflow, data) -> the data to complete the step with; raises FormInvalid to refuse.
CompletionCheck = Callable[[Any, Any, Any, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Panel:
    """A block a plug-in shows on its instances' page and on the task pages whose form asks for it."""

    name: str  # what a form's "x-panel" names; the web part that draws it registers under this name too
    read: Callable[[Any, Any, int], dict[str, Any]]  # (session, actor, instance_id) -> what the panel shows
    widgets: frozenset[str] = frozenset()  # form widgets ("x-widget") that need the panel's data as well
    shows: frozenset[str] = frozenset()  # case-data keys the panel shows itself (not repeated on task pages)

    def wanted_by(self, schema: Mapping[str, Any]) -> bool:
        """Does a task form ask for this panel (by name, or through one of its widgets)?"""
        return schema.get("x-panel") == self.name or any(
            spec.get("x-widget") in self.widgets for spec in schema.get("properties", {}).values())


@dataclass(frozen=True)
class Export:
    """A download of an instance, e.g. a dossier as .xlsx. `build` checks who may have it (as the plug-in's own
    pages do) and raises NotFound otherwise."""

    name: str  # in the URL: /instances/<id>/exports/<name>; unique over all plug-ins
    title: str  # the button on the instance page
    content_type: str
    filename: Callable[[Any], str]  # (instance) -> the download's file name
    build: Callable[[Any, Any, int], bytes]  # (session, actor, instance_id) -> the file
    hint: str = ""


@dataclass(frozen=True)
class Plugin:
    """Everything one specialised process adds to the core."""

    process_key: str
    start: StartHook | None = None
    completion_checks: Mapping[str, CompletionCheck] = field(default_factory=dict)  # bpmn id -> check
    panel: Panel | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    exports: tuple[Export, ...] = ()
    duty_keys: frozenset[str] = frozenset()


_plugins: dict[str, Plugin] = {}
_exports: dict[str, tuple[str, Export]] = {}  # export name -> (process key, export)
_shipped_loaded = False


def register(plugin: Plugin) -> None:
    """Add a plug-in to the table (one per process; export names are unique over all plug-ins)."""
    if plugin.process_key in _plugins:
        raise ValueError(f"a plug-in for process {plugin.process_key!r} is already registered")
    for export in plugin.exports:
        if export.name in _exports:
            raise ValueError(f"export {export.name!r} is already registered for {_exports[export.name][0]!r}")
    _plugins[plugin.process_key] = plugin
    _exports.update({e.name: (plugin.process_key, e) for e in plugin.exports})


def unregister(process_key: str) -> None:
    """Take a plug-in out of the table again (tests that register their own)."""
    plugin = _plugins.pop(process_key, None)
    for export in plugin.exports if plugin else ():
        _exports.pop(export.name, None)


def _load_shipped() -> None:
    global _shipped_loaded
    if not _shipped_loaded:
        _shipped_loaded = True
        importlib.import_module(SHIPPED)


def plugin(process_key: str) -> Plugin | None:
    """The plug-in of a process, if it has one."""
    _load_shipped()
    return _plugins.get(process_key)


def completion_check(process_key: str, bpmn_id: str) -> CompletionCheck | None:
    """The check a plug-in registered for that step, if any."""
    found = plugin(process_key)
    return found.completion_checks.get(bpmn_id) if found else None


def start_hook(process_key: str) -> StartHook | None:
    found = plugin(process_key)
    return found.start if found else None


def panel(process_key: str) -> Panel | None:
    found = plugin(process_key)
    return found.panel if found else None


def labels(process_key: str) -> Mapping[str, str]:
    found = plugin(process_key)
    return found.labels if found else {}


def exports(process_key: str) -> tuple[Export, ...]:
    """The downloads an instance of the process offers, in the plug-in's order."""
    found = plugin(process_key)
    return found.exports if found else ()


def export(name: str) -> tuple[str, Export] | None:
    """(process key, export) of a download name, whichever plug-in offers it."""
    _load_shipped()
    return _exports.get(name)


def accepts_duty_key(process_key: str, key: str) -> bool:
    """May a duty of that process carry registry key `key`?"""
    found = plugin(process_key)
    return found is not None and key in found.duty_keys


def processes_accepting(key: str) -> Iterable[str]:
    """The processes whose duties may carry registry key `key`, sorted."""
    _load_shipped()
    return sorted(k for k, p in _plugins.items() if key in p.duty_keys)
