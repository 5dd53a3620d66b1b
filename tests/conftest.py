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
