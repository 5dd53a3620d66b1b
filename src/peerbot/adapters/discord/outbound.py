"""Core actions -> Discord calls: one handler per action type (``handlers()``), the nudge's
feedback buttons, DMs with a private-thread fallback, moderator alerts that always reach
someone."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import discord

from peerbot.actions import (
    Action,
    AlertModerators,
    CrisisSupport,
    Post,
    PrivateMessage,
    PrivateNudge,
    ReplyToModerator,
)
from peerbot.events import Community

log = logging.getLogger("peerbot.discord")


JUMP_BASE = "https://discord.com/channels"
#: Labels of the buttons under a private nudge, by the engine's feedback choice.
FEEDBACK_LABELS = {"helpful": "Thanks", "not_helpful": "This wasn't fair", "why": "Why did I get this?"}
FEEDBACK_STYLES = {
    "helpful": discord.ButtonStyle.success,
    "not_helpful": discord.ButtonStyle.secondary,
    "why": discord.ButtonStyle.secondary,
}

PRIVATE_THREAD_NAME = "A private note from peerbot"
#: Moderators told by DM when a crisis alert cannot reach the moderator channel.
ALERT_FALLBACK_RECIPIENTS = 10

DmFallback = str  # "thread" | "skip"

T = TypeVar("T")


def jump_link(guild_id: str | int, channel_id: str | int, message_id: str | int) -> str:
    return f"{JUMP_BASE}/{guild_id}/{channel_id}/{message_id}"


# ------------------------------------------------------------------- feedback buttons
class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"peerbot:fb:(?P<verdict>helpful|not_helpful|why):(?P<guild>\d+):(?P<nudge>[A-Za-z0-9_.-]{1,60})",
):
    """A button under a nudge DM. Everything it needs is in its custom_id, so clicks work
    after a restart with no stored view (a persistent dynamic item)."""

    def __init__(self, verdict: str, guild_id: str, nudge_id: str) -> None:
        self.verdict, self.guild_id, self.nudge_id = verdict, guild_id, nudge_id
        super().__init__(
            discord.ui.Button(
                label=FEEDBACK_LABELS.get(verdict, verdict),
                style=FEEDBACK_STYLES.get(verdict, discord.ButtonStyle.secondary),
                custom_id=f"peerbot:fb:{verdict}:{guild_id}:{nudge_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeedbackButton:
        return cls(match["verdict"], match["guild"], match["nudge"])

    async def callback(self, interaction: discord.Interaction) -> None:
        adapter: Any = interaction.client.adapter  # type: ignore[attr-defined]
        await adapter.on_feedback(interaction, self.verdict, self.guild_id, self.nudge_id)


def feedback_view(guild_id: str, nudge_id: str, choices: Sequence[str]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for verdict in choices:
        if verdict in FEEDBACK_LABELS:
            view.add_item(FeedbackButton(verdict, guild_id, nudge_id))
    return view



@dataclass
class Delivery:
    """How a private message reached a member: "dm", "thread" (DMs closed, private thread),
    "skipped" (DMs closed, fallback off or impossible) or "failed"."""

    kind: str  # the action: nudge, crisis, private
    member_id: str
    via: str




class DiscordOutbound:
    """The adapter's outbound half (mixed into ``DiscordAdapter``)."""

    def handlers(self) -> dict[type[Action], Callable[[Any, Any], Awaitable[Any]]]:
        """The outbound table: one handler per action type (``context`` is the interaction
        being answered, or None)."""
        return {
            Post: self._do_post,
            PrivateNudge: self._do_nudge,
            CrisisSupport: self._do_crisis,
            PrivateMessage: self._do_private,
            ReplyToModerator: self._do_reply,
            AlertModerators: self._do_alert,
        }

    def report_failure(self, action: Action, exc: Exception) -> None:
        # Never let one failing action stop the others; ids only in the log.
        self.failures[type(action).__name__] += 1
        log.error("could not perform %s for %s", type(action).__name__, action.community.key, exc_info=exc)


    # ------------------------------------------------------------ translation out
    async def _call(self, what: str, func: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T | None:
        """One platform call, retried on transient failures, reported (without text) on failure.

        discord.py already waits out 429s and retries 5xx; this adds a retry for network errors
        and a clear report. 403/404 are not retried: they will not get better."""
        for attempt in range(self.retries + 1):
            try:
                # discord.py waits as long as Discord asks; a call that hangs is cut and tried again
                return await asyncio.wait_for(func(*args, **kwargs), self.call_timeout)
            except (discord.Forbidden, discord.NotFound):
                raise
            except (discord.HTTPException, OSError, asyncio.TimeoutError) as exc:
                status = getattr(exc, "status", None)
                code = getattr(exc, "code", None)
                if attempt >= self.retries:
                    self.failures[what] += 1
                    log.warning("Discord call failed after %d tries: %s (status %s, code %s)",
                                attempt + 1, what, status, code)
                    return None
                await asyncio.sleep(self.retry_delay * (attempt + 1))
        return None

    def _guild(self, community: Community) -> discord.Guild | None:
        guild = self.client.get_guild(int(community.id))
        if guild is None:
            log.warning("not in server %s (or it is not ready yet)", community.id)
        return guild

    @staticmethod
    def resolve_channel(guild: discord.Guild, ref: str) -> discord.abc.Messageable | None:
        """A configured channel: an id, a <#mention>, or a name (with or without #)."""
        ref = ref.strip()
        digits = ref.strip("<#>")
        if digits.isdigit():
            channel = guild.get_channel_or_thread(int(digits))
            if channel is not None:
                return channel  # type: ignore[return-value]
        name = ref.lstrip("#").lower()
        for channel in guild.text_channels:
            if channel.name.lower() == name:
                return channel
        return None

    async def perform(self, action: Action, interaction: discord.Interaction | None = None) -> Any:
        """Carry out one action through the runtime (isolated); for an alert, returns whether
        a moderator was told."""
        return await self.runtime.perform(action, interaction)

    async def _do_post(self, action: Post, interaction: discord.Interaction | None) -> None:
        await self._post(action)

    async def _do_nudge(self, action: PrivateNudge, interaction: discord.Interaction | None) -> None:
        view = feedback_view(action.community.id, action.nudge_id, action.feedback_choices)
        via = await self._private("nudge", action.community, action.member_id, action.channel_id, action.text, view)
        await self.runtime.delivered(action.community, "nudge", action.message_id, via)

    async def _do_crisis(self, action: CrisisSupport, interaction: discord.Interaction | None) -> None:
        via = await self._private("crisis", action.community, action.member_id, action.channel_id, action.text)
        if action.message_id:
            await self.runtime.delivered(action.community, "crisis", action.message_id, via)

    async def _do_private(self, action: PrivateMessage, interaction: discord.Interaction | None) -> None:
        if interaction is not None and interaction.user.id == int(action.member_id):
            await self._reply(interaction, action.text)
        else:
            await self._private("private", action.community, action.member_id, None, action.text)

    async def _do_reply(self, action: ReplyToModerator, interaction: discord.Interaction | None) -> None:
        if interaction is not None:
            await self._reply(interaction, action.text)
        else:
            await self._private("reply", action.community, action.member_id, None, action.text)

    async def _do_alert(self, action: AlertModerators, interaction: discord.Interaction | None) -> bool:
        return await self._alert(action)

    async def _post(self, action: Post) -> None:
        guild = self._guild(action.community)
        if guild is None:
            return
        channel = self.resolve_channel(guild, action.channel)
        if channel is None:
            self.failures["channel not found"] += 1
            log.warning("server %s has no channel %r for a %s post", guild.id, action.channel, action.kind)
            return
        mentions = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(int(m)) for m in action.mention_ids if m.isdigit()]
        )
        attachment = action.file

        def send() -> Awaitable[discord.Message]:
            # A fresh File for every try: discord.py closes the one it sent.
            extra = {} if attachment is None else {"file": discord.File(
                io.BytesIO(attachment.data), filename=attachment.filename, description=attachment.alt or None)}
            return channel.send(action.text, allowed_mentions=mentions, **extra)

        message = await self._call(f"post {action.kind}", send)
        if message is not None and action.kind == "prompt" and action.ref:
            # Replies to it (in its thread, or as Discord replies) are counted for moderators.
            await self.runtime.delivered(action.community, "prompt", action.ref, "channel", str(message.id))
        if message is not None and action.kind == "prompt" and self.prompt_thread and message.guild is not None:
            stamp = message.created_at.strftime("%b %d")
            await self._call("open prompt thread", message.create_thread, name=f"Replies to today's prompt ({stamp})",
                             auto_archive_duration=1440)

    async def _private(
        self,
        kind: str,
        community: Community,
        member_id: str,
        channel_id: str | None,
        text: str,
        view: discord.ui.View | None = None,
    ) -> str:
        """A DM; when the member's DMs are closed, a private thread (if configured) or skip."""
        extra: dict[str, Any] = {"view": view} if view is not None else {}
        user_id = int(member_id)
        try:
            user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
            channel = user.dm_channel or await user.create_dm()
            sent = await self._call(f"{kind} DM", channel.send, text, **extra)
            via = "dm" if sent is not None else "failed"
        except discord.Forbidden as exc:
            if exc.code not in (50007, 50278):  # cannot send to this user / DMs closed
                log.warning("DM refused for a %s (code %s)", kind, exc.code)
            via = await self._fallback(kind, community, user_id, channel_id, text, extra)
        except discord.NotFound:
            via = "failed"
            log.warning("member %s not found for a %s", member_id, kind)
        except (discord.HTTPException, OSError, asyncio.TimeoutError) as exc:  # opening the DM failed
            log.warning("DM channel for a %s could not be opened (status %s)", kind, getattr(exc, "status", None))
            via = "failed"
        if via == "failed" and channel_id is not None:  # Discord failing: the private thread is a second way
            via = await self._fallback(kind, community, user_id, channel_id, text, extra)
            via = "failed" if via == "skipped" else via
        self.deliveries.append(Delivery(kind, member_id, via))
        if via in ("skipped", "failed"):  # reported, never silent
            self.failures[f"{kind} not delivered"] += 1
            log.warning("%s for member %s in %s not delivered privately (%s)", kind, member_id, community.key, via)
        elif via != "dm":
            log.info("%s for member %s in %s: DMs closed -> %s", kind, member_id, community.key, via)
        return via

    async def _fallback(
        self, kind: str, community: Community, user_id: int, channel_id: str | None, text: str, extra: dict[str, Any]
    ) -> str:
        if self.dm_fallback != "thread" or channel_id is None:
            return "skipped"
        guild = self._guild(community)
        parent = guild.get_channel(int(channel_id)) if guild is not None else None
        if not isinstance(parent, discord.TextChannel):
            return "skipped"
        try:
            thread = await parent.create_thread(
                name=PRIVATE_THREAD_NAME, type=discord.ChannelType.private_thread, invitable=False,
                auto_archive_duration=1440,
            )
            await thread.add_user(discord.Object(user_id))
            sent = await self._call(f"{kind} in private thread", thread.send, text, **extra)
        except discord.HTTPException as exc:
            log.warning("private thread fallback failed for a %s (status %s, code %s)", kind, exc.status, exc.code)
            return "failed"
        return "thread" if sent is not None else "failed"

    async def _alert(self, action: AlertModerators) -> bool:
        """Post the alert in the moderator channel; returns whether a moderator was told.

        A crisis alert whose channel is missing or refuses the post goes by DM to the server
        owner and the members with a moderator role, and is logged as an error: it is never
        only a warning."""
        guild = self._guild(action.community)
        if guild is None:
            if action.reason == "crisis":
                log.critical("CRISIS ALERT REACHED NO MODERATOR: peerbot is not in server %s (member %s)",
                             action.community.id, action.member_id)
            return False
        link = action.link
        if link is None and action.message_channel_id and action.message_id:
            link = jump_link(action.community.id, action.message_channel_id, action.message_id)
        text = action.text
        if link and link not in text:
            text = f"{text}\n{link}"
        channel = self.resolve_channel(guild, action.channel)
        problem = "does not exist"
        if channel is not None:
            try:
                # The member is named, not pinged: an alert is for moderators only.
                sent = await self._call("moderator alert", channel.send, text,
                                        allowed_mentions=discord.AllowedMentions.none())
                if sent is not None:
                    return True
                problem = "failed"
            except discord.HTTPException as exc:
                problem = f"refused the post (status {exc.status}, code {exc.code})"
        self.failures["moderator channel unusable"] += 1
        if action.reason != "crisis":
            log.warning("server %s: moderator channel %r %s; a %s alert was not posted", guild.id, action.channel,
                        problem, action.reason)
            return False
        told = await self._alert_by_dm(guild, text)
        if told:
            log.error("CRISIS ALERT: server %s's moderator channel %r %s; sent by DM to %d moderators instead. "
                      "Fix the channel (/peerbot channel)", guild.id, action.channel, problem, told)
        else:
            log.critical("CRISIS ALERT REACHED NO MODERATOR: server %s's moderator channel %r %s and no moderator "
                         "could be sent a DM (member %s)", guild.id, action.channel, problem, action.member_id)
        return told > 0

    def _alert_recipients(self, guild: discord.Guild) -> list[int]:
        """The server owner, then members with a configured moderator role (from the cache)."""
        found = [guild.owner_id] if guild.owner_id else []
        for member in guild.members:
            if member.bot:
                continue
            if any(str(r.id) in self.moderator_roles or r.name.lower() in self.moderator_roles for r in member.roles):
                found.append(member.id)
        return list(dict.fromkeys(found))[:ALERT_FALLBACK_RECIPIENTS]

    async def _alert_by_dm(self, guild: discord.Guild, text: str) -> int:
        told = 0
        for user_id in self._alert_recipients(guild):
            try:
                user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
                channel = user.dm_channel or await user.create_dm()
                sent = await self._call("crisis alert DM", channel.send, text,
                                        allowed_mentions=discord.AllowedMentions.none())
            except (discord.HTTPException, OSError, asyncio.TimeoutError) as exc:
                log.warning("crisis alert DM to moderator %s failed (status %s)", user_id, getattr(exc, "status", None))
                continue
            told += sent is not None
        return told

    async def _reply(self, interaction: discord.Interaction, text: str) -> None:
        if interaction.response.is_done():
            await self._call("interaction follow-up", interaction.followup.send, text, ephemeral=True)
        else:
            await self._call("interaction reply", interaction.response.send_message, text, ephemeral=True)

