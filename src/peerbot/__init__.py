"""peerbot: keeps an online peer-support community warm, safe and supportive."""

__version__ = "0.1.0"
