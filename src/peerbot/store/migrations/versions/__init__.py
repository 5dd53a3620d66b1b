"""Revisions, oldest first: 0001 is the schema peerbot created before migrations existed."""
