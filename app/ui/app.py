"""GUI entry point (placeholder main window until the UI lands)."""

from __future__ import annotations

import sys


def run_gui(lang: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    win = QMainWindow()
    win.setWindowTitle("まちナビ")
    win.setCentralWidget(QLabel("まちナビ"))
    win.show()
    return app.exec()
