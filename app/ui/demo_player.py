"""Plays a demo script (app/ui/demo_script.py) in the main window: a caption bar at the bottom, → / ← (and a
presentation clicker's PageDown / PageUp) step through, Esc ends. Steps run on the tour's step engine.

Each step drives the window through its public commands (set_query, select_id, add_to_plan, show_tab, the
figure and the plan tab); what a step cannot find (an entry id gone from the catalog, a plan that does not
exist) is said in the caption bar instead of stopping the demo.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.search.analysis import key
from app.ui.demo_script import DemoScript, DemoStep
from app.ui.i18n import current_language, localized, tr_args
from app.ui.main_tabs import TAB_ARCH, TAB_CATALOG, TAB_PLAN
from app.ui.steps import StepEngine
from app.ui.theme import Theme, scaled_font

if TYPE_CHECKING:
    from app.catalog.store import CatalogDB
    from app.ui.architecture_pane import ArchitecturePane
    from app.ui.plan_pane import PlanPane


class DemoWindow(Protocol):
    """What a demo drives: the main window's public commands and panes."""

    db: CatalogDB | None
    architecture: ArchitecturePane
    plans: PlanPane
    tabs: QTabWidget

    def show_tab(self, index: int) -> None: ...
    def set_query(self, text: str, immediate: bool = True) -> None: ...
    def select_id(self, entry_id: str) -> bool: ...
    def add_to_plan(self, service_ids: list[str]) -> int: ...
    def use_plan(self, name: str) -> None: ...
    def installEventFilter(self, obj: QObject) -> None: ...
    def width(self) -> int: ...

NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_PageDown)
BACK_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_PageUp)
_TYPING = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


class PlayedStep:
    """A script step bound to the window it drives; `problem` says what it could not show."""

    def __init__(self, window: DemoWindow, step: DemoStep) -> None:
        self.window = window
        self.step = step
        self.problem = ""

    def enter(self) -> None:
        self.problem = ""
        getattr(self, f"_{self.step.kind}")()

    def _search(self) -> None:
        self.window.show_tab(TAB_CATALOG)
        self.window.set_query(self.step.value)

    def _select(self) -> None:
        self.window.show_tab(TAB_CATALOG)
        if not self.window.select_id(self.step.value):
            self.problem = tr_args(QApplication.translate("DemoPlayer", "Not found in the results: %1"), self.step.value)

    def _add(self) -> None:
        ids = self.step.value.split()
        known = [i for i in ids if self.window.db is not None and self.window.db.service(i) is not None]
        self.window.add_to_plan(known)
        if len(known) < len(ids):
            missing = " ".join(i for i in ids if i not in known)
            self.problem = tr_args(QApplication.translate("DemoPlayer", "Not in the catalog: %1"), missing)

    def _figure(self) -> None:
        self.window.show_tab(TAB_ARCH)
        fig = self.window.architecture.figure
        if fig is None:
            return
        self.window.architecture.refresh_plan()
        fig.set_overlay(self.step.overlay)
        if self.step.overlay:
            fig.highlight_service(None)  # the plan's colours are the point: no dimming around a selected service
        if self.step.overlay and not fig.overlay_on():
            self.problem = QApplication.translate("DemoPlayer", "No plan yet: the overlay needs a plan with services")
        group = next((n.id for n in self.window.db.nodes(fig.edition).values() if self.step.value and n.level == "group"
                      and key(self.step.value) in (key(n.name_ja), key(n.name_en))), None) if self.window.db else None
        if group:
            fig.set_focus_group(group)
            fig.zoom_to(group)
        else:
            fig.view.fit(None)
            if self.step.value:
                self.problem = tr_args(QApplication.translate("DemoPlayer", "No such group: %1"), self.step.value)

    def _plan_view(self) -> Any:
        plans = self.window.plans
        if self.step.value and plans.store is not None and plans.store.exists(self.step.value):
            self.window.use_plan(self.step.value)
        elif self.step.value and self.step.kind == "plan_tab":
            self.problem = tr_args(QApplication.translate("DemoPlayer", "No plan named “%1”"), self.step.value)
        self.window.show_tab(TAB_PLAN)
        return plans.ensure_widget()

    def _plan_tab(self) -> None:
        view = self._plan_view()
        if view is not None and hasattr(view, "tabs"):
            view.tabs.setCurrentIndex(0)

    def _gap(self) -> None:
        view = self._plan_view()
        tree = getattr(view, "gap_tree", None)
        if tree is None:
            return
        view.tabs.setCurrentIndex(1)
        want = "" if self.step.value in ("", "first") else key(self.step.value)
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            if not want or want in key(item.text(1)):
                tree.setCurrentItem(item)
                item.setExpanded(True)
                tree.scrollToItem(item)
                return
        self.problem = QApplication.translate("DemoPlayer", "The plan has no such gap")


class CaptionBar(QFrame):
    """The demo's caption at the bottom of the window: step n/m, the caption in large type, back / next / end."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("demoCaption")
        self.counter = QLabel()
        self.caption = QLabel()
        self.caption.setObjectName("demoCaptionText")
        self.caption.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.back, self.next, self.close_button = QPushButton(), QPushButton(), QPushButton()
        self.next.setObjectName("primary")
        for b in (self.back, self.next, self.close_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # → / ← stay with the demo, not a focused button
        text = QVBoxLayout()
        text.addWidget(self.counter)
        text.addWidget(self.caption)
        text.addWidget(self.problem)
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 10, 18, 10)
        row.addLayout(text, 1)
        for b in (self.back, self.next, self.close_button):
            row.addWidget(b, 0, Qt.AlignmentFlag.AlignVCenter)

    def restyle(self) -> None:
        c = Theme.colors()
        self.setStyleSheet(f"QFrame#demoCaption {{ background: {c.base}; border-top: 3px solid {c.accent}; }}")
        self.caption.setFont(scaled_font(1.5, bold=True))
        self.problem.setStyleSheet(f"color: {c.editorial};")

    def place(self) -> None:
        parent = self.parentWidget()
        width = parent.width()
        self.setFixedWidth(width)
        height = self.layout().totalHeightForWidth(width) if self.layout().hasHeightForWidth() else self.sizeHint().height()
        self.setFixedHeight(max(height, self.sizeHint().height()))
        self.move(0, parent.height() - self.height())
        self.raise_()


class DemoPlayer(QObject):
    """Plays `script` in `window`; `finished` when it ends (Esc, the end button, or → after the last step)."""

    finished = Signal()

    def __init__(self, window: DemoWindow, script: DemoScript) -> None:
        super().__init__(window)
        self.window = window
        self.script = script
        self.steps = [PlayedStep(window, s) for s in script.steps]
        self.engine = StepEngine(self.steps, self)
        self.engine.changed.connect(self._shown)
        self.engine.finished.connect(self.stop)
        self.bar = CaptionBar(window)
        self.bar.back.clicked.connect(self.engine.back)
        self.bar.next.clicked.connect(self.engine.next)
        self.bar.close_button.clicked.connect(self.stop)
        self.bar.hide()
        self.active = False

    def start(self) -> None:
        self.active = True
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.window.installEventFilter(self)
        self.bar.show()
        if isinstance(QApplication.focusWidget(), _TYPING):
            self.window.tabs.setFocus()  # → / ← must reach the demo, not the search box's cursor
        self.engine.go(0)

    def stop(self) -> None:
        if not self.active:
            return
        self.active = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.bar.hide()
        self.finished.emit()

    def _shown(self, index: int) -> None:
        step = self.steps[index]
        lang = current_language()
        self.bar.restyle()
        self.bar.counter.setText(tr_args(self.tr("%1 — step %2 of %3"), self.script.title(lang), index + 1, len(self.steps)))
        self.bar.caption.setText(step.step.caption(lang))
        self.bar.problem.setText(step.problem)
        self.bar.problem.setVisible(bool(step.problem))
        self.bar.back.setText(self.tr("Back"))
        self.bar.back.setEnabled(index > 0)
        self.bar.next.setText(self.tr("End") if self.engine.is_last() else self.tr("Next"))
        self.bar.close_button.setText(self.tr("End the demo"))
        self.bar.place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active:
            return False
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self.bar.place()
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            return self._key(watched, event)
        return False

    def _key(self, watched: QObject, event: QKeyEvent) -> bool:
        k = event.key()
        typing = isinstance(watched, _TYPING)  # arrows still move the cursor in a text box
        ours = k in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_Escape) or (k in NEXT_KEYS + BACK_KEYS and not typing)
        if not ours or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # keep the window's Esc (clear the search) and arrow shortcuts out of the way
            return True
        if k == Qt.Key.Key_Escape:
            self.stop()
        elif k in NEXT_KEYS:
            self.engine.next()
        else:
            self.engine.back()
        return True


def pick_script(window: QWidget, scripts: list[Path]) -> Path | None:
    """The sample alone plays at once; with the user's own scripts, ask which one."""
    if len(scripts) == 1:
        return scripts[0]
    from PySide6.QtWidgets import QInputDialog

    names = [localized("同梱のサンプル", "Bundled sample") if i == 0 else p.name for i, p in enumerate(scripts)]
    name, ok = QInputDialog.getItem(window, QApplication.translate("DemoPlayer", "Start demo"),
                                    QApplication.translate("DemoPlayer", "Demo script:"), names, 0, False)
    return scripts[names.index(name)] if ok else None
