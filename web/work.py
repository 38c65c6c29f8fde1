"""Việc của tôi (my work items), Việc của đơn vị, Việc đã làm, their saved filters, and the task page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine import service
from engine.core.errors import Conflict, EngineError, FormInvalid

from . import panels
from .auth import actor
from .context import db
from .lists import LIST_PAGES, render_list

bp = Blueprint("work", __name__)


@bp.route("/")
@login_required
def worklist():
    return render_list("mine", service.work_list_page(db(), actor(), "mine", request.args.to_dict()))


@bp.route("/unit-work")
@login_required
def unit_work():
    """Việc của đơn vị: the open items of the actor's units, whoever holds them (Forbidden for another unit)."""
    return render_list("unit", service.work_list_page(db(), actor(), "unit", request.args.to_dict()))


@bp.route("/done")
@login_required
def done():
    """Việc đã làm: the items the actor completed, newest first."""
    return render_list("done", service.work_list_page(db(), actor(), "done", request.args.to_dict()))


@bp.route("/filters", methods=["POST"])
@login_required
def save_filter():
    """Save the filter of a list under a name, then show the list with it."""
    form = request.form.to_dict()
    list_name = form.pop("list", "")
    if list_name not in LIST_PAGES:
        flash("Danh sách không hợp lệ.", "error")
        return redirect(url_for("work.worklist")), 303
    endpoint = LIST_PAGES[list_name][0]
    args = {k: v for k, v in form.items() if k not in ("csrf_token", "filter_name")}
    try:
        saved = service.save_filter(db(), actor(), list_name, form.get("filter_name", ""), args)
    except EngineError as exc:
        flash(str(exc), "error")
        return redirect(url_for(endpoint, **args)), 303
    flash(f"Đã lưu bộ lọc «{saved.name}».", "success")
    return redirect(url_for(endpoint, **saved.query)), 303


@bp.route("/filters/<id:filter_id>/delete", methods=["POST"])
@login_required
def delete_filter(filter_id: int):
    """Delete one of one's saved filters (404 for anyone else's, or one deleted already)."""
    removed = service.delete_filter(db(), actor(), filter_id)
    flash(f"Đã xóa bộ lọc «{removed.name}».", "success")
    return redirect(url_for(LIST_PAGES[removed.list_name][0])), 303


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
            done = service.submit_task_page(db(), actor(), task_id, request.form, widgets=_read_widgets,
                                            had_draft=request.form.get("had_draft") == "1",
                                            rework=request.form.get("rework") == "1")
        except FormInvalid as exc:
            errors = exc.errors
        except Conflict as exc:
            flash(str(exc), "error")
            return redirect(url_for("work.task", task_id=task_id)), 303
        else:
            flash(f"Đã gửi trưởng phòng duyệt: {done.name}" if done.held else f"Đã hoàn thành: {done.name}",
                  "success")
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
                           values=values, panel=panel, page=page, manager=service.manager_panel(db(), actor(), task_id),
                           widgets=panels.widget_fields(ctx["schema"], panel, ctx["prefill"], values, errors),
                           **ctx), (400 if request.method == "POST" else 200)
