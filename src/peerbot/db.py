"""``peerbot db upgrade | status``: the schema of the database in ``database_url``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from peerbot.settings import mask_url

EXIT_OK = 0
EXIT_BEHIND = 1
EXIT_FAILED = 3


def _run(args: argparse.Namespace, work: Any) -> int:
    from peerbot.store import DatabaseUnavailable, SchemaError
    from peerbot.store.sql import open_store

    settings = args.loaded.settings

    async def main() -> int:
        try:
            store = await open_store(settings.database_url, migrate="off", schema=settings.database_schema,
                                     pool_size=1)
        except (OSError, ValueError) as exc:
            from peerbot.store.sql import describe_error

            raise DatabaseUnavailable(f"cannot use the database at {mask_url(settings.database_url)} "
                                      f"({describe_error(exc)})") from None
        try:
            return await work(store)
        finally:
            await store.close()

    try:
        return asyncio.run(main())
    except SchemaError as exc:
        print(f"peerbot: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except DatabaseUnavailable as exc:
        print(f"peerbot: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a driver error: name it, without the URL's password
        from sqlalchemy.exc import DBAPIError

        if not isinstance(exc, (DBAPIError, OSError)):
            raise
        from peerbot.store.sql import describe_error

        print(f"peerbot: error: cannot use the database at {mask_url(settings.database_url)} "
              f"({describe_error(exc)})", file=sys.stderr)
        return EXIT_FAILED


def cmd_upgrade(args: argparse.Namespace) -> int:
    from peerbot.store.migrate import current, upgrade

    async def work(store: Any) -> int:
        applied = await upgrade(store)
        where = mask_url(args.loaded.settings.database_url)
        if applied:
            print(f"{where}: upgraded to revision {await current(store)} (applied {', '.join(applied)})")
        else:
            print(f"{where}: already at the newest revision {await current(store)}")
        return EXIT_OK

    return _run(args, work)


def cmd_status(args: argparse.Namespace) -> int:
    from peerbot.store.migrate import check, current, head
    from peerbot.store import SchemaError

    async def work(store: Any) -> int:
        revision = await current(store)
        print(f"database: {mask_url(args.loaded.settings.database_url)}")
        print(f"schema revision: {revision or '(none)'}; this peerbot's newest: {head()}")
        try:
            await check(store)
        except SchemaError as exc:
            print(f"behind: {exc}")
            return EXIT_BEHIND
        print("up to date")
        return EXIT_OK

    return _run(args, work)
