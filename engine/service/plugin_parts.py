"""What process plug-ins add to the generic pages: panels and exports."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy.orm import defer

from engine.core import hooks
from engine.core.db import Database
from engine.core.errors import EngineError, NotFound
from engine.core.models import ProcessInstance
from engine.core.org import Actor
from engine.runtime import (
    instances,
    tasks,
)


class PanelView(NamedTuple):
    """A plug-in's panel for one page: its name (the web part that draws it), what it shows, and the case-data keys
    it shows itself."""

    name: str
    data: dict[str, Any]
    shows: frozenset[str]


class Download(NamedTuple):
    content: bytes
    filename: str
    content_type: str


def instance_panel(db: Database, actor: Actor, instance: instances.InstanceRow) -> PanelView | None:
    """The panel a plug-in shows on the page of `instance` (one the actor may see), if its process has one."""
    panel = hooks.panel(instance.process_key)
    if panel is None:
        return None
    with db.read() as s:
        return PanelView(panel.name, panel.read(s, actor, instance.id), panel.shows)


def task_panel(db: Database, actor: Actor, form: tasks.TaskForm) -> PanelView | None:
    """The plug-in panel a task page shows, if the task's form asks for it (`x-panel`, or a widget that needs it)."""
    panel = hooks.panel(form.process_key)
    if panel is None or not panel.wanted_by(form.schema):
        return None
    with db.read() as s:
        return PanelView(panel.name, panel.read(s, actor, form.instance_id), panel.shows)


def instance_exports(instance: instances.InstanceRow) -> tuple[hooks.Export, ...]:
    """The downloads an instance offers (its process's plug-in's exports), for the instance page."""
    return hooks.exports(instance.process_key)


def export_instance(db: Database, actor: Actor, instance_id: int, name: str) -> Download:
    """The download `name` of an instance: NotFound for an unknown export or an instance of another Sở (or one the
    plug-in does not show the actor), EngineError for an instance whose process does not offer it."""
    found = hooks.export(name)
    if found is None:
        raise NotFound("Không có bản xuất này")
    process_key, export = found
    with db.read() as s:
        instance = s.get(ProcessInstance, instance_id, options=[defer(ProcessInstance.state)])
        if instance is None or instance.org_id != actor.org_id:
            raise NotFound("Không tìm thấy hồ sơ quy trình")
        if instance.process_key != process_key:
            raise EngineError(f"Hồ sơ này không có bản xuất «{export.title}»")
        return Download(export.build(s, actor, instance_id), export.filename(instance), export.content_type)
