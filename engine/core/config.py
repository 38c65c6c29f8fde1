"""The deployment's settings, read once at start-up from environment variables named CCHC_… (README,
"Configuration"), and where the folders shipped with the package are.

Nothing else in engine/ or web/ reads the environment (tests/test_config.py checks): the command line and the web
app build one Settings with Settings.from_env and hand it, or the parts they need, to what they start. Keeping the
reads here means a setting is parsed and checked once, with one error message, instead of each module deciding
for itself what an unset or malformed variable means.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from engine.core.errors import EngineError

_PACKAGE = Path(__file__).resolve().parents[1]  # engine/


def shipped(name: str) -> Path:
    """A folder shipped with cchc-flow (`processes`, `forms`): in an installed package it is engine/data/<name>
    (pyproject.toml maps the top-level folders there), in the source tree it is the top-level folder itself."""
    installed = _PACKAGE / "data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


# BPMN processes, plans/ (duty registries), calendar.yaml, the plug-ins' data files. Not a setting: registry,
# calendar, the plug-ins and service bind it when they are imported (as defaults of their loaders), so a
# CCHC_PROCESSES_DIR could only be honoured in part.
PROCESSES_DIR = shipped("processes")
FORMS_DIR = shipped("forms")  # one JSON Schema per user task

LIMITS_PER_LOGIN = "5 per minute; 20 per 15 minutes"
LIMITS_PER_ADDRESS = "30 per minute"
DUE_SOON_WORKING_DAYS = 3  # an open item due within this many working days is "Sắp đến hạn"

# Every environment variable read, with the Settings field it sets (README's Configuration table lists them all;
# a test checks that it does). DATABASE_URL is the older, unprefixed name existing deployments set.
VARIABLES = {
    "CCHC_DATABASE_URL": "database_url",
    "DATABASE_URL": "database_url",
    "CCHC_INSTANCE_DIR": "instance_dir",
    "CCHC_FORMS_DIR": "forms_dir",
    "CCHC_SECRET_KEY": "secret_key",
    "CCHC_SECURE_COOKIES": "secure_cookies",
    "CCHC_PROXY_HOPS": "proxy_hops",
    "CCHC_RATELIMIT_STORAGE_URI": "ratelimit_storage_uri",
    "CCHC_LOGIN_LIMITS_PER_LOGIN": "login_limits_per_login",
    "CCHC_LOGIN_LIMITS_PER_ADDRESS": "login_limits_per_address",
    "CCHC_DUE_SOON_WORKING_DAYS": "due_soon_working_days",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class ConfigError(EngineError):
    """A setting whose value cannot be used; the message names the variable and what it should be."""


@dataclass(frozen=True)
class Settings:
    """What a deployment decides, fixed for the life of the process."""

    database_url: str
    instance_dir: Path = Path("instance")  # the SQLite database's and the generated secret key's folder
    forms_dir: Path = FORMS_DIR
    secret_key: str | None = None  # None: generated once into <instance_dir>/secret_key
    secure_cookies: bool = False  # served over HTTPS only: Secure cookies and HSTS
    proxy_hops: int = 0  # reverse proxies in front that set X-Forwarded-For/-Proto
    ratelimit_storage_uri: str = "memory://"  # where the login throttle counts (redis://… to share it)
    login_limits_per_login: str = LIMITS_PER_LOGIN
    login_limits_per_address: str = LIMITS_PER_ADDRESS
    due_soon_working_days: int = DUE_SOON_WORKING_DAYS  # worklists mark what is due within these working days

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the variables of `environ` (default: this process's environment) give; ConfigError
        naming the variable when a value is malformed. Unset and empty variables take the default."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return (env.get(name) or "").strip()

        instance_dir = Path(get("CCHC_INSTANCE_DIR") or "instance")
        forms_dir = Path(get("CCHC_FORMS_DIR")) if get("CCHC_FORMS_DIR") else FORMS_DIR
        if get("CCHC_FORMS_DIR") and not forms_dir.is_dir():  # else every task page would fail, one at a time
            raise ConfigError(f"CCHC_FORMS_DIR: không có thư mục {forms_dir}")
        return cls(
            database_url=get("CCHC_DATABASE_URL") or get("DATABASE_URL") or f"sqlite:///{instance_dir / 'cchc.db'}",
            instance_dir=instance_dir,
            forms_dir=forms_dir,
            secret_key=get("CCHC_SECRET_KEY") or None,
            secure_cookies=parse_bool("CCHC_SECURE_COOKIES", get("CCHC_SECURE_COOKIES")),
            proxy_hops=parse_hops("CCHC_PROXY_HOPS", get("CCHC_PROXY_HOPS")),
            ratelimit_storage_uri=get("CCHC_RATELIMIT_STORAGE_URI") or "memory://",
            login_limits_per_login=get("CCHC_LOGIN_LIMITS_PER_LOGIN") or LIMITS_PER_LOGIN,
            login_limits_per_address=get("CCHC_LOGIN_LIMITS_PER_ADDRESS") or LIMITS_PER_ADDRESS,
            due_soon_working_days=parse_count("CCHC_DUE_SOON_WORKING_DAYS", get("CCHC_DUE_SOON_WORKING_DAYS"),
                                              DUE_SOON_WORKING_DAYS),
        )


def parse_bool(name: str, value: object) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off (any case; empty is no). Anything else is refused
    rather than read as "no": CCHC_SECURE_COOKIES=ture must not quietly turn HTTPS-only cookies off."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigError(f"{name}: '{value}' không phải có/không (dùng 1 hoặc 0)")


def parse_hops(name: str, value: object) -> int:
    """A count of reverse proxies: a whole number, 0 or more (empty is 0)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = str(value).strip()
    if not text:
        return 0
    if not (text.isascii() and text.isdigit()):
        raise ConfigError(f"{name}: '{value}' không phải số nguyên không âm")
    return int(text)


def parse_count(name: str, value: object, default: int) -> int:
    """A whole number, 0 or more; empty is `default`."""
    if not str(value).strip():
        return default
    return parse_hops(name, value)


def apply(settings: Settings) -> None:
    """Point the engine's process-wide folders at the settings' (start-up: the CLI and create_app call it).

    The forms folder is read deep inside task completion and deploy (engine.runtime.forms.FORMS_DIR) rather than handed
    down every call, so it is set here once instead."""
    from engine.runtime import forms, list_pages  # they import this module for their defaults

    forms.FORMS_DIR = settings.forms_dir
    list_pages.DUE_SOON_WORKING_DAYS = settings.due_soon_working_days
