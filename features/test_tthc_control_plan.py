"""tthc_control_plan.feature: the December TTHC control plan, opened by the scheduler (steps: common_steps.py)."""

from pytest_bdd import scenarios

scenarios("tthc_control_plan.feature")
