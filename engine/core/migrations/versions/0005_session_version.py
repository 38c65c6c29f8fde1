"""session_version on app_user: logging out ends the sessions issued before, server-side

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A constant server default lets SQLite add a NOT NULL column in place; existing users start at 0.
    op.add_column("app_user", sa.Column("session_version", sa.Integer(), nullable=False, server_default=sa.text("0")))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as b:
        b.drop_column("session_version")
