"""The unit's manager on the task page: claim, release, reassign (or delegate) a step, and the Trưởng phòng's
approval or return of a contribution held for review. Thin: engine.service decides; a refusal is shown on the
task page (flash) and changes nothing; what the actor may not see is a 404 (the app's NotFound handler)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import login_required

from engine import service
from engine.core.errors import EngineError, FormInvalid, NotFound

from .auth import actor
from .context import db

bp = Blueprint("claims", __name__)

# What the user is told (one place, for the later translation).
MESSAGES = {
    "claimed": "Bạn đã nhận xử lý công việc này.",
    "released": "Đã trả công việc về cho đơn vị.",
    "reassigned": "Đã giao công việc cho {name}.",
    "approved": "Đã duyệt kết quả của đơn vị; kết quả được gửi đơn vị chủ trì.",
    "returned": "Đã trả lại kết quả cho người thực hiện.",
}


def _back(task_id: str):
    return redirect(url_for("work.task", task_id=task_id)), 303


def _run(task_id: str, action, done: str, to_worklist: bool = False):
    """Run a service call; a refusal (not a 404) is flashed on the task page."""
    try:
        result = action()
    except NotFound:
        raise
    except FormInvalid as exc:
        flash("; ".join(exc.errors.values()), "error")
        return _back(task_id)
    except EngineError as exc:
        flash(str(exc), "error")
        return _back(task_id)
    flash(MESSAGES[done].format(name=getattr(result, "full_name", "")), "success")
    return (redirect(url_for("work.worklist")), 303) if to_worklist else _back(task_id)


@bp.route("/tasks/<task:task_id>/claim", methods=["POST"])
@login_required
def claim(task_id: str):
    return _run(task_id, lambda: service.claim_task(db(), actor(), task_id), "claimed")


@bp.route("/tasks/<task:task_id>/release", methods=["POST"])
@login_required
def release(task_id: str):
    return _run(task_id, lambda: service.release_task(db(), actor(), task_id), "released")


@bp.route("/tasks/<task:task_id>/reassign", methods=["POST"])
@login_required
def reassign(task_id: str):
    login = request.form.get("assignee", "")
    return _run(task_id, lambda: service.reassign_task(db(), actor(), task_id, login), "reassigned")


@bp.route("/tasks/<task:task_id>/approve", methods=["POST"])
@login_required
def approve(task_id: str):
    return _run(task_id, lambda: service.approve_contribution(db(), actor(), task_id), "approved", to_worklist=True)


@bp.route("/tasks/<task:task_id>/return", methods=["POST"])
@login_required
def send_back(task_id: str):
    comment = request.form.get("comment", "")
    return _run(task_id, lambda: service.return_contribution(db(), actor(), task_id, comment), "returned",
                to_worklist=True)
