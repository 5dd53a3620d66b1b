"""Discord -> core events: discord.py's objects (built from the gateway's payloads) as core
events. ``community``, ``member``, ``policy_channel`` and ``message_event`` are pure; the
``on_*`` methods hand the events to the runtime."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import discord

from peerbot.actions import Action
from peerbot.events import (
    Channel,
    Community,
    DirectMessage,
    Event,
    Member,
    MemberJoined,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
)

log = logging.getLogger("peerbot.discord")


PLATFORM = "discord"
DM_HELP = (
    "Hi! I'm peerbot, the helper for this peer-support community. I don't chat in DMs, but "
    "here's what I do: welcome new members, post one encouragement prompt a day, and send a "
    "gentle private note when a message reads as criticism, gossip or mockery of a person "
    "(never for sharing your own struggles). If you're in crisis, call or text 988 (US) any "
    "time. Moderators manage me with the /peerbot command in the server."
)


class DiscordInbound:
    """The adapter's inbound half (mixed into ``DiscordAdapter``)."""

    # ------------------------------------------------------------- translation in
    @staticmethod
    def community(guild: discord.Guild) -> Community:
        return Community(PLATFORM, str(guild.id), guild.name)

    @staticmethod
    def member(user: discord.abc.User) -> Member:
        roles: set[str] = set()
        for role in getattr(user, "roles", ()):
            if role.is_default():
                continue
            roles.add(str(role.id))
            roles.add(role.name)
        return Member(id=str(user.id), name=getattr(user, "display_name", user.name),
                      roles=frozenset(roles), is_bot=user.bot)

    def _ignored(self, message: discord.Message) -> bool:
        me = self.client.user
        return (
            message.author.bot
            or message.webhook_id is not None
            or (me is not None and message.author.id == me.id)
            or message.type not in (discord.MessageType.default, discord.MessageType.reply)
        )

    @staticmethod
    def _policy_channel(channel: Any) -> Channel | None:
        """The channel a message's settings come from: a thread counts as its parent channel."""
        if isinstance(channel, discord.Thread):
            parent = channel.parent
            return Channel(id=str(channel.parent_id), name=parent.name if parent else "")
        if isinstance(channel, (discord.TextChannel, discord.VoiceChannel, discord.StageChannel)):
            return Channel(id=str(channel.id), name=channel.name)
        return None

    def _message_event(self, message: discord.Message, *, edited: bool) -> MessagePosted | None:
        assert message.guild is not None
        if not isinstance(message.content, str):  # discord.py passes the payload's value through
            log.warning("malformed message %s skipped: content is %s, not a string", message.id,
                        type(message.content).__name__)
            return None
        channel = self._policy_channel(message.channel)
        if channel is None:
            return None
        cls = MessageEdited if edited else MessagePosted
        stamp = message.edited_at if edited else message.created_at
        event_id = f"discord:{'edit' if edited else 'msg'}:{message.id}"
        if edited and message.edited_at is not None:
            event_id += f":{int(message.edited_at.timestamp() * 1000)}"
        return cls(
            event_id=event_id,
            community=self.community(message.guild),
            at=stamp or datetime.now(timezone.utc),
            channel=channel,
            author=self.member(message.author),
            message_id=str(message.id),
            text=message.content,
            link=message.jump_url,
            mentioned_names=tuple(m.display_name for m in message.mentions),
            reply_to=self._reply_to(message),
        )

    @staticmethod
    def _reply_to(message: discord.Message) -> str | None:
        """What the message answers: the thread it is in (a thread started from a message has
        that message's id, so a prompt's reply thread counts), or the message it replies to."""
        if isinstance(message.channel, discord.Thread):
            return str(message.channel.id)
        reference = message.reference
        return str(reference.message_id) if reference is not None and reference.message_id else None

    async def on_message(self, message: discord.Message) -> None:
        if self._ignored(message):
            return
        if message.guild is None:
            if isinstance(message.channel, discord.DMChannel):
                await self.on_direct_message(message)
            return
        event = self._message_event(message, edited=False)
        if event is not None:
            await self.dispatch(event)

    async def on_direct_message(self, message: discord.Message) -> None:
        """A DM to the bot goes to the engine as a ``DirectMessage`` of the server the member
        shares with peerbot (crisis support with an alert to that server's moderators, else
        help). Someone who shares no server with peerbot gets the built-in help text."""
        guild = await self._home_guild(message.author.id)
        if guild is None:
            await self._call("dm help", message.channel.send, DM_HELP)
            return
        author = guild.get_member(message.author.id) or message.author
        await self.dispatch(DirectMessage(
            event_id=f"discord:dm:{message.id}",
            community=self.community(guild),
            at=message.created_at,
            author=self.member(author),
            channel_id=str(message.channel.id),
            message_id=str(message.id),
            text=message.content,
        ))

    async def _home_guild(self, user_id: int, *, lookups: int = 10) -> discord.Guild | None:
        """The server (of this process's shards) a member shares with peerbot, the oldest one
        if several: from the member cache, else asked of Discord for up to ``lookups`` servers."""
        guilds = sorted(self.client.guilds, key=lambda g: g.id)
        for guild in guilds:
            if guild.get_member(user_id) is not None:
                return guild
        for guild in guilds[:lookups]:
            try:
                await guild.fetch_member(user_id)
                return guild
            except discord.HTTPException:  # not a member (404), or Discord said no
                continue
        return None

    async def on_message_edit(self, message: discord.Message) -> None:
        # MESSAGE_UPDATE also fires for embeds unfurling; only real edits count.
        if message.guild is None or message.edited_at is None or self._ignored(message):
            return
        event = self._message_event(message, edited=True)
        if event is not None:
            await self.dispatch(event)

    async def on_message_delete(self, guild_id: int | None, channel_id: int, message_ids: Sequence[int]) -> None:
        """MESSAGE_DELETE (and _BULK): only ids reach the engine, for nudge outcomes."""
        guild = self.client.get_guild(guild_id) if guild_id is not None else None
        if guild is None:
            return
        for message_id in message_ids:
            await self.dispatch(MessageDeleted(
                event_id=f"discord:delete:{message_id}", community=self.community(guild),
                at=datetime.now(timezone.utc), channel=Channel(id=str(channel_id)), message_id=str(message_id),
            ))

    async def on_member_join(self, member: discord.Member) -> None:
        if member.bot:
            return
        joined = member.joined_at or datetime.now(timezone.utc)
        await self.dispatch(MemberJoined(
            event_id=f"discord:join:{member.guild.id}:{member.id}:{int(joined.timestamp() * 1000)}",
            community=self.community(member.guild),
            at=joined,
            member=self.member(member),
        ))

    async def dispatch(self, event: Event, interaction: discord.Interaction | None = None) -> list[Action]:
        # Also while stopping: Discord does not send an event twice, and the drain waits for it.
        return await self.runtime.handle(event, interaction)

