"""Who acts: logins, actors, sessions, names of people and units."""

from __future__ import annotations

from engine.core import org
from engine.core.db import Database
from engine.core.models import Organisation
from engine.core.org import Actor


def organisation_name(db: Database, org_id: int) -> str:
    """The name of an organisation ('' if there is none)."""
    with db.read() as s:
        found = s.get(Organisation, org_id)
        return found.name if found else ""


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


def unit_names(db: Database, org_id: int) -> dict[str, str]:
    """Code -> name of every unit of an organisation."""
    with db.read() as s:
        return org.unit_names(s, org_id)


def working_units(db: Database, org_id: int) -> dict[str, str]:
    """Code -> name of the units that lead or support duties (not the leadership), in display order."""
    with db.read() as s:
        return org.working_units(s, org_id)


def end_sessions(db: Database, user_id: int) -> None:
    """Log the user out everywhere: the login sessions issued so far are no longer accepted."""
    with db.session() as s:
        org.end_sessions(s, user_id)


def people_names(db: Database, org_id: int) -> dict[str, str]:
    """Login -> full name of every user of an organisation, and "system" -> "Hệ thống" (histories, steps, "by")."""
    with db.read() as s:
        return org.people_names(s, org_id)
