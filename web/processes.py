"""Process instances: start one, list them, see one with its steps and history (and what a process plug-in adds:
its panel, its exports), cancel."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required

from engine import service
from engine.core.errors import AlreadyStarted, EngineError, LateStart

from . import panels
from .auth import actor
from .context import db
from .lists import render_list
from .security import attachment

bp = Blueprint("processes", __name__)

# bpmn-js, copied here from the npm registry by `make vendor` (not committed; see package.json).
DIAGRAM_VIEWER = "vendor/bpmn-navigated-viewer.production.min.js"


@bp.route("/instances")
@login_required
def instances():
    return render_list("instances", service.instance_list_page(db(), actor(), request.args.to_dict()))


@bp.route("/instances/<id:instance_id>")
@login_required
def instance(instance_id: int):
    view = service.instance_view(db(), actor(), instance_id)
    viewer_installed = Path(current_app.static_folder, DIAGRAM_VIEWER).is_file()
    return render_template("instance.html", **view, diagram_viewer=DIAGRAM_VIEWER if viewer_installed else None,
                           panel=panels.instance_panel(actor(), view["instance"]),
                           exports=service.instance_exports(view["instance"]),
                           extras=service.instance_extras(db(), actor(), instance_id))


@bp.route("/instances/<id:instance_id>/exports/<name>")
@login_required
def export(instance_id: int, name: str):
    """A download a process plug-in offers for its instances (listed on the instance page)."""
    found = service.export_instance(db(), actor(), instance_id, name)  # NotFound (404) unless one may have it
    return attachment(found.content, found.content_type, found.filename)


@bp.route("/instances/<id:instance_id>/diagram.json")
@login_required
def diagram(instance_id: int):
    """The BPMN XML of the instance's process version and where the instance is: {"xml", "states"}."""
    view = service.instance_diagram(db(), actor(), instance_id)  # NotFound (404) for whoever may not see it
    response = jsonify(xml=view["xml"], states=view["states"])
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/instances/<id:instance_id>/cancel", methods=["POST"])
@login_required
def cancel(instance_id: int):
    service.cancel_instance(db(), actor(), instance_id, request.form.get("reason", ""))
    flash("Đã hủy quy trình.", "success")
    return redirect(url_for("processes.instance", instance_id=instance_id)), 303


@bp.route("/start", methods=["GET", "POST"])
@login_required
def start():
    """A lead unit starts a duty for a period (the scheduler will do this by itself later)."""
    form = {"due_date": ""}
    chosen = None  # first visit: every candidate unit ticked
    if request.method == "POST":
        form.update(request.form.to_dict())
        chosen = request.form.getlist("supporting_units")
        try:
            inst = service.start_process(db(), actor(), form.get("process_key", ""),
                                         lead_unit=form.get("lead_unit", ""), period=form.get("period", ""),
                                         supporting_units=chosen,
                                         due_text=form.get("due_date"), late=form.get("late") == "1")
        except EngineError as exc:
            return _start_page(form, chosen, exc)
        flash(f"Đã khởi tạo: {inst.title}", "success")
        return redirect(url_for("processes.instance", instance_id=inst.id)), 303
    return _start_page(form, chosen, None)


def _start_page(form: dict, chosen: list[str] | None, error: EngineError | None):
    """The start page, with the refusal of a start (and the instance it names, and whether a late start may be
    confirmed) if there was one."""
    choices = service.start_choices(db(), actor())
    form = {"process_key": choices.definitions[0].process_key if choices.definitions else "",
            "period": str(choices.year), "lead_unit": choices.lead_units[0] if choices.lead_units else "", **form}
    return render_template("start.html", definitions=choices.definitions, lead_units=choices.lead_units,
                           units=choices.units, candidates=choices.candidates, form=form,
                           chosen=list(choices.candidates) if chosen is None else chosen,
                           error=str(error) if error else None, duties=choices.duties,
                           existing_id=getattr(error, "instance_id", None),
                           late_refused=isinstance(error, LateStart)), (400 if error else 200)


@bp.route("/start/duty", methods=["POST"])
@login_required
def start_duty():
    """Start a duty of the plan: an on-event duty today, or a scheduled duty's period ahead of its window."""
    form = request.form
    try:
        inst = service.start_duty(db(), actor(), form.get("duty_id", ""), form.get("lead_unit", ""),
                                  form.get("period") or None, again=form.get("again") == "1",
                                  late=form.get("late") == "1")
    except (AlreadyStarted, LateStart) as exc:  # shown on the page: a link to the instance, or the late start box
        return _start_page({"duty_id": form.get("duty_id", ""), "duty_unit": form.get("lead_unit", ""),
                            "duty_period": form.get("period", "")}, None, exc)
    except EngineError as exc:
        flash(str(exc), "error")
        return redirect(url_for("processes.start")), 303
    flash(f"Đã khởi tạo: {inst.title}", "success")
    return redirect(url_for("processes.instance", instance_id=inst.id)), 303
