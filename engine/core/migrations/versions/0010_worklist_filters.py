"""Worklist filters: step names and duty titles folded for search, the indexes of Việc của đơn vị and Việc đã
làm, and saved filters; the folded text filled in for what exists

Revision ID: 0010_worklist_filters
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from engine.core.search_text import fold

revision = "0010_worklist_filters"
down_revision = "0009_task_page"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("process_instance", sa.Column("search_text", sa.Text(), nullable=True))
    op.add_column("work_item", sa.Column("search_text", sa.Text(), nullable=True))
    op.create_index("ix_work_item_unit", "work_item", ["org_id", "state", "unit_code"])
    op.create_index("ix_work_item_done", "work_item", ["org_id", "completed_by", "closed_at"])
    op.create_table(
        "saved_filter",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("list_name", sa.String(20), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "list_name", "name", name="uq_saved_filter_name"),
    )
    op.create_index("ix_saved_filter_user_id", "saved_filter", ["user_id"])
    conn = op.get_bind()
    titles = dict(conn.execute(sa.text("SELECT id, title FROM process_instance")).all())
    if titles:
        conn.execute(sa.text("UPDATE process_instance SET search_text = :t WHERE id = :i"),
                     [{"i": i, "t": fold(title)} for i, title in titles.items()])
    items = conn.execute(sa.text("SELECT id, instance_id, name FROM work_item")).all()
    if items:
        conn.execute(sa.text("UPDATE work_item SET search_text = :t WHERE id = :i"),
                     [{"i": i, "t": fold(f"{name} {titles.get(inst, '')}")} for i, inst, name in items])


def downgrade() -> None:
    op.drop_index("ix_saved_filter_user_id", table_name="saved_filter")
    op.drop_table("saved_filter")
    op.drop_index("ix_work_item_done", table_name="work_item")
    op.drop_index("ix_work_item_unit", table_name="work_item")
    with op.batch_alter_table("work_item") as b:
        b.drop_column("search_text")
    with op.batch_alter_table("process_instance") as b:
        b.drop_column("search_text")
