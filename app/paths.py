"""Where things live: bundled catalog (read-only), derived catalog.db/index and user plans.db.

The bundled `catalog_data/` and `resources/` sit next to the code from source and inside the
PyInstaller bundle (sys._MEIPASS) when frozen. Everything the app writes goes to the user data
dir (platformdirs) or to $MACHI_NAVI_HOME, never into the source tree or the install folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app import APP_NAME

ENV_HOME = "MACHI_NAVI_HOME"
ENV_CATALOG = "MACHI_NAVI_CATALOG"


def install_root() -> Path:
    """Folder that holds catalog_data/ and resources/ (source tree or frozen bundle)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def bundled_catalog_dir() -> Path:
    override = os.environ.get(ENV_CATALOG)
    return Path(override) if override else install_root() / "catalog_data"


def resources_dir() -> Path:
    return install_root() / "resources"


def user_dir() -> Path:
    override = os.environ.get(ENV_HOME)
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def catalog_db_path() -> Path:
    return user_dir() / "catalog.db"


def index_dir() -> Path:
    return user_dir() / "index"


def plans_db_path() -> Path:
    return user_dir() / "plans.db"


def overlay_dir() -> Path:
    """Local entries imported by the user (merged into the build, never into catalog_data/)."""
    return user_dir() / "local_entries"


def packs_dir() -> Path:
    """Installed catalog packs (app/catalog/packstore.py), one folder each, apart from the bundled catalog."""
    return user_dir() / "packs"


def prebuilt_dir() -> Path:
    """Catalog.db + index pre-built at packaging time (shipped read-only inside the bundle)."""
    return install_root() / "prebuilt"
