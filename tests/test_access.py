"""The one authorization policy (engine.core.access), as users expect it: supporting units and the CCHC focal unit
see an instance read-only, the leadership sees everything of its organisation, an uninvolved unit and another
organisation see nothing; the instance page, its list, its evidence and its export all follow the same rule."""

from __future__ import annotations

import pytest
from alembic import command

from engine import service
from engine.core import access, roles
from engine.core.db import Database, _alembic_config
from engine.core.errors import Forbidden, NotFound
from engine.plugins.index_self_assessment import api
from engine.plugins.index_self_assessment.appraisal_export import EXPORT_NAME as EXPORT
from engine.runtime import worklist
from tests.helpers import open_item, start_review
from tests.test_index_self_assessment import PDF, add_file
from tests.test_index_self_assessment import start as start_self_assessment


def _sees(db, who, instance_id) -> bool:
    try:
        service.instance_view(db, who, instance_id)
    except NotFound:
        return False
    return True


def _listed(db, who, instance_id) -> bool:
    return instance_id in {i.id for i in service.list_instances(db, who)}


def test_who_sees_an_instance_page_and_its_list_entry(db, actor):
    inst = start_review(db, actor, supporting=("KHTC", "NVY"))  # no supporting unit has a step yet
    expected = {
        "tt.chuyenvien": True,  # lead unit
        "khtc.chuyenvien": True, "nvy.chuyenvien": True,  # supporting units, before their first step
        "vp.chuyenvien": True,  # the CCHC focal unit of Huế's plan (cchc_focal: VP)
        "giamdoc": True, "admin": True,  # leadership, administrator
        "tccb.chuyenvien": False, "nvd.truongphong": False,  # units with no part in it
    }
    for login, sees in expected.items():
        who = actor(login)
        assert (_sees(db, who, inst.id), _listed(db, who, inst.id)) == (sees, sees), login
    for login in ("admin", "giamdoc", "tt.chuyenvien"):  # another Sở's people, whatever their roles
        stranger = actor(login, org="syt-quang-ngai")
        assert not _sees(db, stranger, inst.id) and not _listed(db, stranger, inst.id), login


def test_seeing_is_not_acting(db, actor):
    inst = start_review(db, actor, supporting=("KHTC",))
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    for login in ("khtc.chuyenvien", "vp.chuyenvien", "giamdoc"):
        who = actor(login)
        assert service.task_context(db, who, step.task_id)["can_act"] is False, login
        with pytest.raises(Forbidden):
            service.complete_task(db, who, step.task_id, {"scope": "x", "contribute_due": "2026-12-20"})
    with pytest.raises(NotFound):
        service.task_context(db, actor("tccb.chuyenvien"), step.task_id)
    with pytest.raises(Forbidden):  # seeing every instance does not make the focal unit an administrator
        service.cancel_instance(db, actor("vp.chuyenvien"), inst.id, "")


def test_evidence_and_export_follow_the_instance_rule(db, actor):
    """A supporting unit (a criterion owner) sees the instance, its evidence and its export alike; a unit with no
    part sees none of them (before, the owner got 404 on the instance yet could download its files)."""
    inst = start_self_assessment(db, actor)
    row = add_file(db, actor("tt.chuyenvien"), inst.id, "2.1", "a.pdf", PDF)
    owner, outsider = actor("khtc.chuyenvien"), actor("nvd.chuyenvien")
    assert _sees(db, owner, inst.id)
    assert api.open_evidence(db, owner, row.id)[1] == PDF
    assert service.export_instance(db, owner, inst.id, EXPORT).content[:2] == b"PK"
    assert not _sees(db, outsider, inst.id)
    for attempt in (lambda: api.open_evidence(db, outsider, row.id),
                    lambda: service.export_instance(db, outsider, inst.id, EXPORT)):
        with pytest.raises(NotFound):
            attempt()


def test_starting_claiming_and_reassigning(db, actor):
    inst = start_review(db, actor, supporting=("KHTC",))
    with pytest.raises(Forbidden):
        service.start_instance(db, actor("khtc.chuyenvien"), "legal_document_review", lead_unit="TTRA",
                               period="2030")
    step = open_item(db, actor("tt.chuyenvien"), "start_review", inst.id)
    with db.read() as s:
        item = worklist.item_for_task(s, step.task_id)
        assert access.check_step(s, actor("tt.chuyenvien"), item, access.Action.CLAIM_TASK) is item
        assert access.check_step(s, actor("tt.truongphong"), item, access.Action.REASSIGN_TASK) is item
        with pytest.raises(Forbidden):  # a chuyên viên does not reassign the unit's work
            access.check_step(s, actor("tt.chuyenvien"), item, access.Action.REASSIGN_TASK)
        with pytest.raises(Forbidden):  # nor does another unit's head
            access.check_step(s, actor("khtc.truongphong"), item, access.Action.REASSIGN_TASK)
    assert (roles.UNIT_HEAD, "TTRA") in actor("tt.truongphong").grants


def test_the_migration_fills_in_the_parties_of_existing_instances(tmp_path, db_url):
    """An instance started before parties were stored gets them from its start data and its work items."""
    from shutil import copy

    from sqlalchemy import text

    from tests.conftest import DEMO_ORG

    path = tmp_path / "old.db"
    copy(db_url.removeprefix("sqlite:///"), path)
    old = Database(f"sqlite:///{path}")
    inst = start_review(old, lambda login: service.actor_for_login(old, login, DEMO_ORG), supporting=("KHTC", "NVY"))
    with old.engine.connect() as connection:  # back to 0006, as Database.migrate upgrades (SQLite copies tables)
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        with connection.begin():
            command.downgrade(_alembic_config(connection), "0006")
        raw.execute("PRAGMA foreign_keys=ON")
    old.migrate()
    with old.engine.connect() as c:
        parts = set(c.execute(text("SELECT unit_code, part FROM instance_unit WHERE instance_id = :i"),
                              {"i": inst.id}).all())
        focal = c.execute(text("SELECT focal_unit_code FROM organisation WHERE code = :c"), {"c": DEMO_ORG}).scalar()
    assert parts == {("TTRA", "lead"), ("KHTC", "supporting"), ("NVY", "supporting"), ("BGD", "approver")}
    assert focal == "VP"
    old.engine.dispose()


def test_the_start_page_offers_the_lead_units_the_policy_lets_one_start_for(db, actor):
    """The start page's choice of lead unit is the policy's rule (start_instance's), not one of the view's: a
    chuyên viên gets the units they lead, the administrator every working unit, the Giám đốc none."""
    staff, admin, director = (service.start_choices(db, actor(login))
                              for login in ("tt.chuyenvien", "admin", "giamdoc"))
    assert staff.lead_units == ["TTRA"]
    assert admin.lead_units == list(admin.candidates) and "TTRA" in admin.lead_units and "BGD" not in admin.lead_units
    assert director.lead_units == []
    for unit in admin.lead_units:  # every unit offered is one the engine then accepts
        access.check_start(actor("admin"), unit)
    with pytest.raises(Forbidden):
        access.check_start(actor("tt.chuyenvien"), "KHTC")
    # The plan's duties follow the same rule: the Thanh tra's person sees the Thanh tra's duties only, the
    # administrator every lead unit's.
    assert staff.duties and {row["unit"] for row in staff.duties} == {"TTRA"}
    assert len({row["unit"] for row in admin.duties}) > 1 and len(admin.duties) > len(staff.duties)
