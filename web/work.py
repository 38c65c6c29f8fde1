"""Việc của tôi (my work items) and the task page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine import service
from engine.core.errors import Conflict, FormInvalid

from . import panels
from .auth import actor
from .context import db

bp = Blueprint("work", __name__)


@bp.route("/")
@login_required
def worklist():
    items = service.my_work_items(db(), actor())
    return render_template("worklist.html", items=items, units=service.unit_names(db(), actor().org_id))


def _read_widgets(form, data, errors):
    """A plug-in's widget fields of the submitted form, on the steps whose form has its panel."""
    if not panels.has_widgets(form.schema):
        return data, errors
    return panels.read_widgets(form.schema, request.form, data, errors, panels.task_panel(actor(), form))


@bp.route("/tasks/<task:task_id>", methods=["GET", "POST"])
@login_required
def task(task_id: str):
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            name = service.submit_task_page(db(), actor(), task_id, request.form, widgets=_read_widgets,
                                            had_draft=request.form.get("had_draft") == "1",
                                            rework=request.form.get("rework") == "1")
        except FormInvalid as exc:
            errors = exc.errors
        except Conflict as exc:
            flash(str(exc), "error")
            return redirect(url_for("work.task", task_id=task_id)), 303
        else:
            flash(f"Đã hoàn thành: {name}", "success")
            return redirect(url_for("work.worklist")), 303
        flash("Vui lòng kiểm tra lại các trường được đánh dấu.", "error")
    ctx = service.task_context(db(), actor(), task_id)
    page = service.task_page(db(), actor(), task_id)
    if page.draft is not None and request.method == "GET":
        values = dict(page.draft.values)  # the draft is resumed as it was typed
    shown_apart = {table.key for table in page.contributions}  # drawn side by side, not again as case data
    ctx["context_rows"] = [row for row in ctx["context_rows"] if row[0] not in shown_apart]
    if page.rework is not None:
        ctx["prefill"] = page.previous  # a contribution sent back opens with what the unit sent
    panel = panels.task_panel(actor(), ctx["form"])
    ctx["context_rows"] = panels.without_shown(ctx["context_rows"], panel)
    return render_template("task.html", units=service.unit_names(db(), actor().org_id), errors=errors,
                           values=values, panel=panel, page=page,
                           widgets=panels.widget_fields(ctx["schema"], panel, ctx["prefill"], values, errors),
                           **ctx), (400 if request.method == "POST" else 200)
