"""The loopback fake Discord itself, proven against a plain real discord.py Client."""

from __future__ import annotations

import asyncio
import logging

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from fakes.discord_server import FakeDiscord


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def discord_errors(monkeypatch):
    handler = _Errors()
    logger = logging.getLogger("discord")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
    assert not handler.records, [r.getMessage() for r in handler.records]


def _point_at(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Route, "BASE", fake.api_url)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))


def _client(*, message_content: bool = True, members: bool = True) -> tuple[discord.Client, asyncio.Queue]:
    intents = discord.Intents.default()
    intents.members = members
    intents.message_content = message_content
    client = discord.Client(intents=intents, guild_ready_timeout=0.05)
    seen: asyncio.Queue = asyncio.Queue()

    @client.event
    async def on_message(message: discord.Message) -> None:
        if message.author.id == client.user.id:
            return
        seen.put_nowait(message)
        await message.channel.send(f"echo:{message.content}")

    @client.event
    async def on_member_join(member: discord.Member) -> None:
        seen.put_nowait(member)

    return client, seen


async def _run(client: discord.Client, fake: FakeDiscord) -> asyncio.Task:
    await client.login(fake.token)
    task = asyncio.create_task(client.connect(reconnect=True))
    await asyncio.wait_for(client.wait_until_ready(), 3)
    return task


async def _stop(client: discord.Client, task: asyncio.Task) -> None:
    await client.close()
    await asyncio.wait_for(task, 3)


def test_login_ready_message_roundtrip_and_resume(monkeypatch, discord_errors):
    async def scenario():
        async with FakeDiscord() as fake:
            _point_at(fake, monkeypatch)
            client, seen = _client()
            task = await _run(client, fake)
            try:
                assert [c.path for c in fake.calls[:2]] == ["/users/@me", "/oauth2/applications/@me"]
                guild = client.get_guild(fake.guild.id)
                assert guild is not None and guild.chunked
                assert {c.name for c in guild.text_channels} == {"welcome", "general", "moderators"}
                assert fake.identifies[0]["intents"] & (1 << 15)

                await fake.post("general", fake.alice, "hello there")
                message = await asyncio.wait_for(seen.get(), 2)
                assert message.content == "hello there" and message.author.id == fake.alice.id
                call = await fake.wait_for_call("POST", rf"/channels/{fake.channel('general').id}/messages")
                assert call.body["content"] == "echo:hello there"
                assert len(fake.bot_messages("general")) == 1  # and the echo did not echo itself

                # a dropped connection is resumed, and events sent meanwhile are replayed
                await fake.force_reconnect("drop")
                await fake.post("general", fake.alice, "while away")
                message = await asyncio.wait_for(seen.get(), 3)
                assert message.content == "while away"
                assert fake.resumes and len(fake.identifies) == 1
                await fake.wait_for_call("POST", r"/channels/\d+/messages", count=2)

                await fake.join(fake.add_user("newbie"))
                member = await asyncio.wait_for(seen.get(), 2)
                assert isinstance(member, discord.Member) and member.name == "newbie"
            finally:
                await _stop(client, task)

    asyncio.run(scenario())


def test_intents_are_imitated(monkeypatch, discord_errors):
    async def scenario():
        async with FakeDiscord() as fake:
            _point_at(fake, monkeypatch)
            client, seen = _client(message_content=False, members=False)
            task = await _run(client, fake)
            try:
                await fake.join(fake.add_user("ghost"))  # needs GUILD_MEMBERS: never arrives
                await fake.post("general", fake.alice, "secret words")
                message = await asyncio.wait_for(seen.get(), 2)
                assert message.content == ""  # no MESSAGE_CONTENT: blanked
                assert isinstance(message, discord.Message)
                await fake.wait_for_call("POST", r"/channels/\d+/messages")
                assert seen.empty()
            finally:
                await _stop(client, task)

        async with FakeDiscord(allowed_privileged=0) as fake:
            _point_at(fake, monkeypatch)
            client, _ = _client()
            await client.login(fake.token)
            with pytest.raises(discord.PrivilegedIntentsRequired):
                await asyncio.wait_for(client.connect(reconnect=True), 3)
            await client.close()

    asyncio.run(scenario())


def test_closed_dms_answer_50007(monkeypatch, discord_errors):
    async def scenario():
        async with FakeDiscord() as fake:
            _point_at(fake, monkeypatch)
            client, _ = _client()
            task = await _run(client, fake)
            try:
                fake.dms_closed.add(fake.bob.id)
                bob = await client.fetch_user(fake.bob.id)
                with pytest.raises(discord.Forbidden) as caught:
                    await bob.send("hi")
                assert caught.value.code == 50007
                alice = await client.fetch_user(fake.alice.id)
                await alice.send("hi")
                assert [m["content"] for m in fake.dm_messages(fake.alice)] == ["hi"]
                assert fake.dm_messages(fake.bob) == []
            finally:
                await _stop(client, task)

    asyncio.run(scenario())
