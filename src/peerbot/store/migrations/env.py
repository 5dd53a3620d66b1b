"""Alembic environment: peerbot always hands over an open connection in a transaction."""

from alembic import context

from peerbot.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run peerbot's migrations with `peerbot db upgrade`, not the alembic command")

context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
