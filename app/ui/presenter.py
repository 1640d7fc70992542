"""Presenter mode: full screen, larger type, no facets or status noise, and a big fading circle wherever the
presenter clicks (so the room sees what was clicked); plus starting a scripted demo.

High contrast stays its own switch (表示 → ハイコントラスト, Ctrl+Shift+H; the menu bar is hidden in presenter
mode, the shortcut and the command palette still work) and presenter mode keeps whichever is on.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.ui.theme import Theme

if TYPE_CHECKING:
    from app.ui.demo_player import DemoPlayer

PRESENTER_ZOOM = 1.5
FADE_S = 0.9


class ClickHighlight(QWidget):
    """A transparent layer over the window drawing a fading ring at each click (mouse events pass through)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.circles: list[tuple[QPointF, float]] = []  # position in this widget, time of the click
        self._timer = QTimer(self)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._tick)
        self.active = False

    def set_active(self, on: bool) -> None:
        self.active = on
        app = QApplication.instance()
        if app is not None:
            (app.installEventFilter if on else app.removeEventFilter)(self)
        self.setGeometry(self.parentWidget().rect())
        self.setVisible(on)
        self.raise_()
        if not on:
            self.circles.clear()
            self._timer.stop()

    def add(self, pos: QPointF) -> None:
        self.circles.append((pos, time.monotonic()))
        self.raise_()
        self._timer.start()
        self.update()

    def _tick(self) -> None:
        now = time.monotonic()
        self.circles = [(p, t) for p, t in self.circles if now - t < FADE_S]
        if not self.circles:
            self._timer.stop()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.active and event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            window = self.parentWidget()
            local = window.mapFromGlobal(event.globalPosition().toPoint())
            if window.rect().contains(local):
                self.setGeometry(window.rect())
                self.add(QPointF(local))
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.circles:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(Theme.colors().accent if Theme.high_contrast else "#e6a100")
        now = time.monotonic()
        size = 34.0 * Theme.zoom
        for pos, t in self.circles:
            age = min(1.0, (now - t) / FADE_S)
            c = QColor(colour)
            c.setAlphaF(0.85 * (1.0 - age))
            p.setPen(QPen(c, 6.0 * Theme.zoom))
            fill = QColor(colour)
            fill.setAlphaF(0.25 * (1.0 - age))
            p.setBrush(fill)
            r = size * (0.6 + 0.8 * age)
            p.drawEllipse(QRectF(pos.x() - r, pos.y() - r, 2 * r, 2 * r))
        p.end()


def set_presenter_mode(window: Any, on: bool) -> None:
    """`window`: the MainWindow (typed loosely: this module is imported by it). Large text, full screen; hide the menu bar, the facets, the status bar and developer numbers; show clicks."""
    window.presenter = on
    if window.commands["presenter"].isChecked() != on:
        window.commands["presenter"].setChecked(on)
    window.menuBar().setVisible(not on)
    window.dev_label.setVisible(not on)
    window.statusBar().setVisible(not on)
    window.search.widget(0).setVisible(not on)  # the facets: the results and the detail get the room
    if on:
        window._zoom_before_presenter = Theme.zoom
        window.set_zoom(max(Theme.zoom, PRESENTER_ZOOM))
    else:
        window.set_zoom(window._zoom_before_presenter)
    highlight = window.findChild(ClickHighlight)
    if highlight is None and on:
        highlight = ClickHighlight(window)
    if highlight is not None:
        highlight.set_active(on)
    window.set_full_screen(on)


def start_demo(window: Any, path: Path | None = None) -> DemoPlayer | None:
    """Play a demo script (the sample, or one the user picks from their demo folder); errors name file:line."""
    from app.ui.demo_player import DemoPlayer, pick_script
    from app.ui.demo_script import DemoScriptError, available_scripts, load_demo

    if path is None:
        path = pick_script(window, available_scripts())
        if path is None:
            return None
    try:
        script = load_demo(path)
    except DemoScriptError as exc:
        QMessageBox.warning(window, QApplication.translate("DemoPlayer", "Demo script"), str(exc))
        return None
    old = window.findChild(DemoPlayer)
    if old is not None:
        old.stop()
        old.bar.deleteLater()
        old.deleteLater()
    player = DemoPlayer(window, script)
    player.start()
    return player
