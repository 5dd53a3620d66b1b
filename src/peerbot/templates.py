"""Placeholders in the texts peerbot sends: which each text may use, checking, safe rendering.

Texts come from people (messages.toml, ``[community.texts]``), so a stray brace or a misspelled
placeholder is expected. ``problem`` finds it at ``config check``; ``render`` never raises, so a
text that slipped through cannot stop a crisis reply at run time.
"""

from __future__ import annotations

import logging
import re
import string
from functools import lru_cache
from typing import Any

log = logging.getLogger("peerbot.texts")

_PLACES = ("community", "rules_channel", "welcome_channel", "moderator_channel")

#: The placeholders each text is rendered with (see the callers of ``render``).
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "welcome.channel": frozenset({"member", *_PLACES}),
    "welcome.private": frozenset({"member", *_PLACES}),
    "welcome.back": frozenset({"member", *_PLACES}),
    "welcome.burst": frozenset({"members", *_PLACES}),
    "prompt.post": frozenset({"prompt", "theme"}),
    "nudge.opening": frozenset({"member", "channel"}),
    "nudge.noticed": frozenset({"member", "channel", "noticed"}),
    "nudge.closing": frozenset({"member", "channel"}),
    "nudge.why": frozenset({"noticed"}),
    "nudge.reframe.criticism": frozenset({"member", "channel"}),
    "nudge.reframe.gossip": frozenset({"member", "channel"}),
    "nudge.reframe.mockery": frozenset({"member", "channel"}),
    "crisis.message": frozenset({"member"}),
    "crisis.closing": frozenset({"member"}),
    "crisis.closing_unalerted": frozenset({"member"}),
    "crisis.alert": frozenset({"member", "channel", "link"}),
    "crisis.alert_private": frozenset({"member"}),
    "direct.help": frozenset({"member", "community"}),
    "moderation.repeat_alert": frozenset({"member", "count", "hours", "categories"}),
    "moderation.not_moderator": frozenset(),
}

#: For a text whose key is not listed above (a newer release's text): any known name.
ANY_NAME = frozenset().union(*PLACEHOLDERS.values())


def _listing(names: frozenset[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names)) if names else "no placeholders"


@lru_cache(maxsize=1024)
def problem(key: str, template: str) -> str | None:
    """Why ``template`` cannot be the text ``key``, or None when it renders."""
    allowed = PLACEHOLDERS.get(key, ANY_NAME)
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return "a stray { or } (write {{ or }} for a brace that should show)"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if name == "" or name.isdigit():
            return f"placeholder {shown} needs a name; this text can use {_listing(allowed)}"
        if name not in allowed:
            return f"unknown placeholder {shown}; this text can use {_listing(allowed)}"
        if spec or conversion:
            return f"placeholder {shown} has a format; write it plainly as {{{name}}}"
    return None


_NAMED = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def render(template: str, values: dict[str, Any]) -> str:
    """``template`` with its placeholders filled. A template ``problem`` would refuse is still
    rendered, as best it can be: known ``{name}``s are filled and everything else shows as
    written, so a text with a stray brace still goes out."""
    try:
        return string.Formatter().vformat(template, (), _Keep(values))
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        log.error("a text could not be rendered as written (a stray brace or a bad placeholder); "
                  "sent with its placeholders filled one by one: run `peerbot config check`")
        return _NAMED.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


class _Keep(dict[str, Any]):
    # An unknown placeholder stays visible rather than crashing a welcome.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
