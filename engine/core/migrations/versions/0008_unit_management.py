"""The unit's manager: a Trưởng phòng's review of a supporting unit's contribution (unit_review); claims use
work_item.assignee_id, which exists already, now indexed (the steps delegated to a person)

Revision ID: 0008_unit_management
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_unit_management"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("instance_id", sa.Integer(), sa.ForeignKey("process_instance.id"), nullable=False),
        sa.Column("work_item_id", sa.Integer(), sa.ForeignKey("work_item.id"), nullable=False),
        sa.Column("review_task_id", sa.String(36), nullable=False, unique=True),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.String(80), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(80), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
    )
    op.create_index("ix_unit_review_instance_id", "unit_review", ["instance_id"])
    op.create_index("ix_unit_review_item", "unit_review", ["work_item_id", "state"])
    op.create_index("ix_work_item_assignee", "work_item", ["assignee_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_work_item_assignee", table_name="work_item")
    op.drop_index("ix_unit_review_item", table_name="unit_review")
    op.drop_index("ix_unit_review_instance_id", table_name="unit_review")
    op.drop_table("unit_review")
