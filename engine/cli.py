"""`cchc` command line: database, demo data, deploy/validate, timer worker, web server, instances."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path

from . import service
from .db import Database, database_url
from .errors import EngineError
from .org import DEMO_PASSWORD, demo_logins


def _db(args) -> Database:
    return Database(args.database_url)


def cmd_init_db(args) -> int:
    service.init_db(_db(args))
    print(f"Đã tạo cơ sở dữ liệu: {args.database_url or database_url()}")
    return 0


def cmd_load_demo(args) -> int:
    db = _db(args)
    service.init_db(db)
    service.load_demo(db)
    print("Đã nạp tổ chức mẫu và triển khai các quy trình.")
    _print_logins()
    return 0


def cmd_deploy(args) -> int:
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


def cmd_run_timers(args) -> int:
    db = _db(args)
    if args.once:
        print(f"fired timers of {service.fire_due_timers(db)} instance(s)")
        return 0
    from .worker import run_forever
    run_forever(db, args.interval)
    return 0


def cmd_instances(args) -> int:
    db = _db(args)
    for inst in service.list_instances(db):
        due = inst.due_at.strftime("%d/%m/%Y") if inst.due_at else "-"
        print(f"{inst.id}\t{inst.process_key}\t{inst.lead_unit_code}\t{inst.period}\t{inst.status}\thạn {due}\t"
              f"{inst.title}")
    return 0


def cmd_serve(args) -> int:
    import waitress

    from web.app import create_app  # the CLI composes engine and web; engine modules never import Flask

    db = _db(args)
    app = create_app({"DATABASE_URL": args.database_url or database_url()})
    if not args.no_worker:
        from .worker import run_forever
        threading.Thread(target=run_forever, args=(db, args.interval), daemon=True, name="timers").start()
    print(f"cchc-flow đang chạy tại http://{args.host}:{args.port}/  (Ctrl+C để dừng)")
    _print_logins()
    waitress.serve(app, host=args.host, port=args.port, threads=8)
    return 0


def _print_logins() -> None:
    print(f"Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):")
    for login, what in demo_logins():
        print(f"  {login:<18} {what}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc", description="cchc-flow: quy trình CCHC của Sở Y tế")
    parser.add_argument("--database-url", default=None, help="default: $DATABASE_URL or instance/cchc.db")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help="create the tables").set_defaults(func=cmd_init_db)
    sub.add_parser("load-demo", help="demo organisation + deploy all processes").set_defaults(func=cmd_load_demo)
    p = sub.add_parser("deploy", help="deploy BPMN files (default: every file in processes/)")
    p.add_argument("files", nargs="*")
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_deploy)
    p = sub.add_parser("validate", help="check BPMN files; exit 1 with one line per problem")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_validate)
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


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except EngineError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
