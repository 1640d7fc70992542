"""The catalog tab at large text sizes or in narrow windows: the facets fold away behind a
「絞り込み」 toggle so the results and the detail pane keep readable widths."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QSplitter, QToolButton, QWidget

COMPACT_EM = 80  # a catalog tab narrower than this many ems folds the facets away


class WidthWatcher(QObject):
    """Calls `update()` once the event loop is free after `widget` is resized or its font changes
    (a zoom step): the base of the layouts below that adapt to the width in ems."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.update)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self._timer.start()
        return False

    def update(self) -> None:
        raise NotImplementedError


class CompactCatalog(WidthWatcher):
    """Watches `pane` (the catalog splitter): compact when narrower than COMPACT_EM ems of its font."""

    def __init__(self, pane: QWidget, facets: QWidget, toggle: QToolButton) -> None:
        super().__init__(pane)
        self.pane, self.facets, self.toggle = pane, facets, toggle
        self.compact = False
        toggle.setCheckable(True)
        toggle.hide()
        toggle.toggled.connect(self._toggled)

    def update(self) -> None:
        em = self.pane.fontMetrics().horizontalAdvance("あ")
        compact = self.pane.width() < COMPACT_EM * em
        if compact == self.compact:
            return
        self.compact = compact
        self.toggle.setChecked(False)
        self.toggle.setVisible(compact)
        self.facets.setVisible(not compact)

    def _toggled(self, on: bool) -> None:
        self.facets.setVisible(on or not self.compact)


class StackWhenNarrow(WidthWatcher):
    """Turns `splitter` vertical when narrower than `em_limit` ems of its font (a large text size or a
    projector's 1280×720), so its panes stack and keep readable widths instead of being cut side by side."""

    def __init__(self, splitter: QSplitter, em_limit: int) -> None:
        super().__init__(splitter)
        self.splitter, self.em_limit = splitter, em_limit

    def update(self) -> None:
        # the width the splitter's parent offers, not its own (a vertical splitter is narrower)
        host = self.splitter.parentWidget() or self.splitter
        em = self.splitter.fontMetrics().horizontalAdvance("あ")
        want = Qt.Orientation.Vertical if host.width() < self.em_limit * em else Qt.Orientation.Horizontal
        if self.splitter.orientation() != want:
            self.splitter.setOrientation(want)
