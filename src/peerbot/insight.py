"""What moderators are told about their community: stats and the weekly climate digest.

Everything here is written from ``Stats`` (aggregates for one period), never from messages:
counts and shares by category, what became of nudged messages, how nudges reached members,
feedback, welcomes, prompts and crisis alerts. There is no ranking of members anywhere, by
design: the figures are about the community's climate, not about people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from peerbot.store import OUTCOMES, Stats

#: Tone categories in the order moderators read them: calm first, then what gets nudged, then crisis.
CATEGORY_ORDER = ("supportive", "neutral", "recovery", "struggle", "complaint", "disagreement",
                  "criticism", "gossip", "mockery", "crisis")
NUDGED = ("criticism", "gossip", "mockery")
OUTCOME_LABELS = {
    "edited_softened": "edited and softened",
    "edited": "edited, still nudge-worthy",
    "deleted": "deleted",
    "unchanged": "unchanged",
    "watching": "still watched",
}
DELIVERY_LABELS = {
    "dm": "by DM",
    "thread": "in a private thread (DMs closed)",
    "ephemeral": "in the channel, to them only",
    "skipped": "not delivered (DMs closed)",
    "failed": "failed",
}
#: For scale (issue 8): Twitter's randomised study of its reply prompts.
TWITTER_PROMPT_STUDY = "Twitter's prompt study: 9 of 100 prompted replies cancelled, 22 revised"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def categories(counts: Mapping[str, int]) -> list[str]:
    """Categories present in ``counts``, known ones in reading order, unknown ones after."""
    known = [c for c in CATEGORY_ORDER if counts.get(c)]
    return known + sorted(c for c in counts if counts[c] and c not in CATEGORY_ORDER)


def _listed(items: Iterable[str]) -> str:
    return ", ".join(items) or "none"


def _vs(before: int | None) -> str:
    return "" if before is None else f" (week before: {before})"


def changed(stats: Stats) -> int:
    """Nudged messages edited (either way) or deleted within the watch window."""
    return sum(stats.outcomes.get(o, 0) for o in ("edited_softened", "edited", "deleted"))


def stats_lines(stats: Stats, previous: Stats | None = None) -> list[str]:
    """The figures, one line each; with ``previous``, last period's numbers beside them."""
    prev = previous
    seen = stats.messages_seen
    shares = [f"{c} {percent(stats.messages_by_category[c], seen)}" for c in categories(stats.messages_by_category)]
    lines = [f"messages seen: {seen}{_vs(prev.messages_seen if prev else None)}"
             + (f"; tone: {', '.join(shares)}" if shares else "")]
    nudges = stats.nudges
    by_category = _listed(f"{c} {stats.nudges_by_category[c]}" for c in categories(stats.nudges_by_category))
    lines.append(f"nudges sent: {nudges} ({by_category}) to {stats.members_nudged} members"
                 f"{_vs(prev.nudges if prev else None)}")
    if nudges:
        settled = nudges - stats.outcomes.get("watching", 0)
        parts = [f"{OUTCOME_LABELS[o]} {stats.outcomes[o]} ({percent(stats.outcomes[o], settled)})"
                 for o in OUTCOMES if stats.outcomes.get(o)]
        line = f"after a nudge: {_listed(parts)}"
        if stats.outcomes.get("watching"):
            line += f"; {stats.outcomes['watching']} still watched"
        if settled:
            line += f". Changed or removed: {percent(changed(stats), settled)}"
            if prev is not None:
                before = prev.nudges - prev.outcomes.get("watching", 0)
                line += f" (week before: {percent(changed(prev), before)})"
        lines.append(line)
        delivered = [f"{DELIVERY_LABELS.get(k, k)} {n}" for k, n in sorted(stats.nudge_delivery.items(),
                                                                            key=lambda kv: -kv[1])]
        if delivered:
            lines.append(f"nudge delivery: {', '.join(delivered)}")
        feedback = [f"{verdict} {stats.feedback_nudges[verdict]} ({percent(stats.feedback_nudges[verdict], nudges)})"
                    for verdict in ("helpful", "not_helpful", "why") if stats.feedback_nudges.get(verdict)]
        lines.append(f"feedback on nudges: {_listed(feedback)}")
    lines.append(f"welcomes (joins): {stats.members_welcomed}"
                 f"{_vs(prev.members_welcomed if prev else None)}")
    lines.append(f"prompts posted: {stats.prompts_posted}, replies to them: {stats.prompt_replies}"
                 + (f" (week before: {prev.prompts_posted} and {prev.prompt_replies})" if prev else ""))
    alerts = f"crisis alerts: {stats.crisis_alerts}{_vs(prev.crisis_alerts if prev else None)}"
    undelivered = sum(n for k, n in stats.crisis_delivery.items() if k in ("skipped", "failed"))
    if undelivered:
        alerts += f"; resources not delivered privately to {undelivered}"
    lines.append(alerts)
    return lines


def stats_text(stats: Stats, heading: str, previous: Stats | None = None) -> str:
    body = "\n".join(f"  {line}" for line in stats_lines(stats, previous))
    return f"{heading}\n{body}\nAggregates only: no message text, no ranking of members."


def period_label(start: date, end: date) -> str:
    """``[start, end)`` as people say it: "Mon 2 Jun - Sun 8 Jun 2025"."""
    last = end - timedelta(days=1)
    return f"{start:%a} {start.day} {start:%b} - {last:%a} {last.day} {last:%b %Y}"


def digest_text(name: str, stats: Stats, previous: Stats, start: date, end: date) -> str:
    heading = f"Weekly climate digest for {name}, {period_label(start, end)}:"
    text = stats_text(stats, heading, previous)
    if stats.nudges:
        text += f"\nFor comparison, {TWITTER_PROMPT_STUDY}."
    return text


def quiet(stats: Stats) -> bool:
    """Nothing at all happened (a new install, a silent week): no digest is posted."""
    return not (stats.messages_seen or stats.nudges or stats.members_welcomed or stats.crisis_alerts
                or stats.prompts_posted)
