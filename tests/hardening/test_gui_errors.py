"""The GUI never shows a traceback: damaged or too-new plans.db, restore from backup, errors in slots."""

from __future__ import annotations

import sqlite3
import sys

from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from app import paths, userdb
from app.plan.plans import PlanStore


def _plans(n: int = 2) -> None:
    conn = userdb.connect()
    store = PlanStore(conn)
    for i in range(n):
        store.create(f"計画{i}")
    conn.close()


def test_too_new_plans_db_names_the_file_in_the_plan_tab(qtbot, monkeypatch) -> None:
    from app.build import ensure_built
    from app.ui.app import create_application, create_main_window, open_session

    ensure_built()
    _plans()
    raw = sqlite3.connect(paths.plans_db_path())
    raw.execute("pragma user_version = 99")
    raw.close()
    create_application("ja")
    session = open_session()
    assert session.user_conn is None and session.plans_error is not None
    win = create_main_window(session, synchronous=True, restore=False)
    qtbot.addWidget(win)
    from app.ui.user_errors import user_error_text

    win.plans.set_unavailable(user_error_text(session.plans_error))
    text = win.plans._placeholder.text()
    assert str(paths.plans_db_path()) in text and "更新" in text, text
    session.close()


def test_damaged_plans_db_notice_reaches_the_session() -> None:
    from app.build import ensure_built
    from app.ui.app import open_session

    ensure_built()
    _plans()
    db = paths.plans_db_path()
    data = bytearray(db.read_bytes())
    data[:16] = b"not a database!!"
    db.write_bytes(bytes(data))
    session = open_session()
    try:
        assert session.user_conn is not None and session.notices and "corrupt-" in session.notices[0]
    finally:
        session.close()


def test_restore_from_backup_dialog(qtbot, monkeypatch) -> None:
    from app.ui.app import create_application
    from app.ui.user_errors import restore_plans_from_backup

    create_application("ja")
    _plans(3)
    conn = userdb.connect()
    userdb.backup(conn, paths.plans_db_path(), reason="test")
    PlanStore(conn).delete("計画1")
    conn.close()
    chosen = userdb.list_backups()[0].name
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (chosen, True))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    assert restore_plans_from_backup(None)
    conn = userdb.connect()
    try:
        assert "計画1" in [p.name for p in PlanStore(conn).list_plans()]
    finally:
        conn.close()
    assert chosen in shown[0]


def test_exception_in_a_slot_is_logged_and_shown(qtbot, monkeypatch) -> None:
    from app.errors import log_path
    from app.ui.app import create_application
    from app.ui.user_errors import install_excepthook

    create_application("ja")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    old = sys.excepthook
    install_excepthook()
    try:
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = old
    assert shown and str(log_path()) in shown[0] and "Traceback" not in shown[0]
    assert "boom in a slot" in log_path().read_text(encoding="utf-8")
    assert QApplication.instance() is not None
