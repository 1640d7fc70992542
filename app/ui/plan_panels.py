"""The plan tab's analysis panes: the SCRA node tree, the gaps with fill suggestions, the considerations form.

A mixin of PlanView (it uses the view's store, current plan and widgets). Its strings are translated in
the "PlanView" context, as when these methods were written in PlanView itself.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.plan.considerations import SECTIONS, Considerations, Question
from app.plan.coverage import Coverage
from app.ui.i18n import localized, node_name, tr_args
from app.ui.plan_models import SEVERITY_COLOURS, STATUS_COLOURS

translate = QCoreApplication.translate


class PlanPanels:
    """PlanView's node tree, gap list and considerations form (see PlanView for the widgets)."""

    def _name(self, sid: str) -> str:
        cov = self._coverage
        if cov and sid in cov.services:
            return cov.services[sid].name
        for r in self.model.rows():
            if r.item.service_id == sid:
                return r.name
        return sid

    def _fill_node_tree(self, cov: Coverage) -> None:
        status_text = {"provided": translate("PlanView", "Provided"), "used": translate("PlanView", "Used only"),
                       "inherited": translate("PlanView", "Via parent block"), "none": translate("PlanView", "Not covered")}
        sep = translate("PlanView", ", ")  # list separator: 、 in Japanese
        self.node_tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for n in cov.nodes.values():
            parent = items.get(n.parent or "")
            who = sep.join(self._name(s) for s in (n.covered_by or n.inherited_from_parent))
            label = node_name(n)
            if n.level == "group":
                g = next((x for x in cov.groups if x.id == n.id), None)
                if g:
                    label += f"  {g.percent}%"
            it = QTreeWidgetItem([label, status_text[n.status], who])
            it.setData(0, Qt.ItemDataRole.UserRole, n.id)
            it.setToolTip(0, n.id)
            it.setToolTip(2, who)
            colour = QColor(STATUS_COLOURS[n.status])
            for c in range(3):
                it.setBackground(c, colour)
                it.setForeground(c, QColor("#1d2430"))
            if parent is None:
                self.node_tree.addTopLevelItem(it)
            else:
                parent.addChild(it)
            items[n.id] = it
        self.node_tree.expandAll()

    def _fill_gaps(self, cov: Coverage) -> None:
        sev_text = {"critical": translate("PlanView", "Critical"), "important": translate("PlanView", "Important"), "normal": translate("PlanView", "Normal")}
        self.gap_tree.clear()
        crit = sum(1 for g in cov.gaps if g.severity == "critical")
        self.gap_summary.setText(tr_args(translate("PlanView", "Uncovered functions: %1 (%2 critical). Click “Add” on a suggestion to put it in the plan (can be undone)."), len(cov.gaps), crit))
        for g in cov.gaps:
            reasons = "\n".join(localized(r.text_ja, r.text_en) for r in g.reasons)
            top = QTreeWidgetItem([sev_text.get(g.severity, g.severity), node_name(g), reasons, ""])
            top.setData(0, Qt.ItemDataRole.UserRole, g.node_id)
            top.setToolTip(1, g.node_id + ("\n" + "\n".join(g.folded) if g.folded else ""))
            top.setToolTip(2, reasons)
            colour = QColor(SEVERITY_COLOURS.get(g.severity, "#eeeeee"))
            for c in range(4):
                top.setBackground(c, colour)
                top.setForeground(c, QColor("#1d2430"))
            self.gap_tree.addTopLevelItem(top)
            for s in cov.suggestions.get(g.node_id, []):
                extra = []
                if s.same_field:
                    extra.append(translate("PlanView", "Same field"))
                extra.append(translate("PlanView", "Provides") if s.provides else translate("PlanView", "Uses"))
                if s.fills:
                    extra.append(tr_args(translate("PlanView", "Closes %1 gap(s)"), len(s.fills)))
                if s.raises:
                    extra.append(tr_args(translate("PlanView", "Makes %1 gap(s) more urgent"), len(s.raises)))
                child = QTreeWidgetItem(["", s.name, f"{s.field_name} · " + " · ".join(extra), ""])
                child.setData(0, Qt.ItemDataRole.UserRole, s.service_id)
                child.setToolTip(1, s.service_id)
                top.addChild(child)
                btn = QPushButton(translate("PlanView", "Add"))
                btn.setObjectName(f"addSuggestion_{s.service_id}")
                btn.clicked.connect(lambda _=False, sid=s.service_id: self.add_services([sid]))
                self.gap_tree.setItemWidget(child, 3, btn)
            top.setExpanded(g.severity == "critical")

    def _focus_group(self, gid: str) -> None:
        for i in range(self.node_tree.topLevelItemCount()):
            it = self.node_tree.topLevelItem(i)
            if it.data(0, Qt.ItemDataRole.UserRole) == gid:
                self.node_tree.setCurrentItem(it)
                self.node_tree.scrollToItem(it, QAbstractItemView.ScrollHint.PositionAtTop)

    # -- considerations form --------------------------------------------------------------------
    def _build_considerations_form(self, cons: Considerations | None) -> None:
        self._considerations = cons
        while self.cons_layout.count():
            item = self.cons_layout.takeAt(0)
            w = item.widget()
            if w is not None:
                w.deleteLater()
        self.answer_widgets: dict[str, tuple[QComboBox, QLineEdit]] = {}
        if cons is None:
            self.cons_layout.addStretch(1)
            return
        summary = QLabel()
        summary.setWordWrap(True)
        lines = [tr_args(translate("PlanView", "Expected TYPE: %1"), cons.type_label) + (
            tr_args(translate("PlanView", " (data linkage: %1)"), translate("PlanView", ", ").join(self._name(x) for x in cons.linkage_services))
            if cons.linkage_services else translate("PlanView", " (no service links data)")),
            tr_args(translate("PlanView", "Most sensitive personal data: %1"), self._level_name(cons.personal_level))]
        for s in cons.sectors:
            lines.append(f"【{s.sector}】 {s.note}")
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setText("\n".join(lines))
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cons_layout.addWidget(summary)
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
            self.cons_layout.addWidget(box)
        self.cons_layout.addStretch(1)

    def _level_name(self, level: str) -> str:
        """A personal-data level (catalog data, Japanese) in the UI language, from the taxonomy's name_en."""
        rows = self.db().q("select name_en from personal_levels where name = ?", (level,)) if level else []
        return localized(level, str(rows[0]["name_en"] or "")) if rows else level

    def _question_label(self, q: Question) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.RichText)
        note = html.escape(q.note).replace("\n", "<br>")
        label.setText(f"<b>{html.escape(localized(q.text_ja, q.text_en))}</b>" + (f'<br><span style="color:#5b6576">{note}</span>' if note else ""))
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
                combo.setItemData(combo.count() - 1, o.note, Qt.ItemDataRole.ToolTipRole)
        current = q.answer.answer if q.answer else ""
        combo.setCurrentIndex(max(combo.findData(current), 0))
        note = QLineEdit(q.answer.note if q.answer else "")
        note.setPlaceholderText(translate("PlanView", "Note"))
        note.setObjectName(f"note_{q.id}")
        combo.currentIndexChanged.connect(lambda _i, qid=q.id: self._save_answer(qid))
        note.editingFinished.connect(lambda qid=q.id: self._save_answer(qid))
        h.addWidget(combo, 2)
        h.addWidget(note, 3)
        self.answer_widgets[q.id] = (combo, note)
        return host

    def _save_answer(self, qid: str) -> None:
        if not self._plan or qid not in self.answer_widgets:
            return
        combo, note = self.answer_widgets[qid]
        value, text = combo.currentData() or "", note.text().strip()
        old = self.store.answers(self._plan).get(qid)
        if old and (old.answer, old.note) == (value, text):
            return
        if not value and not text:
            if old:
                self.store.clear_answer(self._plan, qid)
        else:
            self.store.set_answer(self._plan, qid, value, text)
        self._render_analysis()  # answers can change gap severities
        self.statusMessage.emit(translate("PlanView", "Answer saved"))
        self.planChanged.emit(self._plan)
