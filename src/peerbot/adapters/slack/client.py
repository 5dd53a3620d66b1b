"""Slack's Web API client as peerbot uses it: retries, failures, caches, the request
signature, and keeping payloads out of the logs."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

if TYPE_CHECKING:
    from peerbot.settings import SlackSettings

CACHE_SECONDS = 300.0
#: How far off Slack's request timestamp may be (Slack's own rule: five minutes).
SIGNATURE_WINDOW_SECONDS = 300
#: What a failing Web API call raises once slack_sdk's retries are spent.
PLATFORM_FAILURES = (SlackClientError, OSError, asyncio.TimeoutError, aiohttp.ClientError)


class SlackPayloadFilter(logging.Filter):
    """Keeps Slack payloads (message text) out of the logs.

    slack_bolt logs the whole request body at INFO when a signature is invalid, and both
    libraries log payloads at DEBUG. On a logger or handler, this filter drops DEBUG records
    of ``slack_bolt``/``slack_sdk`` and rewrites the invalid-signature line without the body.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(("slack_bolt", "slack_sdk")):
            return True
        if record.levelno < logging.INFO:
            return False
        message = record.getMessage()
        if "body:" in message or "body=" in message:
            record.msg = message.split("body", 1)[0].rstrip(" ,(:") + " (request body withheld)"
            record.args = ()
        return True


PAYLOAD_FILTER = SlackPayloadFilter()
# The one INFO line of slack_bolt that carries a request body.
_BODY_LOGGERS = ("slack_bolt.RequestVerification", "slack_bolt.AsyncRequestVerification")


def guard_logs() -> None:
    for name in _BODY_LOGGERS:
        logger = logging.getLogger(name)
        if PAYLOAD_FILTER not in logger.filters:
            logger.addFilter(PAYLOAD_FILTER)


def quiet_slack_logs() -> None:
    # slack_bolt and slack_sdk log whole payloads (message text) at DEBUG, and Bolt gives each
    # of its loggers the root's level, so filter at the handlers rather than by level.
    for handler in logging.getLogger().handlers:
        if PAYLOAD_FILTER not in handler.filters:
            handler.addFilter(PAYLOAD_FILTER)
    guard_logs()


class Ttl:
    """A tiny TTL cache (ids -> look-up results), bounded by ``size``."""

    def __init__(self, seconds: float = CACHE_SECONDS, size: int = 2048) -> None:
        self.seconds, self.size = seconds, size
        self._data: dict[Any, tuple[float, Any]] = {}

    def get(self, key: Any) -> Any:
        hit = self._data.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, key: Any, value: Any) -> Any:
        if len(self._data) >= self.size:
            self._data.pop(next(iter(self._data)))
        self._data[key] = (time.monotonic() + self.seconds, value)
        return value


def signature_ok(secret: bytes, raw: bytes, timestamp: str | None, signature: str | None, now: float) -> bool:
    """Slack's request signature (``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{body}``), checked on
    the raw bytes; a timestamp that is not a number, or over five minutes off, fails."""
    if not timestamp or not signature or not timestamp.isascii() or not timestamp.isdigit():
        return False
    if abs(now - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        return False
    expected = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def web_client(slack: SlackSettings) -> AsyncWebClient:
    """The Web API client: ``slack.api_url`` as base URL, retries on 429, 5xx, resets."""
    base_url = slack.api_url if slack.api_url.endswith("/") else slack.api_url + "/"
    token = slack.bot_token.get_secret_value() if slack.bot_token else None
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=int(getattr(slack, "timeout_seconds", 30)) or 1,
        retry_handlers=[
            # A call that times out is tried again too (a slow Slack, a dropped connection).
            AsyncConnectionErrorRetryHandler(max_retry_count=2, error_types=[
                aiohttp.ServerConnectionError, aiohttp.ServerDisconnectedError, aiohttp.ClientOSError,
                asyncio.TimeoutError]),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )
