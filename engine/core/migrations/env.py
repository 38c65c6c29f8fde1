"""Alembic environment: runs on the connection the engine hands over (see engine.core.db.Database.migrate)."""

from alembic import context

from engine.core.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
