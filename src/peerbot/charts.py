"""PNG charts for moderators, drawn headless with matplotlib's Agg backend.

Two charts: the weekly digest's tone mix and nudge outcomes (this week against the week
before), and ``peerbot replay --chart``'s threshold sweep (nudges per category against the
threshold). Both are drawn from counts only. matplotlib is imported on first use, so nothing
else in peerbot pays for it; a figure is drawn on a ``Figure`` with its own Agg canvas (no
pyplot, no global state, no display needed), one at a time.
"""

from __future__ import annotations

import asyncio
import io
import logging
import struct
import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from peerbot.insight import CATEGORY_ORDER, NUDGED, OUTCOME_LABELS, categories, percent
from peerbot.store import OUTCOMES, Stats

#: Pixel sizes of the charts (width, height) at ``DPI``.
DIGEST_SIZE = (1200, 600)
SWEEP_SIZE = (1000, 600)
DPI = 100
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_lock = threading.Lock()  # one figure at a time (matplotlib's font cache is shared)
THIS_WEEK, WEEK_BEFORE = "#2a7f62", "#b8c4cc"
CATEGORY_COLOURS = {"criticism": "#d9822b", "gossip": "#7b4fa0", "mockery": "#2b7bb9", "crisis": "#b3261e"}


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; ValueError if ``data`` is no PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _figure(size: tuple[int, int]) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Any) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. a glyph missing for an emoji in a community name
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _quiet_matplotlib() -> None:
    for name in ("matplotlib", "matplotlib.font_manager", "PIL"):
        logging.getLogger(name).setLevel(logging.WARNING)


def digest_chart(title: str, this: Stats, before: Stats) -> bytes:
    """The week's tone mix (share of messages seen per category) and what became of nudged
    messages, each against the week before. ``DIGEST_SIZE`` pixels."""
    _quiet_matplotlib()
    with _lock:
        figure = _figure(DIGEST_SIZE)
        tone, outcome = figure.subplots(1, 2, width_ratios=(3, 2))
        figure.suptitle(title, fontsize=14)

        shown = [c for c in CATEGORY_ORDER if c in set(categories(this.messages_by_category))
                 | set(categories(before.messages_by_category))] or list(CATEGORY_ORDER[:3])
        rows = range(len(shown))
        height = 0.38
        for offset, stats, label, colour in ((-height / 2, this, "this week", THIS_WEEK),
                                             (height / 2, before, "week before", WEEK_BEFORE)):
            seen = stats.messages_seen
            shares = [100 * stats.messages_by_category.get(c, 0) / seen if seen else 0 for c in shown]
            colours = [CATEGORY_COLOURS.get(c, colour) if stats is this else colour for c in shown]
            bars = tone.barh([r + offset for r in rows], shares, height=height, color=colours,
                             label=f"{label} ({seen} messages)")
            for bar, category in zip(bars, shown, strict=True):
                count = stats.messages_by_category.get(category, 0)
                if count:
                    tone.annotate(f"{count}", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                                  xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        tone.set_yticks(list(rows), shown)
        tone.invert_yaxis()
        tone.set_xlabel("share of messages seen (%)")
        tone.set_title("Tone mix")
        tone.legend(loc="lower right", fontsize=9)
        tone.grid(axis="x", alpha=0.3)
        if not this.messages_seen and not before.messages_seen:
            tone.text(0.5, 0.5, "no messages seen", transform=tone.transAxes, ha="center", color="grey")

        kinds = list(OUTCOMES) + (["watching"] if this.outcomes.get("watching") or before.outcomes.get("watching")
                                  else [])
        labels = [OUTCOME_LABELS[k].replace(", ", ",\n") for k in kinds]
        columns = range(len(kinds))
        width = 0.38
        for offset, stats, label, colour in ((-width / 2, this, "this week", THIS_WEEK),
                                             (width / 2, before, "week before", WEEK_BEFORE)):
            counts = [stats.outcomes.get(k, 0) for k in kinds]
            bars = outcome.bar([c + offset for c in columns], counts, width=width, color=colour,
                               label=f"{label} ({stats.nudges} nudges)")
            for bar, count in zip(bars, counts, strict=True):
                if count:
                    outcome.annotate(f"{count} ({percent(count, stats.nudges)})",
                                     (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                                     xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
        outcome.set_xticks(list(columns), labels, fontsize=8)
        outcome.set_ylabel("nudged messages")
        outcome.set_title("After a private nudge (watch window)")
        outcome.yaxis.get_major_locator().set_params(integer=True)
        outcome.legend(loc="upper right", fontsize=9)
        outcome.grid(axis="y", alpha=0.3)
        top = max([this.outcomes.get(k, 0) for k in kinds] + [before.outcomes.get(k, 0) for k in kinds] + [1])
        outcome.set_ylim(0, top * 1.25 + 0.5)
        figure.text(0.995, 0.005, "peerbot: counts only, no message text", ha="right", va="bottom",
                    fontsize=7, color="grey")
        return _png(figure)


async def digest_chart_async(title: str, this: Stats, before: Stats) -> bytes:
    """``digest_chart`` in a worker thread, so the event loop keeps serving meanwhile."""
    return await asyncio.to_thread(digest_chart, title, this, before)


def sweep_chart(title: str, thresholds: Sequence[float], counts: Mapping[str, Sequence[int]],
                current: float) -> bytes:
    """Nudges per category (and in total) against the threshold; ``current`` marked.
    ``SWEEP_SIZE`` pixels."""
    _quiet_matplotlib()
    with _lock:
        figure = _figure(SWEEP_SIZE)
        axes = figure.subplots()
        figure.suptitle(title, fontsize=13)
        axes.set_title("after cooldowns, exemptions and channel settings; no message text", fontsize=8, color="grey")
        totals = [sum(counts[c][i] for c in counts) for i in range(len(thresholds))]
        axes.plot(thresholds, totals, color="black", linewidth=2, label="all nudges")
        for category in [c for c in NUDGED if c in counts] + [c for c in counts if c not in NUDGED]:
            axes.plot(thresholds, counts[category], marker="o", markersize=3, label=category,
                      color=CATEGORY_COLOURS.get(category))
        axes.axvline(current, color=THIS_WEEK, linestyle="--", label=f"current threshold {current:.2f}")
        axes.set_xlabel("nudge threshold (higher = fewer, surer nudges)")
        axes.set_ylabel("messages that would be nudged")
        axes.set_xlim(min(thresholds), max(thresholds))
        axes.set_ylim(bottom=0)
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.grid(alpha=0.3)
        axes.legend()
        return _png(figure)
