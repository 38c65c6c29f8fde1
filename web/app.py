"""Flask application factory."""

from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, render_template
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from limits import parse_many
from werkzeug.middleware.proxy_fix import ProxyFix

from engine import service
from engine.core import clock, config
from engine.core.config import ConfigError, Settings, parse_bool, parse_hops
from engine.core.db import Database
from engine.core.errors import Conflict, EngineError, Forbidden, NotFound

from . import auth, claims, evidence, filters, people, plans, processes, security, taskpage, work

csrf = CSRFProtect()

# Flask config keys create_app also accepts in a dict, and the Settings field each one sets (the keys the tests and
# older callers use); every other key goes to app.config as it is (TESTING, WTF_CSRF_ENABLED, RATELIMIT_ENABLED…).
SETTING_KEYS = {
    "DATABASE_URL": "database_url",
    "SECRET_KEY": "secret_key",
    "CCHC_SECURE_COOKIES": "secure_cookies",
    "CCHC_PROXY_HOPS": "proxy_hops",
    "RATELIMIT_STORAGE_URI": "ratelimit_storage_uri",
    "CCHC_LOGIN_LIMITS_PER_LOGIN": "login_limits_per_login",
    "CCHC_LOGIN_LIMITS_PER_ADDRESS": "login_limits_per_address",
}


def settings_from(config_map: Mapping[str, Any]) -> tuple[Settings, dict[str, Any]]:
    """(the settings, the remaining Flask config) for a config dict: the environment's settings
    (Settings.from_env) with the dict's SETTING_KEYS laid over them."""
    rest = dict(config_map)
    changes: dict[str, Any] = {}
    for key, field in SETTING_KEYS.items():
        value = rest.pop(key, None)
        if value is not None:  # None, as for an unset variable: the environment's value or the default
            changes[field] = value
    if "secure_cookies" in changes:
        changes["secure_cookies"] = parse_bool("CCHC_SECURE_COOKIES", changes["secure_cookies"])
    if "proxy_hops" in changes:
        changes["proxy_hops"] = parse_hops("CCHC_PROXY_HOPS", changes["proxy_hops"] or 0)
    return dataclasses.replace(Settings.from_env(), **changes), rest


def _secret_key(settings: Settings) -> str:
    if settings.secret_key:
        return settings.secret_key
    path = settings.instance_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Created 0600 from the first byte: write_text() then chmod() would leave it readable for a moment.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(config_map: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the deployment's settings (engine.core.config.Settings; README, "Configuration").

    Given a dict instead (or nothing), the settings are read from the environment and the dict's keys of
    SETTING_KEYS (DATABASE_URL, SECRET_KEY, CCHC_SECURE_COOKIES, CCHC_PROXY_HOPS, RATELIMIT_STORAGE_URI,
    CCHC_LOGIN_LIMITS_PER_LOGIN, CCHC_LOGIN_LIMITS_PER_ADDRESS) override them; its other keys (TESTING,
    WTF_CSRF_ENABLED, RATELIMIT_ENABLED…) are Flask config.

    The database must be at the newest schema revision: engine.core.db.SchemaNotReady (one line: run `cchc init-db`)
    otherwise. The app never migrates, so several workers starting at once never race to upgrade, and an
    upgrade happens when the operator runs it. (An in-memory SQLite database is the exception: it exists only
    in this process, so it is created here.)"""
    if isinstance(config_map, Settings):
        settings, flask_config = config_map, {}
    else:
        settings, flask_config = settings_from(config_map or {})
    for name in ("login_limits_per_login", "login_limits_per_address"):
        try:
            parse_many(getattr(settings, name))
        except ValueError:  # refused here, not at the first failed login
            raise ConfigError(f"CCHC_{name.upper()}: '{getattr(settings, name)}' không phải giới hạn hợp lệ "
                              "(ví dụ: 5 per minute; 20 per 15 minutes)") from None
    config.apply(settings)
    db = Database(settings.database_url)
    if db.in_memory:
        service.init_db(db)
    else:
        db.check_schema()

    app = Flask(__name__)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.config.update(
        SECRET_KEY=_secret_key(settings),
        MAX_CONTENT_LENGTH=evidence.MAX_REQUEST_BYTES,  # one evidence file (engine: 10 MB) and its form
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        DATABASE_URL=settings.database_url,
        CCHC_PROXY_HOPS=settings.proxy_hops,
        CCHC_SECURE_COOKIES=settings.secure_cookies,
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        CCHC_LOGIN_LIMITS_PER_LOGIN=settings.login_limits_per_login,
        CCHC_LOGIN_LIMITS_PER_ADDRESS=settings.login_limits_per_address,
        # A shared limiter store (redis…) that is down must not stop logins: count in memory meanwhile.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
    )
    app.config.update(flask_config)
    if settings.proxy_hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops)
    app.extensions["cchc_settings"] = settings
    app.extensions["cchc_db"] = db

    csrf.init_app(app)
    login = LoginManager(app)
    login.login_view = "auth.login"
    login.login_message = "Vui lòng đăng nhập để tiếp tục."
    login.user_loader(lambda login_name: auth.load_user(db, login_name))

    filters.register(app)
    people.register(app)
    security.register_converters(app)  # before the blueprints: their rules use <id:…> and <task:…>
    app.register_blueprint(auth.bp)
    app.register_blueprint(work.bp)
    app.register_blueprint(processes.bp)
    app.register_blueprint(plans.bp)
    app.register_blueprint(evidence.bp)
    app.register_blueprint(claims.bp)
    app.register_blueprint(taskpage.bp)
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

