"""The plan pane: which plan "add to plan" fills, adding services, and the plan tab built when first
needed (it computes coverage, so it is built after the window's first paint).

It owns the plan store and the plan widget (PlanView, else the plain basket list) inside a scroll
area; the main window shows its counter and routes "add to plan" requests here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from app.ui import settings
from app.ui.i18n import tr_args
from app.ui.models import SERVICE_MIME
from app.ui.plan_files import PlanFileDrop  # noqa: F401 - re-exported for the main window

if TYPE_CHECKING:
    import sqlite3

    from app.catalog.store import CatalogDB
    from app.plan.plans import PlanStore
    from app.ui.plan_basket import PlanBasket
    from app.ui.plan_view import PlanView

log = logging.getLogger(__name__)


class PlanDropTarget(QObject):
    """Accepts service drags on the widgets it filters; `accepts(widget, pos)` says where a drop may land."""

    def __init__(self, accepts: Callable[[QObject, QPoint], bool], drop: Callable[[list[str]], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accepts = accepts
        self._drop = drop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        et = event.type()
        if et in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            ev: QDragEnterEvent = event  # type: ignore[assignment]
            if ev.mimeData().hasFormat(SERVICE_MIME) and self._accepts(watched, ev.position().toPoint()):
                ev.acceptProposedAction()
            else:
                ev.ignore()
            return True
        if et == QEvent.Type.Drop:
            drop: QDropEvent = event  # type: ignore[assignment]
            if drop.mimeData().hasFormat(SERVICE_MIME) and self._accepts(watched, drop.position().toPoint()):
                self._drop(bytes(drop.mimeData().data(SERVICE_MIME).data()).decode("utf-8").split())
                drop.acceptProposedAction()
            return True
        return False


class PlanPane(QWidget):
    """The plan tab and the current plan. `store` None: plans unavailable (or not open yet)."""

    countChanged = Signal(int)  # services in the current plan, after any change
    statusMessage = Signal(str)

    def __init__(self, db_provider: Callable[[], CatalogDB | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db_provider = db_provider
        self.store: PlanStore | None = None
        self.widget: PlanView | PlanBasket | None = None
        self.loading = True
        self._shut_down = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.ensure_widget)
        self._placeholder: QLabel | None = QLabel()
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setTextFormat(Qt.TextFormat.PlainText)  # names a file path
        self._placeholder.setWordWrap(True)
        self.unavailable = ""  # why plans are unavailable: the file and what to do
        self.scroll = QScrollArea()  # the plan tab's minimum width must not set the window's
        self.scroll.setWidget(self._placeholder)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

    def open_store(self, user_conn: sqlite3.Connection | None) -> None:
        """Open the plan store on the user's database (None: plans are unavailable)."""
        if user_conn is not None and self.store is None:
            from app.plan.plans import PlanStore

            self.store = PlanStore(user_conn)

    def set_loaded(self) -> None:
        self.loading = False
        self.retranslate()
        self.update_count()

    def schedule_build(self) -> None:
        """Build the plan tab shortly (after the first paint), unless it is built."""
        if self.widget is None and not self._shut_down:
            self._timer.start()

    def shutdown(self) -> None:
        self._shut_down = True
        self._timer.stop()

    def ensure_widget(self) -> PlanView | PlanBasket | None:
        """Build the plan tab now if it is not built yet (PlanView, else a basket list); returns it or None."""
        if self.widget is not None or self.store is None or self._shut_down:
            return self.widget
        remembered = self.current_plan()
        view: PlanView | PlanBasket
        try:
            from app.ui.plan_view import PlanView

            view = PlanView(self.store, self._db, self)
            if remembered:
                view.set_current_plan(remembered)
        except Exception:  # noqa: BLE001 - the plan tab must not keep the catalog from opening
            log.exception("plan view failed; using the basket list")
            from app.ui.plan_basket import PlanBasket

            view = PlanBasket(self.store, self._db, self.current_plan, self)
        self.widget = view
        view.planChanged.connect(self._changed_elsewhere)
        view.statusMessage.connect(self.statusMessage)
        self.scroll.setWidget(view)
        self._placeholder = None
        self.update_count()
        return view

    def _db(self) -> CatalogDB:
        db = self._db_provider()
        assert db is not None, "the plan tab is built once the catalog is open"
        return db

    def refresh(self) -> None:
        if self.widget is not None:
            self.widget.refresh()

    # -- the current plan
    def current_plan(self) -> str:
        """The plan that 'add to plan' fills ('' while there is none): the plan tab's current plan,
        else the one remembered from last time, else the first plan."""
        if self.store is None:
            return ""
        if self.widget is not None:
            return str(self.widget.current_plan() or "")
        name = settings.store().current_plan()
        if name and self.store.exists(name):
            return name
        plans = self.store.list_plans()
        return plans[0].name if plans else ""

    def _remember(self, name: str) -> None:
        if self.store is not None and name:
            settings.store().set_current_plan(name)

    def use_plan(self, name: str) -> None:
        """Make `name` the plan that 'add to plan' fills and the plan tab shows."""
        if self.store is None or not self.store.exists(name):
            return
        self._remember(name)
        view = self.ensure_widget()
        if view is not None:
            view.set_current_plan(name)
        self.update_count()

    def plan_count(self) -> int:
        if self.store is None:
            return 0
        name = self.current_plan()
        return len(self.store.service_ids(name)) if name else 0

    def plan_ids(self) -> list[str]:
        """The services of the current plan."""
        name = self.current_plan() if self.store is not None else ""
        return self.store.service_ids(name) if self.store is not None and name else []

    def add_services(self, service_ids: list[str]) -> int:
        """Add services to the current plan (undoable in the plan tab); returns how many were new."""
        ids = [i for i in service_ids if i]
        if self.store is None or not ids:
            return 0
        view = self.ensure_widget()
        if view is None:
            return 0
        added = int(view.add_services(ids))  # creates a plan if there is none
        name = self.current_plan()
        self._remember(name)
        self.update_count()
        if added:
            self.statusMessage.emit(tr_args(self.tr("Added %1 to “%2”"), added, name))
        else:
            self.statusMessage.emit(tr_args(self.tr("Already in “%1”"), name))
        return added

    def _changed_elsewhere(self, *_args: object) -> None:
        self._remember(self.current_plan())
        self.update_count()

    def update_count(self) -> None:
        self.countChanged.emit(self.plan_count())

    def set_unavailable(self, reason: str) -> None:
        self.unavailable = reason
        self.retranslate()

    def retranslate(self) -> None:
        if self._placeholder is not None:
            unavailable = self.tr("Plans are not available.") + ("\n\n" + self.unavailable if self.unavailable else "")
            self._placeholder.setText(unavailable if self.store is None and not self.loading else self.tr("Loading…"))
