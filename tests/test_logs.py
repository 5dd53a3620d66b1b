"""Library loggers stay quiet below their level: at DEBUG, aiosqlite printed SQL parameters,
moderator command text among them (issue 11, item 14)."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

pytestmark = pytest.mark.usefixtures("clean_env")


def test_database_libraries_log_no_sql_parameters_at_debug(tmp_path):
    script = ("/mod Mo\n/as Mo\n/bot prompts add gratitude What made you smile, xyzzy-secret?\n/quit\n")
    (tmp_path / "peerbot.toml").write_text('log_level = "DEBUG"\n')
    code = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)\n"
        "from peerbot.cli import main\n"
        f"raise SystemExit(main(['chat', '--config', {str(tmp_path / 'peerbot.toml')!r}]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], input=script, capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "xyzzy-secret" in run.stdout  # the chat transcript shows it: it was really stored
    assert "xyzzy" not in run.stderr and "aiosqlite" not in run.stderr


def test_library_logs_are_there_when_asked_for(tmp_path):
    from peerbot.logs import QUIET, quiet_libraries

    for name in QUIET:
        logging.getLogger(name).setLevel(logging.NOTSET)
    try:
        quiet_libraries(allow=True)
        assert logging.getLogger("aiosqlite").level == logging.NOTSET
        quiet_libraries()
        assert logging.getLogger("aiosqlite").level == logging.WARNING
        assert logging.getLogger("slack_sdk").level == logging.INFO
    finally:
        for name in QUIET:
            logging.getLogger(name).setLevel(logging.NOTSET)
