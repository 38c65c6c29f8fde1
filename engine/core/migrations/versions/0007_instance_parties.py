"""The units taking part in each instance (instance_unit) and each organisation's CCHC focal unit, for the one
authorization policy; filled in for what exists

Revision ID: 0007
Revises: 0006
"""

import json

import sqlalchemy as sa
import yaml
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _start_data(state: str) -> dict:
    """The root task's data of a stored instance state (its start data: supporting units, approver unit)."""
    try:
        doc = json.loads(state)
        return dict(doc["tasks"][doc["root"]].get("data") or {})
    except (ValueError, KeyError, TypeError):
        return {}


def upgrade() -> None:
    op.add_column("organisation", sa.Column("focal_unit_code", sa.String(40), nullable=True))
    op.create_table(
        "instance_unit",
        sa.Column("instance_id", sa.Integer(), sa.ForeignKey("process_instance.id"), primary_key=True),
        sa.Column("unit_code", sa.String(40), primary_key=True),
        sa.Column("part", sa.String(20), primary_key=True),
    )
    op.create_index("ix_instance_unit_unit", "instance_unit", ["unit_code", "instance_id"])
    conn = op.get_bind()
    for org_id, registry_json in conn.execute(sa.text("SELECT org_id, registry_json FROM plan")).all():
        try:
            functions = yaml.safe_load(json.loads(registry_json)["text"]).get("functions") or {}
        except (ValueError, KeyError, AttributeError, yaml.YAMLError):
            continue
        if functions.get("cchc_focal"):
            conn.execute(sa.text("UPDATE organisation SET focal_unit_code = :u WHERE id = :o"),
                         {"u": str(functions["cchc_focal"]), "o": org_id})
    rows = []
    for instance_id, lead, state in conn.execute(sa.text("SELECT id, lead_unit_code, state FROM process_instance")):
        data = _start_data(state)
        parts = {(lead, "lead")}
        parts |= {(str(u), "supporting") for u in data.get("supporting_units") or [] if str(u) != lead}
        parts.add((str(data.get("approver_unit") or "BGD"), "approver"))
        rows += [{"i": instance_id, "u": unit, "p": part} for unit, part in parts]
    for instance_id, unit, role in conn.execute(sa.text("SELECT DISTINCT instance_id, unit_code, role FROM work_item")):
        part = {"lead_unit": "lead", "approver": "approver"}.get(role, "supporting")
        rows.append({"i": instance_id, "u": unit, "p": part})
    unique = list({(r["i"], r["u"], r["p"]): r for r in rows}.values())
    if unique:
        conn.execute(sa.text("INSERT INTO instance_unit (instance_id, unit_code, part) VALUES (:i, :u, :p)"), unique)


def downgrade() -> None:
    op.drop_index("ix_instance_unit_unit", table_name="instance_unit")
    op.drop_table("instance_unit")
    with op.batch_alter_table("organisation") as b:
        b.drop_column("focal_unit_code")
