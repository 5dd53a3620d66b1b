"""Texts peerbot sends (messages.toml), with per-community replacements."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from peerbot.settings import ConfigError, Settings, packaged_defaults, read_toml
from peerbot.templates import problem, render

log = logging.getLogger("peerbot.texts")

REQUIRED = (
    "welcome.channel", "welcome.private", "welcome.back", "welcome.burst", "prompt.post",
    "nudge.opening", "nudge.noticed", "nudge.closing", "nudge.why",
    "nudge.reframe.criticism", "nudge.reframe.gossip", "nudge.reframe.mockery",
    "crisis.message", "crisis.closing", "crisis.alert",
    "moderation.repeat_alert", "moderation.not_moderator",
)


def fill(template: str, **values: Any) -> str:
    """Never raises: see ``peerbot.templates.render``."""
    return render(template, values)


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
    #: The texts shipped with peerbot: what is sent when a configured text cannot render.
    shipped: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str, replacements: Mapping[str, str] | None = None) -> str:
        """The text for ``key``: a community's replacement, else the configured text, else the
        shipped one, whichever is first to render. Config check refuses texts that do not, but
        a text can also arrive by other ways (a Messages built in code); a crisis reply must
        go out whatever happened, so the fallback is logged loudly and never stops it."""
        candidates = [("this community's [community.texts]", replacements.get(key) if replacements else None),
                      ("messages.toml", self.texts.get(key)), ("the shipped messages.toml", self.shipped.get(key))]
        found = [(source, text) for source, text in candidates if text is not None]
        for source, text in found:
            reason = problem(key, text)
            if reason is None:
                return text
            log.error("text %s from %s cannot be rendered (%s); sending the next one in line instead",
                      key, source, reason)
        if not found:
            raise KeyError(key)
        return found[-1][1]  # rendered as best it can be (peerbot.templates.render)


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
    for key, value in flat.items():
        if isinstance(value, str):
            reason = problem(key, value)
            if reason is not None:
                raise ConfigError(label, key, reason)
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
    if "messages_file" in settings.model_fields_set:
        # Never fall back to the shipped texts here: they would replace a community's own
        # crisis resources without a word.
        raise ConfigError(settings.config_file or "settings", "messages_file",
                          f"file not found: {settings.messages_file} (relative paths start at the config file's folder)")
    return packaged_defaults() / "messages.toml", "shipped defaults/messages.toml"


def load_messages(settings: Settings) -> Messages:
    """The configured texts; a text a community's older copy of messages.toml lacks (one
    added in a later release) comes from the shipped file."""
    path, label = messages_path(settings)
    messages = parse_messages(read_toml(path, label), label)
    shipped = packaged_defaults() / "messages.toml"
    defaults = _flatten(read_toml(shipped, "shipped defaults/messages.toml"))
    shipped_texts = {k: v for k, v in defaults.items() if isinstance(v, str)}
    missing = {k: v for k, v in shipped_texts.items() if k not in messages.texts}
    return replace(messages, texts={**missing, **messages.texts}, shipped=shipped_texts)
