"""The Slack adapter (see ``app``): ``from peerbot.adapters.slack import SlackAdapter``."""

from peerbot.adapters.slack.app import (
    EXIT_CONFIG,
    EXIT_OK,
    MENTION_LOOKUPS,
    SlackAdapter,
    SlackStartupError,
    check_settings,
    cli_run,
    serve,
)
from peerbot.adapters.slack.client import PAYLOAD_FILTER, SlackPayloadFilter, guard_logs, signature_ok, web_client
from peerbot.adapters.slack.inbound import MalformedPayload
from peerbot.adapters.slack.outbound import FEEDBACK_LABELS

__all__ = [
    "EXIT_CONFIG", "EXIT_OK", "FEEDBACK_LABELS", "MENTION_LOOKUPS", "PAYLOAD_FILTER", "MalformedPayload",
    "SlackAdapter", "SlackPayloadFilter", "SlackStartupError", "check_settings", "cli_run", "guard_logs", "serve",
    "signature_ok", "web_client",
]
