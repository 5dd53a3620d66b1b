"""Fixtures shared by the test modules."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No PEERBOT_* variables and a fresh working folder (no ./config, no .env): the shipped
    defaults apply unless a test sets something."""
    for name in list(os.environ):
        if name.upper().startswith("PEERBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
async def closing_engines():
    """Closes the store of every engine ``engine_kit.make_engine`` built during the test
    (closing twice is harmless: a test may close its own)."""
    import engine_kit

    engine_kit.OPENED.clear()
    yield engine_kit.OPENED
    while engine_kit.OPENED:
        await engine_kit.OPENED.pop().store.close()


@pytest.fixture
def log_lines():
    """What peerbot and its libraries log at INFO and above during the test, one
    "LEVEL logger: message" string per record."""
    import logging

    lines: list[str] = []

    class Lines(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")

    handler, root = Lines(), logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lines
    root.removeHandler(handler)
    root.setLevel(old)
