"""Load and validate every configuration file at start-up, before any command runs."""

from __future__ import annotations

from dataclasses import dataclass

from peerbot.prompts import Prompt, load_prompts
from peerbot.settings import ConfigError, Settings, load_settings
from peerbot.texts import Messages, load_messages


@dataclass(frozen=True)
class Loaded:
    settings: Settings
    messages: Messages
    prompts: tuple[Prompt, ...]


def load_config(config: str | None = None) -> Loaded:
    """Settings (file, .env, environment), texts and prompts; raises ``ConfigError``."""
    settings = load_settings(config)
    return Loaded(settings, load_messages(settings), load_prompts(settings))


__all__ = ["ConfigError", "Loaded", "load_config"]
