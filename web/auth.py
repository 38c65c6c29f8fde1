"""Log in / log out with flask-login; the session user is an engine Actor.

A session names the user and the user's session version ("<user id>:<version>"); logging out raises the version,
so a copy of the session cookie taken before no longer opens anything. Failed logins are throttled per login
(organisation + login name) and per client address with flask-limiter (see init_throttle)."""

from __future__ import annotations

import math
import re
import time
from datetime import datetime

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import UserMixin, current_user, login_required, login_user, logout_user

from engine import service
from engine.core import clock
from engine.core.config import LIMITS_PER_ADDRESS, LIMITS_PER_LOGIN
from engine.core.org import Actor

from . import context
from .security import MAX_DB_ID, safe_next

bp = Blueprint("auth", __name__)


class WebUser(UserMixin):
    """The logged-in person as flask-login sees them: the engine Actor and the session version it was read at."""

    def __init__(self, actor: Actor):
        self.actor = actor

    def get_id(self) -> str:
        """What the session cookie keeps: "<user id>:<session version>"."""
        return f"{self.actor.user_id}:{self.actor.session_version}"


_SESSION_ID = re.compile(r"([0-9]{1,19}):([0-9]{1,19})")


def load_user(db, session_id: str):
    """The user of a session, if the user is still active and the session's version is the user's current one
    (a session from before a logout, or of the old "<user id>" form, is refused: log in again)."""
    match = _SESSION_ID.fullmatch(session_id or "")
    if match is None or int(match[1]) > MAX_DB_ID:
        return None
    actor = service.actor_for_user(db, int(match[1]))
    if actor is None or actor.session_version != int(match[2]):
        return None
    return WebUser(actor)


def actor() -> Actor:
    """The Actor of the logged-in user of this request."""
    return current_user.actor


ORG_COOKIE = "cchc_org"

# --------------------------------------------------------------------------------------------------------------
# Throttling failed logins



def _login_key() -> str:
    """Who is being tried: the organisation and the login name as authenticate() reads them."""
    org = request.form.get("org", "")[:40]
    name = request.form.get("login", "").strip().lower()[:80]
    return f"login:{org}:{name}"


def _failed(response) -> bool:
    """Only refused passwords count: a successful login, a CSRF error or a GET costs nothing."""
    return response.status_code == 401


def init_throttle(app: Flask) -> Limiter:
    """Throttle POST /login of this app; the limiter is app.extensions["cchc_limiter"] (reset() it in tests).

    Config (create_app sets it from the settings, CCHC_RATELIMIT_STORAGE_URI and CCHC_LOGIN_LIMITS_…):
    RATELIMIT_ENABLED (False turns it off), RATELIMIT_STORAGE_URI (default memory://, one count per process;
    redis://… or memcached://… so that several web processes share one count), CCHC_LOGIN_LIMITS_PER_LOGIN and
    CCHC_LOGIN_LIMITS_PER_ADDRESS (flask-limiter limit strings). Behind a reverse proxy the client address is the
    proxy's unless the app is wrapped in werkzeug's ProxyFix (CCHC_PROXY_HOPS)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter = Limiter(key_func=get_remote_address, app=app)

    def per_login() -> str:
        return current_app.config.get("CCHC_LOGIN_LIMITS_PER_LOGIN", LIMITS_PER_LOGIN)

    def per_address() -> str:
        return current_app.config.get("CCHC_LOGIN_LIMITS_PER_ADDRESS", LIMITS_PER_ADDRESS)

    view = app.view_functions["auth.login"]
    view = limiter.limit(per_login, key_func=_login_key, methods=["POST"], deduct_when=_failed)(view)
    view = limiter.limit(per_address, methods=["POST"], deduct_when=_failed)(view)  # key: the client address
    app.view_functions["auth.login"] = view
    app.extensions["cchc_limiter"] = limiter
    app.register_error_handler(RateLimitExceeded, _too_many_attempts)
    return limiter


def _wait_phrase(seconds: int) -> str:
    """45 -> '45 giây', 130 -> '3 phút' (rounded up: trying earlier is refused again)."""
    return f"{seconds} giây" if seconds < 60 else f"{math.ceil(seconds / 60)} phút"


def _too_many_attempts(exc: RateLimitExceeded):
    """429 in Vietnamese with when to try again (also as Retry-After); the lock-out ends when the longest
    breached window does."""
    limiter: Limiter = current_app.extensions["cchc_limiter"]
    now = time.time()
    breached = [lim.reset_at for lim in limiter.current_limits if lim.breached]
    reset_at = max(breached) if breached else now + 60
    wait = max(1, math.ceil(reset_at - now))
    at = datetime.fromtimestamp(now + wait, clock.VN_TZ).strftime("%H:%M")
    message = (f"Đăng nhập sai quá nhiều lần nên tạm thời bị khóa. Vui lòng thử lại sau {_wait_phrase(wait)} "
               f"(sau {at}).")
    response = current_app.make_response((render_template(
        "error.html", code=429, title="Tạm khóa đăng nhập", message=message), 429))
    response.headers["Retry-After"] = str(wait)
    return response


# --------------------------------------------------------------------------------------------------------------
# The views


@bp.route("/login", methods=["GET", "POST"])
def login():
    db = context.db()
    orgs = service.organisations(db)
    codes = {code for code, _ in orgs}
    remembered = request.cookies.get(ORG_COOKIE, "")
    default = remembered if remembered in codes else (orgs[0][0] if orgs else "")
    chosen = request.form.get("org") or default
    if request.method == "POST":
        found = service.authenticate(db, chosen, request.form.get("login", ""), request.form.get("password", ""))
        if found is None:
            flash("Sai đơn vị, tên đăng nhập hoặc mật khẩu.", "error")
            return render_template("login.html", login=request.form.get("login", ""), orgs=orgs,
                                   chosen=chosen if chosen in codes else default), 401
        login_user(WebUser(found))
        # Only paths of this site, as the browser would read them: an open redirect would let a phishing link
        # bounce through our login page.
        response = redirect(safe_next(request.args.get("next")) or url_for("work.worklist"))
        if chosen in codes:  # always so once authenticated; the cookie never carries what was typed
            # Remember the Sở for the next login (not a secret: it only preselects the list).
            response.set_cookie(ORG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                                secure=bool(current_app.config.get("CCHC_SECURE_COOKIES")))
        return response
    return render_template("login.html", login="", orgs=orgs, chosen=default)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out here and end every other session of this user (their cookies stop working)."""
    user_id = actor().user_id
    logout_user()
    service.end_sessions(context.db(), user_id)
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
