"""Schema migrations keep data: 0003 makes logins unique per organisation on a database that has users."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy.exc import IntegrityError

from engine.core.db import Database, _alembic_config


def test_upgrade_from_0002_keeps_users_and_grants(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    with db.engine.begin() as c:
        command.upgrade(_alembic_config(c), "0002")
        c.exec_driver_sql("INSERT INTO organisation(code, name, province) VALUES ('a', 'Sở A', 'Tỉnh A'),"
                          " ('b', 'Sở B', 'Tỉnh B')")
        c.exec_driver_sql("INSERT INTO unit(org_id, code, name, kind, sort_order) VALUES (1, 'VP', 'Văn phòng', "
                          "'department', 0), (2, 'VP', 'Văn phòng', 'department', 0)")
        c.exec_driver_sql("INSERT INTO app_user(org_id, login, full_name, title, email, unit_id, password_hash, active)"
                          " VALUES (1, 'giamdoc', 'Nguyễn Văn Á', '', '', 1, 'h', 1)")
        c.exec_driver_sql("INSERT INTO role_grant(user_id, role, unit_id) VALUES (1, 'approver', 1)")
    db.migrate()
    with db.engine.begin() as c:
        assert c.exec_driver_sql("SELECT full_name FROM app_user").scalar() == "Nguyễn Văn Á"
        assert c.exec_driver_sql("SELECT count(*) FROM role_grant").scalar() == 1
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        c.exec_driver_sql("INSERT INTO app_user(org_id, login, full_name, title, email, unit_id, password_hash, "
                          "active) VALUES (2, 'giamdoc', 'Trần Văn B', '', '', 2, 'h', 1)")
    with pytest.raises(IntegrityError), db.engine.begin() as c:
        c.exec_driver_sql("INSERT INTO app_user(org_id, login, full_name, title, email, unit_id, password_hash, "
                          "active) VALUES (2, 'giamdoc', 'Trùng', '', '', 2, 'h', 1)")
    db.engine.dispose()
