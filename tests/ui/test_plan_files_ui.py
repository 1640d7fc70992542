"""「計画を書き出す / 読み込む」 in the real main window: the Plan menu actions, dropping .machiplan
files on the window, and a damaged file named in a dialog with nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.plan.planfile import read_machiplan
from tests.plan_support import REAL_FIVE


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    return shown


def _drag(win, paths: list[Path], drop: bool) -> bool:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(win.width() / 2, win.height() / 2)
    cls = QDropEvent if drop else QDragEnterEvent
    ev = cls(pos.toPoint() if cls is QDragEnterEvent else pos, Qt.DropAction.CopyAction, mime,
             Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win, ev)
    return ev.isAccepted()


def test_menu_export_and_drop_import(window, tmp_path: Path, boxes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    win = window
    actions = {a.objectName() for a in win.commands.menus["plan"].actions()}
    assert {"action_export_plan_file", "action_import_plan_file"} <= actions
    assert win.commands["import_plan_file"].text() == "計画を読み込む（.machiplan）…"
    assert win.add_to_plan(REAL_FIVE[:3]) == 3
    plan = win.plans.current_plan()
    store = win.plans.store
    store.set_note(plan, REAL_FIVE[1], "県と相談")
    store.set_answer(plan, "ownership", "municipality", "庁内で運用")

    out = tmp_path / "shared"  # the dialog's answer without the suffix: it is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    win.commands["export_plan_file"].trigger()
    written = tmp_path / "shared.machiplan"
    pf = read_machiplan(written)
    assert [i.service_id for i in pf.items] == REAL_FIVE[:3] and pf.items[1].note == "県と相談"

    assert _drag(win, [written], drop=False), "a .machiplan drag is accepted by the window"
    assert _drag(win, [written], drop=True)
    renamed = f"{plan} (2)"
    assert store.exists(renamed) and win.plans.current_plan() == renamed
    assert store.answers(renamed)["ownership"].note == "庁内で運用"
    assert boxes and renamed in boxes[-1] and "すでにある" in boxes[-1]

    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    assert not _drag(win, [other], drop=False), "other files are not taken"


def test_menu_import_of_a_damaged_file_changes_nothing(window, tmp_path: Path, boxes: list[str],  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    win = window
    win.add_to_plan(REAL_FIVE[:2])
    plan = win.plans.current_plan()
    good = tmp_path / "p.machiplan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(good), ""))
    win.commands["export_plan_file"].trigger()
    bad = tmp_path / "bad.machiplan"
    bad.write_bytes(good.read_bytes().replace(b'"position": 1', b'"position": 7'))
    before = [(p.name, p.item_count) for p in win.plans.store.list_plans()]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bad)], ""))
    win.commands["import_plan_file"].trigger()
    assert [(p.name, p.item_count) for p in win.plans.store.list_plans()] == before
    assert len(boxes) == 1 and str(bad) in boxes[0] and "チェックサム" in boxes[0]
    assert win.plans.current_plan() == plan
