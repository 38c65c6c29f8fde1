"""Log in / log out with flask-login; the session user is an engine Actor."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import UserMixin, current_user, login_required, login_user, logout_user

from engine import service
from engine.org import Actor

bp = Blueprint("auth", __name__)


class WebUser(UserMixin):
    def __init__(self, actor: Actor):
        self.actor = actor

    def get_id(self) -> str:
        return self.actor.login


def load_user(db, login: str):
    actor = service.actor_for_login(db, login)
    return WebUser(actor) if actor else None


def actor() -> Actor:
    return current_user.actor


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        db = current_app.extensions["cchc_db"]
        found = service.authenticate(db, request.form.get("login", ""), request.form.get("password", ""))
        if found is None:
            flash("Sai tên đăng nhập hoặc mật khẩu.", "error")
            return render_template("login.html", login=request.form.get("login", "")), 401
        login_user(WebUser(found))
        target = request.args.get("next", "")
        # Only local paths: an open redirect would let a phishing link bounce through our login page.
        if not target.startswith("/") or target.startswith("//"):
            target = url_for("work.worklist")
        return redirect(target)
    return render_template("login.html", login="")


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
