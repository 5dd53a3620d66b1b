"""``peerbot stats`` and ``peerbot digest``: moderators' figures, read from the store.

Both read the database in ``database_url`` (or a SQLite file given with ``--db``, such as the
one ``peerbot demo --db FILE`` keeps) and print aggregates only. ``digest`` also draws the
weekly chart to a PNG file, exactly as the bot attaches it to the moderators' channel.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from peerbot.errors import BadInput

EXIT_OK = 0
EXIT_NOTHING = 1


def _run(args: argparse.Namespace, work: Any) -> int:
    from peerbot.store import DatabaseUnavailable, SchemaError, open_store_from

    settings = args.loaded.settings
    if args.db:
        from peerbot.local import sqlite_file_problem

        path = Path(args.db).expanduser().resolve()
        problem = sqlite_file_problem(path) or (None if path.is_file() else "no such database file")
        if problem:
            raise BadInput(f"{args.db}: {problem}")
        settings = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{path}",
                                               "database_schema": None})

    async def main() -> int:
        from peerbot.engine import Engine

        try:
            store = await open_store_from(settings)
        except (SchemaError, DatabaseUnavailable) as exc:
            raise BadInput(str(exc)) from None
        try:
            loaded = args.loaded
            engine = Engine(store, settings, prompts=loaded.prompts, messages=loaded.messages)
            return await work(engine, await _community(store, args))
        finally:
            await store.close()

    return asyncio.run(main())


async def _community(store: Any, args: argparse.Namespace) -> Any:
    from peerbot.adapters.console import PLATFORM, ConsoleCommunity
    from peerbot.events import Community

    found = await store.communities()
    if args.community:
        platform, _, community_id = args.community.partition(":")
        if not community_id:
            raise BadInput(f"--community: expected PLATFORM:ID, e.g. discord:1234, got {args.community!r}")
    elif len(found) == 1:
        platform, community_id = found[0]
    elif not found:
        raise BadInput("nothing is recorded in this database yet")
    else:
        keys = ", ".join(f"{p}:{c}" for p, c in found)
        raise BadInput(f"this database holds several communities ({keys}): choose one with --community")
    name = args.name or ""
    if not name and platform == PLATFORM:
        demo = ConsoleCommunity.__dataclass_fields__["community"].default_factory()  # type: ignore[misc]
        name = demo.name if demo.id == community_id else ""
    return Community(platform, community_id, name or f"{platform}:{community_id}")


async def _latest(engine: Any, community: Any) -> datetime:
    """Now, or the latest activity when the database is older (a demo, an export)."""
    latest = await engine.store.last_activity(community)
    now = datetime.now().astimezone()
    return now if latest is None or latest >= now - timedelta(days=1) else latest


def cmd_stats(args: argparse.Namespace, out: IO[str] | None = None) -> int:
    from peerbot.insight import stats_text
    from peerbot.scheduler import local_midnight

    out = out or sys.stdout

    async def work(engine: Any, community: Any) -> int:
        settings = await engine.community_settings(community)
        if args.until:
            until = local_midnight(args.until, settings)
            label = f"the {args.days} days before {args.until:%a %d %b %Y}"
        else:
            until = await _latest(engine, community) + timedelta(seconds=1)
            label = f"the {args.days} days up to {until.astimezone(settings.zone):%a %d %b %Y %H:%M}"
        stats = await engine.stats(community, until - timedelta(days=args.days), until)
        out.write(stats_text(stats, f"{community.name}, {label} ({settings.timezone}):") + "\n")
        return EXIT_OK

    return _run(args, work)


def cmd_digest(args: argparse.Namespace, out: IO[str] | None = None) -> int:
    from peerbot.charts import png_size
    from peerbot.insight import period_label
    from peerbot.scheduler import week_containing

    out = out or sys.stdout

    async def work(engine: Any, community: Any) -> int:
        settings = await engine.community_settings(community)
        day = args.week_of or (await _latest(engine, community)).astimezone(settings.zone).date()
        start, end = week_containing(day, settings)
        made = await engine.digest(community, start, end, now=datetime.now().astimezone())
        if made is None:
            out.write(f"Nothing was recorded for {community.name} in {period_label(start, end)}: no digest.\n")
            return EXIT_NOTHING
        text, attachment = made
        if not attachment.data:
            raise BadInput("the chart could not be drawn (is matplotlib installed?)")
        try:
            Path(args.out).write_bytes(attachment.data)
        except OSError as exc:
            raise BadInput(f"{args.out}: cannot write ({exc.strerror})") from None
        width, height = png_size(attachment.data)
        out.write(text + f"\nChart: {args.out} ({width}x{height} PNG)\n")
        return EXIT_OK

    return _run(args, work)
