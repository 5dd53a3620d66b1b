"""Alembic migrations for peerbot's schema, shipped inside the package (see ``peerbot.store.migrate``)."""
