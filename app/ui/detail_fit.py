"""Views that are as tall as their content, for the detail pane's single scroll area (a text
browser or list inside a scroll area must not scroll on its own)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QListView, QSizePolicy, QTextBrowser


class FitTextBrowser(QTextBrowser):
    """A text browser without scroll bars whose height follows its document."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(lambda _s: self._fit())

    def _fit(self) -> None:
        doc = self.document()
        doc.setTextWidth(self.viewport().width())
        h = int(doc.size().height()) + 2 * self.frameWidth() + 2
        if h != self.height():
            self.setFixedHeight(h)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()


class FitListView(QListView):
    """A list without a vertical scroll bar, as tall as all its rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._fit)

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        model.modelReset.connect(self._fit)
        model.dataChanged.connect(lambda *_: self._timer.start())

    def _fit(self) -> None:
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        h = sum(self.sizeHintForRow(r) for r in range(rows)) + 2 * self.frameWidth() + 2
        if h != self.height():
            self.setFixedHeight(max(h, 2 * self.frameWidth() + 4))

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._timer.start()
