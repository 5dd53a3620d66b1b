"""Nudge and crisis policy as pure functions, and the kind words that go with them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from peerbot.events import Channel, Member
from peerbot.settings import CommunitySettings
from peerbot.texts import Messages, fill
from peerbot.tone import ToneReport

Skip = Literal[
    "no_nudge", "nudges_off", "channel_off", "exempt_channel", "exempt_role", "bot", "cooldown",
]


@dataclass(frozen=True, slots=True)
class NudgeDecision:
    nudge: bool
    threshold: float
    skipped: Skip | None = None


def _matches(names: Iterable[str], *candidates: str) -> bool:
    wanted = {name.lstrip("#@").casefold() for name in names}
    return any(c and c.lstrip("#@").casefold() in wanted for c in candidates)


def effective_threshold(settings: CommunitySettings, channel: Channel) -> float:
    override = settings.channel_override(channel.id, channel.name)
    return override.threshold if override.threshold is not None else settings.nudges.threshold


def decide_nudge(
    report: ToneReport,
    settings: CommunitySettings,
    channel: Channel,
    author: Member,
    last_nudge_at: datetime | None,
    now: datetime,
) -> NudgeDecision:
    """Whether this report earns a private nudge here, for this member, now."""
    threshold = effective_threshold(settings, channel)
    override = settings.channel_override(channel.id, channel.name)
    nudges = settings.nudges
    if report.action == "crisis" or not report.nudges_at(threshold):
        return NudgeDecision(False, threshold, "no_nudge")
    if author.is_bot:
        return NudgeDecision(False, threshold, "bot")
    if not nudges.enabled:
        return NudgeDecision(False, threshold, "nudges_off")
    if override.nudges_enabled is False:
        return NudgeDecision(False, threshold, "channel_off")
    if _matches(nudges.exempt_channels, channel.id, channel.name):
        return NudgeDecision(False, threshold, "exempt_channel")
    if _matches(nudges.exempt_roles, *author.roles):
        return NudgeDecision(False, threshold, "exempt_role")
    cooldown = timedelta(minutes=nudges.cooldown_minutes)
    if last_nudge_at is not None and now - last_nudge_at < cooldown:
        return NudgeDecision(False, threshold, "cooldown")
    return NudgeDecision(True, threshold)


def noticed_phrase(messages: Messages, category: str, cue_names: Iterable[str]) -> str:
    """What the analyzer noticed, in plain words, from cue names only (never the text)."""
    phrases: list[str] = []
    headline = messages.category_phrases.get(category, category)
    for name in cue_names:
        lowered = name.casefold()
        for fragment, phrase in messages.cue_phrases.items():
            if fragment.casefold() in lowered and phrase not in phrases and phrase != headline:
                phrases.append(phrase)
                break
    if not phrases:
        return headline
    details = phrases[:3]
    listed = details[0] if len(details) == 1 else ", ".join(details[:-1]) + " and " + details[-1]
    return f"{headline} ({listed})"


def nudge_text(
    messages: Messages, settings: CommunitySettings, *, member_id: str, channel: Channel,
    category: str, cue_names: Iterable[str],
) -> str:
    texts = settings.texts
    values = {"member": f"<@{member_id}>", "channel": channel.name or channel.id}
    noticed = noticed_phrase(messages, category, cue_names)
    parts = [
        fill(messages.get("nudge.opening", texts), **values),
        fill(messages.get("nudge.noticed", texts), noticed=noticed, **values),
        fill(messages.get(f"nudge.reframe.{category}", texts), **values),
        fill(messages.get("nudge.closing", texts), **values),
    ]
    return "\n\n".join(parts)


def why_text(messages: Messages, settings: CommunitySettings, category: str, cue_names: Iterable[str]) -> str:
    return fill(messages.get("nudge.why", settings.texts), noticed=noticed_phrase(messages, category, cue_names))


#: The closing when no moderator was told, for texts built without the shipped file.
UNALERTED_CLOSING = "If you are in immediate danger, call 911."


def crisis_text(messages: Messages, settings: CommunitySettings, member_id: str, *, told: bool = True) -> str:
    """The crisis resources; the closing says a moderator was told only when ``told``."""
    lines = [fill(messages.get("crisis.message", settings.texts), member=f"<@{member_id}>")]
    lines += [f"- {r.name}: {r.how}" for r in messages.resources]
    key = "crisis.closing" if told else "crisis.closing_unalerted"
    try:
        closing = messages.get(key, settings.texts)
    except KeyError:
        closing = UNALERTED_CLOSING
    lines.append(fill(closing, member=f"<@{member_id}>"))
    return "\n".join(lines)


def crisis_texts(messages: Messages, settings: CommunitySettings, member_id: str) -> dict[str, str]:
    """``CrisisSupport``'s texts: saying a moderator was told only when an alert goes out, and
    the text without that sentence for when the alert reaches nobody."""
    unalerted = crisis_text(messages, settings, member_id, told=False)
    if not settings.crisis.alert_moderators:
        return {"text": unalerted}
    return {"text": crisis_text(messages, settings, member_id), "unalerted_text": unalerted}
