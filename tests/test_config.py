"""One configuration object: engine.core.config.Settings, read from CCHC_… variables once at start-up and handed to the
engine and the web app; nothing else in engine/ or web/ reads the environment, and the README documents every
variable."""

from __future__ import annotations

import ast
import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from engine.core import config
from engine.core.config import ConfigError, Settings
from engine.runtime import forms
from web.app import create_app

ROOT = Path(__file__).resolve().parent.parent


def test_the_defaults():
    s = Settings.from_env({})
    assert s.database_url == "sqlite:///instance/cchc.db" and s.instance_dir == Path("instance")
    assert s.forms_dir == config.FORMS_DIR == ROOT / "forms"  # from the source tree: its top-level folder
    assert config.PROCESSES_DIR == ROOT / "processes"
    assert (s.secret_key, s.secure_cookies, s.proxy_hops) == (None, False, 0)
    assert s.ratelimit_storage_uri == "memory://"
    assert s.due_soon_working_days == 3
    assert (s.login_limits_per_login, s.login_limits_per_address) == ("5 per minute; 20 per 15 minutes",
                                                                      "30 per minute")


def test_every_variable(tmp_path):
    env = {
        "CCHC_DATABASE_URL": "postgresql://cchc@db/cchc",
        "CCHC_INSTANCE_DIR": str(tmp_path / "inst"),
        "CCHC_FORMS_DIR": str(tmp_path),
        "CCHC_SECRET_KEY": "k",
        "CCHC_SECURE_COOKIES": "yes",
        "CCHC_PROXY_HOPS": "2",
        "CCHC_RATELIMIT_STORAGE_URI": "redis://cache:6379",
        "CCHC_LOGIN_LIMITS_PER_LOGIN": "3 per minute",
        "CCHC_LOGIN_LIMITS_PER_ADDRESS": "9 per minute",
        "CCHC_DUE_SOON_WORKING_DAYS": "5",
    }
    assert Settings.from_env(env) == Settings(
        database_url="postgresql://cchc@db/cchc", instance_dir=tmp_path / "inst", forms_dir=tmp_path,
        secret_key="k", secure_cookies=True, proxy_hops=2, ratelimit_storage_uri="redis://cache:6379",
        login_limits_per_login="3 per minute", login_limits_per_address="9 per minute", due_soon_working_days=5)
    assert set(env) | {"DATABASE_URL"} == set(config.VARIABLES)


def test_the_database_url_the_older_name_and_the_instance_folder():
    assert Settings.from_env({"DATABASE_URL": "postgresql://a@h/x"}).database_url == "postgresql://a@h/x"
    both = {"DATABASE_URL": "postgresql://a@h/x", "CCHC_DATABASE_URL": "postgresql://b@h/y"}
    assert Settings.from_env(both).database_url == "postgresql://b@h/y"  # the prefixed name wins
    assert Settings.from_env({"CCHC_INSTANCE_DIR": "/srv/cchc"}).database_url == "sqlite:////srv/cchc/cchc.db"
    assert Settings.from_env({"CCHC_DATABASE_URL": "  "}).database_url == "sqlite:///instance/cchc.db"


@pytest.mark.parametrize("name, value, message", [
    ("CCHC_SECURE_COOKIES", "ture", "CCHC_SECURE_COOKIES: 'ture' không phải có/không (dùng 1 hoặc 0)"),
    ("CCHC_PROXY_HOPS", "-1", "CCHC_PROXY_HOPS: '-1' không phải số nguyên không âm"),
    ("CCHC_PROXY_HOPS", "１", "CCHC_PROXY_HOPS: '１' không phải số nguyên không âm"),
    ("CCHC_FORMS_DIR", "/khong/co", "CCHC_FORMS_DIR: không có thư mục /khong/co"),
    ("CCHC_DUE_SOON_WORKING_DAYS", "ba", "CCHC_DUE_SOON_WORKING_DAYS: 'ba' không phải số nguyên không âm"),
])
def test_a_malformed_value_is_refused_with_the_variable_named(name, value, message):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({name: value})
    assert str(caught.value) == message


def test_yes_and_no_spellings():
    for value in ("1", "true", "TRUE", "yes", "on", " On "):
        assert Settings.from_env({"CCHC_SECURE_COOKIES": value}).secure_cookies is True
    for value in ("", "0", "false", "no", "off"):
        assert Settings.from_env({"CCHC_SECURE_COOKIES": value}).secure_cookies is False


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings.from_env({}).database_url = "sqlite:///other.db"


def test_create_app_takes_the_settings(db_url, tmp_path):
    settings = Settings(database_url=db_url, instance_dir=tmp_path, secret_key="from-settings", secure_cookies=True,
                        proxy_hops=1, ratelimit_storage_uri="memory://?from=settings",
                        login_limits_per_address="7 per minute")
    app = create_app(settings)
    assert app.extensions["cchc_settings"] is settings
    assert app.config["SECRET_KEY"] == "from-settings" and app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://?from=settings"
    assert app.config["CCHC_LOGIN_LIMITS_PER_ADDRESS"] == "7 per minute"
    assert isinstance(app.wsgi_app, ProxyFix) and (app.wsgi_app.x_for, app.wsgi_app.x_proto) == (1, 1)
    assert app.test_client().get("/login").headers["Strict-Transport-Security"].startswith("max-age=")
    assert not (tmp_path / "secret_key").exists()  # a key in the settings: none generated


def test_create_app_with_a_dict_lays_its_keys_over_the_environment(db_url, monkeypatch):
    monkeypatch.setenv("CCHC_PROXY_HOPS", "3")
    monkeypatch.setenv("CCHC_LOGIN_LIMITS_PER_LOGIN", "2 per minute")
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test", "CCHC_PROXY_HOPS": "1"})
    settings = app.extensions["cchc_settings"]
    assert (settings.database_url, settings.proxy_hops, settings.login_limits_per_login) == (db_url, 1,
                                                                                              "2 per minute")
    assert app.config["TESTING"] is True


def test_a_malformed_login_limit_stops_the_app_at_start_up(db_url):
    with pytest.raises(ConfigError, match="CCHC_LOGIN_LIMITS_PER_LOGIN: 'năm lần' không phải giới hạn hợp lệ"):
        create_app({"DATABASE_URL": db_url, "CCHC_LOGIN_LIMITS_PER_LOGIN": "năm lần"})


def test_the_forms_folder_setting_reaches_the_engine(tmp_path):
    """CCHC_FORMS_DIR is what deploy checks the forms in (here: an empty folder, so every form is missing)."""
    bpmn = ROOT / "processes" / "legal_document_review" / "legal_document_review.bpmn"
    env = {**os.environ, "CCHC_FORMS_DIR": str(tmp_path)}
    result = subprocess.run([str(Path(sys.executable).parent / "cchc"), "validate", str(bpmn)], capture_output=True,
                            text=True, timeout=60, env=env)
    assert result.returncode == 1 and "form file start_review.schema.json not found" in result.stdout, result.stdout
    assert forms.FORMS_DIR == config.FORMS_DIR  # this process was left alone


def _reads_the_environment(tree: ast.AST) -> list[int]:
    """Lines that read or change the process environment: os.environ / os.environb / os.getenv / os.putenv /
    os.unsetenv, however imported."""
    names = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names:
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and {a.name for a in node.names} & names:
            lines.append(node.lineno)
        elif isinstance(node, ast.Name) and node.id in names:
            lines.append(node.lineno)
    return sorted(lines)


def test_nothing_reads_the_environment_outside_engine_config():
    """engine/runtime/sandbox/runner.py starts its worker with env={} (an empty environment, passed, not read)."""
    found = {}
    for path in sorted([*(ROOT / "engine").rglob("*.py"), *(ROOT / "web").rglob("*.py")]):
        if path == ROOT / "engine" / "core" / "config.py":
            continue
        lines = _reads_the_environment(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[str(path.relative_to(ROOT))] = lines
    assert found == {}
    assert _reads_the_environment(ast.parse("import os\nos.environ.get('X')\nfrom os import getenv")) == [2, 3]
    assert "env={}" in (ROOT / "engine" / "runtime" / "sandbox" / "runner.py").read_text(encoding="utf-8")


def test_the_readme_documents_every_variable_in_one_configuration_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `((?:CCHC_)?[A-Z_]+)", section, flags=re.MULTILINE))
    documented |= set(re.findall(r"`(?:CCHC_)?[A-Z_]+`, `((?:CCHC_)?[A-Z_]+)`", section))
    assert set(config.VARIABLES) <= documented, set(config.VARIABLES) - documented
    assert readme.count("| setting | effect |") + readme.count("| variable |") == 1  # one table, not two
