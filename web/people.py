"""People by full name on every page: the `person` filter turns a login (an actor of the history, who completed a
step, who uploaded a document) into the person's full name."""

from __future__ import annotations

from flask import Flask, g
from flask_login import current_user

from engine import service

from .context import db


def person(login: str | None) -> str:
    """The full name of a user of the signed-in actor's organisation ('' for none; the login if there is no such
    user). The organisation's names are read once per request, on the first name a page shows."""
    if not login:
        return ""
    names = g.get("cchc_people")
    if names is None:
        names = g.cchc_people = (service.people_names(db(), current_user.actor.org_id)
                                 if current_user.is_authenticated else {})
    return names.get(login, login)


def register(app: Flask) -> None:
    """Make `|person` available to the templates."""
    app.add_template_filter(person)
