"""The Discord adapter (see ``app``): ``from peerbot.adapters.discord import DiscordAdapter``."""

from peerbot.adapters.discord.app import (
    EXIT_CONFIG,
    EXIT_OK,
    DiscordAdapter,
    DiscordStartupError,
    PeerbotClient,
    PeerbotShardedClient,
    cli_invite,
    cli_run,
    cli_sync,
    configure_endpoints,
    intents_message,
    invite_url,
    required_intents,
)
from peerbot.adapters.discord.commands import NOT_MODERATOR, build_command_group
from peerbot.adapters.discord.outbound import FEEDBACK_LABELS, Delivery, FeedbackButton, feedback_view, jump_link

__all__ = [
    "EXIT_CONFIG", "EXIT_OK", "FEEDBACK_LABELS", "NOT_MODERATOR", "Delivery", "DiscordAdapter", "DiscordStartupError",
    "FeedbackButton", "PeerbotClient", "PeerbotShardedClient", "build_command_group", "cli_invite", "cli_run",
    "cli_sync", "configure_endpoints", "feedback_view", "intents_message", "invite_url", "jump_link",
    "required_intents",
]
