"""Small read-only tables of the detail pane (SCRA mappings, sources), shown as cards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.ui.models import AnyIndex, CardRole, IdRole
from app.ui.safe_text import plain_tip


class RowsModel(QAbstractTableModel):
    """A small read-only table of dict rows (SCRA mappings, sources) with translated headers."""

    def __init__(self, context: str, columns: Sequence[tuple[str, str]], parent: Any = None) -> None:
        super().__init__(parent)
        self._context = context
        self._columns = list(columns)  # (key, English header)
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_data(self, row: int) -> dict[str, Any]:
        return self._rows[row] if 0 <= row < len(self._rows) else {}

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(self._context, self._columns[section][1])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self._columns) - 1))
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._columns) - 1))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = self._columns[index.column()][0]
        if role == Qt.ItemDataRole.ToolTipRole and f"{key}_tip" in row:
            return plain_tip(str(row[f"{key}_tip"]))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = row.get(key, "")
            if callable(value):
                value = value()
            return plain_tip(str(value)) if role == Qt.ItemDataRole.ToolTipRole else str(value)
        if role == IdRole:
            return row.get("id", "")
        if role == CardRole:
            return row.get("card")
        if role == Qt.ItemDataRole.ForegroundRole:
            color = row.get(f"{key}_color")
            return QBrush(QColor(color)) if color else None
        if role == Qt.ItemDataRole.FontRole and row.get(f"{key}_bold"):
            f = QFont()
            f.setBold(True)
            return f
        return None


MAPPING_COLUMNS = (("name", QT_TRANSLATE_NOOP("MappingModel", "SCRA node")),
                   ("role", QT_TRANSLATE_NOOP("MappingModel", "Role")),
                   ("why", QT_TRANSLATE_NOOP("MappingModel", "Why")),
                   ("evidence", QT_TRANSLATE_NOOP("MappingModel", "Evidence")),
                   ("origin", QT_TRANSLATE_NOOP("MappingModel", "Mapping from")))
SOURCE_COLUMNS = (("title", QT_TRANSLATE_NOOP("SourcesModel", "Title")),
                  ("host", QT_TRANSLATE_NOOP("SourcesModel", "Site")),
                  ("seen", QT_TRANSLATE_NOOP("SourcesModel", "Seen")))
