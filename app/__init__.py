"""Machi Navi (まちナビ): offline catalog and reference-architecture browser for smart-city work."""

__version__ = "0.1.0"
APP_NAME = "MachiNavi"
