"""The engine's façade: web views, CLI commands and test steps call these functions only.

Each function is one transaction, except the jobs that work through many things and take one transaction each
(load_demo, run_scheduler, fire_due_timers, start_duty's scheduler path), as their docstrings say. Errors are
engine.core.errors exceptions with messages fit for users; lists and pages come back as read models.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from uuid import UUID

from SpiffWorkflow.exceptions import TaskNotFoundException
from sqlalchemy import select
from sqlalchemy.orm import defer

from engine.core import access, audit, clock, config, hooks, org, roles
from engine.core.db import Database
from engine.core.errors import EngineError, NotFound, ValidationFailed
from engine.core.models import Organisation, ProcessDefinition, ProcessInstance, User
from engine.core.org import Actor
from engine.planning import plans, registry, schedule
from engine.runtime import (
    attachments,
    claims,
    comments,
    contributions,
    deploy,
    drafts,
    forms,
    instances,
    list_pages,
    manual_start,
    saved_filters,
    submissions,
    tasks,
    unit_review,
    worker,
    worklist,
)
from engine.runtime.definitions import of as definitions_of

PROCESSES_DIR = config.PROCESSES_DIR  # shipped with the package (installed, or the source tree's processes/)


def init_db(db: Database) -> None:
    """Create or upgrade the schema (Alembic migrations in engine/core/migrations)."""
    db.migrate()


def load_demo(db: Database, active_from: datetime | None = None) -> list[str]:
    """Every process in processes/ deployed and every plan of processes/plans loaded as its own organisation,
    with demo accounts (password plans.DEMO_PASSWORD). Idempotent. Returns the plan ids."""
    deploy_all(db)
    loaded = []
    for path in registry.plan_files():
        loaded.append(load_plan(db, path, demo_users=True, active_from=active_from).plan_key)
    return loaded


def load_plan(db: Database, path: Path, demo_users: bool = False, active_from: datetime | None = None):
    """Validate a duty registry (units, deadlines, and that every duty's process is deployed) and load it."""
    with db.session() as s:
        reg = registry.load(path)
        deployed = {d.process_key for d in s.scalars(select(ProcessDefinition))}
        problems = registry.check_processes(reg, deployed)
        if problems:
            raise ValidationFailed(problems)
        return plans.load_plan(s, path, demo_users=demo_users, active_from=active_from)


def list_plans(db: Database) -> list[dict[str, Any]]:
    """The loaded plans: id, province, title, organisation, duty count."""
    with db.read() as s:
        return [{"id": p.plan_key, "province": p.province, "title": p.title, "org_code": p.organisation.code,
                 "org_name": p.organisation.name, "duties": len(plans.registry_of(p).duties),
                 "source_file": p.source_file} for p in plans.plans(s)]


def plan_registry_source(db: Database, plan_key: str) -> tuple[str, str]:
    """(file name, YAML text) of a plan as it was loaded."""
    with db.read() as s:
        doc = json.loads(plans.get_plan(s, plan_key).registry_json)
        return doc["file"], doc["text"]


def plan_registry(db: Database, plan_key: str) -> registry.Registry:
    """The registry of a loaded plan (NotFound for an unknown plan id)."""
    with db.read() as s:
        return plans.registry_of(plans.get_plan(s, plan_key))


def run_scheduler(db: Database, now: datetime | None = None,
                  plan_keys: set[str] | None = None) -> list[schedule.Opening]:
    """Open the instances whose window is open now (idempotent), for every plan or those in `plan_keys`."""
    return schedule.run(db, now, plan_keys)


def organisations(db: Database) -> list[tuple[str, str]]:
    """(code, name) of every organisation, in loading order."""
    with db.read() as s:
        return [(o.code, o.name) for o in org.organisations(s)]


def demo_logins(db: Database, org_code: str) -> list[tuple[str, str]]:
    """(login, 'title — unit code') of an organisation's accounts, for start-up hints and tests."""
    with db.read() as s:
        users = s.scalars(select(User).join(Organisation, User.org_id == Organisation.id)
                          .where(Organisation.code == org_code).order_by(User.id))
        return [(u.login, f"{u.title} — {u.unit.code}") for u in users]


def deploy_file(db: Database, path: Path, actor: str = "system") -> tuple[DefinitionRow, bool]:
    """Validate and deploy one BPMN file: (its version, created); an unchanged file keeps its version."""
    with db.session() as s:
        definition, created = deploy.deploy(s, path.read_bytes(), path.name, actor)
        return _definition_row(s, definition), created


def deploy_all(db: Database, directory: Path = PROCESSES_DIR, actor: str = "system"):
    """Deploy every process under `directory` (default: the shipped processes), in one transaction."""
    with db.session() as s:
        return deploy.deploy_directory(s, directory, actor)


def validate_file(path: Path) -> list[str]:
    """Problems that stop `path` from deploying (empty when deployable)."""
    try:
        deploy.validate_bpmn(path.read_bytes(), str(path))
    except ValidationFailed as exc:
        return exc.problems
    except OSError as exc:
        return [f"{path}: cannot read ({exc.strerror})"]
    return []


@dataclass(frozen=True)
class DefinitionRow:
    """A deployed process version as the start page and operators see it, with what deploy learnt (`meta`)."""

    id: int
    process_key: str
    version: int
    name: str
    sha256: str
    meta: dict[str, Any]


def definitions(db: Database) -> list[DefinitionRow]:
    """The latest version of every deployed process, by process key."""
    with db.read() as s:
        latest: dict[str, ProcessDefinition] = {}
        for row in s.scalars(select(ProcessDefinition).order_by(ProcessDefinition.process_key,
                                                                ProcessDefinition.version.desc())):
            latest.setdefault(row.process_key, row)
        return [_definition_row(s, d) for d in latest.values()]


def _definition_row(session, definition: ProcessDefinition) -> DefinitionRow:
    return DefinitionRow(definition.id, definition.process_key, definition.version, definition.name,
                         definition.sha256, definitions_of(session, definition).meta)


def start_instance(db: Database, actor: Actor, process_key: str, **kwargs: Any) -> instances.InstanceRow:
    """Start the latest version of a process for a unit and period (instances.start_instance)."""
    with db.session() as s:
        return instances.InstanceRow.of(instances.start_instance(s, actor, process_key, **kwargs))


def start_process(db: Database, actor: Actor, process_key: str, *, lead_unit: str, period: str,
                  supporting_units: list[str] | None = None, due_text: str | None = None,
                  data: dict[str, Any] | None = None, late: bool = False) -> instances.InstanceRow:
    """Start a process by hand for a unit and a year (the start page and `cchc start`): the period must be a
    year of the plan, the deadline dd/mm/yyyy or empty, supporting units working units of the organisation; a
    deadline already past needs `late` (LateStart otherwise), a second instance is AlreadyStarted."""
    with db.session() as s:
        return instances.InstanceRow.of(manual_start.start(s, actor, process_key, lead_unit, period,
                                                           supporting_units or [], due_text, data, late))


def organisation_actor(db: Database, org_code: str, login: str | None = None) -> Actor:
    """Who acts for an operator's command in organisation `org_code`: the active user `login`, or the
    organisation's system actor. NotFound for an unknown organisation or login."""
    with db.read() as s:
        found = next((o for o in org.organisations(s) if o.code == org_code), None)
        if found is None:
            raise NotFound(f"Không có tổ chức '{org_code}'")
        if login is None:
            return org.system_actor(found.id)
        user = org.user_by_login(s, org_code, login)
        if user is None or not user.active:
            raise NotFound(f"Không có tài khoản '{login}' trong tổ chức '{org_code}'")
        return org.actor_for(s, user)


def complete_task(db: Database, actor: Actor, task_id: str, data: dict[str, Any]) -> tasks.Completed:
    """Complete a task with its form data (and the check a process plug-in registered for the step, if any)."""
    with db.session() as s:
        return tasks.complete(s, actor, task_id, data)


def submit_task(db: Database, actor: Actor, task_id: str, submitted: Mapping[str, str],
                widgets: tasks.WidgetReader | None = None) -> tasks.TaskForm:
    """What the task page's submission does: read the submitted strings with the task's own form and complete
    the task (and the plug-in's check for the step, if any), in one transaction; returns the form it read.
    FormInvalid with every bad field; `widgets` reads a plug-in's widget fields into the data first."""
    with db.session() as s:
        return tasks.submit(s, actor, task_id, submitted, widgets)[0]


def start_duty(db: Database, actor: Actor, duty_id: str, lead_unit: str, period: str | None = None,
               again: bool = False, late: bool = False) -> instances.InstanceRow:
    """Start a duty of the actor's plan by hand: an on-event duty when its event happens (period = today's
    date, due after the registry's working days; `again` for a second event the same day), or a scheduled
    duty's period ahead of its window (one whose deadline has passed only with `late`)."""
    return instances.InstanceRow.of(schedule.start_duty(db, actor, duty_id, lead_unit, period, again, late))


def plan_year(db: Database, actor: Actor, year: int) -> dict[str, Any] | None:
    """The year of the actor's plan at a glance: every opening the schedule gives for `year` (by opening date),
    each with its instance if one exists, and the on-event duties. None when the Sở runs no plan."""
    with db.read() as s:
        plan = schedule.plan_for_org(s, actor.org_id)
        if plan is None:
            return None
        reg = plans.registry_of(plan)
        existing = {(i.duty_key, i.lead_unit_code, i.period): instances.InstanceRow.of(i) for i in s.scalars(
            select(ProcessInstance).options(defer(ProcessInstance.state))
            .where(ProcessInstance.org_id == actor.org_id))}
        rows = [{"opening": o, "duty": reg.duty(o.duty_id), "instance": existing.get((o.duty_id, o.unit, o.period)),
                 "status": ""} for o in schedule.preview(reg, year)]
        for row in rows:
            if row["instance"] is not None:
                row["status"] = row["instance"].deadline_state
        return {"registry": reg, "rows": rows, "year": year,
                "events": [d for d in reg.duties if not d.schedule.scheduled],
                "units": org.unit_names(s, actor.org_id)}


def organisation_name(db: Database, org_id: int) -> str:
    """The name of an organisation ('' if there is none)."""
    with db.read() as s:
        found = s.get(Organisation, org_id)
        return found.name if found else ""


@dataclass(frozen=True)
class StartChoices:
    """What the start page offers the actor: the deployed processes, the lead units they may start for (the
    policy's rule), the supporting units to choose from, the default year and the plan's duties."""

    definitions: list[DefinitionRow]
    lead_units: list[str]
    units: dict[str, str]  # code -> name, every unit of the organisation
    candidates: dict[str, str]  # code -> name, the working units (possible supporting units)
    year: int
    duties: list[dict[str, Any]]


def start_choices(db: Database, actor: Actor) -> StartChoices:
    """The start page's choices for the actor (engine.core.access decides the lead units)."""
    with db.read() as s:
        candidates = org.working_units(s, actor.org_id)
        units = org.unit_names(s, actor.org_id)
    return StartChoices(definitions(db), access.units_to_start_for(actor, candidates), units, candidates,
                        clock.today_local().year, startable_duties(db, actor))


def startable_duties(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """The plan's duties the actor may start by hand, on-event ones first: {duty, unit, periods} for each unit
    they lead, with the periods still open to start (a one-off long past is left out)."""
    reg = plan_of_org(db, actor.org_id)
    return schedule.startable(reg, actor, clock.today_local()) if reg else []


def plan_of_org(db: Database, org_id: int) -> registry.Registry | None:
    """The registry of the plan an organisation runs, if it was loaded from one."""
    with db.read() as s:
        plan = schedule.plan_for_org(s, org_id)
        return plans.registry_of(plan) if plan else None


# --- What process plug-ins add (engine.core.hooks): panels and exports ---------------------------------------------

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


def cancel_instance(db: Database, actor: Actor, instance_id: int, reason: str = "") -> instances.InstanceRow:
    """Cancel a running instance (administrators only; engine.core.access)."""
    with db.session() as s:
        cancelled = instances.cancel(s, actor, instance_id, reason)
        contributions.withdraw_open(s, instance_id)  # contributions sent back and not yet answered
        return instances.InstanceRow.of(cancelled)


def fire_due_timers(db: Database, now: datetime | None = None) -> int:
    """Fire the timers due at `now`: one transaction per instance (engine.runtime.worker)."""
    return worker.fire_due_timers(db, now)


def task_context(db: Database, actor: Actor, task_id: str) -> dict[str, Any]:
    """What a task page shows (the task, its version's form, earlier answers, the case data)."""
    with db.read() as s:
        return tasks.task_context(s, actor, task_id)


def task_form(db: Database, actor: Actor, task_id: str) -> tasks.TaskForm:
    """The form of a task, to read a submission with (one light query)."""
    with db.read_rows() as c:
        return tasks.task_form(c, actor, task_id)


def parse_form(schema: dict[str, Any], raw: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Submitted form strings -> (typed data, field errors in Vietnamese)."""
    return forms.parse_and_validate(schema, raw)


def my_work_items(db: Database, actor: Actor, include_closed: bool = False) -> list[worklist.WorklistRow]:
    """The actor's open work items (with their instances, without state documents), by deadline."""
    with db.read() as s:
        # (instances loaded by the same query; then the Trưởng phòng's steps delegated to the actor, if any)
        return worklist.my_work_items(s, actor, include_closed) + claims.delegated_items(s, actor)


def authenticate(db: Database, org_code: str, login: str, password: str) -> Actor | None:
    """The Actor for a login and password in an organisation, or None (the same work either way)."""
    with db.read() as s:
        user = org.authenticate(s, org_code, login, password)
        return org.actor_for(s, user) if user else None


def actor_for_login(db: Database, login: str, org_code: str) -> Actor | None:
    """The Actor of an active user of an organisation, by login, or None."""
    with db.read() as s:
        user = org.user_by_login(s, org_code, login)
        return org.actor_for(s, user) if user and user.active else None


def actor_for_user(db: Database, user_id: int) -> Actor | None:
    """The Actor of an active user, by id (every request asks it), or None."""
    with db.read_rows() as c:
        return org.active_actor(c, user_id)


def instance_view(db: Database, actor: Actor, instance_id: int) -> dict[str, Any]:
    """An instance's page, if the actor may see it: read models of the instance, its version, its steps and its
    history, with its data, the diagram's states and the unit names."""
    with db.read() as s:
        instance = instances.get(s, instance_id)
        if not worklist.can_see_instance(s, actor, instance):
            raise NotFound("Không tìm thấy hồ sơ quy trình")
        workflow = instances.load(instance)
        definition = instance.definition
        return {
            "instance": instances.InstanceRow.of(instance),
            "definition": _definition_row(s, definition),
            "items": worklist.instance_items(s, instance_id), "history": audit.history(s, instance_id),
            "data": dict(workflow.data if workflow.is_completed() else workflow.task_tree.data),
            "diagram_states": instances.diagram_states(workflow),
            "units": org.unit_names(s, instance.org_id),
        }


def instance_diagram(db: Database, actor: Actor, instance_id: int) -> dict[str, Any]:
    """The BPMN XML of the instance's process version and where the instance is: {"xml", "states"}, if the
    actor may see it."""
    with db.read() as s:
        instance = instances.get(s, instance_id)
        if not worklist.can_see_instance(s, actor, instance):
            raise NotFound("Không tìm thấy hồ sơ quy trình")
        xml = s.scalar(select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.id == instance.definition_id))
        return {"xml": xml, "states": instances.diagram_states(instances.load(instance))}


def list_instances(db: Database, actor: Actor | None = None) -> list[instances.InstanceRow]:
    """The instances the actor may see (every instance of the database for an operator's command, no actor)."""
    with db.read() as s:
        if actor is not None:
            return instances.visible_instances(s, actor)
        return [instances.InstanceRow.of(i) for i in instances.list_instances(s)]


def unit_names(db: Database, org_id: int) -> dict[str, str]:
    """Code -> name of every unit of an organisation."""
    with db.read() as s:
        return org.unit_names(s, org_id)


def working_units(db: Database, org_id: int) -> dict[str, str]:
    """Code -> name of the units that lead or support duties (not the leadership), in display order."""
    with db.read() as s:
        return org.working_units(s, org_id)


# --- Login sessions -------------------------------------------------------------------------------------------------

def end_sessions(db: Database, user_id: int) -> None:
    """Log the user out everywhere: the login sessions issued so far are no longer accepted."""
    with db.session() as s:
        org.end_sessions(s, user_id)


# --- Names, not codes (layout: people and units as the pages show them) ---------------------------------------

def people_names(db: Database, org_id: int) -> dict[str, str]:
    """Login -> full name of every user of an organisation, and "system" -> "Hệ thống" (histories, steps, "by")."""
    with db.read() as s:
        return org.people_names(s, org_id)


# --- Worklists: filtered, sorted, paged lists and saved filters (engine.runtime.list_pages, saved_filters) ---------

def work_list_page(db: Database, actor: Actor, list_name: str, args: Mapping[str, str]) -> list_pages.ListPage:
    """One page of Việc của tôi ("mine"), Việc của đơn vị ("unit") or Việc đã làm ("done"), filtered by the query
    string `args`, with the actor's saved filters of that list. Forbidden for a unit the actor is not of."""
    with db.read() as s:
        page = list_pages.work_page(s, actor, list_name, args)
        return replace(page, saved=tuple(saved_filters.saved_filters(s, actor, list_name)))


def instance_list_page(db: Database, actor: Actor, args: Mapping[str, str]) -> list_pages.ListPage:
    """One page of the instances the actor may see, filtered by the query string `args`, with their saved
    filters."""
    with db.read() as s:
        page = list_pages.instance_page(s, actor, args)
        return replace(page, saved=tuple(saved_filters.saved_filters(s, actor, list_pages.INSTANCES)))


def save_filter(db: Database, actor: Actor, list_name: str, name: str,
                args: Mapping[str, str]) -> saved_filters.SavedFilterRow:
    """Save the filter `args` of a list under a name (replacing one of that name)."""
    with db.session() as s:
        return saved_filters.save(s, actor, list_name, name, args)


def delete_filter(db: Database, actor: Actor, filter_id: int) -> saved_filters.SavedFilterRow:
    """Delete one of the actor's saved filters (NotFound for anyone else's)."""
    with db.session() as s:
        return saved_filters.remove(s, actor, filter_id)


# --- The unit's manager: claim, release, reassign, delegate, unit review --------------------------------------------

@dataclass(frozen=True)
class ManagerPanel:
    """The task page's claim panel: who has the step and what the actor may do with it, and the unit review
    (the held contribution on a Trưởng phòng's review item; a return's comment on the contribution)."""

    claim: claims.ClaimPanel
    review: unit_review.ReviewInfo | None
    may_review: bool  # the actor may approve or return the held contribution


def manager_panel(db: Database, actor: Actor, task_id: str) -> ManagerPanel:
    """The claim panel of a step the actor may see (NotFound otherwise)."""
    with db.read() as s:
        item = claims.visible(s, actor, task_id)
        panel = claims.panel(s, actor, item)
        review = unit_review.info(s, item)
        may_review = (review is not None and review.on_review_item and review.state == unit_review.PENDING
                      and panel.open and access.may_do_step(actor, item) and review.submitted_by_id != actor.user_id
                      and (item.assignee_id in (None, actor.user_id) or access.is_unit_head(actor, item)))
        return ManagerPanel(panel, review, may_review)


def claim_task(db: Database, actor: Actor, task_id: str) -> claims.Person:
    """Claim an open step of the actor's unit (a Trưởng phòng takes over one claimed by another)."""
    with db.session() as s:
        return claims.claim(s, actor, task_id)


def release_task(db: Database, actor: Actor, task_id: str) -> None:
    """Give a claimed step back to the unit (its claimant or the unit's Trưởng phòng)."""
    with db.session() as s:
        claims.release(s, actor, task_id)


def reassign_task(db: Database, actor: Actor, task_id: str, login: str) -> claims.Person:
    """The Trưởng phòng gives a step to a person of the unit with its role, or delegates one of their own."""
    with db.session() as s:
        return claims.reassign(s, actor, task_id, login)


def approve_contribution(db: Database, actor: Actor, review_task_id: str) -> str:
    """The Trưởng phòng approves a contribution held for review: it counts as submitted (its task id)."""
    with db.session() as s:
        return unit_review.approve(s, actor, review_task_id)


def return_contribution(db: Database, actor: Actor, review_task_id: str, comment: str) -> str:
    """The Trưởng phòng returns a held contribution with a comment to who submitted it (its task id)."""
    with db.session() as s:
        return unit_review.send_back(s, actor, review_task_id, comment)


def assignees(db: Database, actor: Actor, task_ids: list[str]) -> dict[str, str]:
    """task id -> claimant's full name, for lists of the actor's organisation's steps."""
    with db.read() as s:
        return claims.assignees(s, actor, task_ids)


# --- The task page: drafts, comments, attachments, what was submitted, contributions side by side, send back -------

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
