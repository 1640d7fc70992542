"""Results columns that fit the table instead of running off-screen (large text, small windows).

Columns are shown in priority order while their minimum widths fit the viewport; the rest are
hidden until there is room again (the header menu still lists them). A column the user hid stays
hidden. Header sections are never narrower than their text (only cell text elides or wraps).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView


class ColumnFitter(QObject):
    """Fits `table`'s columns: `widths` maps column → (minimum, preferred) width in em; `stretch`
    is the column that takes the remaining room; `priority` is the order in which columns stay."""

    def __init__(self, table: QTableView | QTreeView, priority: Sequence[int], widths: dict[int, tuple[float, float]],
                 stretch: int) -> None:
        super().__init__(table)
        self.table = table
        self.priority = list(priority)
        self.widths = dict(widths)
        self.stretch = stretch
        self.auto_hidden: set[int] = set()
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        table.viewport().installEventFilter(self)
        self.header().installEventFilter(self)  # its font (zoom) sets the sections' minimum
        self.header().sectionCountChanged.connect(lambda *_: self._timer.start())

    def header(self) -> QHeaderView:
        return self.table.horizontalHeader() if isinstance(self.table, QTableView) else self.table.header()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self._timer.start()
        return False

    def user_hidden(self, col: int) -> bool:
        return self.table.isColumnHidden(col) and col not in self.auto_hidden

    def set_user_hidden(self, col: int, hidden: bool) -> None:
        """The header menu's choice (wins over fitting)."""
        self.auto_hidden.discard(col)
        self.table.setColumnHidden(col, hidden)
        self.fit()

    def fit(self) -> None:
        model = self.table.model()
        if model is None or self._busy:
            return
        self._busy = True
        try:
            self._fit(self.header(), model.columnCount())
        finally:
            self._busy = False

    def _header_hint(self, hh: QHeaderView, col: int) -> int:
        """The width the header needs for `col`'s title (Qt gives 0 for a hidden section: measured
        then from its text, with the padding of a visible section)."""
        hint = hh.sectionSizeHint(col)
        if hint > 0:
            return hint
        bold = QFont(hh.font())
        bold.setWeight(QFont.Weight.DemiBold)
        fm = QFontMetrics(bold)
        model = hh.model()

        def text(c: int) -> str:
            return str(model.headerData(c, Qt.Orientation.Horizontal) or "")
        ref = next((c for c in self.priority if not hh.isSectionHidden(c) and hh.sectionSizeHint(c) > 0), None)
        pad = hh.sectionSizeHint(ref) - fm.horizontalAdvance(text(ref)) if ref is not None else fm.height()
        return fm.horizontalAdvance(text(col)) + max(0, pad)

    def _fit(self, hh: QHeaderView, count: int) -> None:
        em = self.table.fontMetrics().horizontalAdvance("あ")
        avail = self.table.viewport().width() - 2
        wanted = [c for c in self.priority if c < count and not self.user_hidden(c)]
        mins = {c: max(self._header_hint(hh, c), int(self.widths.get(c, (0, 0))[0] * em)) for c in wanted}
        shown: list[int] = []
        used = 0
        for c in wanted:  # in priority order: the first column that does not fit hides the rest
            if used + mins[c] > avail and shown:
                break
            shown.append(c)
            used += mins[c]
        for c in wanted:
            hide = c not in shown
            if hide:
                self.auto_hidden.add(c)
            else:
                self.auto_hidden.discard(c)
            if self.table.isColumnHidden(c) != hide:
                self.table.setColumnHidden(c, hide)
        hh.setProperty("mnAutoHidden", sorted(self.auto_hidden))  # window_state saves these as shown
        spare = avail - used
        for c in shown:  # give the spare room to columns below their preferred width, in priority order
            if c == self.stretch:
                continue
            pref = max(mins[c], int(self.widths.get(c, (0, 0))[1] * em))
            extra = max(0, min(pref - mins[c], spare))
            spare -= extra
            hh.resizeSection(c, mins[c] + extra)
        if self.stretch in shown:
            hh.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Stretch)
        elif shown:
            hh.setStretchLastSection(True)
