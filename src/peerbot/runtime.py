"""What every adapter shares at run time: carrying out the engine's actions in order.

Crisis support must only say what is true. The member's crisis text says a moderator has
been told; so a crisis alert is carried out before the crisis support it accompanies, and
when no moderator could be told (or telling them takes longer than ``ALERT_WAIT_SECONDS``)
the member gets the text that does not say so (``CrisisSupport.unalerted_text``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

from peerbot.actions import Action, AlertModerators, CrisisSupport

log = logging.getLogger("peerbot.runtime")

#: How long crisis support waits for its moderator alert before going out without saying a
#: moderator was told (the alert still finishes in the background).
ALERT_WAIT_SECONDS = 5.0


async def carry_out(actions: Sequence[Action], perform: Callable[[Action], Awaitable[Any]], *,
                    alert_wait: float = ALERT_WAIT_SECONDS) -> None:
    """Perform ``actions`` in order, a crisis alert first. ``perform`` isolates its own
    failures; for an ``AlertModerators`` it returns whether a moderator was told."""
    alert = next((a for a in actions if isinstance(a, AlertModerators) and a.reason == "crisis"), None)
    told: bool | None = None
    if alert is not None:
        task = asyncio.ensure_future(perform(alert))
        try:
            told = bool(await asyncio.wait_for(asyncio.shield(task), alert_wait))
        except TimeoutError:
            told = False
            log.error("crisis alert for %s still not delivered after %.0f s: crisis support goes out "
                      "without saying a moderator was told", alert.community.key, alert_wait)
        except Exception:
            told = False
            log.exception("crisis alert for %s failed", alert.community.key)
    for action in actions:
        if action is alert:
            continue
        if isinstance(action, CrisisSupport) and told is False and action.unalerted_text:
            action = replace(action, text=action.unalerted_text)
        await perform(action)
