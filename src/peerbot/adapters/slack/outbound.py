"""Core actions -> Slack Web API calls: one handler per action type (``handlers()``).

========================  ==============================================================
core action               Slack out
========================  ==============================================================
``Post``                  ``chat.postMessage`` in the channel (names resolved to ids);
                          prompts invite replies in the thread; a post with a file
                          (the weekly digest's chart) is uploaded (``files_upload_v2``)
``PrivateNudge``          ``chat.postEphemeral`` (only the author sees it) with feedback
                          buttons
``CrisisSupport``,        ``conversations.open`` + ``chat.postMessage`` (a DM)
``PrivateMessage``
``AlertModerators``       ``chat.postMessage`` to the moderator channel with a permalink
                          (``chat.getPermalink``), never the member's text; a crisis alert
                          whose channel is gone goes to the moderators by DM
``ReplyToModerator``      the slash command's ``response_url`` (ephemeral), else
                          ``chat.postEphemeral``
========================  ==============================================================
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

from slack_sdk.errors import SlackApiError, SlackClientError

from peerbot.actions import (
    Action,
    AlertModerators,
    CrisisSupport,
    Post,
    PrivateMessage,
    PrivateNudge,
    ReplyToModerator,
)
from peerbot.adapters.slack.client import PLATFORM_FAILURES

log = logging.getLogger("peerbot.slack")

#: Button labels for the feedback choices the engine puts on a nudge.
FEEDBACK_LABELS = {
    "helpful": "Thanks",
    "not_helpful": "This wasn't fair",
    "why": "Why did I get this?",
}
#: Members told by DM when a crisis alert cannot reach the moderator channel.
ALERT_FALLBACK_RECIPIENTS = 10


class Respond(NamedTuple):
    """The answer channel of the slash command or button click being handled."""

    respond: Any  # Bolt's respond(): posts to the response URL
    replace_original: bool = False


class SlackOutbound:
    """The adapter's outbound half (mixed into ``SlackAdapter``)."""

    def handlers(self) -> dict[type[Action], Callable[[Any, Any], Awaitable[Any]]]:
        """The outbound table: one handler per action type (``context`` is a ``Respond``)."""
        return {
            Post: self._do_post,
            PrivateNudge: self._do_nudge,
            CrisisSupport: self._do_crisis,
            PrivateMessage: self._do_private,
            AlertModerators: self._do_alert,
            ReplyToModerator: self._do_reply,
        }

    def report_failure(self, action: Action, exc: Exception) -> None:
        if isinstance(exc, PLATFORM_FAILURES):
            self._report(type(action).__name__, exc)
            return
        # Never the exception's message (it may quote the payload): its type and where.
        where = traceback.extract_tb(exc.__traceback__)[-1]
        log.error("slack: %s failed after %s at %s:%d", type(action).__name__, type(exc).__name__,
                  where.filename.rsplit("/", 1)[-1], where.lineno)

    async def perform(self, action: Action, *, respond: Any = None, replace_original: bool = False) -> Any:
        """Carry out one action through the runtime (isolated); for an alert, returns whether
        a moderator was told."""
        return await self.runtime.perform(action, Respond(respond, replace_original) if respond is not None else None)

    async def _do_post(self, action: Post, context: Respond | None) -> None:
        await self._post(action)

    async def _do_nudge(self, action: PrivateNudge, context: Respond | None) -> None:
        via = "ephemeral"
        try:
            await self._nudge(action)
        except SlackClientError as exc:
            self._report("PrivateNudge", exc)
            via = "failed"
        await self.runtime.delivered(action.community, "nudge", action.message_id, via)

    async def _do_crisis(self, action: CrisisSupport, context: Respond | None) -> None:
        if not action.message_id:
            await self._crisis_private(action)
            return
        try:
            via = await self._crisis_private(action)
        except PLATFORM_FAILURES as exc:
            self._report("CrisisSupport", exc)
            via = "failed"
        await self.runtime.delivered(action.community, "crisis", action.message_id, via)

    async def _do_private(self, action: PrivateMessage, context: Respond | None) -> None:
        # An answer to the person who clicked or typed goes to the response URL (ephemeral).
        if context is not None:
            await self._call("response_url", context.respond(
                text=action.text, response_type="ephemeral", replace_original=context.replace_original))
        else:
            await self._dm(action.member_id, action.text)

    async def _do_alert(self, action: AlertModerators, context: Respond | None) -> bool:
        return await self._alert(action)

    async def _do_reply(self, action: ReplyToModerator, context: Respond | None) -> None:
        await self._reply(action, context.respond if context is not None else None)

    async def _post(self, action: Post) -> None:
        channel = await self.channel_id(action.channel)
        if channel is None:
            log.warning("slack: channel for a %s post not found (configured: %r)", action.kind, action.channel)
            return
        if action.file is not None and await self._upload(channel, action):
            return
        blocks = None
        if action.kind == "prompt":
            blocks = [
                {"type": "section", "text": {"type": "mrkdwn", "text": action.text}},
                {"type": "context", "elements": [
                    {"type": "mrkdwn", "text": ":thread: Reply in the thread to share yours."}]},
            ]
        posted = await self.client.chat_postMessage(channel=channel, text=action.text, blocks=blocks)
        if action.kind == "prompt" and action.ref and posted.get("ts"):
            # Replies in its thread are counted for moderators: the engine keeps its ts.
            await self.runtime.delivered(action.community, "prompt", action.ref, "channel", str(posted["ts"]))

    async def _upload(self, channel: str, action: Post) -> bool:
        """The post with its file (the digest chart): ``files_upload_v2`` (files.getUploadURLExternal,
        the upload, files.completeUploadExternal) shares it in the channel with the text as
        its comment. False when Slack refused (e.g. no files:write scope): post the text alone."""
        assert action.file is not None
        try:
            await self.client.files_upload_v2(
                channel=channel, file=action.file.data, filename=action.file.filename,
                title=action.file.filename.removesuffix(".png"), alt_txt=action.file.alt or None,
                initial_comment=action.text,
            )
        except SlackClientError as exc:
            self._report("files_upload_v2", exc)
            return False
        return True

    async def _nudge(self, action: PrivateNudge) -> None:
        buttons = [
            {
                "type": "button",
                "action_id": f"peerbot_feedback_{choice}",
                "text": {"type": "plain_text", "text": FEEDBACK_LABELS.get(choice, choice)},
                "value": action.nudge_id,
            }
            for choice in action.feedback_choices
            if choice in FEEDBACK_LABELS
        ]
        blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": action.text}}]
        if buttons:
            blocks.append({"type": "actions", "block_id": "peerbot_feedback", "elements": buttons})
        kwargs: dict[str, Any] = {"channel": action.channel_id, "user": action.member_id,
                                  "text": action.text, "blocks": blocks}
        # Keep the nudge next to the message: in the same thread when it was a reply.
        thread_ts = self._threads.get((action.channel_id, action.message_id))
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        await self.client.chat_postEphemeral(**kwargs)

    async def _crisis_private(self, action: CrisisSupport) -> str:
        """Crisis resources by DM; when the DM cannot be opened or sent (DMs off, a guest,
        Slack failing), as an ephemeral message in the channel where the member wrote.
        Returns how they went; raises only when both failed."""
        try:
            await self._dm(action.member_id, action.text)
            return "dm"
        except PLATFORM_FAILURES as exc:
            if not action.channel_id:
                raise
            self._report("CrisisSupport DM", exc)
        await self.client.chat_postEphemeral(channel=action.channel_id, user=action.member_id, text=action.text)
        log.info("slack: crisis resources for %s sent in the channel (the DM failed)", action.member_id)
        return "ephemeral"

    async def _dm(self, member_id: str, text: str) -> None:
        opened = await self.client.conversations_open(users=member_id)
        await self.client.chat_postMessage(channel=opened["channel"]["id"], text=text)

    async def _alert(self, action: AlertModerators) -> bool:
        """Post the alert in the moderator channel; returns whether a moderator was told.

        A crisis alert whose channel is missing or refuses the post goes by DM to the
        configured moderators (user ids and user group members), else to the workspace's
        admins and owners, and is logged as an error: it is never only a warning."""
        link = action.link
        if link is None and action.message_channel_id and action.message_id:
            try:
                link = (await self.client.chat_getPermalink(
                    channel=action.message_channel_id, message_ts=action.message_id))["permalink"]
            except SlackClientError as exc:
                self._report("chat.getPermalink", exc)
        text = action.text if link is None or link in action.text else f"{action.text}\n<{link}|View the message>"
        problem = "not found"
        try:
            channel = await self.channel_id(action.channel)
            if channel is not None:
                await self.client.chat_postMessage(channel=channel, text=text, unfurl_links=False, unfurl_media=False)
                return True
        except PLATFORM_FAILURES as exc:
            self._report("moderator alert", exc)
            problem = "refused the post" if isinstance(exc, SlackApiError) else f"unreachable ({type(exc).__name__})"
        if action.reason != "crisis":
            log.warning("slack: moderator channel %r %s: a %s alert was not posted", action.channel, problem,
                        action.reason)
            return False
        told = await self._alert_by_dm(text)
        if told:
            log.error("slack: CRISIS ALERT: the moderator channel %r %s; sent by DM to %d moderators instead. "
                      "Fix the channel (peerbot channel moderators #name)", action.channel, problem, told)
        else:
            log.critical("slack: CRISIS ALERT REACHED NO MODERATOR: the moderator channel %r %s and no moderator "
                         "could be sent a DM (member %s)", action.channel, problem, action.member_id)
        return told > 0

    async def _alert_by_dm(self, text: str) -> int:
        """DM ``text`` to the moderators (see ``_alert``); returns how many got it."""
        recipients = await self._alert_recipients()
        results = await asyncio.gather(*(self._dm(member, text) for member in recipients), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                self._report("crisis alert DM", result)
        return sum(not isinstance(r, BaseException) for r in results)

    async def _alert_recipients(self) -> list[str]:
        found = list(self.moderator_ids)
        for group in sorted(self.moderator_groups):
            try:
                found += (await self.client.usergroups_users_list(usergroup=group)).get("users") or []
            except PLATFORM_FAILURES as exc:
                self._report("usergroups.users.list", exc)
        if not found:
            try:
                cursor = None
                for _ in range(10):  # at most 10 pages of 200 members
                    page = await self.client.users_list(limit=200, cursor=cursor)
                    found += [u["id"] for u in page.get("members") or []
                              if (u.get("is_admin") or u.get("is_owner") or u.get("is_primary_owner"))
                              and not u.get("deleted") and not u.get("is_bot") and not u.get("is_restricted")]
                    cursor = (page.get("response_metadata") or {}).get("next_cursor")
                    if not cursor or len(found) >= ALERT_FALLBACK_RECIPIENTS:
                        break
            except PLATFORM_FAILURES as exc:
                self._report("users.list", exc)
        return list(dict.fromkeys(found))[:ALERT_FALLBACK_RECIPIENTS]

    async def _reply(self, action: ReplyToModerator, respond: Any) -> None:
        if respond is not None:
            await self._call("response_url", respond(text=action.text, response_type="ephemeral"))
        else:
            await self.client.chat_postEphemeral(channel=action.channel_id, user=action.member_id, text=action.text)
