"""Fixtures and shared steps for the BDD features.

pytest loads tests/conftest.py only for tests under tests/, so its fixtures are re-exported here; the star imports
keep this file in step when fixtures are added there. features/common_steps.py holds the steps every plan feature
uses (clock, scheduler, people, duties, deadline states, refusals), features/form_steps.py the steps that complete a
task with a form filled in from a table. Steps here are visible to every feature; a test module's own step wins
over one of these where both match."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:  # pyproject's `pythonpath = ["."]` normally does this already
    sys.path.insert(0, ROOT)

from features.common_steps import *  # noqa: E402, F403
from features.form_steps import *  # noqa: E402, F403
from tests.conftest import *  # noqa: E402, F403
