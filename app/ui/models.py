"""Qt item models over the search engine's results and the catalog's typed records.

The models only adapt data for views (display text, roles, sorting keys, check states); every
decision about what matches or what a facet click means comes from app.search and app.catalog.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap

from app.catalog import fields as registry
from app.search.export import municipalities_cell
from app.ui.i18n import current_language, tr_args
from app.ui.markdown_html import escape, snippet_html
from app.ui.safe_text import plain_tip
from app.ui.theme import Theme

SERVICE_MIME = "application/x-machinavi-service-ids"

IdRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3
HtmlRole = Qt.ItemDataRole.UserRole + 4
QueryTextRole = Qt.ItemDataRole.UserRole + 5
FieldRole = Qt.ItemDataRole.UserRole + 6
CardRole = Qt.ItemDataRole.UserRole + 7
SnippetRole = Qt.ItemDataRole.UserRole + 8  # (plain text, ((start, length), …) highlighted)

# Roles and flags as plain values, computed once: data() and flags() run thousands of times per result.
_DISPLAY, _DECORATION, _TOOLTIP, _FONT, _ALIGNMENT, _FOREGROUND, _CHECK = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.CheckStateRole))
_ID, _KIND, _SORT, _HTML, _QUERY_TEXT, _FIELD, _SNIPPET = (int(r) for r in (
    IdRole, KindRole, SortRole, HtmlRole, QueryTextRole, FieldRole, SnippetRole))
_UNUSED_ROLES = frozenset(int(r) for r in (
    Qt.ItemDataRole.EditRole, Qt.ItemDataRole.StatusTipRole, Qt.ItemDataRole.WhatsThisRole,
    Qt.ItemDataRole.SizeHintRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.AccessibleDescriptionRole))
_RIGHT_VCENTER = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_ENABLED = Qt.ItemFlag.ItemIsEnabled
_CHECKABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
_ROW_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
_ROW_FLAGS_DRAG = _ROW_FLAGS | Qt.ItemFlag.ItemIsDragEnabled
_TAG_RE = re.compile(r"(</?b>)")

AnyIndex = QModelIndex | QPersistentModelIndex


def _t(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def field_label(field: str) -> str:
    """Display name of a query field (分野 …) or a facet key (field, prefecture …), from the field
    registry in the current UI language (the query syntax itself stays Japanese: 分野:… )."""
    lang = current_language()
    spec = registry.BY_NAME.get(field)
    if spec is not None:
        return spec.label(lang)
    spec = registry.BY_FACET.get(field)
    return spec.facet_label(lang) if spec is not None else field


_icon_cache: dict[tuple[str, bool], QIcon] = {}


def kind_icon(kind: str, planned: bool = False) -> QIcon:
    """A small round badge: S (service, blue), ✓ (a service already in the plan, green) or A
    (architecture node, purple)."""
    key = (kind, planned, Theme.high_contrast)
    if key not in _icon_cache:
        c = Theme.colors()
        color = QColor(c.architecture if kind == "architecture" else c.source if planned else c.service)
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
        p.drawText(pm.rect(), Qt.AlignmentFlag.AlignCenter, "A" if kind == "architecture" else "✓" if planned else "S")
        p.end()
        _icon_cache[key] = QIcon(pm)
    return _icon_cache[key]


IN_PLAN = QT_TRANSLATE_NOOP("ResultsModel", " · in the plan")  # the kind cell's tooltip of a service in the plan
KIND_LABELS = {"architecture": QT_TRANSLATE_NOOP("Kinds", "SCRA node"), "service": QT_TRANSLATE_NOOP("Kinds", "Service")}


def kind_label(kind: str) -> str:
    return _t("Kinds", KIND_LABELS.get(kind, KIND_LABELS["service"]))


_style_cache: dict[Any, Any] = {}


def _bold_font() -> QFont:
    """A bold default font (FontRole), made once per application font."""
    app_font = QGuiApplication.font()
    key = ("bold", app_font.key())
    font = _style_cache.get(key)
    if font is None:
        font = _style_cache[key] = QFont()
        font.setBold(True)
    return font


def _muted_brush() -> QBrush:
    key = ("muted", Theme.high_contrast)
    brush = _style_cache.get(key)
    if brush is None:
        brush = _style_cache[key] = QBrush(QColor(Theme.colors().muted))
    return brush


# ---------------------------------------------------------------------------------------------
# Results


class ResultsModel(QAbstractTableModel):
    """Search hits as table rows. Columns: kind, name, provider, field, snippet, the registry's
    facts (開始年, LGWAN-ASP, ISMAP, 料金, 提供状況 …: app/catalog/fields.py), score.

    data() is called thousands of times per result (views, proxies, delegates): roles are compared
    as plain ints, and every value that does not depend on the role is prepared in set_hits().
    """

    COL_KIND, COL_NAME, COL_PROVIDER, COL_FIELD, COL_SNIPPET, COL_MUNI = range(6)
    FACTS = registry.FACTS  # one column each, between the municipalities and the score
    COL_FACTS = 6
    COL_SCORE = COL_FACTS + len(FACTS)
    HEADERS = (QT_TRANSLATE_NOOP("ResultsModel", "Kind"), QT_TRANSLATE_NOOP("ResultsModel", "Name"),
               QT_TRANSLATE_NOOP("ResultsModel", "Provider"), QT_TRANSLATE_NOOP("ResultsModel", "Field"),
               QT_TRANSLATE_NOOP("ResultsModel", "Matched text"), QT_TRANSLATE_NOOP("ResultsModel", "Municipalities"),
               QT_TRANSLATE_NOOP("ResultsModel", "Score"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[Any] = []
        # per row, made when first asked for (a result can have a thousand rows; a screen shows ~25):
        self._snippets: list[str | None] = []  # sanitised HTML (only <b> survives)
        self._marked: list[tuple[str, tuple[tuple[int, int], ...]] | None] = []  # (text, highlighted spans)
        self._planned: frozenset[str] = frozenset()  # ids in the current plan: marked ✓ in the kind column

    def set_in_plan(self, ids: Iterable[str]) -> None:
        """Mark the services of the current plan (their kind icon becomes ✓)."""
        planned = frozenset(ids)
        if planned != self._planned:
            self._planned = planned
            if self._hits:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._hits) - 1, 0))

    def set_hits(self, hits: Sequence[Any]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self._snippets = [None] * len(self._hits)
        self._marked = [None] * len(self._hits)
        self.endResetModel()

    def extend_hits(self, hits: Sequence[Any]) -> None:
        """Show `hits`, which begin with the rows shown (the rest of a result, app.ui.search_controller):
        the others are appended (selection and scrolling stay); anything else resets the rows."""
        n = len(self._hits)
        if len(hits) < n or any(a is not b for a, b in zip(self._hits, hits[:n], strict=True)):
            self.set_hits(hits)
        elif len(hits) > n:
            self.beginInsertRows(QModelIndex(), n, len(hits) - 1)
            self._hits.extend(hits[n:])
            self._snippets.extend([None] * (len(hits) - n))
            self._marked.extend([None] * (len(hits) - n))
            self.endInsertRows()

    def refresh_snippets(self) -> None:
        """The hits' snippets were filled in after they were shown (app.ui.search_controller): show them."""
        self._snippets = [None] * len(self._hits)
        self._marked = [None] * len(self._hits)
        if self._hits:
            self.dataChanged.emit(self.index(0, self.COL_SNIPPET), self.index(len(self._hits) - 1, self.COL_SNIPPET))

    def _snippet(self, row: int) -> str:
        html = self._snippets[row]
        if html is None:
            html = self._snippets[row] = snippet_html(getattr(self._hits[row], "snippet", "") or "")
        return html

    def _marked_row(self, row: int) -> tuple[str, tuple[tuple[int, int], ...]]:
        marked = self._marked[row]
        if marked is None:
            marked = self._marked[row] = _marked_text(self._snippet(row))
        return marked

    def hit(self, row: int) -> Any:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def hits(self) -> list[Any]:
        return list(self._hits)

    def kind_at(self, row: int) -> str:
        return self._hits[row].kind

    def row_of(self, hit_id: str) -> int:
        for i, h in enumerate(self._hits):
            if h.id == hit_id:
                return i
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COL_SCORE + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != _DISPLAY:
            return None
        if self.COL_FACTS <= section < self.COL_SCORE:
            return self.FACTS[section - self.COL_FACTS].label(current_language())
        if 0 <= section <= self.COL_SCORE:
            return _t("ResultsModel", self.HEADERS[min(section, len(self.HEADERS) - 1)])
        return None

    def _munis(self, h: Any) -> list[str]:
        return list(getattr(h, "municipalities", None) or ())

    def muni_tooltip(self, h: Any) -> str:
        """Every municipality, one per line, as plain text (a tooltip is rich text when it looks like
        markup: escaped, so a catalog name can never inject HTML)."""
        munis = self._munis(h)
        if not munis:
            return ""
        return "<p style='white-space:pre'>" + escape(tr_args(_t("ResultsModel", "%1 municipalities"), len(munis))) + \
            "<br>" + "<br>".join(escape(m) for m in munis) + "</p>"
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COL_SCORE)
        if self._hits:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._hits) - 1, self.COL_SCORE))

    def _fact(self, h: Any, col: int) -> tuple[str, bool]:
        """(display text, known) of a fact cell; SCRA nodes have none."""
        if h.kind != "service":
            return "", True
        spec = self.FACTS[col - self.COL_FACTS]
        stored = (getattr(h, "facts", None) or {}).get(spec.key) or registry.UNKNOWN
        return spec.value_label(stored, current_language()), stored != registry.UNKNOWN

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in _UNUSED_ROLES or not index.isValid():
            return None
        row = index.row()
        h = self._hits[row]
        col = index.column()
        if role == _DISPLAY:
            if col == 1:
                return h.name
            if col == 4:
                return self._marked_row(row)[0]
            if col == 0:
                return getattr(h, "label", "") or kind_label(h.kind)
            if col == 2:
                return h.provider or ""
            if col == 3:
                return h.field or ""
            if col == self.COL_MUNI:
                return municipalities_cell(self._munis(h))
            if col < self.COL_SCORE:
                return self._fact(h, col)[0]
            return f"{h.score:.2f}"
        if role == _SNIPPET:
            return self._marked_row(row) if col == 4 else None
        if role == _FONT:
            return _bold_font() if col == 1 else None
        if role == _DECORATION:
            return kind_icon(h.kind, h.id in self._planned) if col == 0 else None
        if role == _FOREGROUND:
            return _muted_brush() if self.COL_FACTS <= col < self.COL_SCORE and not self._fact(h, col)[1] else None
        if role == _ALIGNMENT:
            return _RIGHT_VCENTER if col == self.COL_SCORE else None
        if role == _ID:
            return h.id
        if role == _KIND:
            return h.kind
        if role == _HTML:
            return self._snippet(row) if col == 4 else None
        if role == _SORT:
            if col == self.COL_SCORE:
                return float(h.score)
            if col == self.COL_MUNI:
                return len(self._munis(h))
            if col == 0:
                return f"{0 if h.kind == 'service' else 1}{self.data(index, _DISPLAY)}"
            return self.data(index, _DISPLAY)
        if role == _TOOLTIP:
            if col == 1:
                return plain_tip(f"{h.name}\n{h.id}")
            if col == 0:
                return kind_label(h.kind) + (_t("ResultsModel", IN_PLAN) if h.id in self._planned else "")
            if col == 4:
                return self._snippet(row)
            if col == self.COL_MUNI:
                return self.muni_tooltip(h) or None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        return _ROW_FLAGS_DRAG if self._hits[index.row()].kind == "service" else _ROW_FLAGS

    def mimeTypes(self) -> list[str]:
        return [SERVICE_MIME, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = list(dict.fromkeys(self._hits[i.row()].id for i in indexes
                                 if i.isValid() and self._hits[i.row()].kind == "service"))
        mime = QMimeData()
        mime.setData(SERVICE_MIME, QByteArray("\n".join(ids).encode("utf-8")))
        mime.setText("\n".join(ids))
        return mime


def _marked_text(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Sanitised snippet HTML (text + <b>) → (plain text, ((start, length) of each <b> run))."""
    if "<" not in snippet and "&" not in snippet:
        return snippet, ()
    import html

    text: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, depth, start = 0, 0, 0
    for part in _TAG_RE.split(snippet):
        if part == "<b>":
            if depth == 0:
                start = pos
            depth += 1
        elif part == "</b>":
            depth = max(0, depth - 1)
            if depth == 0 and pos > start:
                spans.append((start, pos - start))
        elif part:
            piece = html.unescape(part)
            text.append(piece)
            pos += len(piece)
    if depth and pos > start:
        spans.append((start, pos - start))
    return "".join(text), tuple(spans)


class ResultsProxy(QSortFilterProxyModel):
    """Sorting (numeric score, locale-aware text) and the kind filter (all / services / SCRA).

    The engine returns hits by descending score (ties by name, id): that order is the proxy's
    order for "score, descending" without asking the model for every row's score again. The kind
    filter is Qt's own (KindRole of column 0 against an anchored pattern), so with no filter no row
    is asked anything.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setSortLocaleAware(True)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(KindRole)
        self.setFilterKeyColumn(0)
        self._kind = ""
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        if column == ResultsModel.COL_SCORE and order == Qt.SortOrder.DescendingOrder:
            super().sort(-1)  # the source order (a stable sort by descending score would keep it)
        else:
            super().sort(column, order)

    def sortColumn(self) -> int:  # the column asked for (also when it is the source order)
        return self._sort[0]

    def sortOrder(self) -> Qt.SortOrder:
        return self._sort[1]

    def source_order(self) -> bool:
        """Rows in the engine's order (by score)? Then a result's first rows are its first rows shown."""
        return self._sort == (-1, Qt.SortOrder.AscendingOrder) or self._sort == (ResultsModel.COL_SCORE, Qt.SortOrder.DescendingOrder)

    def set_kind(self, kind: str) -> None:
        """'' for all hits, 'service' or 'architecture' for one kind."""
        self._kind = kind
        self.setFilterRegularExpression(QRegularExpression(f"^{re.escape(kind)}$") if kind else QRegularExpression())

    def kind(self) -> str:
        return self._kind

    def hit_id(self, row: int) -> str | None:
        idx = self.index(row, 0)
        return idx.data(IdRole) if idx.isValid() else None
