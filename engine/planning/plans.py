"""Plans as tenants: loading a duty registry creates (or updates) its organisation, units and plan row."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import audit, clock, roles
from engine.core.errors import NotFound
from engine.core.models import Organisation, Plan, RoleGrant, Unit, User
from engine.core.passwords import generate_password_hash
from engine.planning import registry

DEMO_PASSWORD = "demo@2026"


@lru_cache(maxsize=32)
def _parse_cached(text: str, name: str) -> registry.Registry:
    return registry.parse(text, name)


def registry_of(plan: Plan) -> registry.Registry:
    """The validated registry stored with a plan row (parsed once per content)."""
    doc = json.loads(plan.registry_json)
    return _parse_cached(doc["text"], doc["file"])


def load_plan(session: Session, path: Path, *, demo_users: bool = False, active_from: datetime | None = None,
              actor: str = "system") -> Plan:
    """Validate the registry at `path` and load it as its own organisation; idempotent (reloading updates units
    and the plan's duties; existing instances are kept). `active_from` (default: now) is the earliest deadline
    the scheduler opens, so loading a plan mid-year does not create a backlog of already-late duties."""
    text = path.read_text(encoding="utf-8")
    reg = registry.parse(text, path.name)
    org = session.scalar(select(Organisation).where(Organisation.code == reg.org_code))
    if org is None:
        org = Organisation(code=reg.org_code, name=reg.org_name, province=reg.province)
        session.add(org)
    org.name, org.province = reg.org_name, reg.province
    org.focal_unit_code = reg.functions.get("cchc_focal")  # it sees the whole plan (engine.core.access)
    session.flush()
    existing = {u.code: u for u in session.scalars(select(Unit).where(Unit.org_id == org.id))}
    for order, u in enumerate(reg.units):
        unit = existing.get(u.code) or Unit(org_id=org.id, code=u.code)
        unit.name, unit.kind, unit.sort_order = u.name, u.kind, order
        session.add(unit)
    session.flush()
    now = clock.to_db(clock.now())
    plan = session.scalar(select(Plan).where(Plan.plan_key == reg.plan_id))
    sha = hashlib.sha256(text.encode()).hexdigest()
    if plan is None:
        plan = Plan(plan_key=reg.plan_id, org_id=org.id, active_from=clock.to_db(active_from or clock.now()),
                    loaded_at=now)
        session.add(plan)
    elif active_from is not None:
        plan.active_from = clock.to_db(active_from)
    changed = plan.sha256 != sha
    plan.org_id, plan.province, plan.title, plan.source_file = org.id, reg.province, reg.title, path.name
    plan.sha256, plan.registry_json, plan.loaded_at = sha, json.dumps({"file": path.name, "text": text}), now
    if demo_users:
        _add_demo_users(session, org, reg)
    session.flush()
    if changed:
        audit.record(session, "plan_loaded", actor, org_id=org.id,
                     summary=f"Nạp kế hoạch {reg.plan_id}: {len(reg.duties)} nhiệm vụ, {len(reg.units)} đơn vị")
    return plan


def demo_accounts(reg: registry.Registry) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(login, title, unit, grants) of a plan's demo accounts: the Giám đốc, an administrator, and
    a trưởng phòng and a chuyên viên per working unit."""
    leader = next(u for u in reg.units if u.kind == "leadership")
    rows = [("giamdoc", "Giám đốc Sở", leader.code, [(roles.APPROVER, leader.code)])]
    focal = reg.functions.get("cchc_focal") or next(u.code for u in reg.units if u.kind != "leadership")
    rows.append(("admin", "Quản trị hệ thống", focal, [(roles.ADMIN, focal), (roles.MODELLER, focal)]))
    for u in reg.units:
        if u.kind == "leadership":
            continue
        grants = [(roles.LEAD_UNIT, u.code), (roles.SUPPORTING_UNIT, u.code)]
        rows.append((f"{u.login}.truongphong", "Trưởng phòng" if u.kind == "department" else "Thủ trưởng đơn vị",
                     u.code, [*grants, (roles.UNIT_HEAD, u.code)]))
        rows.append((f"{u.login}.chuyenvien", "Chuyên viên", u.code, grants))
    return rows


def _add_demo_users(session: Session, org: Organisation, reg: registry.Registry) -> None:
    units = {u.code: u for u in session.scalars(select(Unit).where(Unit.org_id == org.id))}
    logins = set(session.scalars(select(User.login).where(User.org_id == org.id)))
    password_hash = generate_password_hash(DEMO_PASSWORD)  # one hash for all: hashing is slow on purpose
    for login, title, unit_code, grants in demo_accounts(reg):
        if login in logins:
            continue
        full_name = title if units[unit_code].kind == "leadership" else f"{title} {units[unit_code].name}"
        user = User(org_id=org.id, login=login, full_name=full_name, title=title, unit=units[unit_code],
                    password_hash=password_hash)
        user.grants.extend(RoleGrant(role=role, unit=units[code]) for role, code in grants)
        session.add(user)


def plans(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.plan_key)))


def get_plan(session: Session, plan_key: str) -> Plan:
    plan = session.scalar(select(Plan).where(Plan.plan_key == plan_key))
    if plan is None:
        known = ", ".join(p.plan_key for p in plans(session)) or "chưa có"
        raise NotFound(f"Không có kế hoạch '{plan_key}' (đã nạp: {known})")
    return plan
