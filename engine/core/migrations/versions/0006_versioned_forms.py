"""Forms stored with each process version; the worklist index starts with the organisation

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Versions deployed before keep '{}' and read the forms folder, as they always did.
    op.add_column("process_definition", sa.Column("forms_json", sa.Text(), nullable=False,
                                                  server_default=sa.text("'{}'")))
    op.drop_index("ix_work_item_open", table_name="work_item")
    op.create_index("ix_work_item_worklist", "work_item", ["org_id", "state", "role", "unit_code"])


def downgrade() -> None:
    op.drop_index("ix_work_item_worklist", table_name="work_item")
    op.create_index("ix_work_item_open", "work_item", ["state", "role", "unit_code"])
    with op.batch_alter_table("process_definition") as b:
        b.drop_column("forms_json")
