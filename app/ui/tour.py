"""A short guided tour: an overlay that dims the window, cuts out the step's widget, and explains it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.i18n import tr_args
from app.ui.jp_text import keep_words
from app.ui.main_tabs import TAB_ARCH, TAB_CATALOG
from app.ui.steps import StepEngine
from app.ui.theme import Theme, scaled_font

if TYPE_CHECKING:
    from app.ui.detail_view import DetailPane
    from app.ui.search_pane import SearchPane


@dataclass
class TourStep:
    target: Callable[[], QWidget | None]
    title: Callable[[], str]
    text: Callable[[], str]
    before: Callable[[], None] | None = None

    def enter(self) -> None:
        if self.before:
            self.before()


class TourOverlay(QWidget):
    """Covers its parent window; Back / Next / Close; Esc closes (handled by the main window)."""

    finished = Signal()

    def __init__(self, parent: QWidget, steps: list[TourStep]) -> None:
        super().__init__(parent)
        self.steps = steps
        self.engine = StepEngine(steps, self)  # the same engine plays scripted demos (app/ui/demo_player.py)
        self.engine.changed.connect(self._shown)
        self.engine.finished.connect(self.stop)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setObjectName("tourOverlay")
        self.card = QFrame(self)
        self.card.setObjectName("tourCard")
        self.step_label = QLabel()
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.back = QPushButton()
        self.next = QPushButton()
        self.next.setObjectName("primary")
        self.close_button = QPushButton()
        self.back.clicked.connect(self.engine.back)
        self.next.clicked.connect(self.engine.next)
        self.close_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.next)
        lay = QVBoxLayout(self.card)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.setSpacing(10)
        lay.addWidget(self.step_label)
        lay.addWidget(self.title)
        lay.addWidget(self.text)
        lay.addLayout(buttons)
        parent.installEventFilter(self)
        self.hide()

    def start(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.go(0)
        self.next.setFocus()

    def stop(self) -> None:
        self.hide()
        self.finished.emit()

    @property
    def index(self) -> int:
        return max(0, self.engine.index)

    def go(self, index: int) -> None:
        self.engine.go(index)

    def _shown(self, _index: int) -> None:
        self.retranslate_ui()
        self._place()
        self.update()

    def retranslate_ui(self) -> None:
        step = self.steps[self.index]
        c = Theme.colors()
        self.card.setStyleSheet(
            f"QFrame#tourCard {{ background: {c.base}; border: 2px solid {c.accent}; border-radius: 12px; }}")
        self.step_label.setText(tr_args(self.tr("Step %1 of %2"), self.index + 1, len(self.steps)))
        self.title.setFont(scaled_font(1.35, bold=True))
        self.title.setText(keep_words(step.title()))  # wrapped: never inside a word
        self.text.setText(keep_words(step.text()))
        self.back.setText(self.tr("Back"))
        self.back.setEnabled(self.index > 0)
        self.next.setText(self.tr("Finish") if self.index + 1 == len(self.steps) else self.tr("Next"))
        self.close_button.setText(self.tr("Close tour"))

    def target_rect(self) -> QRect:
        target = self.steps[self.index].target()
        if target is None or not target.isVisible():
            return QRect()
        top_left = target.mapTo(self.parentWidget(), QPoint(0, 0))
        return QRect(top_left, target.size()).adjusted(-6, -6, 6, 6)

    def _place(self) -> None:
        area = self.rect()
        em = self.fontMetrics().horizontalAdvance("あ")  # in ems: the card grows with the text size
        layout = self.card.layout()
        width = min(area.width() - 16, max(layout.minimumSize().width(), min(34 * em, max(24 * em, area.width() // 3))))
        self.card.setFixedWidth(width)
        layout.activate()
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
        self.card.setFixedHeight(max(height, layout.minimumSize().height()))
        card = self.card.rect()
        target = self.target_rect()
        if target.isNull():
            pos = area.center() - card.center()
        else:
            # beside the target if there is room, else below, else above, else centred
            candidates = [
                QPoint(target.right() + 16, target.top()),
                QPoint(target.left(), target.bottom() + 16),
                QPoint(target.left() - card.width() - 16, target.top()),
                QPoint(target.left(), target.top() - card.height() - 16),
            ]
            pos = area.center() - card.center()
            for p in candidates:
                r = QRect(p, card.size())
                if area.adjusted(8, 8, -8, -8).contains(r):
                    pos = p
                    break
        x = max(8, min(pos.x(), area.width() - card.width() - 8))
        y = max(8, min(pos.y(), area.height() - card.height() - 8))
        self.card.move(x, y)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRect(QRectF(self.rect()))
        target = self.target_rect()
        if not target.isNull():
            hole = QPainterPath()
            hole.addRoundedRect(QRectF(target), 10, 10)
            path = path.subtracted(hole)
        p.fillPath(path, QColor(0, 0, 0, 150))
        if not target.isNull():
            p.setPen(QPen(QColor(Theme.colors().accent), 3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(target), 10, 10)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
            self._place()
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.isVisible():
            self.retranslate_ui()
        super().changeEvent(event)


def _t(text: str) -> Callable[[], str]:
    """A step text, translated when shown (the language can change while the tour runs)."""
    from PySide6.QtCore import QCoreApplication

    return lambda: QCoreApplication.translate("MainWindow", text)


def main_window_steps(show_tab: Callable[[int], None], search: SearchPane, detail: DetailPane,
                      figure: Callable[[], QWidget | None], plan_button: QWidget) -> list[TourStep]:
    """The main window's tour: search, refine, details, architecture, plan."""
    def go(tab: int) -> Callable[[], None]:
        return lambda: show_tab(tab)

    def with_detail() -> None:
        show_tab(TAB_CATALOG)
        if not detail.current_id and search.proxy.rowCount():
            search.select_row(0)

    return [
        TourStep(lambda: search.query_bar, _t(QT_TRANSLATE_NOOP("MainWindow", "1. Search")),
                 _t(QT_TRANSLATE_NOOP("MainWindow", "Type what you are looking for, e.g. オンデマンド or マイナンバーカード. Results update as you type. "
                                      "Filters such as 分野:公共交通 appear as chips; remove a chip to widen the search.")),
                 go(TAB_CATALOG)),
        TourStep(lambda: search.facet_view, _t(QT_TRANSLATE_NOOP("MainWindow", "2. Refine")),
                 _t(QT_TRANSLATE_NOOP("MainWindow", "Counts per field, prefecture, SCRA layer and more. Click a value to add it to the query.")),
                 go(TAB_CATALOG)),
        TourStep(lambda: detail, _t(QT_TRANSLATE_NOOP("MainWindow", "3. Details")),
                 _t(QT_TRANSLATE_NOOP("MainWindow", "Pick a result to see its facts, sources and how it maps onto the SCRA — "
                                      "with a badge telling sourced facts from editorial judgement.")),
                 with_detail),
        TourStep(figure, _t(QT_TRANSLATE_NOOP("MainWindow", "4. Architecture")),
                 _t(QT_TRANSLATE_NOOP("MainWindow", "The SCRA figure with the number of current results per function. Click a box to "
                                      "add it to the search as a chip (click again to remove it); the selected service's "
                                      "boxes are highlighted.")),
                 go(TAB_ARCH)),
        TourStep(lambda: plan_button, _t(QT_TRANSLATE_NOOP("MainWindow", "5. Plan")),
                 _t(QT_TRANSLATE_NOOP("MainWindow", "Press Enter on a result, use “Add to plan”, or drag results onto the Plan tab. "
                                      "The counter shows how many services your plan holds.")),
                 go(TAB_CATALOG)),
    ]
