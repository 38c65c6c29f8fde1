"""Flask application factory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, render_template
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from engine import clock, service
from engine.db import Database
from engine.errors import Conflict, EngineError, Forbidden, NotFound

from . import auth, evidence, filters, plans, processes, security, work

csrf = CSRFProtect()


def _secret_key(instance_dir: Path) -> str:
    if os.environ.get("CCHC_SECRET_KEY"):
        return os.environ["CCHC_SECRET_KEY"]
    path = instance_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Created 0600 from the first byte: write_text() then chmod() would leave it readable for a moment.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; config keys: DATABASE_URL, SECRET_KEY, WTF_CSRF_ENABLED, TESTING;
    CCHC_SECURE_COOKIES (default: the environment variable of that name is "1") for a site served over HTTPS
    only: Secure cookies and Strict-Transport-Security; RATELIMIT_ENABLED, RATELIMIT_STORAGE_URI,
    CCHC_LOGIN_LIMITS_PER_LOGIN, CCHC_LOGIN_LIMITS_PER_ADDRESS for login throttling (web.auth.init_throttle);
    CCHC_PROXY_HOPS (default: the environment variable of that name, else 0): how many reverse proxies in front
    of the app set X-Forwarded-For/-Proto, so the throttle sees the client's address, not the proxy's."""
    app = Flask(__name__)
    app.jinja_env.add_extension("jinja2.ext.do")
    config = dict(config or {})
    instance_dir = Path(os.environ.get("CCHC_INSTANCE_DIR", "instance"))
    app.config.update(
        SECRET_KEY=config.pop("SECRET_KEY", None) or _secret_key(instance_dir),
        MAX_CONTENT_LENGTH=evidence.MAX_REQUEST_BYTES,  # one evidence file (engine: 10 MB) and its form
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.config.update(config)
    hops = int(app.config.get("CCHC_PROXY_HOPS", os.environ.get("CCHC_PROXY_HOPS", "0")) or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    # A shared limiter store (redis…) that is down must not stop logins: count in memory meanwhile.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    secure = security.secure_cookies_wanted(app.config)
    app.config.update(CCHC_SECURE_COOKIES=secure, SESSION_COOKIE_SECURE=secure, REMEMBER_COOKIE_SECURE=secure)
    db = Database(app.config.get("DATABASE_URL"))
    service.init_db(db)
    app.extensions["cchc_db"] = db

    csrf.init_app(app)
    login = LoginManager(app)
    login.login_view = "auth.login"
    login.login_message = "Vui lòng đăng nhập để tiếp tục."
    login.user_loader(lambda login_name: auth.load_user(db, login_name))

    filters.register(app)
    security.register_converters(app)  # before the blueprints: their rules use <id:…> and <task:…>
    app.register_blueprint(auth.bp)
    app.register_blueprint(work.bp)
    app.register_blueprint(processes.bp)
    app.register_blueprint(plans.bp)
    app.register_blueprint(evidence.bp)
    auth.init_throttle(app)

    @app.context_processor
    def _now():
        names = app.extensions.setdefault("cchc_org_names", {})  # organisation names change only on reload
        org_id = current_user.actor.org_id if current_user.is_authenticated else None
        if org_id is not None and org_id not in names:
            names[org_id] = service.organisation_name(db, org_id)
        return {"now_local": clock.local(clock.now()), "org_name": names.get(org_id, "")}

    def _error(code: int, title: str):
        def handler(exc):
            message = str(exc) if isinstance(exc, EngineError) else title
            return render_template("error.html", code=code, title=title, message=message or title), code
        return handler

    app.register_error_handler(EngineError, _error(400, "Không thực hiện được"))
    app.register_error_handler(NotFound, _error(404, "Không tìm thấy"))
    app.register_error_handler(Forbidden, _error(403, "Không có quyền"))
    app.register_error_handler(Conflict, _error(409, "Xung đột dữ liệu"))
    app.register_error_handler(CSRFError, _error(400, "Phiên làm việc hết hạn hoặc yêu cầu không hợp lệ (CSRF)"))
    app.register_error_handler(404, _error(404, "Không tìm thấy"))
    app.register_error_handler(403, _error(403, "Không có quyền"))
    app.register_error_handler(413, lambda exc: (render_template(
        "error.html", code=413, title="Dữ liệu gửi lên quá lớn", message=evidence.TOO_LARGE_MESSAGE), 413))
    app.register_error_handler(500, _error(500, "Lỗi hệ thống; dữ liệu chưa được lưu, vui lòng thử lại"))

    security.handle_header_errors(app)
    security.add_security_headers(app)
    return app


def database(app: Flask) -> Database:
    """The engine database of an app made by create_app."""
    return app.extensions["cchc_db"]
