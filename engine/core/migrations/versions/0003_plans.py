"""Duty registries (plan table); logins unique per organisation, so each Sở names its own accounts.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_key", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source_file", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("registry_json", sa.Text(), nullable=False),
        sa.Column("active_from", sa.DateTime(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_key"),
    )
    op.create_index("ix_plan_org_id", "plan", ["org_id"])
    if op.get_bind().dialect.name == "sqlite":
        # SQLite's unique constraint from 0001 has no name; name it by convention so batch mode can drop it.
        # (Database.migrate turns foreign keys off around SQLite migrations: batch mode copies the table.)
        with op.batch_alter_table("app_user", naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}) as b:
            b.drop_constraint("uq_app_user_login", type_="unique")
            b.create_unique_constraint("uq_user_org_login", ["org_id", "login"])
    else:
        op.drop_constraint("app_user_login_key", "app_user", type_="unique")
        op.create_unique_constraint("uq_user_org_login", "app_user", ["org_id", "login"])


def downgrade() -> None:
    with op.batch_alter_table("app_user") as b:
        b.drop_constraint("uq_user_org_login", type_="unique")
        b.create_unique_constraint("app_user_login_key", ["login"])
    op.drop_index("ix_plan_org_id", table_name="plan")
    op.drop_table("plan")
