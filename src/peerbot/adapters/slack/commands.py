"""The ``/peerbot`` slash command and the nudge buttons: who is a moderator on Slack, the
command line as a core event, and a refusal for a channel Slack does not know."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from slack_sdk.errors import SlackClientError

import peerbot.adapters.slack.inbound as inbound
from peerbot.adapters.slack.client import PLATFORM_FAILURES

log = logging.getLogger("peerbot.slack")


class SlackCommands:
    """The adapter's slash-command half (mixed into ``SlackAdapter``)."""

    async def _handle_command(self, ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
        await ack()
        text = inbound.command_text(command.get("text") or "")
        problem = await self._unknown_channel(text)
        if problem is not None:
            await self._call("response_url", respond(text=problem, response_type="ephemeral"))
            return
        community = await self._community(context.team_id or command.get("team_id"))
        event = inbound.command_event(command, community, is_moderator=await self.is_moderator(command.get("user_id", "")),
                                      now=datetime.now(UTC))
        await self._dispatch(event, respond=respond)

    async def _handle_feedback(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any,
                               context: Any) -> None:
        await ack()
        event = inbound.feedback_event(body, action, await self._community(context.team_id))
        if event is None:
            return
        # The engine's answer replaces the nudge (so it can't be clicked twice), except for
        # "why?", which is shown below it.
        await self._dispatch(event, respond=respond, replace_original=event.verdict != "why")

    async def _unknown_channel(self, text: str) -> str | None:
        """``channel PURPOSE CHANNEL`` naming a channel Slack does not know: the refusal
        (nothing changes). Moving crisis alerts to a channel that does not exist would
        silence them."""
        words = text.split()
        if len(words) != 3 or words[0].lower() != "channel" or words[2].lower() == "reset":
            return None
        ref = words[2]
        try:
            # An id (a mention arrives as one), asked of Slack; else a name, from the channel list.
            if re.fullmatch(r"[CG][A-Z0-9]{2,}", ref):
                found = await self.channel_name(ref)
            else:
                await self._load_channels()
                found = self._channels.get(ref.lstrip("#"))
        except PLATFORM_FAILURES as exc:
            self._report("conversations.list", exc)
            return "Slack could not be asked whether that channel exists; nothing was changed. Try again."
        if found:
            return None
        return (f"There is no channel {ref} that peerbot can see, so nothing was changed. Give an existing "
                "channel (invite peerbot to a private one first).")

    async def member_roles(self, user_id: str) -> frozenset[str]:
        """Slack's equivalent of roles: the user groups a member is in, by id (``S0123``),
        handle (``peer-supporters``) and name, so ``exempt role`` matches any of them. One
        ``usergroups.list`` per workspace every few minutes, shared by all members."""
        memberships = self._memberships.get("all")
        if memberships is None:
            async with self._memberships_lock:
                memberships = self._memberships.get("all")
                if memberships is None:
                    memberships = self._memberships.put("all", await self._load_memberships())
        return memberships.get(user_id, frozenset())

    async def _load_memberships(self) -> dict[str, frozenset[str]]:
        try:
            page = await self.client.usergroups_list(include_users=True)
        except SlackClientError as exc:
            # Workspaces on Slack's free plan have no user groups: then nobody has a "role".
            self._report("usergroups.list", exc)
            return {}
        names: dict[str, set[str]] = {}
        for group in page.get("usergroups") or []:
            labels = {str(group[key]) for key in ("id", "handle", "name") if group.get(key)}
            for member in group.get("users") or []:
                names.setdefault(member, set()).update(labels)
        return {member: frozenset(labels) for member, labels in names.items()}

    async def is_moderator(self, user_id: str) -> bool:
        """Configured user id, member of a configured user group, or a workspace admin/owner."""
        # Asked of Slack for every command, never from a cache: someone removed from a
        # moderator group, or no longer an admin, is refused from their next command on.
        if user_id in self.moderator_ids:
            return True
        for group in self.moderator_groups:
            try:
                members = set((await self.client.usergroups_users_list(usergroup=group)).get("users") or [])
            except PLATFORM_FAILURES as exc:
                self._report("usergroups.users.list", exc)
                members = set()
            if user_id in members:
                return True
        try:
            user = (await self.client.users_info(user=user_id)).get("user") or {}
        except PLATFORM_FAILURES as exc:
            self._report("users.info", exc)
            return False
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        return admin and not user.get("deleted") and not user.get("is_restricted")
