"""How long tests wait for things that take longer on a loaded machine."""

#: A new `peerbot run` process: it imports discord.py or Slack's SDK, aiohttp and SQLAlchemy and
#: migrates a new database before it connects. About 1 s on an idle machine; 9-11 s were
#: measured with the suite and benchmarks/load.py sharing two CPUs, where 8 or 10 s waits
#: failed. A hang still fails (pytest-timeout bounds every test).
STARTUP_SECONDS = 60
