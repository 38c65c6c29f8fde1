"""The task page: drafts, comments, attachments, what was submitted, contributions side by side, send back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from SpiffWorkflow.exceptions import TaskNotFoundException
from sqlalchemy.orm import defer

from engine.core import access, audit, roles
from engine.core.db import Database
from engine.core.models import ProcessInstance
from engine.core.org import Actor
from engine.runtime import (
    attachments,
    comments,
    contributions,
    drafts,
    instances,
    submissions,
    tasks,
    worklist,
)
from engine.runtime.definitions import of as definitions_of
from engine.service.plugin_parts import Download


@dataclass(frozen=True)
class TaskPage:
    """What the task page shows besides the form (task_context): the draft to resume, the instance's comments and
    the task's attachments, the contributions side by side, the contribution sent back to this unit (`rework`, with
    the answer it gave last time in `previous`) and those the consolidation waits for."""

    draft: drafts.Draft | None
    comments: list[comments.Comment]
    attachments: list[attachments.AttachmentRow]
    contributions: list[contributions.SideBySide]
    rework: contributions.Rework | None
    previous: dict[str, Any]
    waiting_for: list[contributions.Rework]
    may_act: bool
    may_send_back: bool


def task_page(db: Database, actor: Actor, task_id: str) -> TaskPage:
    """The task page's drafts, comments, attachments and contributions, for a task the actor may see."""
    with db.read() as s:
        item = tasks.visible_item(s, actor, task_id)
        version = definitions_of(s, item.instance.definition)
        may_act = item.state in ("READY", contributions.WAITING) and access.may_do_step(actor, item)
        rework = contributions.open_rework(s, task_id) if item.state == "READY" else None
        try:
            task = instances.load(item.instance, version).get_task_from_id(UUID(task_id))
        except TaskNotFoundException:  # an engine-level step (a Trưởng phòng's review item) has no BPMN task
            task = None
        tables = contributions.side_by_side(version, task.data if task is not None else {}, item.instance.process_key)
        return TaskPage(
            draft=drafts.of_task(s, task_id) if may_act and item.state == "READY" else None,
            comments=comments.of_instance(s, item.instance_id),
            attachments=attachments.of_instance(s, item.instance_id, task_id),
            contributions=tables, rework=rework,
            previous=contributions.previous_answer(s, version, item.instance, rework) if rework else {},
            waiting_for=contributions.open_for_consolidation(s, task_id), may_act=may_act,
            may_send_back=may_act and item.role == roles.LEAD_UNIT and any(t.returnable for t in tables))


def submit_task_page(db: Database, actor: Actor, task_id: str, submitted: Mapping[str, str],
                     widgets: tasks.WidgetReader | None = None, had_draft: bool = False,
                     rework: bool = False) -> Submitted:
    """The task page's submission (submit_task), in one transaction: a contribution sent back (`rework`, the page
    said so) is answered instead (engine.runtime.contributions.resubmit); the draft the page showed (`had_draft`)
    is discarded with it (a task without one costs no statement more)."""
    with db.session() as s:
        if rework:
            return Submitted(contributions.resubmit(s, actor, task_id, submitted, discard_draft=had_draft).name)
        form = tasks.submit(s, actor, task_id, submitted, widgets)[0]
        if had_draft:
            drafts.discard(s, task_id)
        return Submitted(form.name, form.held)


@dataclass(frozen=True)
class Submitted:
    """What a task page's submission did: the task's name, and whether the answer waits for the unit's Trưởng
    phòng (engine.runtime.unit_review) instead of completing the step."""

    name: str
    held: bool = False


def save_draft(db: Database, actor: Actor, task_id: str, submitted: Mapping[str, str]) -> drafts.Draft:
    """Save the typed strings of an open task's form without completing it (who may do the step only)."""
    with db.session() as s:
        return drafts.save(s, actor, task_id, submitted)


def add_comment(db: Database, actor: Actor, instance_id: int, body: str,
                task_id: str | None = None) -> comments.Comment:
    """Add a comment to an instance's thread (everyone who may see the instance), written on `task_id`'s page."""
    with db.session() as s:
        return comments.add(s, actor, instance_id, body, task_id)


def attach_file(db: Database, actor: Actor, task_id: str, filename: str,
                data: bytes) -> attachments.AttachmentRow:
    """Attach a file to an open task (who may do the step; the content is checked, not the name)."""
    with db.session() as s:
        return attachments.add(s, actor, task_id, filename, data)


def attachment_download(db: Database, actor: Actor, attachment_id: int) -> Download:
    """An attachment's content, for who may see its instance (NotFound otherwise)."""
    with db.read() as s:
        row, content = attachments.open_file(s, actor, attachment_id)
        return Download(content, row.filename, row.content_type)


def send_back_contribution(db: Database, actor: Actor, task_id: str, unit_code: str,
                           comment: str) -> contributions.Rework:
    """The lead sends one unit's contribution back from the consolidation `task_id`, with a comment."""
    with db.session() as s:
        return contributions.send_back(s, actor, task_id, unit_code, comment)


@dataclass(frozen=True)
class InstanceExtras:
    """What the instance page shows besides instance_view: comments, attachments, each completed step's submitted
    fields (task id -> [(field, label, value)]) and the labels of chosen options."""

    comments: list[comments.Comment]
    attachments: list[attachments.AttachmentRow]
    submitted: dict[str, list[tuple[str, str, Any]]]
    choice_labels: dict[str, dict[Any, str]]


def instance_extras(db: Database, actor: Actor, instance_id: int) -> InstanceExtras:
    """The comments, attachments and submitted fields of an instance the actor may see (NotFound otherwise)."""
    with db.read() as s:
        instance = access.check_view_instance(s, actor, s.get(ProcessInstance, instance_id,
                                                              options=[defer(ProcessInstance.state)]))
        version = definitions_of(s, instance.definition)
        return InstanceExtras(comments.of_instance(s, instance_id), attachments.of_instance(s, instance_id),
                              submissions.submitted_fields(version, worklist.instance_items(s, instance_id),
                                                           audit.history(s, instance_id)),
                              submissions.choice_labels(version))
