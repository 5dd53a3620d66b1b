"""Moderator insight on Discord, end to end: the real discord.py client and adapter, the real
engine and store, the loopback fake Discord. Edits and deletions of nudged messages, how a
nudge was delivered (DM, private thread, skipped), replies to the daily prompt, and the
weekly digest posted with its chart attached."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from fakes.discord_server import FakeDiscord
from peerbot.charts import DIGEST_SIZE, png_size
from peerbot.events import MessageDeleted
from test_discord_e2e import CRITICISM, _restore_endpoints, fail_on_logged_errors, running  # noqa: F401 - fixtures

SOFTENED = "I see this differently, and I'd like to hear more about what you meant."
LONG_AGO = datetime(2000, 1, 1, tzinfo=timezone.utc)
NEW_YORK = ZoneInfo("America/New_York")


def run(scenario) -> None:
    asyncio.run(scenario())


def community(bot, fake):
    return bot.adapter.community(bot.adapter.client.get_guild(fake.guild.id))


async def stats(bot, fake):
    return await bot.engine.stats(community(bot, fake), LONG_AGO, datetime(2100, 1, 1, tzinfo=timezone.utc),
                                  now=datetime.now(timezone.utc))


def test_a_softening_edit_and_a_deletion_of_nudged_messages_are_recorded(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite") as bot:
                first = await fake.post("general", fake.alice, CRITICISM)
                await bot.message_handled(first)
                second = await fake.post("general", fake.bob, CRITICISM)
                await bot.message_handled(second)
                await fake.wait_until(lambda: fake.dm_messages(fake.alice) and fake.dm_messages(fake.bob))
                await fake.edit(first, SOFTENED)
                await bot.wait_handled(lambda e: type(e).__name__ == "MessageEdited")
                await fake.delete(second)
                event, actions = await bot.wait_handled(lambda e: isinstance(e, MessageDeleted))
                assert event.message_id == second["id"] and actions == []
                figures = await stats(bot, fake)
                assert figures.outcomes == {"edited_softened": 1, "deleted": 1}
                assert figures.nudge_delivery == {"dm": 2}
                assert figures.messages_by_category == {"criticism": 2}  # the edit is no new message

    run(scenario)


def test_nudge_delivery_through_a_private_thread_or_skipped_shows_in_stats(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            fake.dms_closed.update({fake.alice.id, fake.bob.id})
            async with running(fake, tmp_path / "db.sqlite") as bot:
                await bot.message_handled(await fake.post("general", fake.alice, CRITICISM))
                await fake.wait_until(lambda: bot.adapter.deliveries)
                assert (await stats(bot, fake)).nudge_delivery == {"thread": 1}
                asked = await fake.slash(fake.owner, "peerbot", [{"name": "stats", "type": 1, "options": []}])
                await fake.wait_until(lambda: fake.interactions[int(asked["id"])]["followups"])
                reply = fake.interactions[int(asked["id"])]["followups"][0]["body"]["content"]
                assert "nudge delivery: in a private thread (DMs closed) 1" in reply
                assert CRITICISM not in reply
            async with running(fake, tmp_path / "db.sqlite", dm_fallback="skip") as bot:
                await bot.message_handled(await fake.post("general", fake.bob, CRITICISM))  # alice: cooldown
                await fake.wait_until(lambda: bot.adapter.deliveries)
                figures = await stats(bot, fake)
                assert figures.nudge_delivery == {"thread": 1, "skipped": 1}

    run(scenario)


def test_replies_in_the_prompt_thread_are_counted(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite", prompt_thread=True) as bot:
                nine = datetime(2026, 3, 10, 9, 1, tzinfo=NEW_YORK)
                await bot.adapter.tick(nine)
                prompt = fake.bot_messages("general")[0]
                thread = await fake.wait_until(lambda: fake.channels.get(int(prompt["id"])))
                await fake.wait_until(lambda: bot.adapter.client.get_guild(fake.guild.id).get_thread(thread.id))
                for who in (fake.alice, fake.bob):
                    await bot.message_handled(await fake.post(thread, who, "A friend who checked in on me."))
                await bot.message_handled(await fake.post("general", fake.alice, "Unrelated, good morning."))
                figures = await stats(bot, fake)
                assert figures.prompts_posted == 1 and figures.prompt_replies == 2

    run(scenario)


def test_weekly_digest_is_posted_once_with_the_chart_attached(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite") as bot:
                await bot.message_handled(await fake.post("general", fake.alice, CRITICISM))
                await bot.message_handled(await fake.post("general", fake.bob, "Thank you all, this helped."))
                today = datetime.now(NEW_YORK).date()
                monday = today + timedelta(days=7 - today.weekday())  # the digest covering this week
                due = datetime(monday.year, monday.month, monday.day, 8, 5, tzinfo=NEW_YORK)
                actions = await bot.adapter.tick(due)
                assert [a.kind for a in actions] == ["digest"]
                post = fake.find_calls("POST", rf"/channels/{fake.channel('moderators').id}/messages")[0]
                assert post.body["_multipart"] and post.body["content"].startswith("Weekly climate digest for Peer Circle")
                assert "messages seen: 2" in post.body["content"] and CRITICISM not in post.body["content"]
                (chart,) = post.body["_files"]
                assert chart["filename"].endswith(".png") and png_size(chart["data"]) == DIGEST_SIZE
                assert fake.bot_messages("moderators")[0]["attachments"][0]["size"] == len(chart["data"])
                assert await bot.adapter.tick(due + timedelta(minutes=15)) == []

    run(scenario)
