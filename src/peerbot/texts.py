"""Texts peerbot sends (messages.toml), with per-community replacements."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from peerbot.settings import ConfigError, Settings, packaged_defaults, read_toml

REQUIRED = (
    "welcome.channel", "welcome.private", "welcome.back", "welcome.burst", "prompt.post",
    "nudge.opening", "nudge.noticed", "nudge.closing", "nudge.why",
    "nudge.reframe.criticism", "nudge.reframe.gossip", "nudge.reframe.mockery",
    "crisis.message", "crisis.closing", "crisis.alert",
    "moderation.repeat_alert", "moderation.not_moderator",
)


class _Keep(dict[str, Any]):
    # An unknown placeholder stays visible rather than crashing a welcome.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **values: Any) -> str:
    return string.Formatter().vformat(template, (), _Keep(values))


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and key not in ("cue_phrases", "category_phrases"):
            out.update(_flatten(value, dotted + "."))
        else:
            out[dotted] = value
    return out


@dataclass(frozen=True)
class Resource:
    name: str
    how: str


@dataclass(frozen=True)
class Messages:
    texts: Mapping[str, str]
    cue_phrases: Mapping[str, str]
    category_phrases: Mapping[str, str]
    resources: tuple[Resource, ...]

    def get(self, key: str, replacements: Mapping[str, str] | None = None) -> str:
        if replacements and key in replacements:
            return replacements[key]
        return self.texts[key]


def parse_messages(data: Mapping[str, Any], label: str) -> Messages:
    flat = _flatten(data)
    for key in REQUIRED:
        if not isinstance(flat.get(key), str) or not flat[key].strip():
            raise ConfigError(label, key, "missing or empty text")
    raw_resources = data.get("crisis", {}).get("resources", [])
    if not isinstance(raw_resources, list) or not raw_resources:
        raise ConfigError(label, "crisis.resources", "list at least one crisis resource ([[crisis.resources]])")
    resources = []
    for index, item in enumerate(raw_resources):
        if not isinstance(item, Mapping) or not all(isinstance(item.get(k), str) and item[k] for k in ("name", "how")):
            raise ConfigError(label, f"crisis.resources.{index}", "needs a name and a how (both text)")
        resources.append(Resource(item["name"], item["how"]))
    nudge = data.get("nudge", {})
    return Messages(
        texts={key: value for key, value in flat.items() if isinstance(value, str)},
        cue_phrases=dict(nudge.get("cue_phrases", {})),
        category_phrases=dict(nudge.get("category_phrases", {})),
        resources=tuple(resources),
    )


def messages_path(settings: Settings) -> tuple[Path, str]:
    found = settings.resolve_file(settings.messages_file)
    if found is not None:
        return found, str(found)
    return packaged_defaults() / "messages.toml", "shipped defaults/messages.toml"


def load_messages(settings: Settings) -> Messages:
    """The configured texts; a text a community's older copy of messages.toml lacks (one
    added in a later release) comes from the shipped file."""
    path, label = messages_path(settings)
    messages = parse_messages(read_toml(path, label), label)
    shipped = packaged_defaults() / "messages.toml"
    if path.resolve() != shipped.resolve():
        defaults = _flatten(read_toml(shipped, "shipped defaults/messages.toml"))
        missing = {k: v for k, v in defaults.items() if isinstance(v, str) and k not in messages.texts}
        if missing:
            messages = replace(messages, texts={**missing, **messages.texts})
    return messages
