"""Two Discord processes, one shard each, sharing one PostgreSQL: each connects and ticks only
its own servers, and every process may run the scheduler because the database arbitrates."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any

import discord
import pytest

from db_kit import Db, pg_db  # noqa: F401 - fixture
from fakes.discord_server import BASIC_PERMISSIONS, FakeDiscord, Guild, Role
from peerbot.actions import Post
from peerbot.adapters.discord import DiscordAdapter, PeerbotShardedClient
from peerbot.engine import Engine
from peerbot.settings import Settings

# 09:01 in New York (EDT) on Monday 10 March 2025: the default prompt time has just passed.
PROMPT_TIME = datetime(2025, 3, 10, 13, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _restore_endpoints():
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


def add_guild_on_other_shard(fake: FakeDiscord) -> Guild:
    """A second server whose id lands on the other of two shards ((id >> 22) % 2)."""
    gid = (((fake.guild.id >> 22) + 1) << 22) | 7  # one millisecond later: the other parity
    guild = Guild(gid, "Second Circle", owner_id=fake.owner.id)
    guild.roles[gid] = Role(gid, "@everyone", permissions=BASIC_PERMISSIONS)
    fake.guilds[gid] = guild
    for name in ("welcome", "general", "moderators"):
        fake.add_channel(guild, name)
    fake.add_member(guild, fake.bot)
    fake.add_member(guild, fake.owner)
    return guild


@contextlib.asynccontextmanager
async def shard_process(fake: FakeDiscord, db: Db, shard: int) -> Any:
    """What one `peerbot run discord` with PEERBOT_DISCORD__SHARD_IDS=[shard] runs."""
    settings = Settings(_env_file=None, database_url=db.url, database_schema=db.schema, discord={
        "token": fake.token, "api_url": fake.api_url, "gateway_url": fake.gateway_url,
        "shard_count": 2, "shard_ids": [shard], "sync_commands_on_start": False,
    })
    store = await db.open()
    adapter = DiscordAdapter.from_settings(Engine(store, settings), settings, guild_ready_timeout=0.05,
                                           tick_interval=0, retry_delay=0.01)
    await adapter.login()
    task = asyncio.create_task(adapter.connect())
    try:
        await asyncio.wait_for(adapter.client.wait_until_ready(), 5)
        yield adapter
    finally:
        await adapter.close()
        await asyncio.wait_for(task, 5)
        await store.close()


def test_two_shard_processes_split_the_servers_and_post_each_prompt_once(pg_db, monkeypatch):
    async def no_identify_wait(self, shard_id, *, initial=False):  # real Discord: 5 s between identifies
        return None

    monkeypatch.setattr(PeerbotShardedClient, "before_identify_hook", no_identify_wait)

    async def scenario():
        async with FakeDiscord() as fake:
            fake.shard_count = 2
            second = add_guild_on_other_shard(fake)
            async with shard_process(fake, pg_db, 0) as a, shard_process(fake, pg_db, 1) as b:
                seen = [{g.id for g in p.client.guilds} for p in (a, b)]
                assert sorted(seen, key=min) == sorted([{fake.guild.id}, {second.id}], key=min)
                assert all(len(s) == 1 and (next(iter(s)) >> 22) % 2 == n for n, s in enumerate(seen))
                # Both processes tick at the same moment, twice: one prompt per server.
                for expected in ([1, 1], [0, 0]):
                    ticked = await asyncio.gather(a.tick(PROMPT_TIME), b.tick(PROMPT_TIME))
                    assert [sum(isinstance(x, Post) and x.kind == "prompt" for x in t) for t in ticked] == expected
                for guild in (fake.guild, second):
                    prompts = [m for m in guild.channel("general").messages if m["author"]["id"] == str(fake.bot.id)]
                    assert len(prompts) == 1, guild.name

    asyncio.run(scenario())
