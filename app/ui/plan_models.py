"""The plan tab's models and pieces: the basket's table model, the undoable plan edits, the SCRA coverage diagram."""

from __future__ import annotations

import html
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QUndoCommand
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.catalog.store import CatalogDB
from app.plan.coverage import GroupCoverage
from app.plan.marks import NodeMark
from app.plan.plans import PlanItem, PlanStore, ResolvedItem, add_services
from app.plan.scale import SEVERITIES, band_for, legend, severity_mark
from app.ui.i18n import current_language, localized, node_name, tr_args
from app.ui.jp_text import keep_words
from app.ui.safe_text import plain_tip

MISSING_COLOUR = "#8a8a8a"


def coverage_colour(percent: int) -> str:
    """A coverage percentage's fill on the one scale (app/plan/scale.py)."""
    return band_for(percent).fill


def coverage_legend_html(lang: str) -> str:
    """The scale's legend as rich text: each band's glyph and label on its own colour, then the gap marks."""
    cells = [f'<span style="background:{fill}; color:{text}; white-space:nowrap;">&nbsp;{html.escape(glyph)}&nbsp;'
             f'{html.escape(label)}&nbsp;</span>' for glyph, label, fill, text in legend(lang)]
    marks = [f'<span style="white-space:nowrap;"><span style="color:{m.colour};"><b>{html.escape(m.glyph)}</b></span>&nbsp;'
             f'{html.escape(m.label(lang))}</span>' for m in SEVERITIES.values()]
    gaps = "不足の重さ:" if lang == "ja" else "Gaps:"
    return " ".join(cells) + f"<br>{gaps} " + " ".join(marks)


# -- basket model ---------------------------------------------------------------------------------

class PlanItemsModel(QAbstractTableModel):
    """The plan's services: name, field, note (editable). Entries gone from the catalog are greyed."""

    COL_NAME, COL_FIELD, COL_NOTE = range(3)
    noteEdited = Signal(str, str)  # service_id, note

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ResolvedItem] = []

    def set_rows(self, rows: list[ResolvedItem]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ResolvedItem]:
        return list(self._rows)

    def row_at(self, row: int) -> ResolvedItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Service"), self.tr("Field"), self.tr("Note"))[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def retranslate(self) -> None:
        """Headers and the "not in the catalog" marks are translated text: ask the views to fetch them again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_NOTE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        it = self.row_at(index.row())
        if it is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == self.COL_NAME:
                return it.name + (self.tr(" (not in the catalog)") if it.missing else "")
            if col == self.COL_FIELD:
                return it.field_name
            return it.item.note
        if role == Qt.ItemDataRole.ForegroundRole and it.missing:
            return QColor(MISSING_COLOUR)
        if role == Qt.ItemDataRole.FontRole and it.missing and col == self.COL_NAME:
            f = QFont()
            f.setItalic(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            if it.missing:
                return plain_tip(tr_args(self.tr("“%1” (%2) is no longer in the catalog. It stays in the plan."), it.item.last_name or it.item.service_id, it.item.service_id))
            s = it.service
            assert s is not None
            return plain_tip(f"{s.name}\n{s.provider}\n{s.kind}\nID: {s.id}")
        if role == Qt.ItemDataRole.UserRole:
            return it.item.service_id
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        it = self.row_at(index.row())
        if it is None or index.column() != self.COL_NOTE or role != Qt.ItemDataRole.EditRole:
            return False
        note = str(value or "")
        if note == it.item.note:
            return False
        self.noteEdited.emit(it.item.service_id, note)
        return True


# -- undo commands ---------------------------------------------------------------------------------

class PlanEditor(Protocol):
    """What an undoable plan edit needs from the view that pushed it (PlanView)."""

    store: PlanStore

    def db(self) -> CatalogDB: ...

    def after_change(self, plan: str) -> None: ...

    def select_service(self, sid: str) -> None: ...


class _PlanCommand(QUndoCommand):
    def __init__(self, view: PlanEditor, plan: str, text: str) -> None:
        super().__init__(text)
        self.view = view
        self.plan = plan

    def _done(self) -> None:
        self.view.after_change(self.plan)


class RemoveCommand(_PlanCommand):
    def __init__(self, view: PlanEditor, plan: str, ids: list[str], text: str) -> None:
        super().__init__(view, plan, text)
        self.ids = ids
        self.removed: list[PlanItem] = []

    def redo(self) -> None:
        self.removed = self.view.store.remove(self.plan, self.ids)
        self._done()

    def undo(self) -> None:
        self.view.store.restore(self.plan, self.removed)
        self._done()


class AddCommand(_PlanCommand):
    def __init__(self, view: PlanEditor, plan: str, ids: list[str], text: str) -> None:
        super().__init__(view, plan, text)
        self.ids = ids
        self.added: list[str] = []

    def redo(self) -> None:
        before = set(self.view.store.service_ids(self.plan))
        add_services(self.view.store, self.view.db(), self.plan, self.ids)
        self.added = [i for i in self.view.store.service_ids(self.plan) if i not in before]
        self._done()

    def undo(self) -> None:
        self.view.store.remove(self.plan, self.added)
        self._done()


class MoveCommand(_PlanCommand):
    def __init__(self, view: PlanEditor, plan: str, sid: str, old: int, new: int, text: str) -> None:
        super().__init__(view, plan, text)
        self.sid, self.old, self.new = sid, old, new

    def redo(self) -> None:
        self.view.store.move(self.plan, self.sid, self.new)
        self._done()
        self.view.select_service(self.sid)

    def undo(self) -> None:
        self.view.store.move(self.plan, self.sid, self.old)
        self._done()
        self.view.select_service(self.sid)


# -- coverage diagram ------------------------------------------------------------------------------

TILE_FLAGS = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap


class CoverageDiagram(QWidget):
    """SCRA city-OS groups as boxes coloured by this plan's coverage: layers stacked, pillars beside."""

    groupClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[GroupCoverage] = []
        self.marks: dict[str, NodeMark] = {}
        self._boxes: list[tuple[QRectF, str]] = []
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def set_groups(self, groups: list[GroupCoverage], marks: dict[str, NodeMark] | None = None) -> None:
        self.groups = list(groups)
        self.marks = dict(marks or {})
        self._fit_height()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(640, 280)

    def tile_text(self, g: GroupCoverage) -> str:
        """A tile's text: the band's glyph (held to the name) and the group's name (wrapping between words only), its block coverage."""
        return keep_words(f"{band_for(g.percent).glyph}\u00a0{node_name(g)}\n{g.percent}%  ({g.blocks_covered}/{g.blocks_total})")

    def _severity(self, g: GroupCoverage) -> Any:
        """The worst gap's mark of a group, None when it has no gap."""
        mark = self.marks.get(g.id)
        return severity_mark(mark.severity) if mark is not None and mark.severity else None

    def _badge(self) -> float:
        """The severity badge's side: one line of text, so it grows with the text size."""
        return float(self.fontMetrics().height() + 4)

    def _inner(self, rect: QRectF, g: GroupCoverage) -> QRectF:
        """Where a tile's text goes: inside the padding and, for a marked tile, beside the badge."""
        sev = self._severity(g)
        right = self._badge() if sev is not None and sev.key != "normal" else 0.0
        return rect.adjusted(4, 4, -4 - right, -4)

    def _needs(self, rect: QRectF, g: GroupCoverage) -> QRectF:
        inner = self._inner(rect, g)
        font = QFont(self.font())
        font.setBold(True)  # painted bold: measure bold so a fitting tile stays fitting
        return QRectF(QFontMetrics(font).boundingRect(inner.toRect(), int(TILE_FLAGS), self.tile_text(g)))

    def clipped_tiles(self) -> list[str]:
        """Names of the tiles whose text does not fit their box (none, at any text size)."""
        return [node_name(g) for rect, g in self._layout() if self._clips(rect, g, 1.0)]

    def _clips(self, rect: QRectF, g: GroupCoverage, slack: float) -> bool:
        need, inner = self._needs(rect, g), self._inner(rect, g)
        return need.width() > inner.width() + slack or need.height() > inner.height() + slack

    def _grid(self, w: float) -> tuple[int, float]:
        """(columns, tile height) of the grid used when the stacked layout would cut tile text."""
        pad = 6.0
        for cols in range(min(4, max(1, len(self.groups))), 0, -1):
            tw = (w - pad * (cols + 1)) / cols
            probe = QRectF(0, 0, tw, 10_000)
            needs = [(self._needs(probe, g), self._inner(probe, g)) for g in self.groups]
            if all(n.width() <= i.width() for n, i in needs) or cols == 1:
                return cols, max(n.height() for n, _ in needs) + 8 + 4
        return 1, float(self.fontMetrics().height() * 3)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()

    def _fit_height(self) -> None:
        """At large text sizes the tiles go into a grid tall enough for their text."""
        line = self.fontMetrics().lineSpacing()
        need = int(line * 5)
        if self.groups and self._stacked_clips():
            cols, th = self._grid(float(self.width()))
            rows = -(-len(self.groups) // cols)
            need = int(rows * (th + 6) + 6)
        if self.minimumHeight() != need:
            self.setMinimumHeight(need)

    def _stacked_clips(self) -> bool:
        return any(self._clips(r, g, 1.0) for r, g in self._stacked(float(self.width()), max(float(self.height()), float(self.minimumHeight()))))

    def _layout(self) -> list[tuple[QRectF, GroupCoverage]]:
        w, h = float(self.width()), float(self.height())
        stacked = self._stacked(w, h)
        if not self.groups or not self._stacked_clips():
            return stacked
        cols, th = self._grid(w)  # the stacked layout would cut text: a grid of tiles instead
        tw = (w - 6.0 * (cols + 1)) / cols
        th = max(th, (h - 6.0) / -(-len(self.groups) // cols) - 6.0)
        return [(QRectF(6.0 + (i % cols) * (tw + 6.0), 6.0 + (i // cols) * (th + 6.0), tw, th), g)
                for i, g in enumerate(sorted(self.groups, key=lambda g: g.axis == "pillar"))]

    def _stacked(self, w: float, h: float) -> list[tuple[QRectF, GroupCoverage]]:
        """Layers stacked on the left, pillars beside them (the SCRA figure's arrangement)."""
        pad = 6.0
        layers = [g for g in self.groups if g.axis != "pillar"]
        pillars = [g for g in self.groups if g.axis == "pillar"]
        left_w = (w - 2 * pad) * (0.45 if pillars else 1.0)  # the four pillars need room for their names
        out: list[tuple[QRectF, GroupCoverage]] = []
        if layers:
            bh = (h - pad * (len(layers) + 1)) / len(layers)
            for i, g in enumerate(layers):
                out.append((QRectF(pad, pad + i * (bh + pad), left_w - pad, bh), g))
        if pillars:
            x0 = pad + left_w
            pw = (w - x0 - pad * len(pillars)) / len(pillars)
            for i, g in enumerate(pillars):
                out.append((QRectF(x0 + i * (pw + pad), pad, pw, h - 2 * pad), g))
        return out

    def paintEvent(self, event: Any) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._boxes = []
        if not self.groups:
            p.setPen(self.palette().color(self.foregroundRole()))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Pick a plan to see its SCRA coverage"))
            p.end()
            return
        for rect, g in self._layout():
            self._paint_tile(p, rect, g)
            self._boxes.append((rect, g.id))
        p.end()

    def _paint_tile(self, p: QPainter, rect: QRectF, g: GroupCoverage) -> None:
        """Fill and glyph from the coverage band; a critical gap outlines the tile, the worst gap's mark sits in a badge."""
        band = band_for(g.percent)
        sev = self._severity(g)
        critical = sev is not None and sev.key == "critical"
        p.setPen(QPen(QColor(sev.colour if critical else "#7a8597"), 3 if critical else 1))
        p.setBrush(QColor(band.fill))
        p.drawRoundedRect(rect, 6, 6)
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor(band.text))
        p.drawText(self._inner(rect, g), int(TILE_FLAGS), self.tile_text(g))
        if sev is not None and sev.key != "normal":
            side = self._badge()
            badge = QRectF(rect.right() - side - 2, rect.top() + 2, side, side)
            p.setPen(QColor(sev.colour))
            p.setBrush(QColor("#ffffff"))
            p.drawEllipse(badge.adjusted(1, 1, -1, -1))
            p.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), sev.glyph)

    def tile_tooltip(self, g: GroupCoverage) -> str:
        lang = current_language()
        band = band_for(g.percent)
        lines = [f"{node_name(g)}: {band.glyph} {band.label(lang)} — {g.percent}% ({g.blocks_covered}/{g.blocks_total})",
                 tr_args(self.tr("%1 service(s)"), len(g.services))]
        mark = self.marks.get(g.id)
        if mark is not None and mark.severity:
            sev = severity_mark(mark.severity)
            worst = [x for x in mark.gaps if x.severity == mark.severity]
            lines.append(tr_args(self.tr("%1 %2 gap in this group despite its coverage: %3"), sev.glyph, sev.label(lang),
                                 "、".join(localized(x.name_ja, x.name_en) for x in worst)))
        return "\n".join(lines)

    def group_at(self, x: float, y: float) -> str | None:
        for rect, gid in self._boxes or [(r, g.id) for r, g in self._layout()]:
            if rect.contains(x, y):
                return gid
        return None

    def mousePressEvent(self, event: Any) -> None:
        gid = self.group_at(event.position().x(), event.position().y())
        if gid:
            self.groupClicked.emit(gid)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:
        gid = self.group_at(event.position().x(), event.position().y())
        g = next((x for x in self.groups if x.id == gid), None)
        self.setToolTip(plain_tip(self.tile_tooltip(g)) if g else "")
        super().mouseMoveEvent(event)

