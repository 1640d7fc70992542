"""The UI's one settings store: an ini file in the user data dir (QSettings, never the registry).

Window geometry, splitters, the results header, the last query, zoom, contrast, the SCRA edition,
the tour flag, the UI language and the plan that "add to plan" fills all live here. Earlier
versions kept the language and the current plan in the `settings` table of plans.db: the first
time a settings file is opened, those two values are read from there once (read-only; plans.db
is not changed) and written here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app import paths

FILE_NAME = "machinavi-ui.ini"
_MIGRATED = "meta/userdb_settings_read"
# old key in plans.db's settings table → key here
_OLD_KEYS = {"ui.language": "ui/language", "plan.current": "plan/current"}


def _old_userdb_settings(path: Path) -> dict[str, str]:
    """The language and current plan from plans.db's settings table (read-only), if there are any."""
    if not path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("select key, value from settings where key in (?, ?)", tuple(_OLD_KEYS)).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:  # no settings table, locked or unreadable: nothing to carry over
        return {}
    return {str(k): str(v) for k, v in rows}


class Settings:
    """Typed access to the settings file; `raw` is the QSettings for window-state blobs."""

    def __init__(self, raw: QSettings) -> None:
        self.raw = raw

    # -- generic
    def text(self, key: str, default: str = "") -> str:
        value = self.raw.value(key, default)
        return str(value) if value is not None else default

    def flag(self, key: str, default: bool = False) -> bool:
        return str(self.raw.value(key, default)).lower() == "true"

    def number(self, key: str, default: float) -> float:
        try:
            return float(self.raw.value(key, default) or default)
        except (TypeError, ValueError):
            return default

    def blob(self, key: str) -> QByteArray | None:
        value = self.raw.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set(self, key: str, value: Any) -> None:
        self.raw.setValue(key, value)

    def sync(self) -> None:
        self.raw.sync()

    def file_name(self) -> str:
        return self.raw.fileName()

    # -- named settings
    def language(self) -> str:
        return self.text("ui/language")

    def set_language(self, lang: str) -> None:
        self.set("ui/language", lang)
        self.sync()

    def current_plan(self) -> str:
        return self.text("plan/current")

    def set_current_plan(self, name: str) -> None:
        self.set("plan/current", name)

    def zoom(self) -> float:
        return self.number("theme/zoom", 1.0)

    def last_query(self) -> str:
        return self.text("search/last_query")

    def use_synonyms(self) -> bool:
        """Whether searches expand words through officer vocabulary (the 「類義語を含む」 chip)."""
        return self.flag("search/synonyms", True)

    def set_use_synonyms(self, on: bool) -> None:
        self.set("search/synonyms", bool(on))
        self.sync()

    def report_era(self) -> bool:
        """Whether plan reports show dates in the Japanese era (令和8年11月30日) rather than 2026年11月30日."""
        return self.flag("report/era", False)

    def set_report_era(self, on: bool) -> None:
        self.set("report/era", bool(on))
        self.sync()


def store() -> Settings:
    """The settings of the current user data dir (MACHI_NAVI_HOME respected)."""
    raw = QSettings(str(paths.user_dir() / FILE_NAME), QSettings.Format.IniFormat)
    if not str(raw.value(_MIGRATED, "")):
        old_values = _old_userdb_settings(paths.plans_db_path())
        for old, new in _OLD_KEYS.items():
            value = old_values.get(old)
            if value and raw.value(new) is None:
                raw.setValue(new, value)
        raw.setValue(_MIGRATED, "true")
        raw.sync()
    return Settings(raw)
