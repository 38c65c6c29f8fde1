"""Setting up: the schema, the demo, plans, the scheduler, deployed processes and operators' reads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from engine.core import config, org
from engine.core.db import Database
from engine.core.errors import NotFound, ValidationFailed
from engine.core.models import Organisation, ProcessDefinition, User
from engine.core.org import Actor
from engine.planning import plans, registry, schedule
from engine.runtime import (
    deploy,
    worker,
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
        return definition_row(s, definition), created


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
        return [definition_row(s, d) for d in latest.values()]


def definition_row(session, definition: ProcessDefinition) -> DefinitionRow:
    return DefinitionRow(definition.id, definition.process_key, definition.version, definition.name,
                         definition.sha256, definitions_of(session, definition).meta)


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


def fire_due_timers(db: Database, now: datetime | None = None) -> int:
    """Fire the timers due at `now`: one transaction per instance (engine.runtime.worker)."""
    return worker.fire_due_timers(db, now)
