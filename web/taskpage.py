"""The task page's own actions: save a draft, attach a file (and download one), comment on the instance, send one
unit's contribution back. Thin: engine.service decides and records every one of them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import login_required

from engine import service
from engine.core.errors import EngineError, Forbidden, NotFound

from .auth import actor
from .context import db
from .security import attachment

bp = Blueprint("taskpage", __name__)
REFUSALS = (NotFound, Forbidden)


def _back_to(task_id: str):
    return redirect(url_for("work.task", task_id=task_id)), 303


@bp.route("/tasks/<task:task_id>/draft", methods=["POST"])
@login_required
def save_draft(task_id: str):
    """"Lưu nháp": the typed strings, kept for whoever of the unit opens the task next."""
    try:
        service.save_draft(db(), actor(), task_id, request.form)
    except REFUSALS:
        raise  # the app's handlers answer them (404, 403)
    except EngineError as exc:  # bad input, a step already done: said on the page
        flash(str(exc), "error")
    else:
        flash("Đã lưu nháp.", "success")
    return _back_to(task_id)


@bp.route("/tasks/<task:task_id>/attachments", methods=["POST"])
@login_required
def attach(task_id: str):
    upload = request.files.get("file")
    try:
        row = service.attach_file(db(), actor(), task_id, upload.filename if upload else "",
                                  upload.read() if upload else b"")
    except REFUSALS:
        raise
    except EngineError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Đã đính kèm tệp «{row.filename}».", "success")
    return _back_to(task_id)


@bp.route("/attachments/<id:attachment_id>")
@login_required
def download(attachment_id: int):
    found = service.attachment_download(db(), actor(), attachment_id)  # NotFound (404) unless one may see it
    return attachment(found.content, found.content_type, found.filename)


@bp.route("/instances/<id:instance_id>/comments", methods=["POST"])
@login_required
def comment(instance_id: int):
    task_id = request.form.get("task_id") or None
    try:
        service.add_comment(db(), actor(), instance_id, request.form.get("body", ""), task_id)
    except REFUSALS:
        raise
    except EngineError as exc:
        flash(str(exc), "error")
    else:
        flash("Đã gửi ý kiến.", "success")
    if task_id:
        return _back_to(task_id)
    return redirect(url_for("processes.instance", instance_id=instance_id) + "#comments"), 303


@bp.route("/tasks/<task:task_id>/send-back", methods=["POST"])
@login_required
def send_back(task_id: str):
    """The lead returns one supporting unit's contribution for revision, with a comment."""
    try:
        rework = service.send_back_contribution(db(), actor(), task_id, request.form.get("unit", ""),
                                                request.form.get("comment", ""))
    except REFUSALS:
        raise
    except EngineError as exc:
        flash(str(exc), "error")
    else:
        names = service.unit_names(db(), actor().org_id)
        flash(f"Đã trả lại kết quả của {names.get(rework.unit_code, rework.unit_code)} để chỉnh sửa.", "success")
    return _back_to(task_id)
