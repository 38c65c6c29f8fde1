"""A database without the schema this code needs is reported in one line with the command that fixes it, by every
`cchc` command that uses it and by the web app; only `cchc init-db` and `cchc load-demo` create or upgrade it,
and on PostgreSQL several of them at once take turns (an advisory lock)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from engine.core.db import MIGRATION_LOCK, Database, SchemaNotReady, _alembic_config
from web import cli
from web.app import create_app

CCHC = Path(sys.executable).parent / "cchc"
HUE = Path(__file__).resolve().parent.parent / "processes" / "plans" / "hue.yaml"
HEAD = ScriptDirectory.from_config(_alembic_config()).get_current_head()  # the newest migration
PG_URL = os.environ.get("CCHC_TEST_POSTGRES_URL")

# Each command that needs the schema, with arguments it would otherwise run with.
NEEDS_SCHEMA = {
    "load-plan": ["load-plan", str(HUE)],
    "plans": ["plans"],
    "deploy": ["deploy"],
    "start": ["start", "legal_document_review", "--org", "syt-hue", "--unit", "TTRA", "--period", "2027"],
    "run-timers": ["run-timers"],
    "run-timers --once": ["run-timers", "--once"],
    "serve": ["serve", "--no-worker", "--port", "0"],
    "instances": ["instances"],
}


def missing(url: str) -> str:
    return (f'Cơ sở dữ liệu chưa được khởi tạo ({url}): chạy "cchc init-db" (hoặc "cchc load-demo" để có dữ liệu '
            'mẫu).')


def cchc(*args: str, cwd: Path | None = None, **popen) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CCHC_DATABASE_URL")}
    return subprocess.run([str(CCHC), *args], capture_output=True, text=True, timeout=120, env=env, cwd=cwd,
                          **popen)


def tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


@pytest.fixture
def empty(tmp_path) -> tuple[Path, str]:
    """An empty database file (as `touch` or a half-finished set-up leaves it) and its URL."""
    path = tmp_path / "empty.db"
    path.touch()
    return path, f"sqlite:///{path}"


def test_every_command_is_classified_by_how_it_uses_the_database():
    """A new command has to say whether it needs the schema, so none can forget to check it."""
    parser = cli.build_parser()
    commands = set(next(a for a in parser._actions if a.dest == "command").choices)
    groups = [cli.MIGRATES, cli.NEEDS_SCHEMA, cli.OPTIONAL_DATABASE, cli.NO_DATABASE]
    assert sum(len(g) for g in groups) == len(set().union(*groups)), "a command is in two groups"
    assert set().union(*groups) == commands
    assert {name.split()[0] for name in NEEDS_SCHEMA} == cli.NEEDS_SCHEMA  # each is tried below


@pytest.mark.parametrize("name", NEEDS_SCHEMA)
def test_a_command_on_an_empty_database_says_so_in_one_line(empty, name):
    path, url = empty
    result = cchc("--database-url", url, *NEEDS_SCHEMA[name])
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.splitlines() == [missing(url)], result.stderr
    assert result.stdout == ""
    assert tables(path) == []  # nothing was created on the way


def test_the_database_url_comes_from_the_environment_and_its_password_is_never_printed(tmp_path):
    """CCHC_DATABASE_URL (or the older DATABASE_URL) names the database; a server that is not there is one line."""
    url = f"sqlite:///{tmp_path / 'env.db'}"
    env = {**os.environ, "CCHC_DATABASE_URL": url, "DATABASE_URL": "sqlite:///elsewhere.db"}
    result = subprocess.run([str(CCHC), "plans"], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.splitlines() == [missing(url)]
    env = {k: v for k, v in os.environ.items() if k != "CCHC_DATABASE_URL"} | {"DATABASE_URL": url}
    result = subprocess.run([str(CCHC), "plans"], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.splitlines() == [missing(url)]
    result = cchc("--database-url", "postgresql://cchc:bi-mat@127.0.0.1:1/cchc", "plans")
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("Không mở được cơ sở dữ liệu (postgresql://cchc:***@127.0.0.1:1/cchc): ")
    assert "bi-mat" not in result.stderr and "Traceback" not in result.stderr


def test_duties_and_simulate_year_read_the_plan_file_when_the_database_was_never_initialised(empty, capsys):
    """They need no database: as for a plan that is not loaded, they read processes/plans."""
    path, url = empty
    assert cli.main(["--database-url", url, "duties", "--plan", "hue"]) == 0
    assert "HUE-TTHC-01\tTTRA" in capsys.readouterr().out
    assert cli.main(["--database-url", url, "simulate-year", "--plan", "thanh-hoa", "--year", "2027"]) == 0
    assert "(cơ sở dữ liệu mới từ thanh-hoa.yaml)" in capsys.readouterr().out
    assert tables(path) == []


def test_init_db_creates_then_finds_the_schema_at_head_and_the_other_commands_then_run(empty, capsys):
    path, url = empty
    assert cli.main(["--database-url", url, "init-db"]) == 0
    assert capsys.readouterr().out == f"Đã tạo cơ sở dữ liệu (phiên bản {HEAD}): {url}\n"
    assert cli.main(["--database-url", url, "init-db"]) == 0
    assert capsys.readouterr().out == f"Cơ sở dữ liệu đã ở phiên bản mới nhất ({HEAD}): {url}\n"
    assert cli.main(["--database-url", url, "plans"]) == 0
    assert cli.main(["--database-url", url, "instances"]) == 0
    assert capsys.readouterr() == ("", "")


def test_an_older_schema_is_refused_until_init_db_upgrades_it(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(url)
    with db.engine.begin() as c:
        command.upgrade(_alembic_config(c), "0004")
    refusal = f'Cơ sở dữ liệu ({url}) đang ở phiên bản 0004, phần mềm cần {HEAD}: chạy "cchc init-db" để nâng cấp.'
    assert cli.main(["--database-url", url, "plans"]) == 1
    assert capsys.readouterr().err == refusal + "\n"
    with pytest.raises(SchemaNotReady) as caught:
        create_app({"DATABASE_URL": url, "TESTING": True})
    assert str(caught.value) == refusal
    assert db.schema_revisions() == ("0004",)  # neither upgraded it
    assert cli.main(["--database-url", url, "init-db"]) == 0
    assert capsys.readouterr().out == f"Đã nâng cấp cơ sở dữ liệu từ phiên bản 0004 lên {HEAD}: {url}\n"
    assert create_app({"DATABASE_URL": url, "TESTING": True}).test_client().get("/login").status_code == 200
    db.engine.dispose()


def test_a_schema_from_a_newer_release_is_left_alone(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    db = Database(url)
    db.migrate()
    with db.engine.begin() as c:
        c.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    for argv in (["plans"], ["init-db"], ["load-demo"]):
        assert cli.main(["--database-url", url, *argv]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"Cơ sở dữ liệu ({url}) ở phiên bản 0099 mà phiên bản cchc-flow này không biết"), err
        assert len(err.splitlines()) == 1
    assert db.schema_revisions() == ("0099",)
    db.engine.dispose()


def test_the_web_app_refuses_an_empty_database_and_does_not_create_the_schema(empty):
    path, url = empty
    with pytest.raises(SchemaNotReady) as caught:
        create_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "x"})
    assert str(caught.value) == missing(url)
    assert tables(path) == []


def test_a_typo_in_a_setting_stops_the_command_with_the_variable_named(tmp_path):
    env = {**os.environ, "CCHC_PROXY_HOPS": "hai"}
    result = subprocess.run([str(CCHC), "--database-url", f"sqlite:///{tmp_path / 'x.db'}", "plans"],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1
    assert result.stderr == "Lỗi: CCHC_PROXY_HOPS: 'hai' không phải số nguyên không âm\n"


# --- several upgrades at once on PostgreSQL ----------------------------------------------------------------------


@pytest.fixture
def pg_empty():
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL: CCHC_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server (run through `make test`)")
    database = Database(PG_URL)
    database.drop_all()
    yield database
    database.engine.dispose()


@pytest.mark.postgres
def test_three_init_db_at_once_on_postgres_take_turns(pg_empty):
    """Three `cchc init-db` started together: one creates the schema, the other two wait for its lock and find it
    done (without the lock they race on CREATE TABLE and fail)."""
    runs = [subprocess.Popen([str(CCHC), "--database-url", PG_URL, "init-db"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outcomes = [(run.wait(120), *run.communicate()) for run in runs]
    assert [code for code, _, _ in outcomes] == [0, 0, 0], outcomes
    said = sorted(out.split(" (")[0] for _, out, _ in outcomes)
    assert said == ["Cơ sở dữ liệu đã ở phiên bản mới nhất"] * 2 + ["Đã tạo cơ sở dữ liệu"], outcomes
    with pg_empty.engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [HEAD]


@pytest.mark.postgres
def test_init_db_on_postgres_waits_for_the_migration_lock(pg_empty):
    """While someone holds the migration lock, init-db waits for it (it is not just lucky timing above)."""
    with pg_empty.engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        holder.commit()
        run = subprocess.Popen([str(CCHC), "--database-url", PG_URL, "init-db"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        waiting = 0
        deadline = time.monotonic() + 60
        while not waiting and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            with pg_empty.engine.connect() as c:
                waiting = c.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                         "AND NOT granted")).scalar()
        assert waiting == 1 and run.poll() is None, run.communicate()
        holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
        holder.commit()
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0 and out.startswith("Đã tạo cơ sở dữ liệu"), (out, err)


def test_two_init_db_at_once_on_sqlite_take_turns(empty):
    """SQLite's BEGIN IMMEDIATE does for a file what the advisory lock does on PostgreSQL."""
    path, url = empty
    results: list[subprocess.CompletedProcess] = []
    threads = [threading.Thread(target=lambda: results.append(cchc("--database-url", url, "init-db")))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert sorted(r.stdout.split(" (")[0] for r in results) == ["Cơ sở dữ liệu đã ở phiên bản mới nhất",
                                                              "Đã tạo cơ sở dữ liệu"]
