"""Gendan: order follow-up (跟单) for manufacturers."""

__version__ = "0.1.0"
