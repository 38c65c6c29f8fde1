"""Database connection (an SQLite file, or PostgreSQL to scale out; the URL comes from engine.core.config.Settings),
its schema's state, and the one place the schema is upgraded (`Database.migrate`, run by `cchc init-db`)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, class_mapper, make_transient_to_detached, sessionmaker
from sqlalchemy.orm.attributes import instance_dict, set_committed_value

from engine.core.errors import EngineError
from engine.core.models import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# pg_advisory_xact_lock key of schema upgrades ("cchcflow" as a number): one upgrade at a time per server.
MIGRATION_LOCK = int.from_bytes(b"cchcflow", "big") & (2**63 - 1)

INIT_HINT = 'chạy "cchc init-db" (hoặc "cchc load-demo" để có dữ liệu mẫu)'


class SchemaNotReady(EngineError):
    """The database has no cchc schema, or not the revision this code needs; the message is one line saying
    which database, what is wrong and the command that fixes it. `state` is "missing" (no schema at all),
    "behind" (an older revision: init-db upgrades it), "unknown" (a revision this code does not have, e.g. from
    a newer release) or "unreachable" (the database could not be opened)."""

    def __init__(self, message: str, state: str):
        super().__init__(message)
        self.state = state


def shown_url(url: str) -> str:
    """The URL as it may be printed: a password in it is masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def make_engine(url: str) -> Engine:
    """Create an SQLAlchemy engine; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        _private_file(Path(url.removeprefix("sqlite:///")))
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # IMMEDIATE takes the write lock up front: a deferred transaction that reads first and writes
            # later fails with SQLITE_BUSY when another writer got in between, instead of waiting. A read-only
            # unit of work takes no lock at all (WAL readers see the last commit), so a long write — a script
            # stopped by the sandbox, say — never holds up other users' pages.
            options = conn.get_execution_options()
            if options.get(BY_STATEMENT):
                return  # no transaction: each statement reads the last commit on its own (autocommit)
            conn.exec_driver_sql("BEGIN" if options.get(READ_ONLY) else "BEGIN IMMEDIATE")
    return engine


READ_ONLY = "cchc_read_only"
BY_STATEMENT = "cchc_by_statement"


# Rows read and written with Core statements on the hot path (the ORM's loading and flushing cost several times
# the statements there), and the ORM objects of the same rows: an object the session holds is kept in step with
# what those statements read and wrote, so callers that use ORM objects see the values they saw before.

def held(session: Session, cls, ident):
    """The session's object of `cls` with primary key `ident`, if it holds one (no query), else None."""
    return session.identity_map.get(class_mapper(cls).identity_key_from_primary_key((ident,)))


def set_loaded(obj, values) -> None:
    """Record on a persistent object values its row has in the database (read or just written by a Core
    statement): no pending change, so nothing is flushed again."""
    for name, value in values.items():
        set_committed_value(obj, name, value)


def keep_in_step(session: Session, cls, ident, values) -> None:
    """set_loaded() on the session's object of that row, if it holds one (as populate_existing would)."""
    obj = held(session, cls, ident)
    if obj is not None:
        set_loaded(obj, values)


def as_loaded(session: Session, cls, values):
    """The persistent `cls` object of a row read with a Core statement (all the table's columns), as if the
    session had loaded it: an object the session holds gets these values, else a clean one joins it."""
    found = held(session, cls, values["id"])
    if found is None:
        found = detached(cls, values)
        session.add(found)
    else:
        set_loaded(found, values)
    return found


def detached(cls, values):
    """A `cls` object of a row with these column values (all of them), in no session: as one loaded by a session
    since closed. Made as the ORM's loading makes one (a new instance, its dict filled), not through the
    constructor, whose attribute events cost several times as much."""
    found = class_mapper(cls).class_manager.new_instance()  # (class_mapper configures the mappers first)
    instance_dict(found).update(values)
    make_transient_to_detached(found)  # its values are what the database holds, with no pending change
    return found


def _private_file(path: Path) -> None:
    """The database file (password hashes, evidence files) and its folder readable by the owner only; SQLite
    gives its -wal and -shm files the database file's mode."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for item, mode in ((path, 0o600), (path.with_name(path.name + "-wal"), 0o600),
                       (path.with_name(path.name + "-shm"), 0o600)):
        if item.exists() and item.stat().st_mode & 0o077:
            item.chmod(mode)


def _alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(the newest revisions, every revision) of engine/core/migrations."""
    script = ScriptDirectory.from_config(_alembic_config())
    return frozenset(script.get_heads()), frozenset(r.revision for r in script.walk_revisions())


class Database:
    """An engine plus a session factory; `session()` is a unit of work that commits or rolls back."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._read_factory = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
        self._rows_engine = self.engine.execution_options(**{READ_ONLY: True, BY_STATEMENT: True})

    @property
    def in_memory(self) -> bool:
        """An SQLite database in this process's memory: nobody else can have created its schema."""
        return self.engine.dialect.name == "sqlite" and self.engine.url.database in (None, "", ":memory:")

    def schema_revisions(self) -> tuple[str, ...]:
        """The Alembic revisions the database is at; empty when it has no cchc schema (no alembic_version)."""
        with self.engine.execution_options(**{READ_ONLY: True}).connect() as connection:  # no write lock
            return tuple(MigrationContext.configure(connection).get_current_heads())

    def check_schema(self) -> None:
        """Return if the schema is at the newest revision, else raise SchemaNotReady (also when the database
        cannot be opened). Nothing is changed: only `migrate` (cchc init-db) upgrades."""
        where = shown_url(self.url)
        try:
            current = set(self.schema_revisions())
        except SQLAlchemyError as exc:
            reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]
            raise SchemaNotReady(f"Không mở được cơ sở dữ liệu ({where}): {reason}", "unreachable") from None
        heads, known = _revisions()
        if current == heads:
            return
        if not current:
            raise SchemaNotReady(f"Cơ sở dữ liệu chưa được khởi tạo ({where}): {INIT_HINT}.", "missing")
        at, needed = ", ".join(sorted(current)), ", ".join(sorted(heads))
        if current <= known:
            raise SchemaNotReady(f"Cơ sở dữ liệu ({where}) đang ở phiên bản {at}, phần mềm cần {needed}: "
                                 'chạy "cchc init-db" để nâng cấp.', "behind")
        raise SchemaNotReady(f"Cơ sở dữ liệu ({where}) ở phiên bản {at} mà phiên bản cchc-flow này không biết "
                             f"(cần {needed}): dùng bản cchc-flow đã nâng cấp cơ sở dữ liệu này.", "unknown")

    def migrate(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Bring the schema to the newest Alembic revision (creates it on an empty database); the revisions
        (before, after), read inside the upgrade's transaction, so a run that waited for another finds nothing
        left to do. Only `cchc init-db` and `cchc load-demo` call it: the web app and the other commands check the
        schema and refuse instead, so an upgrade happens when an operator asks for it, not as a side effect of
        starting a web worker."""
        if self.engine.dialect.name != "sqlite":
            with self.engine.begin() as connection:
                if self.engine.dialect.name == "postgresql":
                    # Several init-db runs (or deploy scripts on several hosts) at once: the first upgrades,
                    # the others wait here and then find the schema at head. The lock belongs to the
                    # transaction, so it is released at commit or rollback, even if this process dies.
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                return self._upgrade(connection)
        # SQLite alters a table by copying it (Alembic batch mode), which foreign-key enforcement would block;
        # the pragma only takes effect outside a transaction, and the check after proves nothing was orphaned.
        # The transaction starts with BEGIN IMMEDIATE (make_engine), so a second upgrade waits for the first.
        with self.engine.connect() as connection:
            raw = connection.connection.driver_connection  # outside SQLAlchemy's transaction, so it applies
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    revisions = self._upgrade(connection)
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left dangling foreign keys: {broken[:5]}")
            finally:
                raw.execute("PRAGMA foreign_keys=ON")
        return revisions

    @staticmethod
    def _upgrade(connection) -> tuple[tuple[str, ...], tuple[str, ...]]:
        before = tuple(MigrationContext.configure(connection).get_current_heads())
        command.upgrade(_alembic_config(connection), "head")
        return before, tuple(MigrationContext.configure(connection).get_current_heads())

    def drop_all(self) -> None:
        """Drop every table, the Alembic version table included (tests only)."""
        Base.metadata.drop_all(self.engine)
        with self.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            if self.engine.dialect.name == "postgresql":
                connection.exec_driver_sql("DROP FUNCTION IF EXISTS audit_event_append_only()")

    @contextmanager
    def session(self):
        s: Session = self._factory()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    @contextmanager
    def read(self):
        """A unit of work that only reads: it takes no write lock on SQLite and never commits."""
        s: Session = self._read_factory()
        try:
            yield s
        finally:
            s.close()  # ends the transaction without expiring what was loaded (callers read it afterwards)

    @contextmanager
    def read_rows(self):
        """A plain connection for reads of rows (Core statements, no ORM objects) that one statement answers, or
        whose further statements may as well see a later commit (a version's definition, which never changes;
        whether a unit takes part in an instance, which only grows): the reads every request makes (its actor,
        a task's form), at a fraction of read()'s cost. On SQLite each statement runs on its own, in
        autocommit (no BEGIN), and so reads the last commit as a transaction's first statement would."""
        with self._rows_engine.connect() as connection:
            yield connection
