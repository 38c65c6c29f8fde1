"""Starting, doing and seeing cases: instances, tasks, the start page, the plan's year."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from engine.core import access, audit, clock, org
from engine.core.db import Database
from engine.core.errors import AlreadyStarted, NotFound
from engine.core.models import ProcessDefinition, ProcessInstance
from engine.core.org import Actor
from engine.planning import plans, registry, schedule
from engine.runtime import (
    claims,
    contributions,
    forms,
    instances,
    manual_start,
    start_rules,
    tasks,
    worklist,
)
from engine.service.admin import DefinitionRow, definition_row, definitions


def start_instance(db: Database, actor: Actor, process_key: str, **kwargs: Any) -> instances.InstanceRow:
    """Start the latest version of a process for a unit and period (instances.start_instance)."""
    with _linking_a_race(db):
        with db.session() as s:
            return instances.InstanceRow.of(instances.start_instance(s, actor, process_key, **kwargs))


def start_process(db: Database, actor: Actor, process_key: str, *, lead_unit: str, period: str,
                  supporting_units: list[str] | None = None, due_text: str | None = None,
                  data: dict[str, Any] | None = None, late: bool = False) -> instances.InstanceRow:
    """Start a process by hand for a unit and a year (the start page and `cchc start`): the period must be a
    year of the plan, the deadline dd/mm/yyyy or empty, supporting units working units of the organisation; a
    deadline already past needs `late` (LateStart otherwise), a second instance is AlreadyStarted."""
    with _linking_a_race(db):
        with db.session() as s:
            return instances.InstanceRow.of(manual_start.start(s, actor, process_key, lead_unit, period,
                                                               supporting_units or [], due_text, data, late))


@contextmanager
def _linking_a_race(db: Database):
    """A start that lost a race to another request's start of the same duty, unit and period learns the winner's
    instance only after its transaction has rolled back: read it then, so the refusal links to it as any other."""
    try:
        yield
    except AlreadyStarted as exc:
        if exc.instance_id is not None or exc.key is None:
            raise
        with db.read() as s:
            start_rules.check_not_started(s, *exc.key)  # raises the usual refusal, with the instance
        raise


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
    with _linking_a_race(db):
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


def cancel_instance(db: Database, actor: Actor, instance_id: int, reason: str = "") -> instances.InstanceRow:
    """Cancel a running instance (administrators only; engine.core.access)."""
    with db.session() as s:
        cancelled = instances.cancel(s, actor, instance_id, reason)
        contributions.withdraw_open(s, instance_id)  # contributions sent back and not yet answered
        return instances.InstanceRow.of(cancelled)


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
            "definition": definition_row(s, definition),
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
