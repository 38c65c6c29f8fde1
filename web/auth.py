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
        return str(self.actor.user_id)


def load_user(db, user_id: str):
    actor = service.actor_for_user(db, int(user_id)) if user_id.isdigit() else None
    return WebUser(actor) if actor else None


def actor() -> Actor:
    return current_user.actor


ORG_COOKIE = "cchc_org"


@bp.route("/login", methods=["GET", "POST"])
def login():
    db = current_app.extensions["cchc_db"]
    orgs = service.organisations(db)
    chosen = request.form.get("org") or request.cookies.get(ORG_COOKIE) or (orgs[0][0] if orgs else "")
    if request.method == "POST":
        found = service.authenticate(db, chosen, request.form.get("login", ""), request.form.get("password", ""))
        if found is None:
            flash("Sai đơn vị, tên đăng nhập hoặc mật khẩu.", "error")
            return render_template("login.html", login=request.form.get("login", ""), orgs=orgs, chosen=chosen), 401
        login_user(WebUser(found))
        target = request.args.get("next", "")
        # Only local paths: an open redirect would let a phishing link bounce through our login page.
        if not target.startswith("/") or target.startswith("//"):
            target = url_for("work.worklist")
        response = redirect(target)
        # Remember the Sở for the next login (not a secret: it only preselects the list).
        response.set_cookie(ORG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response
    return render_template("login.html", login="", orgs=orgs, chosen=chosen)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
