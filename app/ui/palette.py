"""The command palette (Ctrl+K): type part of a command's Japanese or English name, Enter runs it.

Rows come from the window's action table (app.ui.actions); the filter is fuzzy (rapidfuzz) over
both names, so 「拡大」, "zoom" and "zom in" all find 拡大 / Zoom in. Each row shows its shortcut.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAction, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.actions import ActionSpec, shortcut_text

ShortcutRole = Qt.ItemDataRole.UserRole + 1
MIN_SCORE = 60.0  # rapidfuzz 0–100; below this a row is not a match


def match_score(query: str, names: tuple[str, ...]) -> float:
    """How well `query` matches any of `names` (0–100): exact substrings first, then fuzzy."""
    from rapidfuzz import fuzz

    q = query.strip().casefold()
    if not q:
        return 100.0
    best = 0.0
    for name in names:
        n = name.replace("&", "").replace("…", "").casefold()
        if q in n:
            best = max(best, 100.0 + (50.0 if n.startswith(q) else 0.0))
        else:
            best = max(best, fuzz.partial_ratio(q, n) if len(q) <= len(n) else fuzz.ratio(q, n))
    return best


class PaletteModel(QAbstractListModel):
    """The enabled actions matching the filter text, best first (table order for equal scores)."""

    def __init__(self, entries: list[tuple[ActionSpec, QAction]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all = entries
        self._rows = [(spec, a) for spec, a in entries if a.isEnabled()]

    def set_filter(self, text: str) -> None:
        scored = []
        for order, (spec, action) in enumerate(self._all):
            if not action.isEnabled():
                continue
            score = match_score(text, (*spec.names(), spec.id.replace("_", " ")))
            if score >= MIN_SCORE:
                scored.append((-score, order, spec, action))
        self.beginResetModel()
        self._rows = [(spec, action) for _s, _o, spec, action in sorted(scored, key=lambda t: (t[0], t[1]))]
        self.endResetModel()

    def action_at(self, row: int) -> QAction | None:
        return self._rows[row][1] if 0 <= row < len(self._rows) else None

    def ids(self) -> list[str]:
        return [spec.id for spec, _a in self._rows]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        spec, action = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            ja, en = spec.names()
            label = action.text().replace("&", "")
            other = en if label == ja else ja
            return label if other == label else f"{label}  ·  {other}"
        if role == ShortcutRole:
            return shortcut_text(action)
        if role == Qt.ItemDataRole.CheckStateRole and action.isCheckable():
            return Qt.CheckState.Checked if action.isChecked() else Qt.CheckState.Unchecked
        return None


class _ShortcutDelegate(QStyledItemDelegate):
    """The row's name, and its shortcut right-aligned in the muted text colour."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        keys = str(index.data(ShortcutRole) or "")
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        keys_w = opt.fontMetrics.horizontalAdvance(keys) + 16 if keys else 0
        style = opt.widget.style() if opt.widget else None
        text = opt.text
        opt.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = opt.rect.adjusted(8, 0, -8, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        name_rect = QRect(rect.left() + (opt.decorationSize.width() + 6 if opt.features & opt.ViewItemFeature.HasCheckIndicator else 0),
                          rect.top(), rect.width() - keys_w, rect.height())
        painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, name_rect.width()))
        if keys:
            painter.setPen(opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), keys)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        # as wide as the list (never a horizontal scroll bar): the name is elided, the shortcut always shows
        return QSize(1, int(option.fontMetrics.lineSpacing() * 1.9))


class CommandPalette(QDialog):
    """Filter box over the action list; ↑/↓ move, Enter runs the selected action, Esc closes."""

    def __init__(self, entries: list[tuple[ActionSpec, QAction]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commandPalette")
        self.setWindowTitle(self.tr("Command palette"))
        self.edit = QLineEdit()
        self.edit.setObjectName("paletteEdit")
        self.edit.setPlaceholderText(self.tr("Type a command — Japanese or English"))
        self.chosen: QAction | None = None
        self.model = PaletteModel(entries, self)
        self.list = QListView()
        self.list.setObjectName("paletteList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(_ShortcutDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the filter box
        self.list.clicked.connect(lambda idx: self.run(idx.row()))
        self.edit.textChanged.connect(self.set_filter)
        self.edit.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.edit)
        layout.addWidget(self.list, 1)
        self.resize(560, 420)
        self.set_filter("")

    def set_filter(self, text: str) -> None:
        self.model.set_filter(text)
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0))

    def current_row(self) -> int:
        idx = self.list.currentIndex()
        return idx.row() if idx.isValid() else -1

    def run(self, row: int) -> bool:
        """Choose the action of `row` and close (False if there is none); exec_and_run() triggers it."""
        action = self.model.action_at(row)
        if action is None:
            return False
        self.chosen = action
        self.accept()
        return True

    def exec_and_run(self) -> QAction | None:
        """Show the palette modally; once it has closed (focus back in the window), run the chosen action."""
        self.chosen = None
        accepted = self.exec() == QDialog.DialogCode.Accepted
        parent = self.parentWidget()
        if parent is not None:
            parent.activateWindow()  # not every window manager gives the window back its focus
        if not accepted or self.chosen is None:
            return None
        self.chosen.trigger()
        return self.chosen

    def eventFilter(self, watched: object, event: object) -> bool:
        if watched is self.edit and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.model.rowCount() - 1, self.current_row() + step))
                self.list.setCurrentIndex(self.model.index(row))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.run(self.current_row())
                return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]
