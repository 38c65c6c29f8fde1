"""The plan page: the Sở's CCHC plan as a year schedule (what opens when, what is due, its state)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from engine import service
from engine.core import clock
from engine.planning import deadlines

from .auth import actor
from .context import db

bp = Blueprint("plans", __name__)


@bp.route("/plan")
@login_required
def year():
    requested = request.args.get("year", "")
    year = int(requested) if requested.isdigit() and 2000 <= int(requested) <= 2100 else clock.today_local().year
    view = service.plan_year(db(), actor(), year)
    if view is None:
        abort(404)
    return render_template("plan.html", v=view, due_phrase=deadlines.due_phrase,
                           recurrence_labels=deadlines.RECURRENCE_LABELS)
