"""Fixtures of the browser tests: `cchc serve` on a fresh demo database, optionally on a clock that starts at a
given instant, and a Chromium page in Vietnamese. The steps the tests repeat in the UI are in support.py.

Where the README says they run (CI=true, as CI sets it), a browser test that cannot run — no Chromium or one
that does not start, no Playwright, no `cchc` script — fails with the reason; elsewhere it is skipped with it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

import pytest

from engine.core import clock

CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")
ON_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def cannot_run(reason: str) -> NoReturn:
    """Stop this test: a failure on CI, where a silent skip would pass a run that tested no browser at all; a
    skip elsewhere (a developer's machine may have no Chromium)."""
    if ON_CI:
        pytest.fail(f"CI=true, so the browser tests must run: {reason}", pytrace=False)
    pytest.skip(reason)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ShiftedClock(clock.Clock):
    """Real time moved so that the instant `anchor` (a time.time() value) reads as `start`: the clock runs on."""

    def __init__(self, start: datetime, anchor: float):
        self.start, self.anchor = start.astimezone(UTC), anchor

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.time() - self.anchor)


# A `cchc` command with the same ShiftedClock installed first (the CLI has no clock hook of its own):
# python -c CLOCKED <start iso> <anchor> <cchc arguments…>
CLOCKED = """
import sys, time
from datetime import datetime, timedelta
from engine.core import clock
from web import cli

class ShiftedClock(clock.Clock):
    def __init__(self, start, anchor):
        self.start, self.anchor = start, anchor

    def now(self):
        return self.start + timedelta(seconds=time.time() - self.anchor)

clock.install(ShiftedClock(datetime.fromisoformat(sys.argv[1]), float(sys.argv[2])))
sys.exit(cli.main(sys.argv[3:]))
"""


@dataclass(frozen=True)
class LiveServer:
    base: str  # http://127.0.0.1:<port>
    db_url: str  # the server's database, for what a test does beside the UI


def _cchc() -> str:
    """The `cchc` console script of the virtualenv running the tests."""
    path = Path(sys.executable).parent / "cchc"
    if not path.exists():
        cannot_run(f"{path} not found (pip install -e . in this virtualenv)")
    return str(path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_serving(server: subprocess.Popen, base: str, log_path: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"cchc serve exited with {server.returncode}:\n" + log_path.read_text(errors="replace"))
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("cchc serve did not answer on /login within 20s")
        time.sleep(0.1)


def _stop(server: subprocess.Popen, log_path: Path) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    server_log = log_path.read_text(errors="replace")
    # A traceback in the server log is an app bug even if the page looked fine.
    assert "Traceback" not in server_log, server_log


@pytest.fixture(scope="module")
def live_server_factory(tmp_path_factory):
    """live_server_factory(start=None) -> LiveServer: `cchc load-demo` on a new database in a temp dir, then
    `cchc serve --no-worker` on it.

    With `start` (an aware datetime) both commands, and this test process until the end of the module, run on a
    clock that reads `start` now and runs on from there. The servers are stopped at the end of the module, and a
    Traceback in a server's log fails that teardown.
    """
    with ExitStack() as stack:

        def start_server(start: datetime | None = None) -> LiveServer:
            tmp = tmp_path_factory.mktemp("cchc-browser")
            env = {**os.environ, "CCHC_INSTANCE_DIR": str(tmp / "instance"), "PYTHONUNBUFFERED": "1"}
            url = f"sqlite:///{tmp / 'cchc.db'}"
            if start is None:
                cchc = [_cchc()]
            else:
                anchor = time.time()
                stack.callback(clock.install, clock.install(ShiftedClock(start, anchor)))  # restores the previous
                cchc = [sys.executable, "-c", CLOCKED, start.astimezone(UTC).isoformat(), repr(anchor)]
            subprocess.run(
                [*cchc, "--database-url", url, "load-demo"], cwd=tmp, env=env, check=True, capture_output=True,
                timeout=60,
            )
            port = _free_port()
            log_path = tmp / "server.log"
            log = stack.enter_context(open(log_path, "wb"))  # closed after the server is stopped
            server = subprocess.Popen(
                [*cchc, "--database-url", url, "serve", "--port", str(port), "--no-worker"],
                cwd=tmp,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            stack.callback(_stop, server, log_path)
            base = f"http://127.0.0.1:{port}"
            _wait_until_serving(server, base, log_path)
            return LiveServer(base, url)

        yield start_server


@pytest.fixture(scope="module")
def live_server(live_server_factory) -> LiveServer:
    """`cchc serve` on a fresh demo database and the real clock, for the whole module."""
    return live_server_factory()


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright import sync_api
    except ImportError as exc:
        cannot_run(f"Playwright is not installed ({exc}); pip install -e '.[test]'")
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as exc:  # no Chromium on this machine, or one that cannot start
            cannot_run(f"cannot launch Chromium at {CHROMIUM}: {str(exc).strip().splitlines()[0]}")
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A new page in a fresh vi-VN browser context (downloads accepted), 10 s default timeout."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()
