"""Fixtures for the BDD features: the same ones as tests/ (demo database per test, FakeClock, actors by login).

pytest loads tests/conftest.py only for tests under tests/, so its fixtures are re-exported here; the star import
keeps this file in step when fixtures are added there (e.g. the session-wide demo database template)."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:  # pyproject's `pythonpath = ["."]` normally does this already
    sys.path.insert(0, ROOT)

from tests.conftest import *  # noqa: E402, F403
