"""The task page: drafts of task forms, an instance's comments, files attached to tasks, contributions sent back
for revision

Revision ID: 0009_task_page
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_task_page"
down_revision = "0008_unit_management"
branch_labels = None
depends_on = None


def _instance_fk() -> sa.Column:
    return sa.Column("instance_id", sa.Integer(), sa.ForeignKey("process_instance.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "task_draft",
        sa.Column("task_id", sa.String(36), primary_key=True),
        _instance_fk(),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.String(80), nullable=False),
        sa.Column("saved_by_name", sa.String(200), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_task_draft_instance_id", "task_draft", ["instance_id"])
    op.create_table(
        "instance_comment",
        sa.Column("id", sa.Integer(), primary_key=True),
        _instance_fk(),
        sa.Column("task_id", sa.String(36), nullable=True),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_instance_comment_instance_id", "instance_comment", ["instance_id"])
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        _instance_fk(),
        sa.Column("task_id", sa.String(36), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(80), nullable=False),
        sa.Column("uploaded_by_name", sa.String(200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_attachment_instance_id", "attachment", ["instance_id"])
    op.create_table(
        "contribution_rework",
        sa.Column("id", sa.Integer(), primary_key=True),
        _instance_fk(),
        sa.Column("consolidation_task_id", sa.String(36), nullable=False),
        sa.Column("contribution_task_id", sa.String(36), nullable=False),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(80), nullable=False),
        sa.Column("requested_by_name", sa.String(200), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("answered_by", sa.String(80), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_contribution_rework_instance_id", "contribution_rework", ["instance_id"])
    op.create_index("ix_contribution_rework_contribution_task_id", "contribution_rework", ["contribution_task_id"])


def downgrade() -> None:
    for table in ("contribution_rework", "attachment", "instance_comment", "task_draft"):
        op.drop_table(table)
