"""Where peerbot keeps state: ids, times, categories, scores and settings; never message text.

``Store`` is the protocol the engine codes against; ``SqlStore`` is the one implementation
(SQLAlchemy 2 asyncio: SQLite via aiosqlite by default, PostgreSQL via asyncpg). Every
"exactly once" promise (an event id, a prompt per local date, a crisis alert per message)
is a unique constraint in the database, so several processes can share one database; the
schema is versioned with Alembic migrations (``peerbot.store.migrate``).
"""

from peerbot.store.protocol import (
    DELIVERIES,
    OUTCOMES,
    AuditEntry,
    CrisisAlert,
    DatabaseUnavailable,
    JoinRecord,
    NewNudge,
    NudgeClaim,
    NudgeRecord,
    SchemaError,
    Stats,
    Store,
    StoreUnavailable,
)
from peerbot.store.serving import open_store_from
from peerbot.store.sql import SqlStore, open_store

__all__ = [
    "DELIVERIES", "OUTCOMES", "AuditEntry", "CrisisAlert", "DatabaseUnavailable", "JoinRecord", "NewNudge",
    "NudgeClaim", "NudgeRecord",
    "SchemaError", "SqlStore", "Stats", "Store", "StoreUnavailable", "open_store", "open_store_from",
]
