"""With CI=true the browser tests cannot pass by skipping: no Chromium (or one that does not start), no Playwright
or no `cchc` script is a failure with the reason; without CI it stays a skip with the reason.

Each case runs pytest in a subprocess on a one-line test that asks for tests/browser/conftest.py's fixtures (the
real file, star-imported into the probe's conftest), so the suite's own browser tests are not run twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = '''
def test_page(page):
    page.set_content("<p>xin chào</p>")
    assert page.inner_text("p") == "xin chào"


def test_server(live_server):
    pass
'''


@pytest.fixture
def probe(tmp_path) -> Path:
    (tmp_path / "conftest.py").write_text("from tests.browser.conftest import *  # noqa: F403\n", encoding="utf-8")
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    return tmp_path


def run_probe(probe: Path, test: str, ci: bool, prelude: str = "", **env: str) -> subprocess.CompletedProcess:
    """pytest on one probe test, CI set or not; `prelude` runs in the interpreter before pytest starts."""
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "CCHC_CHROMIUM")}
    environ.update(env, PYTHONPATH=str(ROOT))
    if ci:
        environ["CI"] = "true"
    code = f"import sys\n{prelude}\nimport pytest\nsys.exit(pytest.main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, "-q", "-rs", "-p", "no:cacheprovider", "--rootdir", str(probe),
                           f"test_probe.py::{test}"], cwd=probe, env=environ, capture_output=True, text=True,
                          timeout=180)


def test_a_chromium_that_cannot_start_fails_on_ci_and_is_skipped_elsewhere(probe):
    on_ci = run_probe(probe, "test_page", ci=True, CCHC_CHROMIUM="/khong/co/chromium")
    assert on_ci.returncode == 1, on_ci.stdout
    assert "CI=true, so the browser tests must run: cannot launch Chromium at /khong/co/chromium" in on_ci.stdout
    elsewhere = run_probe(probe, "test_page", ci=False, CCHC_CHROMIUM="/khong/co/chromium")
    assert elsewhere.returncode == 0 and "1 skipped" in elsewhere.stdout, elsewhere.stdout
    assert "cannot launch Chromium at /khong/co/chromium" in elsewhere.stdout


def test_missing_playwright_fails_on_ci(probe):
    result = run_probe(probe, "test_page", ci=True, prelude="sys.modules['playwright'] = None")
    assert result.returncode == 1, result.stdout
    assert "CI=true, so the browser tests must run: Playwright is not installed" in result.stdout


def test_a_missing_cchc_script_fails_on_ci(probe):
    result = run_probe(probe, "test_server", ci=True, prelude="sys.executable = '/khong/co/bin/python'")
    assert result.returncode == 1, result.stdout
    assert "CI=true, so the browser tests must run: /khong/co/bin/cchc not found" in result.stdout


def test_a_working_chromium_passes_on_ci(probe):
    if not Path(os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")).exists() and not os.environ.get("CI"):
        pytest.skip("no Chromium on this machine")
    result = run_probe(probe, "test_page", ci=True, **({"CCHC_CHROMIUM": os.environ["CCHC_CHROMIUM"]}
                                                       if "CCHC_CHROMIUM" in os.environ else {}))
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout
