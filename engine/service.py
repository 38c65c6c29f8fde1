"""The engine's façade: web views, CLI commands and test steps call these functions only.

Each function is one transaction; errors are engine.errors exceptions with messages fit for users.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from . import audit, deploy, forms, instances, org, tasks, worker, worklist
from .db import Database
from .errors import NotFound, ValidationFailed
from .models import ProcessDefinition, ProcessInstance, User, WorkItem
from .org import Actor

PROCESSES_DIR = Path(__file__).resolve().parent.parent / "processes"


def init_db(db: Database) -> None:
    """Create or upgrade the schema (Alembic migrations in engine/migrations)."""
    db.migrate()


def load_demo(db: Database) -> None:
    """Demo organisation and every process in processes/ deployed."""
    with db.session() as s:
        org.load_demo(s)
    deploy_all(db)


def deploy_file(db: Database, path: Path, actor: str = "system") -> tuple[ProcessDefinition, bool]:
    with db.session() as s:
        return deploy.deploy(s, path.read_bytes(), path.name, actor)


def deploy_all(db: Database, directory: Path = PROCESSES_DIR, actor: str = "system"):
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


def definitions(db: Database) -> list[ProcessDefinition]:
    with db.session() as s:
        rows = list(s.scalars(select(ProcessDefinition).order_by(ProcessDefinition.process_key,
                                                                 ProcessDefinition.version.desc())))
    latest: dict[str, ProcessDefinition] = {}
    for row in rows:
        latest.setdefault(row.process_key, row)
    return list(latest.values())


def start_instance(db: Database, actor: Actor, process_key: str, **kwargs: Any) -> ProcessInstance:
    with db.session() as s:
        return instances.start_instance(s, actor, process_key, **kwargs)


def complete_task(db: Database, actor: Actor, task_id: str, data: dict[str, Any]) -> WorkItem:
    with db.session() as s:
        return tasks.complete(s, actor, task_id, data)


def cancel_instance(db: Database, actor: Actor, instance_id: int, reason: str = "") -> ProcessInstance:
    with db.session() as s:
        return instances.cancel(s, actor, instance_id, reason)


def fire_due_timers(db: Database, now: datetime | None = None) -> int:
    return worker.fire_due_timers(db, now)


def task_context(db: Database, actor: Actor, task_id: str) -> dict[str, Any]:
    with db.session() as s:
        return tasks.task_context(s, actor, task_id)


def parse_form(schema: dict[str, Any], raw: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Submitted form strings -> (typed data, field errors in Vietnamese)."""
    return forms.parse_and_validate(schema, raw)


def my_work_items(db: Database, actor: Actor, include_closed: bool = False) -> list[WorkItem]:
    with db.session() as s:
        return worklist.my_work_items(s, actor, include_closed)  # instances loaded by the same query


def authenticate(db: Database, login: str, password: str) -> Actor | None:
    with db.session() as s:
        user = org.authenticate(s, login, password)
        return org.actor_for(s, user) if user else None


def actor_for_login(db: Database, login: str) -> Actor | None:
    with db.session() as s:
        user = s.scalar(select(User).where(User.login == login))
        return org.actor_for(s, user) if user and user.active else None


def instance_view(db: Database, actor: Actor, instance_id: int) -> dict[str, Any]:
    """An instance with its work items and history, if the actor may see it."""
    with db.session() as s:
        instance = instances.get(s, instance_id)
        if not worklist.can_see_instance(s, actor, instance):
            raise NotFound("Không tìm thấy hồ sơ quy trình")
        workflow = instances.load(instance)
        return {
            "instance": instance, "definition": instance.definition,
            "items": worklist.instance_items(s, instance_id), "history": audit.history(s, instance_id),
            "data": dict(workflow.data if workflow.is_completed() else workflow.task_tree.data),
            "diagram_states": instances.diagram_states(workflow),
            "units": org.unit_names(s, instance.org_id),
        }


def list_instances(db: Database, actor: Actor | None = None) -> list[ProcessInstance]:
    with db.session() as s:
        rows = instances.list_instances(s, actor.org_id if actor else None)
        if actor is not None:
            rows = [r for r in rows if worklist.can_see_instance(s, actor, r)]
        return rows


def unit_names(db: Database, org_id: int) -> dict[str, str]:
    with db.session() as s:
        return org.unit_names(s, org_id)


def working_units(db: Database, org_id: int) -> dict[str, str]:
    with db.session() as s:
        return org.working_units(s, org_id)
