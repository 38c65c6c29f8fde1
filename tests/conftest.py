"""Shared fixtures: a fresh demo database per test, a movable clock, actors by login, the web app and its test
client (tests/web_helpers.py logs in)."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from engine import service
from engine.core import clock
from engine.core.db import Database
from web.app import create_app


def pytest_configure(config):
    os.environ.setdefault("CCHC_SECRET_KEY", "test-secret-key")


@pytest.fixture
def fake_clock():
    """The app clock (and SpiffWorkflow's timers) frozen at 01/12/2026 09:00 Việt Nam time; move it with
    fake_clock.set(...) / fake_clock.advance(...)."""
    fake = clock.FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=clock.VN_TZ))
    previous = clock.install(fake)
    yield fake
    clock.install(previous)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo database built once (password hashing is slow on purpose); each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    fake = clock.FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=clock.VN_TZ))
    previous = clock.install(fake)
    database = Database(f"sqlite:///{path}")
    service.init_db(database)
    service.load_demo(database)  # every plan of processes/plans, each its own organisation
    database.engine.dispose()  # closing the last connection folds the WAL into the file we copy
    clock.install(previous)
    return path


@pytest.fixture
def db_url(tmp_path, demo_template):
    target = tmp_path / "cchc.db"
    shutil.copy(demo_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def db(db_url, fake_clock) -> Database:
    """A demo organisation with every process in processes/ deployed."""
    database = Database(db_url)
    yield database
    database.engine.dispose()


DEMO_ORG = "syt-hue"  # the organisation of the Huế plan: most tests act there


@pytest.fixture
def actor(db):
    """actor('tt.chuyenvien') -> engine Actor of that demo login (Huế; another Sở with org='syt-…')."""
    def get(login: str, org: str = DEMO_ORG):
        found = service.actor_for_login(db, login, org)
        assert found is not None, (login, org)
        return found
    return get


@pytest.fixture
def app(db, db_url):
    """The web app on the test's demo database."""
    return create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def client(app):
    """Flask's test client of `app`; log in with tests.web_helpers.login."""
    return app.test_client()
