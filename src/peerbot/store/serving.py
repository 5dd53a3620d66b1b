"""The store a serving process uses: the database of its settings, kept working through an
outage (``peerbot.store.resilient``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DBAPIError

from peerbot.settings import mask_url
from peerbot.store.faults import describe_error
from peerbot.store.protocol import DatabaseUnavailable
from peerbot.store.resilient import ResilientStore
from peerbot.store.sql import open_store


async def open_store_from(settings: Any) -> ResilientStore:
    """``open_store`` with the database settings of a ``Settings``, for commands that serve:
    raises ``SchemaError`` or ``DatabaseUnavailable`` with a message for the operator. The
    store returned keeps serving from memory if the database goes away later
    (``peerbot.store.resilient``)."""
    try:
        store = await open_store(
            settings.database_url, migrate=settings.database_migrate, schema=settings.database_schema,
            pool_size=settings.database_pool_size,
        )
    except (OSError, DBAPIError) as exc:
        raise DatabaseUnavailable(
            f"cannot use the database at {mask_url(settings.database_url)} ({describe_error(exc)})"
        ) from None
    return ResilientStore(store, timeout=getattr(settings, "database_timeout_seconds", 10.0),
                          retry_seconds=getattr(settings, "database_retry_seconds", 5.0))
