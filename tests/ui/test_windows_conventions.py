"""Windows conventions that can be checked on any OS: font fallback, one GUI per user, About box,
the DPI-aware manifest."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox

from app import __version__
from app.ui.single_instance import SingleInstance
from app.ui.theme import pick_font_family
from tests.conftest import ROOT

WINDOWS_10_FONTS = {"Yu Gothic UI", "Yu Gothic", "Meiryo", "Meiryo UI", "MS UI Gothic", "MS Gothic", "Segoe UI", "Arial"}


def test_font_fallback_order_on_windows() -> None:
    assert pick_font_family(WINDOWS_10_FONTS, "win32") == "Yu Gothic UI", "no Noto: Windows' own UI font"
    assert pick_font_family(WINDOWS_10_FONTS - {"Yu Gothic UI"}, "win32") == "Meiryo UI"
    assert pick_font_family({"Meiryo", "Arial"}, "win32") == "Meiryo"
    assert pick_font_family({"MS UI Gothic"}, "win32") == "MS UI Gothic"
    assert pick_font_family(WINDOWS_10_FONTS | {"Noto Sans CJK JP"}, "win32") == "Noto Sans CJK JP", "Noto first when installed"
    assert pick_font_family({"Arial", "Segoe UI"}, "win32") == "", "no Japanese font: Qt's default"


def test_font_fallback_order_elsewhere() -> None:
    assert pick_font_family({"Noto Sans CJK JP", "IPAexGothic"}, "linux") == "Noto Sans CJK JP"
    assert pick_font_family({"IPAexGothic", "DejaVu Sans"}, "linux") == "IPAexGothic"
    assert pick_font_family({"Hiragino Sans", "Noto Sans JP"}, "darwin") == "Noto Sans JP"
    assert pick_font_family({"Hiragino Sans"}, "darwin") == "Hiragino Sans"


def test_second_instance_raises_the_first_window(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = SingleInstance(tmp_path)
    assert first.acquire()
    win = QMainWindow()
    qtbot.addWidget(win)
    raised: list[bool] = []
    first.raise_requested.connect(lambda: raised.append(True))

    second = SingleInstance(tmp_path)
    assert not second.acquire(), "the lock is held by the first GUI"
    answered: list[bool] = []
    # request_raise blocks while waiting for the answer: the first GUI's timer answers meanwhile
    # only if its event loop runs, so ask from a thread and keep the loop running here.
    import threading

    t = threading.Thread(target=lambda: answered.append(second.request_raise(wait_s=10)))
    t.start()
    qtbot.waitUntil(lambda: bool(answered), timeout=15000)
    t.join()
    assert raised == [True] and answered == [True]
    first.release()
    assert SingleInstance(tmp_path).acquire(), "released when the first GUI ends"


def test_lock_is_released_when_the_process_dies(tmp_path: Path) -> None:
    code = ("import sys, os; from pathlib import Path; from PySide6.QtCore import QCoreApplication; "
            "app = QCoreApplication([]); from app.ui.single_instance import SingleInstance; "
            f"s = SingleInstance(Path({str(tmp_path)!r})); assert s.acquire(); os._exit(0)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)
    assert SingleInstance(tmp_path).acquire(), "a killed GUI never blocks the next start"


def test_second_start_without_answer_says_the_app_is_open(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import app as ui_app

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    holder = SingleInstance(tmp_path)
    assert holder.acquire()
    holder._timer.stop()  # a first GUI that does not answer (hung)
    second = SingleInstance(tmp_path)
    assert not second.acquire()
    monkeypatch.setattr(second, "request_raise", lambda wait_s=0.1: SingleInstance.request_raise(second, 0.1))
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert ui_app.already_running(second) == 1
    said = ("already open", "すでに起動")  # English, or Japanese when an earlier test installed it
    assert shown and any(s in shown[0] for s in said) and any(s in err.getvalue() for s in said)
    holder.release()


def test_run_gui_second_start_returns_at_once(qtbot, ui_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from app import paths
    from app.ui import app as ui_app

    holder = SingleInstance(paths.user_dir())
    assert holder.acquire()
    calls: list[object] = []
    monkeypatch.setattr(ui_app, "already_running", lambda inst: calls.append(inst) or 0)
    assert ui_app.run_gui("ja") == 0 and len(calls) == 1, "no second main window is built"
    holder.release()


def test_about_box_names_version_and_catalog_edition(ui_home: Path) -> None:
    from app.catalog.store import CatalogDB
    from app.ui.app import create_application
    from app.ui.dialogs import about_html

    create_application("en")
    with CatalogDB(ui_home / "catalog.db") as db:
        meta, stats = db.meta(), db.stats()
    html = about_html(meta, stats)
    assert __version__ in html and meta["content_hash"][:12] in html and meta["built_at"] in html


def test_manifest_declares_per_monitor_v2_and_build_spec_uses_it() -> None:
    manifest = ROOT / "packaging" / "windows" / "MachiNavi.manifest"
    root = ET.parse(manifest).getroot()
    values = {el.tag.split("}")[1]: (el.text or "").strip() for el in root.iter() if "}" in el.tag}
    assert values["dpiAwareness"].split(",")[0].strip() == "PerMonitorV2"
    assert values["dpiAware"] == "true/pm" and values["longPathAware"] == "true"
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'manifest=str(MANIFEST) if IS_WIN' in spec and '"MachiNavi.manifest"' in spec
