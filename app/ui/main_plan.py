"""The main window's plan side: which plan "add to plan" fills, the plan counter, drops onto the plan tab,
and the plan tab built when first needed.

PlanWiring is a mixin of MainWindow; its strings are translated in the "MainWindow" context.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from app.ui.main_tabs import TAB_ARCH, TAB_PLAN
from app.ui.models import SERVICE_MIME

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger("app.ui.main_window")
translate = QCoreApplication.translate
_PLAN_SETTING = "plan.current"


class _PlanDropTarget(QObject):
    """Accepts service drags on the plan tab (tab bar) and on the plan counter."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _on_plan(self, watched: QObject, pos: QPoint) -> bool:
        if watched is self.window.tabs.tabBar():
            return self.window.tabs.tabBar().tabAt(pos) == TAB_PLAN
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        et = event.type()
        if et in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            ev: QDragEnterEvent = event  # type: ignore[assignment]
            if ev.mimeData().hasFormat(SERVICE_MIME) and self._on_plan(watched, ev.position().toPoint()):
                ev.acceptProposedAction()
            else:
                ev.ignore()
            return True
        if et == QEvent.Type.Drop:
            drop: QDropEvent = event  # type: ignore[assignment]
            if drop.mimeData().hasFormat(SERVICE_MIME) and self._on_plan(watched, drop.position().toPoint()):
                ids = bytes(drop.mimeData().data(SERVICE_MIME).data()).decode("utf-8").split()
                self.window.add_to_plan(ids)
                drop.acceptProposedAction()
            return True
        return False


class PlanWiring:
    """MainWindow's plan: the current plan, adding services, the counter, building the plan tab."""

    def ensure_plan_widget(self) -> Any:
        """Build the plan tab now if it is not built yet (PlanView, else a basket list); returns it or None."""
        if self.plan_widget is not None or self.plan_store is None or self._shut_down:
            return self.plan_widget
        remembered = self.current_plan()
        try:
            from app.ui.plan_view import PlanView

            view = PlanView(self.plan_store, lambda: self.db, self)
        except ImportError:
            from app.ui.plan_basket import PlanBasket

            view = PlanBasket(self.plan_store, lambda: self.db, self.current_plan, self)
        except Exception:  # noqa: BLE001 - the plan tab must not keep the catalog from opening
            log.exception("plan view failed; using the basket list")
            from app.ui.plan_basket import PlanBasket

            view = PlanBasket(self.plan_store, lambda: self.db, self.current_plan, self)
        self.plan_widget = view
        if remembered and callable(getattr(view, "set_current_plan", None)):
            view.set_current_plan(remembered)
        if hasattr(view, "planChanged"):
            view.planChanged.connect(self._plan_changed_elsewhere)
        if hasattr(view, "statusMessage"):
            view.statusMessage.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.plan_scroll.setWidget(view)
        self._plan_placeholder = None
        self._update_plan_counter()
        return view
    def current_plan(self) -> str:
        """The plan that 'add to plan' fills ('' while there is none): the plan tab's current plan,
        else the one remembered from last time, else the first plan."""
        if self.plan_store is None:
            return ""
        widget = self.plan_widget
        if widget is not None and callable(getattr(widget, "current_plan", None)):
            return str(widget.current_plan() or "")
        from app import userdb

        name = userdb.get_setting(self.user_conn, _PLAN_SETTING, "")
        if name and self.plan_store.exists(name):
            return name
        plans = self.plan_store.list_plans()
        return plans[0].name if plans else ""

    def _remember_plan(self, name: str) -> None:
        if self.plan_store is not None and name:
            from app import userdb

            userdb.set_setting(self.user_conn, _PLAN_SETTING, name)

    def use_plan(self, name: str) -> None:
        """Make `name` the plan that 'add to plan' fills and the plan tab shows."""
        if self.plan_store is None or not self.plan_store.exists(name):
            return
        self._remember_plan(name)
        view = self.ensure_plan_widget()
        if callable(getattr(view, "set_current_plan", None)):
            view.set_current_plan(name)
        elif hasattr(view, "refresh"):
            view.refresh()
        self._update_plan_counter()

    def plan_count(self) -> int:
        if self.plan_store is None:
            return 0
        name = self.current_plan()
        return len(self.plan_store.service_ids(name)) if name else 0

    def add_to_plan(self, service_ids: list[str]) -> int:
        """Add services to the current plan (undoable in the plan tab); returns how many were new."""
        ids = [i for i in service_ids if i]
        if self.plan_store is None or not ids:
            return 0
        view = self.ensure_plan_widget()
        if callable(getattr(view, "add_services", None)):
            added = int(view.add_services(ids))  # creates a plan if there is none
        else:
            from app.plan.plans import add_services

            name = self.current_plan()
            if not name:
                name = translate("MainWindow", "My plan")
                self.plan_store.create(name)
                self._remember_plan(name)
            added, _unknown = add_services(self.plan_store, self.db, name, ids)
            view.refresh()
        name = self.current_plan()
        self._remember_plan(name)
        self._update_plan_counter()
        if added:
            self.statusBar().showMessage(translate("MainWindow", "Added %1 to “%2”").replace("%1", str(added)).replace("%2", name), 4000)
        else:
            self.statusBar().showMessage(translate("MainWindow", "Already in “%1”").replace("%1", name), 4000)
        return added

    def add_selected_to_plan(self) -> None:
        view = self.arch_list if self.tabs.currentIndex() == TAB_ARCH else self.table
        ids = self.selected_service_ids(view)
        if not ids and self.detail.current_kind == "service" and self.detail.current_id:
            ids = [self.detail.current_id]
        self.add_to_plan(ids)

    def _add_arch_selection(self) -> None:
        self.add_to_plan(self.selected_service_ids(self.arch_list))

    def _plan_changed_elsewhere(self, *_args: Any) -> None:
        self._remember_plan(self.current_plan())
        self._update_plan_counter()

    def _update_plan_counter(self) -> None:
        n = self.plan_count()
        if self.loading and self.plan_store is None:  # the plan store opens with the catalog
            self.plan_button.setText(translate("MainWindow", "Plan: %1").replace("%1", "…"))
            self.plan_status.setText(translate("MainWindow", "%1 in plan").replace("%1", "…"))
            return
        self.plan_button.setText(translate("MainWindow", "Plan: %1").replace("%1", str(n)))
        self.plan_button.setToolTip(translate("MainWindow", "Services in “%1” — click to open, or drop results here").replace(
            "%1", self.current_plan()))
        self.plan_status.setText(translate("MainWindow", "%1 in plan").replace("%1", str(n)))
        self.planCountChanged.emit(n)


    def _tab_changed(self, index: int) -> None:
        if index == TAB_PLAN:
            built = self.plan_widget is not None
            view = self.ensure_plan_widget()
            if built and hasattr(view, "refresh"):
                view.refresh()
