"""The plan tab's analysis panes: the SCRA node tree, the gaps with fill suggestions, the considerations form.

Each is a widget that fills itself from the plan's coverage or considerations and reports what the user
did by signals; PlanView owns them and does the saving. Their strings are translated in the "PlanView"
context (they are the plan tab's texts).
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.plan.considerations import SECTIONS, Considerations, Question
from app.plan.coverage import Coverage, Suggestion
from app.plan.marks import node_marks
from app.plan.scale import band_for, severity_mark, status_band
from app.ui.column_fit import ColumnFitter
from app.ui.i18n import localized, node_name, tr_args
from app.ui.jp_text import KeepWordsDelegate, keep_words
from app.ui.safe_text import plain_tip

translate = QCoreApplication.translate


NameOf = Callable[[str], str]  # service id → name shown


class CoverageTree(QTreeWidget):
    """Every SCRA node of the plan's coverage with its status and the services covering it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(3)
        self.setRootIsDecorated(True)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.header().setStretchLastSection(False)
        # widths in em (状態 carries the band glyph, share and gap mark); a narrow pane or large text
        # hides 対応するサービス before cutting a header
        self.column_fit = ColumnFitter(self, [0, 1, 2], {0: (8, 18), 1: (6, 14), 2: (8, 14)}, 2)

    def retranslate(self) -> None:
        self.setHeaderLabels([translate("PlanView", "SCRA node"), translate("PlanView", "Status"),
                              translate("PlanView", "Covered by")])

    def fill(self, cov: Coverage, name_of: NameOf) -> None:
        status_text = {"provided": translate("PlanView", "Provided"), "used": translate("PlanView", "Used only"),
                       "inherited": translate("PlanView", "Via parent block"), "none": translate("PlanView", "Not covered")}
        sep = translate("PlanView", ", ")  # list separator: 、 in Japanese
        self.clear()
        items: dict[str, QTreeWidgetItem] = {}
        groups = {g.id: g for g in cov.groups}
        marks = node_marks(cov)
        for n in cov.nodes.values():
            parent = items.get(n.parent or "")
            who = sep.join(name_of(s) for s in (n.covered_by or n.inherited_from_parent))
            label = node_name(n)
            status = status_text[n.status]
            # a group row shows its share on the scale (the same band as its tile), not the status of its best block
            band = band_for(groups[n.id].percent) if n.id in groups else status_band(n.status)
            if n.id in groups:
                label += f"  {groups[n.id].percent}%"
                status = tr_args(translate("PlanView", "%1 of blocks covered"), f"{groups[n.id].percent}%")
            mark = marks.get(n.id)
            if mark is not None and mark.severity in ("critical", "important"):
                sev = severity_mark(mark.severity)
                status += f"  {sev.glyph} " + tr_args(translate("PlanView", "%1 gap"), translate("PlanView", sev.label_en))
            it = QTreeWidgetItem([label, f"{band.glyph} {status}", who])
            it.setData(0, Qt.ItemDataRole.UserRole, n.id)
            it.setToolTip(0, node_name(n))
            it.setToolTip(2, plain_tip(who))
            for c in range(3):
                it.setBackground(c, QColor(band.fill))
                it.setForeground(c, QColor(band.text))
            if parent is None:
                self.addTopLevelItem(it)
            else:
                parent.addChild(it)
            items[n.id] = it
        self.expandAll()

    def focus_group(self, gid: str) -> None:
        for i in range(self.topLevelItemCount()):
            it = self.topLevelItem(i)
            if it.data(0, Qt.ItemDataRole.UserRole) == gid:
                self.setCurrentItem(it)
                self.scrollToItem(it, QAbstractItemView.ScrollHint.PositionAtTop)


class WrappedTextDelegate(KeepWordsDelegate):
    """Rows as tall as their wrapped text at the column's current width: a tree view otherwise sizes a
    row once, before its columns have their final widths, and long reasons get cut. Wraps between
    words only (パーソナルデータ管理 is not cut after 管), measured with the same word joiners."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        text = keep_words(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        width = self.view.header().sectionSize(index.column()) - 8
        if not text or width <= 0:
            return base
        if index.column() == 0 and index.parent().isValid():
            width -= self.view.indentation()
        rect = QFontMetrics(option.font).boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text)
        return QSize(base.width(), max(base.height(), rect.height() + 6))


class GapTree(QTreeWidget):
    """Uncovered functions by severity, each with the catalog services that would fill it."""

    addRequested = Signal(list)  # [service_id] of a suggestion's "Add" button

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(4)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 300)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)  # reasons are read in full, wrapped, never cut with …
        self.setItemDelegate(WrappedTextDelegate(self))
        header.sectionResized.connect(lambda *_: self.scheduleDelayedItemsLayout())  # re-wrap at the new width

    def retranslate(self) -> None:
        self.setHeaderLabels([translate("PlanView", "Severity"), translate("PlanView", "Node / suggestion"),
                              translate("PlanView", "Reason"), ""])

    @staticmethod
    def summary(cov: Coverage) -> str:
        crit = sum(1 for g in cov.gaps if g.severity == "critical")
        return tr_args(translate("PlanView", "Uncovered functions: %1 (%2 critical). Click “Add” on a suggestion "
                                 "to put it in the plan (can be undone)."), len(cov.gaps), crit)

    def fill(self, cov: Coverage) -> None:
        sev_text = {"critical": translate("PlanView", "Critical"), "important": translate("PlanView", "Important"),
                    "normal": translate("PlanView", "Normal")}
        self.clear()
        for g in cov.gaps:
            reasons = "\n".join(localized(r.text_ja, r.text_en) for r in g.reasons)
            mark = severity_mark(g.severity)
            top = QTreeWidgetItem([f"{mark.glyph} {sev_text.get(g.severity, g.severity)}", node_name(g), reasons, ""])
            top.setData(0, Qt.ItemDataRole.UserRole, g.node_id)
            top.setToolTip(1, node_name(g))
            top.setToolTip(2, plain_tip(reasons))
            top.setForeground(0, QColor(mark.colour))  # shape (glyph) and colour: readable without colour too
            font = top.font(0)
            font.setBold(g.severity == "critical")
            top.setFont(0, font)
            self.addTopLevelItem(top)
            for s in cov.suggestions.get(g.node_id, []):
                self._add_suggestion(top, s)
            top.setExpanded(g.severity == "critical")

    def _add_suggestion(self, top: QTreeWidgetItem, s: Suggestion) -> None:
        extra = []
        if s.same_field:
            extra.append(translate("PlanView", "Same field"))
        extra.append(translate("PlanView", "Provides") if s.provides else translate("PlanView", "Uses"))
        if s.fills:
            extra.append(tr_args(translate("PlanView", "Closes %1 gap(s)"), len(s.fills)))
        if s.raises:
            extra.append(tr_args(translate("PlanView", "Makes %1 gap(s) more urgent"), len(s.raises)))
        reason = localized(s.reason_ja, s.reason_en)
        child = QTreeWidgetItem(["", s.name, f"{s.field_name} · " + " · ".join(extra) + "\n" + reason, ""])
        child.setData(0, Qt.ItemDataRole.UserRole, s.service_id)
        child.setToolTip(1, s.service_id)
        child.setToolTip(2, plain_tip(reason))
        top.addChild(child)
        btn = QPushButton(translate("PlanView", "Add"))
        btn.setObjectName(f"addSuggestion_{s.service_id}")
        btn.clicked.connect(lambda _=False, sid=s.service_id: self.addRequested.emit([sid]))
        self.setItemWidget(child, 3, btn)


class ConsiderationsForm(QScrollArea):
    """The planning questions that apply to the plan, each with an answer and a note."""

    answerEdited = Signal(str, str, str)  # question id, answer id ('' = none), note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.host = QWidget()
        self.form_layout = QVBoxLayout(self.host)
        self.setWidget(self.host)
        self.answer_widgets: dict[str, tuple[QComboBox, QLineEdit]] = {}

    def build(self, cons: Considerations | None, name_of: NameOf, level_name: Callable[[str], str]) -> None:
        """Rebuild the form for `cons` (None: empty)."""
        while self.form_layout.count():
            item = self.form_layout.takeAt(0)
            w = item.widget()
            if w is not None:
                w.hide()  # at once: a widget waiting for deleteLater would still be drawn over the new form
                w.deleteLater()
        self.answer_widgets = {}
        if cons is None:
            self.form_layout.addStretch(1)
            return
        self.form_layout.addWidget(self._summary(cons, name_of, level_name))
        for sec, title_ja, title_en in SECTIONS:
            qs = [q for q in cons.section(sec) if q.applies]
            if not qs:
                continue
            box = QGroupBox(localized(title_ja, title_en))
            form = QVBoxLayout(box)
            for q in qs:
                form.addWidget(self._question_label(q))
                form.addWidget(self._question_editor(q))
                form.addSpacing(4)
            self.form_layout.addWidget(box)
        self.form_layout.addStretch(1)

    @staticmethod
    def _summary(cons: Considerations, name_of: NameOf, level_name: Callable[[str], str]) -> QLabel:
        summary = QLabel()
        summary.setWordWrap(True)
        linkage = (tr_args(translate("PlanView", " (data linkage: %1)"),
                           translate("PlanView", ", ").join(name_of(x) for x in cons.linkage_services))
                   if cons.linkage_services else translate("PlanView", " (no service links data)"))
        lines = [tr_args(translate("PlanView", "Expected TYPE: %1"), cons.type_label) + linkage,
                 tr_args(translate("PlanView", "Most sensitive personal data: %1"), level_name(cons.personal_level))]
        for s in cons.sectors:
            lines.append(f"【{s.sector}】 {s.note}")
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setText(keep_words("\n".join(lines)))  # wraps between words only
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return summary

    @staticmethod
    def _question_label(q: Question) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.RichText)
        note = html.escape(q.note).replace("\n", "<br>")
        label.setText(keep_words(f"<b>{html.escape(localized(q.text_ja, q.text_en))}</b>"
                                 + (f'<br><span style="color:#5b6576">{note}</span>' if note else "")))
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _question_editor(self, q: Question) -> QWidget:
        host = QWidget()
        h = QHBoxLayout(host)
        h.setContentsMargins(0, 0, 0, 0)
        combo = QComboBox()
        combo.setObjectName(f"answer_{q.id}")
        combo.addItem(translate("PlanView", "(no answer)"), "")
        for o in q.options:
            label = localized(o.label_ja, o.label_en) + (translate("PlanView", " (suggested)") if o.id == q.suggested else "")
            combo.addItem(label, o.id)
            if o.note:
                combo.setItemData(combo.count() - 1, plain_tip(o.note), Qt.ItemDataRole.ToolTipRole)
        current = q.answer.answer if q.answer else ""
        combo.setCurrentIndex(max(combo.findData(current), 0))
        note = QLineEdit(q.answer.note if q.answer else "")
        note.setPlaceholderText(translate("PlanView", "Note"))
        note.setObjectName(f"note_{q.id}")
        combo.currentIndexChanged.connect(lambda _i, qid=q.id: self._edited(qid))
        note.editingFinished.connect(lambda qid=q.id: self._edited(qid))
        h.addWidget(combo, 2)
        h.addWidget(note, 3)
        self.answer_widgets[q.id] = (combo, note)
        return host

    def _edited(self, qid: str) -> None:
        if qid in self.answer_widgets:
            combo, note = self.answer_widgets[qid]
            self.answerEdited.emit(qid, combo.currentData() or "", note.text().strip())
