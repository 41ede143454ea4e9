"""pktui: read a news corpus as facts, in the terminal."""

__version__ = "0.1.0"
