"""Organisations, units, users and role grants (plans load their organisations: engine.planning.plans)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from engine.core import roles
from engine.core.errors import EngineError
from engine.core.models import Organisation, RoleGrant, Unit, User
from engine.core.passwords import check_password_hash, generate_password_hash


@dataclass(frozen=True)
class Actor:
    """Who is acting: what the service needs to authorise a call, without ORM objects."""

    user_id: int
    login: str
    full_name: str
    org_id: int
    unit_code: str
    grants: frozenset[tuple[str, str]]  # (role, unit code)
    session_version: int = 0  # the user's session version when this was read (web sessions carry it)

    def holds(self, role: str, unit_code: str) -> bool:
        return (role, unit_code) in self.grants

    def has_role(self, role: str) -> bool:
        return any(r == role for r, _ in self.grants)

    @property
    def unit_codes(self) -> set[str]:
        return {u for _, u in self.grants} | {self.unit_code}

    @property
    def is_system(self) -> bool:
        """The scheduler and timer worker act as the system user (id 0) of an organisation."""
        return self.user_id == 0


def system_actor(org_id: int) -> Actor:
    """The system acting for one organisation (scheduler, CLI jobs)."""
    return Actor(0, "system", "Hệ thống", org_id, "", frozenset())


_user, _grant = User.__table__, RoleGrant.__table__
_own_unit, _grant_unit = Unit.__table__.alias("own_unit"), Unit.__table__.alias("grant_unit")
# Built once, on the tables (Core): it runs on every request, and building the statement cost more than running it.
_ACTIVE_ACTOR = (
    select(_user.c.id, _user.c.login, _user.c.full_name, _user.c.org_id, _user.c.session_version, _own_unit.c.code,
           _grant.c.role, _grant_unit.c.code)
    .join(_own_unit, _own_unit.c.id == _user.c.unit_id)
    .outerjoin(_grant, _grant.c.user_id == _user.c.id).outerjoin(_grant_unit, _grant_unit.c.id == _grant.c.unit_id)
    .where(_user.c.id == bindparam("user_id"), _user.c.active.is_(True)))


def active_actor(session: Session | Connection, user_id: int) -> Actor | None:
    """The Actor of an active user, read in one query (the user, their unit and every grant with its unit):
    it is asked on every request."""
    rows = session.execute(_ACTIVE_ACTOR, {"user_id": user_id}).all()
    if not rows:
        return None
    first = rows[0]
    grants = frozenset((r[6], r[7]) for r in rows if r[6] is not None)
    return Actor(first[0], first[1], first[2], first[3], first[5], grants, first[4])


def actor_for(session: Session, user: User) -> Actor:
    grants = frozenset((g.role, g.unit.code) for g in user.grants)
    return Actor(user.id, user.login, user.full_name, user.org_id, user.unit.code, grants, user.session_version)


@cache
def _dummy_hash() -> str:
    """A hash of a random password made like real ones (same method and cost), once per process."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(session: Session, org_code: str, login: str, password: str) -> User | None:
    """The active user of organisation `org_code` with this login and password, else None.

    An unknown organisation or login, or an inactive user, is checked against a dummy hash all the same: the
    hash check is what takes time, so a refusal takes as long whichever part was wrong."""
    user = session.scalar(select(User).join(Organisation, User.org_id == Organisation.id).where(
        Organisation.code == org_code, User.login == login.strip().lower()))
    if user is None or not user.active:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user


def end_sessions(session: Session, user_id: int) -> None:
    """Invalidate every login session of the user issued so far (the version they carry no longer matches)."""
    session.execute(update(User).where(User.id == user_id).values(session_version=User.session_version + 1))


def unit_by_code(session: Session, org_id: int, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.org_id == org_id, Unit.code == code))


def unit_names(session: Session, org_id: int) -> dict[str, str]:
    return {u.code: u.name for u in session.scalars(select(Unit).where(Unit.org_id == org_id))}


def unit_name(session: Session, org_id: int, code: str) -> str:
    """The name of a unit of the organisation (its code if there is no such unit)."""
    return session.scalar(select(Unit.name).where(Unit.org_id == org_id, Unit.code == code)) or code


SYSTEM_LOGIN = "system"  # the actor of what the engine does by itself (timers, deployments, plan loads)
SYSTEM_NAME = "Hệ thống"


def people_names(session: Session, org_id: int) -> dict[str, str]:
    """Login -> full name of every user of the organisation (inactive ones too: they still appear in histories),
    and the engine's own actor."""
    names = {login: name for login, name in session.execute(
        select(User.login, User.full_name).where(User.org_id == org_id))}
    names.setdefault(SYSTEM_LOGIN, SYSTEM_NAME)
    return names


def person_name(session: Session, org_id: int, login: str) -> str:
    """The full name of a user of the organisation by login (the login itself if there is no such user)."""
    if login == SYSTEM_LOGIN:
        return SYSTEM_NAME
    return session.scalar(select(User.full_name).where(User.org_id == org_id, User.login == login)) or login


def working_units(session: Session, org_id: int) -> dict[str, str]:
    """Units that can lead or support a duty (the leadership unit approves instead), in display order."""
    rows = session.scalars(select(Unit).where(Unit.org_id == org_id, Unit.kind != "leadership")
                           .order_by(Unit.sort_order, Unit.code))
    return {u.code: u.name for u in rows}


def add_user(session: Session, org: Organisation, login: str, full_name: str, unit_code: str, password: str,
             grants: list[tuple[str, str]], title: str = "", email: str = "") -> User:
    """Create a user with a hashed password and (role, unit code) grants."""
    unit = unit_by_code(session, org.id, unit_code)
    if unit is None:
        raise EngineError(f"Không có đơn vị '{unit_code}'")
    user = User(org_id=org.id, login=login.lower(), full_name=full_name, unit=unit, title=title, email=email,
                password_hash=generate_password_hash(password))
    for role, code in grants:
        if role not in roles.ALL_ROLES:
            raise EngineError(f"Vai trò không hợp lệ '{role}'")
        grant_unit = unit_by_code(session, org.id, code)
        if grant_unit is None:
            raise EngineError(f"Không có đơn vị '{code}'")
        user.grants.append(RoleGrant(role=role, unit=grant_unit))
    session.add(user)
    return user


def organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.id)))


def user_by_login(session: Session, org_code: str, login: str) -> User | None:
    return session.scalar(select(User).join(Organisation, User.org_id == Organisation.id).where(
        Organisation.code == org_code, User.login == login))
