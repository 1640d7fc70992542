"""The facet tree: query fields with their values and counts, checkable (a click becomes query text)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, Qt, Signal

from app.ui.models import (
    _ALIGNMENT,
    _CHECK,
    _CHECKABLE,
    _DISPLAY,
    _ENABLED,
    _FIELD,
    _FONT,
    _FOREGROUND,
    _ID,
    _NO_FLAGS,
    _QUERY_TEXT,
    _RIGHT_VCENTER,
    _TOOLTIP,
    _UNUSED_ROLES,
    AnyIndex,
    _bold_font,
    _muted_brush,
    field_label,
)
from app.ui.safe_text import plain_tip


class FacetModel(QAbstractItemModel):
    """Two-level tree: query field → values with counts. Values are checkable.

    Checking or unchecking a value does not change the model: it emits `toggled(FacetValue)`,
    the main window turns that into query text (Query.with_filter / without) in the search bar,
    and the next search result refreshes the facets.

    A new result updates the tree in place (rows inserted, removed or changed, per field), so the
    view keeps its expanded groups and scroll position and repaints only what changed. A value
    row's internal id names its field by a stable number, not by the field's current row.
    """

    toggled = Signal(object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._fields: list[str] = []
        self._values: list[list[Any]] = []
        self._ids: dict[str, int] = {}  # field → stable internal id of its value rows (≥ 1)
        self._by_id: dict[int, int] = {}  # internal id → current row of the field

    def _fid(self, field: str) -> int:
        fid = self._ids.get(field)
        if fid is None:
            fid = self._ids[field] = len(self._ids) + 1
        return fid

    def _reindex(self) -> None:
        self._by_id = {self._ids[f]: row for row, f in enumerate(self._fields)}

    def set_facets(self, facets: dict[str, list[Any]]) -> None:
        fields = [f for f, vals in facets.items() if vals]
        values = [list(facets[f]) for f in fields]
        for f in fields:
            self._fid(f)
        if [f for f in self._fields if f in fields] != [f for f in fields if f in self._fields]:
            self.beginResetModel()  # the fields changed order (not from the engine): start again
            self._fields, self._values = fields, values
            self._reindex()
            self.endResetModel()
            return
        root = QModelIndex()
        for row in range(len(self._fields) - 1, -1, -1):  # fields without values any more
            if self._fields[row] not in fields:
                self.beginRemoveRows(root, row, row)
                del self._fields[row], self._values[row]
                self._reindex()
                self.endRemoveRows()
        for row, f in enumerate(fields):  # fields that have values now
            if row >= len(self._fields) or self._fields[row] != f:
                self.beginInsertRows(root, row, row)
                self._fields.insert(row, f)
                self._values.insert(row, values[row])
                self._reindex()
                self.endInsertRows()
                continue
            self._update_values(row, values[row])

    def _update_values(self, row: int, new: list[Any]) -> None:
        old = self._values[row]
        if old == new:
            return
        parent = self.index(row, 0)
        n, m = len(old), len(new)
        if m < n:
            self.beginRemoveRows(parent, m, n - 1)
            del old[m:]
            self.endRemoveRows()
        changed = [i for i in range(min(n, m)) if old[i] != new[i]]
        old[:min(n, m)] = new[:min(n, m)]
        if m > n:
            self.beginInsertRows(parent, n, m - 1)
            old.extend(new[n:])
            self.endInsertRows()
        if changed:
            self.dataChanged.emit(self.index(changed[0], 0, parent), self.index(changed[-1], 1, parent))

    def fields(self) -> list[str]:
        return list(self._fields)

    def counts_text(self) -> set[tuple[str, bool]]:
        """Every count shown, and whether it is bold (a selected value): to size the count column
        without the view measuring each row."""
        return {(str(fv.count), bool(fv.selected)) for vals in self._values for fv in vals}

    def value_index(self, field: str, value: str) -> QModelIndex:
        """Index of `value` under a facet key (field, prefecture …) or query field (分野, 自治体 …)."""
        for fi, key in enumerate(self._fields):
            for r, fv in enumerate(self._values[fi]):
                if fv.value == value and field in (key, getattr(fv, "field", None)):
                    return self.index(r, 0, self.index(fi, 0))
        return QModelIndex()

    def retranslate(self) -> None:
        if self._fields:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._fields) - 1, 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 1)

    # -- tree structure: internalId 0 = field row, fid = child of the field with that stable id
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column > 1 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._fields) else QModelIndex()
        prow = parent.row()
        if parent.internalId() == 0 and prow < len(self._fields) and row < len(self._values[prow]):
            return self.createIndex(row, column, self._ids[self._fields[prow]])
        return QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        iid = index.internalId()
        if iid == 0:
            return QModelIndex()
        row = self._by_id.get(iid)
        return QModelIndex() if row is None else self.createIndex(row, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._fields)
        if parent.internalId() == 0 and parent.column() == 0:
            row = parent.row()
            return len(self._values[row]) if row < len(self._values) else 0
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return QCoreApplication.translate("FacetModel", "Refine") if section == 0 else QCoreApplication.translate("FacetModel", "Count")
        return None

    def _value(self, index: AnyIndex) -> Any:
        return self._values[self._by_id[index.internalId()]][index.row()]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in _UNUSED_ROLES or not index.isValid():
            return None
        iid = index.internalId()
        col = index.column()
        if iid == 0:
            field = self._fields[index.row()]
            if role == _DISPLAY:
                return field_label(field) if col == 0 else ""
            if role == _FONT:
                return _bold_font()
            if role == _FIELD:
                return field
            if role == _TOOLTIP:
                return f"{field}:…"
            return None
        frow = self._by_id.get(iid)
        if frow is None:
            return None
        fv = self._values[frow][index.row()]
        if role == _DISPLAY:
            return (fv.label or fv.value) if col == 0 else str(fv.count)
        if role == _CHECK:
            if col != 0:
                return None
            if getattr(fv, "negated", False):
                return Qt.CheckState.PartiallyChecked
            return Qt.CheckState.Checked if fv.selected else Qt.CheckState.Unchecked
        if role == _FONT:
            return _bold_font() if fv.selected else None
        if role == _FOREGROUND:
            return _muted_brush() if col == 1 else None
        if role == _ALIGNMENT:
            return _RIGHT_VCENTER if col == 1 else None
        if role == _QUERY_TEXT:
            return fv.query_text
        if role == _FIELD:
            return self._fields[frow]
        if role == _ID:
            return fv.value
        if role == _TOOLTIP:
            return plain_tip(f"{fv.label or fv.value} — {fv.count}")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        if index.internalId() == 0:
            return _ENABLED
        return _CHECKABLE

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role == _CHECK and index.isValid() and index.internalId() != 0:
            self.toggled.emit(self._value(index))
            return True
        return False
