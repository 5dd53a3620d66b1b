"""Moderator insight on Slack, end to end: the real Bolt app (HTTP mode, signed requests), the
real engine and store, the loopback fake Slack. Edits (message_changed) and deletions
(message_deleted) of nudged messages, nudge delivery, replies in the prompt's thread, and the
weekly digest uploaded with files_upload_v2."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text

from peerbot.charts import DIGEST_SIZE, png_size
from test_slack_e2e import CRITICISM, KIND, TEAM, _clean_env, logs, world  # noqa: F401 - fixtures

SOFTENED = "I see this differently, and I'd like to hear more about what you meant."
NEW_YORK = ZoneInfo("America/New_York")


def run(coro) -> None:
    asyncio.run(coro)


async def figures(w):
    return await w.workers[0].adapter.runtime.engine.stats(w.community, datetime(2000, 1, 1, tzinfo=UTC),
                                                   datetime(2100, 1, 1, tzinfo=UTC), now=datetime.now(UTC))


def test_edit_and_deletion_of_nudged_messages_are_recorded(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            first, second = f"{time.time():.6f}", f"{time.time() + 0.5:.6f}"
            await w.message(CRITICISM, user="UALICE", ts=first)
            await w.message(CRITICISM.replace("<@UBOB>", "<@UALICE>"), user="UBOB", ts=second)
            await w.settle(2)
            assert len(w.fake.calls_to("chat.postEphemeral")) == 2
            await w.event({"type": "message", "subtype": "message_changed", "channel": "C0GENERAL", "hidden": True,
                           "channel_type": "channel", "ts": f"{time.time() + 1:.6f}",
                           "message": {"type": "message", "user": "UALICE", "text": SOFTENED, "ts": first},
                           "previous_message": {"type": "message", "user": "UALICE", "text": CRITICISM, "ts": first}})
            await w.event({"type": "message", "subtype": "message_deleted", "channel": "C0GENERAL", "hidden": True,
                           "channel_type": "channel", "ts": f"{time.time() + 2:.6f}", "deleted_ts": second,
                           "previous_message": {"type": "message", "user": "UBOB", "text": CRITICISM, "ts": second}})
            await w.settle(4)
            stats = await figures(w)
            assert stats.outcomes == {"edited_softened": 1, "deleted": 1}
            assert stats.nudge_delivery == {"ephemeral": 2}
            assert len(w.fake.calls_to("chat.postEphemeral")) == 2  # the edit brought no second nudge

    run(scenario())


def test_replies_in_the_prompt_thread_are_counted(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            nine = datetime.now(NEW_YORK).replace(hour=9, minute=5, second=0, microsecond=0)
            await w.adapter.tick(TEAM, nine)
            assert [c.args["channel"] for c in w.fake.calls_to("chat.postMessage")] == ["C0GENERAL"]
            # the adapter reported the ts Slack gave the prompt, and the store kept it
            async with w.workers[0].store.engine.connect() as conn:
                prompt_ts = await conn.scalar(text("SELECT message_id FROM prompt_claims"))
            assert re.fullmatch(r"17000000\d\d\.000100", prompt_ts or "")
            await w.message(KIND, user="UALICE", thread_ts=prompt_ts)
            await w.message("Mine was a walk by the river.", user="UBOB", thread_ts=prompt_ts)
            await w.message(KIND, user="UBOB", thread_ts="1700000000.000999")  # another thread
            await w.settle(3)
            stats = await figures(w)
            assert stats.prompt_replies == 2 and stats.messages_seen == 3

    run(scenario())


def test_weekly_digest_is_uploaded_once_to_the_moderators_channel(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            await w.message(CRITICISM, user="UALICE")
            await w.message(KIND, user="UBOB")
            await w.settle(2)
            today = datetime.now(NEW_YORK).date()
            monday = today + timedelta(days=7 - today.weekday())
            due = datetime(monday.year, monday.month, monday.day, 8, 5, tzinfo=NEW_YORK)
            await w.adapter.tick(TEAM, due)
            (shared,) = w.fake.shared_files()
            assert shared["channel"] == "C0MODS" and shared["filename"].endswith(".png")
            assert png_size(shared["data"]) == DIGEST_SIZE
            assert shared["comment"].startswith("Weekly climate digest for Fake Community")
            assert "messages seen: 2" in shared["comment"] and CRITICISM not in shared["comment"]
            assert [c.method for c in w.fake.calls if c.method.startswith("files.")] == [
                "files.getUploadURLExternal", "files.completeUploadExternal"]
            await w.adapter.tick(TEAM, due + timedelta(minutes=15))
            assert len(w.fake.shared_files()) == 1

    run(scenario())
