"""The SCRA figure's graphics view: fit to the pane, zoom, and keyboard travel between groups.

"Fit to pane" (the default) lays the figure out at the pane's width at 1:1, so its text is the UI's text
size; a tall figure scrolls. "Whole figure" shrinks it to show everything at once. With the keyboard,
← → move between the function groups, Enter zooms into the focused group, Esc goes back; Space toggles
the focused group's filter chip.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

NAV_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Space)


class FigureView(QGraphicsView):
    """Modes: 'pane' (laid out at the pane's width, 1:1), 'all' (the whole figure), 'rect' (a group), 'free'."""

    zoomed = Signal()
    widthChanged = Signal(float)  # the pane's usable width changed: lay the figure out again
    navigate = Signal(int)  # -1 / +1: previous / next group
    activateFocus = Signal()  # Enter: zoom into the focused group
    toggleFocus = Signal()  # Space: toggle the focused group's chip
    back = Signal()  # Esc

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.mode = "pane"
        self.focus_rect: QRectF | None = None
        self.home_y = 0.0  # where "fit to pane" scrolls to (the top of the city-OS frame)
        self._laid_width = 0.0
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(40)  # a window drag resizes many times: lay out once it settles
        self._relayout.timeout.connect(self._emit_width)

    @property
    def auto_fit(self) -> bool:
        return self.mode != "free"

    def layout_width(self) -> float:
        """The width the figure is laid out at: the pane minus a vertical scroll bar (shown or not)."""
        return float(max(200, self.width() - self.verticalScrollBar().sizeHint().width() - 2))

    def fit(self, rect: QRectF | None = None) -> None:
        """None: fit the figure to the pane (1:1, scroll to the top); a rect: zoom to show it whole."""
        if rect is None or rect.isNull():
            self.mode, self.focus_rect = "pane", None
            self.resetTransform()
            self.centerOn(self.sceneRect().center().x(), self.sceneRect().top())
            # a figure taller than the pane opens at the city OS (the boxes that count and filter); the
            # context bars above it are a scroll away
            self.verticalScrollBar().setValue(max(self.verticalScrollBar().minimum(), round(self.home_y)))
        else:
            self.mode, self.focus_rect = "rect", rect
            m = 8.0
            self.fitInView(rect.adjusted(-m, -m, m, m), Qt.AspectRatioMode.KeepAspectRatio)
        self.zoomed.emit()

    def fit_all(self) -> None:
        self.mode, self.focus_rect = "all", None
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self.zoomed.emit()

    def zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(0.2 / current, min(6.0 / current, factor))
        self.mode = "free"
        self.scale(factor, factor)
        self.zoomed.emit()

    def scale_factor(self) -> float:
        return self.transform().m11()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y()
        if delta and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.0015 ** delta)
            event.accept()
        else:
            super().wheelEvent(event)  # the wheel scrolls a tall figure; Ctrl+wheel zooms

    def _emit_width(self) -> None:
        w = self.layout_width()
        if abs(w - self._laid_width) >= 1:
            self._laid_width = w
            self.widthChanged.emit(w)
        self.refit()

    def refit(self) -> None:
        if self.mode == "pane":
            self.fit(None)
        elif self.mode == "all":
            self.fit_all()
        elif self.mode == "rect" and self.focus_rect is not None:
            self.fit(self.focus_rect)

    def mark_laid_out(self, width: float) -> None:
        self._laid_width = width

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._relayout.start()

    def event(self, event: QEvent) -> bool:
        # the window's Esc (clear the search) and Enter must not take these keys while the figure has focus
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() in NAV_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if event.key() != Qt.Key.Key_Escape or self.mode != "pane":
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.navigate.emit(-1 if key == Qt.Key.Key_Left else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activateFocus.emit()
        elif key == Qt.Key.Key_Space:
            self.toggleFocus.emit()
        elif key == Qt.Key.Key_Escape and self.mode != "pane":
            self.back.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()
