"""`cchc` command line: database, demo data, deploy/validate, timer worker, web server, instances.

It lives in web/ because `serve` starts the web app: the engine never imports Flask or web, so the module that
composes the two sits on the web side. Every other command is a call into engine.service.

The settings are read once (engine.core.config.Settings.from_env; --database-url wins over the environment). Only
init-db and load-demo change the schema; every other command that uses the database first checks that it is at
the newest revision and otherwise stops with one line saying so and what to run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
import tempfile
import threading
from pathlib import Path

from engine import service
from engine.core import config
from engine.core.config import Settings
from engine.core.db import Database, SchemaNotReady, shown_url
from engine.core.errors import EngineError, ValidationFailed
from engine.planning import deadlines, registry
from engine.planning.plans import DEMO_PASSWORD


def _db(args) -> Database:
    """The database of this run, opened once."""
    if args.db is None:
        args.db = Database(args.settings.database_url)
    return args.db


def _migrate(db: Database) -> str:
    """Create or upgrade the schema; what was done, as a sentence for the operator."""
    try:
        db.check_schema()
    except SchemaNotReady as exc:
        if exc.state not in ("missing", "behind"):  # unreachable, or a revision this code cannot upgrade from
            raise
    before, after = (", ".join(revisions) for revisions in db.migrate())
    if before == after:  # already at head, or another init-db did it while this one waited for the lock
        return f"Cơ sở dữ liệu đã ở phiên bản mới nhất ({after}): {shown_url(db.url)}"
    if not before:
        return f"Đã tạo cơ sở dữ liệu (phiên bản {after}): {shown_url(db.url)}"
    return f"Đã nâng cấp cơ sở dữ liệu từ phiên bản {before} lên {after}: {shown_url(db.url)}"


def cmd_init_db(args) -> int:
    """Create or upgrade the schema (with load-demo the only command that does)."""
    print(_migrate(_db(args)))
    return 0


def cmd_load_demo(args) -> int:
    """init-db, then every shipped process deployed and every shipped plan loaded with demo accounts."""
    db = _db(args)
    print(_migrate(db))
    loaded = service.load_demo(db)
    print(f"Đã triển khai các quy trình và nạp {len(loaded)} kế hoạch: {', '.join(loaded)}.")
    _print_logins(db)
    return 0


def cmd_load_plan(args) -> int:
    """Validate and load duty registries, each as its own Sở."""
    db = _db(args)
    for name in args.files:
        plan = service.load_plan(db, Path(name), demo_users=args.demo_users)
        print(f"{plan.plan_key}: đã nạp {name}")
    return 0


def cmd_plans(args) -> int:
    """List the loaded plans: id, province, title (or JSON)."""
    db = _db(args)
    rows = service.list_plans(db)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    for row in [] if args.json else rows:
        print(f"{row['id']}	{row['province']}	{row['title']}")
    return 0


def _registry(args) -> registry.Registry:
    if args.registry:
        reg = registry.load(Path(args.registry))
        # Not loaded yet: check its processes against those shipped in processes/ (what load-demo deploys).
        shipped = {p.stem for p in service.PROCESSES_DIR.glob("*/*.bpmn")}
        problems = registry.check_processes(reg, shipped)
        if problems:
            raise ValidationFailed(problems)
        return reg
    if args.plan in _loaded_plans(args):
        return service.plan_registry(_db(args), args.plan)
    from engine.planning.simulate import registry_path  # not loaded: the plan's file in processes/plans
    return registry.load(registry_path(args.plan))


def cmd_duties(args) -> int:
    """Print a plan's registry as loaded (else its shipped file), or check a registry file."""
    reg = _registry(args)
    if args.json:
        print(json.dumps(reg.as_dict(), ensure_ascii=False, indent=2))
        return 0
    for d in reg.duties:
        when = deadlines.RECURRENCE_LABELS[d.schedule.recurrence]
        print(f"{d.id}	{','.join(d.lead_units)}	{when}	{d.schedule.deadline_text or '-'}	{d.process}	{d.title}")
    return 0


def _loaded_plans(args) -> set[str]:
    """The plans loaded in the database. A database never initialised has none, so `duties` and `simulate-year`
    read the plan's file in processes/plans as they do for a plan not loaded yet; a database at another schema
    revision is refused like for every other command."""
    db = _db(args)
    try:
        db.check_schema()
    except SchemaNotReady as exc:
        if exc.state == "missing":
            return set()
        raise
    return {p["id"] for p in service.list_plans(db)}


def cmd_simulate_year(args) -> int:
    """Fast-forward a throw-away database through a year and print what opens when."""
    from engine.planning import simulate

    source = None if args.registry else simulate.sqlite_file(args.settings.database_url)
    loaded = not args.registry and args.plan in _loaded_plans(args)
    if source is not None and loaded:
        openings, fired = simulate.simulate_copy(source, args.plan, args.year)
        where = f"bản sao của {source}"
    elif loaded:
        # A database server (PostgreSQL) is not copied as a file: a fresh one from the registry as loaded there.
        name, text = service.plan_registry_source(_db(args), args.plan)
        with tempfile.TemporaryDirectory(prefix="cchc-registry-") as tmp:
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8")
            openings, fired = simulate.simulate_year(path, args.year)
        where = f"cơ sở dữ liệu mới từ {name} như đã nạp"
    else:
        path = Path(args.registry) if args.registry else simulate.registry_path(args.plan)
        openings, fired = simulate.simulate_year(path, args.year)
        where = f"cơ sở dữ liệu mới từ {path.name}"
    carried = [o for o in openings if o.opens_on.year < args.year]
    openings = [o for o in openings if o.opens_on.year == args.year]
    if args.json:
        print(json.dumps([o.as_dict() for o in openings], ensure_ascii=False, indent=2))
        return 0
    print(f"{'Nhiệm vụ':<14} {'Đơn vị':<8} {'Kỳ':<8} {'Mở ngày':<10} {'Hạn':<18} {'Quy trình':<22} Tên nhiệm vụ")
    for o in openings:
        due = deadlines.due_phrase(o.due_at)
        print(f"{o.duty_id:<14} {o.unit:<8} {o.period:<8} {o.opened_on:%d/%m/%Y} {due:<18} {o.process:<22} "
              f"{o.duty_name}")
    print(f"— {len(openings)} nhiệm vụ được mở trong năm {args.year} ({where}); {fired} lần chạy hẹn giờ "
          "(nhắc hạn, quá hạn).")
    if carried:
        print(f"  (không liệt kê {len(carried)} nhiệm vụ của kỳ trước, cửa sổ mở từ năm {args.year - 1}, "
              f"được mở bù ngày 01/01/{args.year})")
    return 0


def cmd_deploy(args) -> int:
    """Deploy BPMN files (default: every shipped process); exit 1 if any is refused."""
    db = _db(args)
    paths = [Path(p) for p in args.files] or sorted(service.PROCESSES_DIR.rglob("*.bpmn"))
    status = 0
    for path in paths:
        try:
            definition, created = service.deploy_file(db, path, actor=args.actor)
        except EngineError as exc:
            for problem in getattr(exc, "problems", [str(exc)]):
                print(problem, file=sys.stderr)
            status = 1
            continue
        word = "deployed" if created else "unchanged"
        print(f"{definition.process_key} v{definition.version} {word} ({path.name}, sha256 {definition.sha256[:12]})")
    return status


def cmd_validate(args) -> int:
    """Check BPMN files without a database; exit 1 with one line per problem."""
    status = 0
    for name in args.files:
        problems = service.validate_file(Path(name))
        for problem in problems:
            print(problem)
        if problems:
            status = 1
        else:
            print(f"{name}: OK")
    return status


def cmd_start(args) -> int:
    """Start a process for a unit and a year, with the start page's checks; exit 1 with the reason otherwise."""
    db = _db(args)
    try:
        data = json.loads(args.data) if args.data else None
    except json.JSONDecodeError as exc:
        raise EngineError(f"--data không phải JSON hợp lệ: {exc}") from None
    actor = service.organisation_actor(db, args.org, args.as_login)
    inst = service.start_process(db, actor, args.process, lead_unit=args.unit, period=args.period,
                                 supporting_units=args.supporting, due_text=args.due, data=data, late=args.late)
    print(f"Đã khởi tạo #{inst.id}: {inst.title} (trạng thái {inst.status})")
    return 0


def cmd_run_timers(args) -> int:
    """The timer worker: a loop, or one pass with --once (for cron)."""
    db = _db(args)
    if args.once:
        from engine.runtime.worker import tick
        opened, fired = tick(db)
        print(f"opened {opened} instance(s); fired timers of {fired} instance(s)")
        return 0
    from engine.runtime.worker import run_forever
    run_forever(db, args.interval)
    return 0


def cmd_instances(args) -> int:
    """List the process instances."""
    db = _db(args)
    for inst in service.list_instances(db):
        due = inst.due_at.strftime("%d/%m/%Y") if inst.due_at else "-"
        print(f"{inst.id}\t{inst.process_key}\t{inst.lead_unit_code}\t{inst.period}\t{inst.status}\thạn {due}\t"
              f"{inst.title}")
    return 0


def cmd_serve(args) -> int:
    """Serve the web app with waitress, and the timer worker in a thread unless --no-worker."""
    import waitress

    from engine.runtime.worker import run_forever
    from web.app import create_app

    db = _db(args)
    app = create_app(args.settings)  # checks the schema too, as any other way of starting the app does
    if not args.no_worker:
        threading.Thread(target=run_forever, args=(db, args.interval), daemon=True, name="timers").start()
    print(f"cchc-flow đang chạy tại http://{args.host}:{args.port}/  (Ctrl+C để dừng)")
    _print_logins(db)
    waitress.serve(app, host=args.host, port=args.port, threads=8)
    return 0


def _print_logins(db: Database) -> None:
    orgs = service.organisations(db)
    print(f"Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}); chọn Sở Y tế khi đăng nhập:")
    for code, name in orgs:
        logins = [login for login, _ in service.demo_logins(db, code)]
        shown = ", ".join(logins[:6]) + (f" … ({len(logins)} tài khoản)" if len(logins) > 6 else "")
        print(f"  {name} [{code}]: {shown}")


def build_parser() -> argparse.ArgumentParser:
    """The `cchc` argument parser; each subcommand sets `func`."""
    parser = argparse.ArgumentParser(prog="cchc", description="cchc-flow: quy trình CCHC của Sở Y tế")
    parser.add_argument("--database-url", default=None,
                        help="default: $CCHC_DATABASE_URL, else $DATABASE_URL, else sqlite:///instance/cchc.db")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help="create or upgrade the schema").set_defaults(func=cmd_init_db)
    sub.add_parser("load-demo", help="init-db, deploy every process, load every plan with demo accounts"
                   ).set_defaults(func=cmd_load_demo)
    p = sub.add_parser("load-plan", help="validate and load duty registries (processes/plans/*.yaml)")
    p.add_argument("files", nargs="+")
    p.add_argument("--demo-users", action="store_true", help="also create the demo accounts")
    p.set_defaults(func=cmd_load_plan)
    p = sub.add_parser("plans", help="list the loaded plans (id, province, title)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plans)
    p = sub.add_parser("duties", help="print a plan's duty registry as loaded")
    p.add_argument("--plan", required=True)
    p.add_argument("--registry", help="validate this registry file instead of the loaded plan")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_duties)
    p = sub.add_parser("simulate-year", help="fast-forward a throw-away copy of the database through a year; "
                       "print what opens when")
    p.add_argument("--plan", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--registry", help="registry file (default: the plan's file in processes/plans)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_simulate_year)
    p = sub.add_parser("deploy", help="deploy BPMN files (default: every file in processes/)")
    p.add_argument("files", nargs="*")
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_deploy)
    p = sub.add_parser("validate", help="check BPMN files; exit 1 with one line per problem")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("start", help="start a process for a unit and a year (the start page's checks)")
    p.add_argument("process", help="process key, e.g. legal_document_review")
    p.add_argument("--org", required=True, help="organisation code, e.g. syt-hue")
    p.add_argument("--unit", required=True, help="lead unit code")
    p.add_argument("--period", required=True, help="year, e.g. 2027")
    p.add_argument("--supporting", nargs="*", default=[], metavar="UNIT", help="supporting unit codes")
    p.add_argument("--due", help="deadline dd/mm/yyyy (default: the process's own)")
    p.add_argument("--data", help="extra start data as a JSON object")
    p.add_argument("--late", action="store_true", help="confirm a late start: the deadline has already passed")
    p.add_argument("--as", dest="as_login", help="act as this login (default: the organisation's system actor)")
    p.set_defaults(func=cmd_start)
    p = sub.add_parser("run-timers", help="fire due timers (a worker loop, or --once for cron)")
    p.add_argument("--once", action="store_true")
    p.add_argument("--interval", type=float, default=30.0)
    p.set_defaults(func=cmd_run_timers)
    p = sub.add_parser("serve", help="serve the web app (and run the timer worker in the background)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--interval", type=float, default=30.0)
    p.add_argument("--no-worker", action="store_true")
    p.set_defaults(func=cmd_serve)
    sub.add_parser("instances", help="list process instances").set_defaults(func=cmd_instances)
    return parser


# How each command uses the database. A new command must be added to one of these (tests/test_cli_schema.py fails
# otherwise), so it cannot forget to check the schema.
MIGRATES = {"init-db", "load-demo"}  # the only commands that create or upgrade the schema
NEEDS_SCHEMA = {"load-plan", "plans", "deploy", "start", "run-timers", "serve", "instances"}
OPTIONAL_DATABASE = {"duties", "simulate-year"}  # read processes/plans when the database was never initialised
NO_DATABASE = {"validate"}


def main(argv: list[str] | None = None) -> int:
    """Run one `cchc` command; the exit status (0 done, 1 refused with the reason on stderr)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("spiff", "SpiffWorkflow", "alembic"):  # every task state change at INFO drowns the output
        logging.getLogger(noisy).setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.database_url:
            settings = dataclasses.replace(settings, database_url=args.database_url)
        config.apply(settings)
        args.settings, args.db = settings, None
        if args.command in NEEDS_SCHEMA:
            _db(args).check_schema()
        return args.func(args)
    except SchemaNotReady as exc:  # already one line naming the database and the command that fixes it
        print(exc, file=sys.stderr)
        return 1
    except ValidationFailed as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except EngineError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
