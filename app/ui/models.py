"""Qt item models over the search engine's results and the catalog's typed records.

The models only adapt data for views (display text, roles, sorting keys, check states); every
decision about what matches or what a facet click means comes from app.search and app.catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from app.ui.markdown_html import snippet_html
from app.ui.theme import Theme

SERVICE_MIME = "application/x-machinavi-service-ids"

IdRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3
HtmlRole = Qt.ItemDataRole.UserRole + 4
QueryTextRole = Qt.ItemDataRole.UserRole + 5
FieldRole = Qt.ItemDataRole.UserRole + 6
CardRole = Qt.ItemDataRole.UserRole + 7

AnyIndex = QModelIndex | QPersistentModelIndex


def _t(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


# Display names of the query fields (the query syntax itself stays Japanese: 分野:… ).
FIELD_LABELS: dict[str, str] = {
    "分野": QT_TRANSLATE_NOOP("Fields", "Field"),
    "提供者": QT_TRANSLATE_NOOP("Fields", "Provider"),
    "自治体": QT_TRANSLATE_NOOP("Fields", "Municipality"),
    "種別": QT_TRANSLATE_NOOP("Fields", "Kind"),
    "機能": QT_TRANSLATE_NOOP("Fields", "SCRA function"),
    "層": QT_TRANSLATE_NOOP("Fields", "SCRA layer"),
    "個人情報": QT_TRANSLATE_NOOP("Fields", "Personal data"),
    "タイプ": QT_TRANSLATE_NOOP("Fields", "TYPE"),
    "対象": QT_TRANSLATE_NOOP("Fields", "Target"),
    "利用分野": QT_TRANSLATE_NOOP("Fields", "Use field"),
}


# Facet groups of SearchResult.facets (keys) → display names
FACET_LABELS: dict[str, str] = {
    "target": QT_TRANSLATE_NOOP("Fields", "Show"),
    "field": QT_TRANSLATE_NOOP("Fields", "Field"),
    "provider": QT_TRANSLATE_NOOP("Fields", "Provider"),
    "prefecture": QT_TRANSLATE_NOOP("Fields", "Prefecture"),
    "group": QT_TRANSLATE_NOOP("Fields", "SCRA layer"),
    "personal": QT_TRANSLATE_NOOP("Fields", "Personal data"),
    "type": QT_TRANSLATE_NOOP("Fields", "TYPE"),
}


def field_label(field: str) -> str:
    """Display name of a query field (分野 …) or a facet key (field, prefecture …)."""
    src = FIELD_LABELS.get(field) or FACET_LABELS.get(field)
    return _t("Fields", src) if src else field


_icon_cache: dict[tuple[str, bool], QIcon] = {}


def kind_icon(kind: str) -> QIcon:
    """A small round badge: S (service, blue) or A (architecture node, purple)."""
    key = (kind, Theme.high_contrast)
    if key not in _icon_cache:
        c = Theme.colors()
        color = QColor(c.architecture if kind == "architecture" else c.service)
        pm = QPixmap(64, 64)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(color)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(4, 4, 56, 56, 14, 14)
        f = QFont()
        f.setPixelSize(36)
        f.setBold(True)
        p.setFont(f)
        p.setPen(QColor("#000000" if Theme.high_contrast else "#ffffff"))
        p.drawText(pm.rect(), Qt.AlignmentFlag.AlignCenter, "A" if kind == "architecture" else "S")
        p.end()
        _icon_cache[key] = QIcon(pm)
    return _icon_cache[key]


KIND_LABELS = {"architecture": QT_TRANSLATE_NOOP("Kinds", "SCRA node"), "service": QT_TRANSLATE_NOOP("Kinds", "Service")}


def kind_label(kind: str) -> str:
    return _t("Kinds", KIND_LABELS.get(kind, KIND_LABELS["service"]))


# ---------------------------------------------------------------------------------------------
# Results


class ResultsModel(QAbstractTableModel):
    """Search hits as table rows. Columns: kind, name, provider, field, snippet, score."""

    COL_KIND, COL_NAME, COL_PROVIDER, COL_FIELD, COL_SNIPPET, COL_SCORE = range(6)
    HEADERS = (QT_TRANSLATE_NOOP("ResultsModel", "Kind"), QT_TRANSLATE_NOOP("ResultsModel", "Name"),
               QT_TRANSLATE_NOOP("ResultsModel", "Provider"), QT_TRANSLATE_NOOP("ResultsModel", "Field"),
               QT_TRANSLATE_NOOP("ResultsModel", "Matched text"), QT_TRANSLATE_NOOP("ResultsModel", "Score"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[Any] = []
        self._snippets: list[str] = []

    def set_hits(self, hits: Sequence[Any]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self._snippets = [snippet_html(getattr(h, "snippet", "") or "") for h in self._hits]
        self.endResetModel()

    def hit(self, row: int) -> Any:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def hits(self) -> list[Any]:
        return list(self._hits)

    def row_of(self, hit_id: str) -> int:
        for i, h in enumerate(self._hits):
            if h.id == hit_id:
                return i
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return _t("ResultsModel", self.HEADERS[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)
        if self._hits:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._hits) - 1, 0))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        h = self._hits[index.row()]
        col = index.column()
        if role == IdRole:
            return h.id
        if role == KindRole:
            return h.kind
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_KIND:
                return getattr(h, "label", "") or kind_label(h.kind)
            if col == self.COL_NAME:
                return h.name
            if col == self.COL_PROVIDER:
                return h.provider or ""
            if col == self.COL_FIELD:
                return h.field or ""
            if col == self.COL_SNIPPET:
                return self._snippets[index.row()].replace("<b>", "").replace("</b>", "")
            if col == self.COL_SCORE:
                return f"{h.score:.2f}"
        if role == HtmlRole and col == self.COL_SNIPPET:
            return self._snippets[index.row()]
        if role == SortRole:
            if col == self.COL_SCORE:
                return float(h.score)
            if col == self.COL_KIND:
                return f"{0 if h.kind == 'service' else 1}{self.data(index, Qt.ItemDataRole.DisplayRole)}"
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.DecorationRole and col == self.COL_KIND:
            return kind_icon(h.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_NAME:
                return f"{h.name}\n{h.id}"
            if col == self.COL_KIND:
                return kind_label(h.kind)
            if col == self.COL_SNIPPET:
                return self._snippets[index.row()]
        if role == Qt.ItemDataRole.FontRole and col == self.COL_NAME:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_KIND:
            c = Theme.colors()
            return QBrush(QColor(c.architecture if h.kind == "architecture" else c.service))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self._hits[index.row()].kind == "service":
            base |= Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [SERVICE_MIME, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = list(dict.fromkeys(self._hits[i.row()].id for i in indexes
                                 if i.isValid() and self._hits[i.row()].kind == "service"))
        mime = QMimeData()
        mime.setData(SERVICE_MIME, QByteArray("\n".join(ids).encode("utf-8")))
        mime.setText("\n".join(ids))
        return mime


class ResultsProxy(QSortFilterProxyModel):
    """Sorting (numeric score, locale-aware text) and the kind filter (all / services / SCRA)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setSortLocaleAware(True)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._kind = ""

    def set_kind(self, kind: str) -> None:
        """'' for all hits, 'service' or 'architecture' for one kind."""
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10
            self.beginFilterChange()
            self._kind = kind
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self._kind = kind
            self.invalidateRowsFilter()

    def kind(self) -> str:
        return self._kind

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._kind:
            return True
        idx = self.sourceModel().index(source_row, 0, source_parent)
        return idx.data(KindRole) == self._kind

    def hit_id(self, row: int) -> str | None:
        idx = self.index(row, 0)
        return idx.data(IdRole) if idx.isValid() else None


# ---------------------------------------------------------------------------------------------
# Facets


class FacetModel(QAbstractItemModel):
    """Two-level tree: query field → values with counts. Values are checkable.

    Checking or unchecking a value does not change the model: it emits `toggled(FacetValue)`,
    the main window turns that into query text (Query.with_filter / without) in the search bar,
    and the next search result refreshes the facets.
    """

    toggled = Signal(object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._fields: list[str] = []
        self._values: list[list[Any]] = []

    def set_facets(self, facets: dict[str, list[Any]]) -> None:
        self.beginResetModel()
        self._fields = [f for f, vals in facets.items() if vals]
        self._values = [list(facets[f]) for f in self._fields]
        self.endResetModel()

    def fields(self) -> list[str]:
        return list(self._fields)

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

    # -- tree structure: internalId 0 = field row, i+1 = child of field i
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column > 1 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._fields) else QModelIndex()
        if parent.internalId() == 0 and row < len(self._values[parent.row()]):
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._fields)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._values[parent.row()])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("FacetModel", "Refine") if section == 0 else QCoreApplication.translate("FacetModel", "Count")
        return None

    def _value(self, index: AnyIndex) -> Any:
        return self._values[int(index.internalId()) - 1][index.row()]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            field = self._fields[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return field_label(field) if index.column() == 0 else ""
            if role == FieldRole:
                return field
            if role == Qt.ItemDataRole.FontRole:
                f = QFont()
                f.setBold(True)
                return f
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{field}:…"
            return None
        fv = self._value(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return (fv.label or fv.value) if index.column() == 0 else str(fv.count)
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            if getattr(fv, "negated", False):
                return Qt.CheckState.PartiallyChecked
            return Qt.CheckState.Checked if fv.selected else Qt.CheckState.Unchecked
        if role == QueryTextRole:
            return fv.query_text
        if role == FieldRole:
            return self._fields[int(index.internalId()) - 1]
        if role == IdRole:
            return fv.value
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{fv.label or fv.value} — {fv.count}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(QColor(Theme.colors().muted))
        if role == Qt.ItemDataRole.FontRole and fv.selected:
            f = QFont()
            f.setBold(True)
            return f
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.internalId() != 0:
            self.toggled.emit(self._value(index))
            return True
        return False


# ---------------------------------------------------------------------------------------------
# Detail tables


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
            return _t(self._context, self._columns[section][1])
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
            return str(row[f"{key}_tip"])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = row.get(key, "")
            if callable(value):
                value = value()
            return str(value)
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
