"""plan_year.feature: `simulate-year` of every plan against the schedule computed from its registry alone."""

from __future__ import annotations

from datetime import datetime

from pytest_bdd import parsers, scenarios, then, when

from engine.planning import deadlines, registry, schedule
from engine.planning.simulate import registry_path, simulate_year

scenarios("plan_year.feature")

_RUNS: dict[tuple[str, int], list] = {}  # a year's run is deterministic: simulate once per plan and year


@when(parsers.parse('chạy nhanh năm {year:d} của kế hoạch "{plan_id}"'), target_fixture="run")
def run_year(plan_id, year):
    if (plan_id, year) not in _RUNS:
        openings, _fired = simulate_year(registry_path(plan_id), year)
        _RUNS[plan_id, year] = openings
    return {"plan": plan_id, "year": year, "openings": _RUNS[plan_id, year]}


@then("mọi nhiệm vụ được mở đúng ngày mở và đúng hạn tính từ danh mục, mỗi đơn vị mỗi kỳ một hồ sơ")
def matches_the_registry(run):
    reg = registry.load(registry_path(run["plan"]))
    expected = {(o.duty_id, o.unit, o.period): (o.opened_on, o.due_at) for o in schedule.preview(reg, run["year"])}
    in_year = [o for o in run["openings"] if o.opens_on.year == run["year"]]
    got = {(o.duty_id, o.unit, o.period): (o.opened_on, o.due_at) for o in in_year}
    assert len(got) == len(in_year), "một nhiệm vụ được mở hai lần cho cùng đơn vị và kỳ"
    assert got == expected
    assert len(got) > 0


@then(parsers.parse('nhiệm vụ "{duty}" của {unit} kỳ {period} được mở ngày {opened} hạn {due}'))
def one_opening(run, duty, unit, period, opened, due):
    rows = [o for o in run["openings"] if (o.duty_id, o.unit, o.period) == (duty, unit, period)]
    assert len(rows) == 1, rows
    assert rows[0].opened_on == datetime.strptime(opened, "%d/%m/%Y").date()
    assert deadlines.due_phrase(rows[0].due_at) == due
    assert rows[0].instance_id is not None
