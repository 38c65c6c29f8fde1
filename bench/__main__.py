"""`python -m bench`: run the three runners interleaved, then the worklist at growing sizes, and print the table.

Each round runs one instance of every runner, the order rotating from round to round, so drift of the machine
(frequency, caches, other load) spreads over all three alike. The first rounds are a warm-up and not counted.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from engine.core import clock
from engine.core.db import Database

from .common import NOW, PROCESS_KEY, STEPS, Run, median, p95
from .raw_memory import RawMemory
from .raw_sqlite import RawSqlite
from .service_layer import ServiceLayer
from .worklist_scale import FILTERED_PAGE, LOGIN, OWN_ITEMS, WorklistScale

RATIO_TARGET, SQL_TARGET, WORKLIST_P95_TARGET, WORKLIST_GROWTH_TARGET = 1.5, 8, 5.0, 1.5
PAGE_P95_TARGET = 50.0  # ms: the filtered Việc của tôi page, served by the Flask view, at the largest size


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--warm-up", type=int, default=3, help="rounds not counted (default 3)")
    parser.add_argument("-n", "--instances", type=int, default=30, help="counted instances per runner (default 30)")
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="work_item rows at which the worklist is timed, comma-separated ('' to skip)")
    parser.add_argument("--calls", type=int, default=200, help="timed worklist calls per size (default 200)")
    return parser.parse_args()


def machine() -> str:
    """CPU model (family, model, clock; whether a virtual machine), cores, and on a second line the versions."""
    info: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    cpu = info.get("model name", platform.processor() or "unknown CPU")
    if "cpu family" in info:
        cpu += f" (family {info['cpu family']}, model {info.get('model')}, {float(info.get('cpu MHz', 0)):.0f} MHz)"
    guest = ", virtual machine" if "hypervisor" in info.get("flags", "").split() else ""
    return (f"{cpu}, {os.cpu_count()} cores{guest}, {platform.system()} {platform.machine()}\nsoftware: Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, SpiffWorkflow {version('spiffworkflow')}, "
            f"SQLAlchemy {version('sqlalchemy')}")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def interleave(runners, warm_up: int, instances: int) -> dict[str, list[Run]]:
    """Rounds of one instance per runner, the order rotating; the runs after the warm-up, by runner label."""
    results: dict[str, list[Run]] = {r.label: [] for r in runners}
    for round_ in range(warm_up + instances):
        progress(f"round {round_ + 1}/{warm_up + instances}" + (" (warm-up)" if round_ < warm_up else ""))
        shift = round_ % len(runners)
        for runner in runners[shift:] + runners[:shift]:
            run = runner.run_instance(round_ + 1)
            if round_ >= warm_up:
                results[runner.label].append(run)
    return results


def check_end_states(results: dict[str, list[Run]]) -> list[str]:
    """Every instance completed with the report issued and the same final data (keys and values; the period
    differs from round to round); returns the data keys."""
    def comparable(run: Run) -> dict:
        return {k: v for k, v in run.data.items() if k != "period"}

    reference = next(iter(results.values()))[0]
    expected = comparable(reference)
    for label, runs in results.items():
        for run in runs:
            if not run.completed or run.data.get("report_status") != "issued" or comparable(run) != expected:
                sys.exit(f"{label}: unexpected end state (completed={run.completed}, data={run.data})")
    return sorted(reference.data)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f}"


def spread(values: list[int]) -> str:
    return f"{sum(values) / len(values):.1f} (min {min(values)}, max {max(values)})"


def report_runs(results: dict[str, list[Run]]) -> tuple[float, float]:
    """Print the timing table and the SQL counts; returns (ratio 3/2 per completion, SQL per completion)."""
    print(f"{'':<36}{'per instance ms':>18}   {'per completion ms':>18}")
    print(f"{'runner':<36}{'median':>9}{'p95':>9}   {'median':>9}{'p95':>9}")
    medians = {}
    for label, runs in results.items():
        totals, steps = [r.total for r in runs], [c for r in runs for c in r.completions]
        medians[label] = median(totals), median(steps)
        print(f"{label:<36}{ms(median(totals))}{ms(p95(totals))}   {ms(median(steps))}{ms(p95(steps))}")
    service_runs = results[ServiceLayer.label]
    calls = [c for r in service_runs for c in r.complete_calls]
    print(f"{'  of which submit_task':<36}{'':>18}   {ms(median(calls))}{ms(p95(calls))}")
    (one_i, one_c), (two_i, two_c), (three_i, three_c), (cold_i, cold_c) = medians.values()
    print(f"\nratio 3/2 (medians): per completion {three_c / two_c:.2f}×, per instance {three_i / two_i:.2f}×;"
          f" 2/1 (durability): per completion {two_c / one_c:.2f}×")
    print(f"ratio 3b/2 (each step restored, as when another web process served the one before): per completion "
          f"{cold_c / two_c:.2f}×, per instance {cold_i / two_i:.2f}×")
    sql_complete = [n for r in service_runs for n in r.sql_complete]
    sql_view = [n for r in service_runs for n in r.sql_view]
    print(f"SQL statements per completion (runner 3): submit_task {spread(sql_complete)};"
          f" whole task view {spread(sql_view)}")
    by_step = [f"{s.bpmn_id} {max(r.sql_complete[i] for r in service_runs)}" for i, s in enumerate(STEPS)]
    print(f"  submit_task by step (max): {', '.join(by_step)}")
    return three_c / two_c, sum(sql_complete) / len(sql_complete)


def report_worklist(template: Path, folder: Path, sizes: list[int], calls: int) -> list[tuple[int, float, float]]:
    """A copy of the demo database grown to each size, the worklist timed on all of them interleaved (a call on
    each in turn, the order rotating, so drift of the machine spreads over every size alike), and so is the
    filtered page (GET through the Flask test client: the view, its service calls and the template); prints a
    row per size and returns (size, p50, p95, page p50, page p95) in ms."""
    print(f"\nworklist: service.my_work_items for {LOGIN} ({OWN_ITEMS} own open items), {calls} calls per size,"
          f" the sizes interleaved;\n  page: GET {FILTERED_PAGE} through the Flask test client (view + template)")
    print(f"{'work items':>12}{'organisations':>15}{'built s':>9}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'page p50':>10}{'page p95':>10}")
    scales, built = [], []
    try:
        for size in sizes:
            progress(f"worklist: a database of {size:,} work items")
            copy = folder / f"worklist-{size}.db"
            shutil.copyfile(template, copy)
            scales.append(WorklistScale(Database(f"sqlite:///{copy}")))
            built.append(scales[-1].grow(size))
            scales[-1].check()
            scales[-1].page_client()
        times: list[list[float]] = [[] for _ in sizes]
        pages: list[list[float]] = [[] for _ in sizes]
        for call in range(calls):
            shift = call % len(sizes)
            for index in list(range(len(sizes)))[shift:] + list(range(len(sizes)))[:shift]:
                times[index].append(scales[index].time_one())
                pages[index].append(scales[index].time_page())
        rows = []
        for size, scale, seconds, timed, paged in zip(sizes, scales, built, times, pages, strict=True):
            orgs = scale.conn.execute("SELECT count(*) FROM organisation").fetchone()[0]
            rows.append((size, median(timed) * 1000, p95(timed) * 1000, median(paged) * 1000, p95(paged) * 1000))
            print(f"{size:>12,}{orgs:>15,}{seconds:>9.1f}{rows[-1][1]:>9.2f}{rows[-1][2]:>9.2f}"
                  f"{rows[-1][3]:>10.2f}{rows[-1][4]:>10.2f}".replace(",", " "))
    finally:
        for scale in scales:
            scale.close()
    return rows


def main() -> None:
    args = arguments()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    previous = clock.install(clock.FakeClock(NOW))
    try:
        with tempfile.TemporaryDirectory(prefix="cchc-bench-") as folder:
            progress("building the demo database")
            runners = [RawMemory(), RawSqlite(Path(folder)), ServiceLayer(Path(folder)),
                       ServiceLayer(Path(folder), restoring=True)]
            print(f"machine: {machine()}")
            print(f"process: {PROCESS_KEY}, start + {len(STEPS)} completions "
                  f"({', '.join(s.bpmn_id for s in STEPS)})\nrounds: warm-up {args.warm_up}, N {args.instances}, "
                  f"interleaved; clock frozen at {NOW:%d/%m/%Y %H:%M} Việt Nam time\n")
            try:
                results = interleave(runners, args.warm_up, args.instances)
                keys = check_end_states(results)
                print(f"end state: all {len(runners) * args.instances} instances completed, report issued, "
                      f"same final data ({len(keys)} keys)\n")
                ratio, sql = report_runs(results)
                template = runners[2].snapshot(Path(folder) / "demo-after-runs.db")
                worklist = report_worklist(template, Path(folder), sizes, args.calls) if sizes else []
            finally:
                for runner in runners[1:]:
                    runner.close()
    finally:
        clock.install(previous)
    print_targets(ratio, sql, worklist)


def print_targets(ratio: float, sql: float, worklist: list[tuple[int, float, float, float, float]]) -> None:
    rows = [("ratio 3/2, per completion (median)", f"{ratio:.2f}×", f"≤ {RATIO_TARGET}×", ratio <= RATIO_TARGET),
            ("SQL statements per completion (submit_task)", f"{sql:.1f}", f"≤ {SQL_TARGET}", sql <= SQL_TARGET)]
    if len(worklist) >= 2:
        (small, small_p50, *_), (large, large_p50, large_p95, _, page_p95) = worklist[0], worklist[-1]
        growth = large_p50 / small_p50
        rows.append((f"worklist p95 at {large:,}; growth {small:,} → {large:,} (p50)".replace(",", " "),
                     f"{large_p95:.2f} ms; {growth:.2f}×", f"< {WORKLIST_P95_TARGET} ms; ≤ {WORKLIST_GROWTH_TARGET}×",
                     large_p95 < WORKLIST_P95_TARGET and growth <= WORKLIST_GROWTH_TARGET))
        rows.append((f"filtered worklist page p95 at {large:,} (Flask view)".replace(",", " "),
                     f"{page_p95:.2f} ms", f"< {PAGE_P95_TARGET:.0f} ms", page_p95 < PAGE_P95_TARGET))
    else:
        rows.append(("worklist (not measured: needs two sizes)", "—", "", False))
        rows.append(("filtered worklist page (not measured: needs two sizes)", "—", "", False))
    print(f"\n{'target':<60}{'value':>20}  {'wanted':<18}met")
    for name, value, wanted, met in rows:
        print(f"{name:<60}{value:>20}  {wanted:<18}{'yes' if met else 'no'}")
    print(f"targets met: {sum(met for *_, met in rows)}/{len(rows)}")


if __name__ == "__main__":
    main()
