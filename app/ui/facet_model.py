"""The facet tree: query fields with their values and counts, checkable (a click becomes query text)."""

from __future__ import annotations

from dataclasses import replace
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

CHILD_BASE = 1 << 20  # internal ids ≥ this are nested values: CHILD_BASE * field id + parent row + 1


def _copy(fv: Any) -> Any:
    """A value with its own children list (the model updates children in place)."""
    kids = getattr(fv, "children", None)
    return replace(fv, children=[_copy(c) for c in kids]) if kids is not None else fv


class FacetModel(QAbstractItemModel):
    """Tree: query field → values with counts (→ nested values: 都道府県 → 市区町村). Values are checkable.

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
        values = [[_copy(fv) for fv in facets[f]] for f in fields]
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
        if self._values[row] != new:
            self._update_rows(self.index(row, 0), self._values[row], new)

    def _update_rows(self, parent: QModelIndex, old: list[Any], new: list[Any]) -> None:
        """Make `old` (the rows under `parent`) equal `new` with row-level signals, so the view keeps
        its expansion and selection; nested values (a prefecture's municipalities) the same way."""
        n, m = len(old), len(new)
        if m < n:
            self.beginRemoveRows(parent, m, n - 1)
            del old[m:]
            self.endRemoveRows()
        changed = [i for i in range(min(n, m)) if old[i] != new[i]]
        for i in changed:
            kids_old = getattr(old[i], "children", None)
            kids_new = getattr(new[i], "children", None)
            if kids_old is not None and kids_new is not None:
                self._update_rows(self.index(i, 0, parent), kids_old, kids_new)
                new[i].children = kids_old
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
        return {(str(fv.count), bool(fv.selected)) for vals in self._values for v in vals
                for fv in (v, *getattr(v, "children", ()))}

    def value_index(self, field: str, value: str) -> QModelIndex:
        """Index of `value` under a facet key (field, prefecture …) or query field (分野, 自治体 …)."""
        for fi, key in enumerate(self._fields):
            for r, fv in enumerate(self._values[fi]):
                if fv.value == value and field in (key, getattr(fv, "field", None)):
                    return self.index(r, 0, self.index(fi, 0))
            for r, fv in enumerate(self._values[fi]):
                for cr, c in enumerate(getattr(fv, "children", ())):
                    if c.value == value and field in (key, getattr(c, "field", None)):
                        return self.index(cr, 0, self.index(r, 0, self.index(fi, 0)))
        return QModelIndex()

    def selected_parents(self) -> list[QModelIndex]:
        """Value rows with nested values that are selected or hold a selected nested value."""
        out = []
        for fi, vals in enumerate(self._values):
            for r, fv in enumerate(vals):
                kids = getattr(fv, "children", None) or []
                if kids and (fv.selected or any(c.selected for c in kids)):
                    out.append(self.index(r, 0, self.index(fi, 0)))
        return out

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
        piid = parent.internalId()
        if piid == 0 and prow < len(self._fields) and row < len(self._values[prow]):
            return self.createIndex(row, column, self._ids[self._fields[prow]])
        if 0 < piid < CHILD_BASE:
            frow = self._by_id.get(piid)
            if frow is not None and prow < len(self._values[frow]) and row < len(self._children(frow, prow)):
                return self.createIndex(row, column, CHILD_BASE * piid + prow + 1)
        return QModelIndex()

    def _children(self, frow: int, vrow: int) -> list[Any]:
        return getattr(self._values[frow][vrow], "children", None) or []

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        iid = index.internalId()
        if iid == 0:
            return QModelIndex()
        if iid >= CHILD_BASE:
            fid, vrow = divmod(iid, CHILD_BASE)
            return self.createIndex(vrow - 1, 0, fid) if fid in self._by_id else QModelIndex()
        row = self._by_id.get(iid)
        return QModelIndex() if row is None else self.createIndex(row, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._fields)
        if parent.column() != 0:
            return 0
        piid = parent.internalId()
        if piid == 0:
            row = parent.row()
            return len(self._values[row]) if row < len(self._values) else 0
        if piid < CHILD_BASE:
            frow = self._by_id.get(piid)
            if frow is not None and parent.row() < len(self._values[frow]):
                return len(self._children(frow, parent.row()))
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return QCoreApplication.translate("FacetModel", "Refine") if section == 0 else QCoreApplication.translate("FacetModel", "Count")
        return None

    def _value(self, index: AnyIndex) -> Any:
        iid = index.internalId()
        if iid >= CHILD_BASE:
            fid, vrow = divmod(iid, CHILD_BASE)
            frow = self._by_id.get(fid)
            kids = self._children(frow, vrow - 1) if frow is not None and vrow - 1 < len(self._values[frow]) else []
            return kids[index.row()] if index.row() < len(kids) else None
        frow = self._by_id.get(iid)
        vals = self._values[frow] if frow is not None else []
        return vals[index.row()] if index.row() < len(vals) else None

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
        frow = self._by_id.get(iid if iid < CHILD_BASE else iid // CHILD_BASE)
        fv = self._value(index)
        if frow is None or fv is None:
            return None
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
            return plain_tip(f"{fv.value if iid >= CHILD_BASE else (fv.label or fv.value)} — {fv.count}")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        if index.internalId() == 0:
            return _ENABLED
        return _CHECKABLE

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role == _CHECK and index.isValid() and index.internalId() != 0:
            fv = self._value(index)
            if fv is not None:
                self.toggled.emit(fv)
            return True
        return False
