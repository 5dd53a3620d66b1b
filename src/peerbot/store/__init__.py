"""Where peerbot keeps state: ids, times, categories, scores and settings; never message text.

``Store`` is the protocol the engine codes against; ``SqlStore`` is the one implementation
(SQLAlchemy 2 asyncio: SQLite via aiosqlite by default, PostgreSQL via asyncpg). Every
"exactly once" promise (an event id, a prompt per local date, a crisis alert per message)
is a unique constraint in the database, so several processes can share one database.
"""

from peerbot.store.protocol import (
    AuditEntry,
    JoinRecord,
    NudgeRecord,
    Stats,
    Store,
)
from peerbot.store.sql import SqlStore, open_store

__all__ = ["AuditEntry", "JoinRecord", "NudgeRecord", "SqlStore", "Stats", "Store", "open_store"]
