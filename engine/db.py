"""Database connection: SQLite file by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .models import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

DEFAULT_SQLITE = Path(os.environ.get("CCHC_INSTANCE_DIR", "instance")) / "cchc.db"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str | None = None) -> Engine:
    """Create an SQLAlchemy engine; SQLite gets WAL, a busy timeout and foreign keys."""
    url = url or database_url()
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
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")
    return engine


READ_ONLY = "cchc_read_only"


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


class Database:
    """An engine plus a session factory; `session()` is a unit of work that commits or rolls back."""

    def __init__(self, url: str | None = None):
        self.engine = make_engine(url)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._read_factory = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}),
                                          expire_on_commit=False)

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (creates it on an empty database)."""
        if self.engine.dialect.name != "sqlite":
            with self.engine.begin() as connection:
                command.upgrade(_alembic_config(connection), "head")
            return
        # SQLite alters a table by copying it (Alembic batch mode), which foreign-key enforcement would block;
        # the pragma only takes effect outside a transaction, and the check after proves nothing was orphaned.
        with self.engine.connect() as connection:
            raw = connection.connection.driver_connection  # outside SQLAlchemy's transaction, so it applies
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    command.upgrade(_alembic_config(connection), "head")
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left dangling foreign keys: {broken[:5]}")
            finally:
                raw.execute("PRAGMA foreign_keys=ON")

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
