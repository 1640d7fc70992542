"""The main window's actions and menus, guided tour steps, presenter mode, zoom, theme, dialogs and
saved window state.

WindowActions is a mixin of MainWindow; its strings are translated in the "MainWindow" context.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QPoint, Qt
from PySide6.QtGui import QAction, QActionGroup, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMenu

from app.ui import i18n
from app.ui.main_tabs import TAB_ARCH, TAB_CATALOG
from app.ui.models import ResultsModel
from app.ui.theme import ZOOM_STEP, Theme, apply_theme, scaled_font

translate = QCoreApplication.translate


class WindowActions:
    """MainWindow's shortcuts, menus, tour, view settings and window state."""

    def _build_actions(self) -> None:
        def act(slot: Any, *keys: QKeySequence | QKeySequence.StandardKey | str, checkable: bool = False) -> QAction:
            a = QAction(self)
            if keys:
                a.setShortcuts([QKeySequence(k) for k in keys])
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.setCheckable(checkable)
            (a.toggled if checkable else a.triggered).connect(slot)
            self.addAction(a)
            return a

        self.act_focus = act(self.focus_query, "Ctrl+F", "Ctrl+L")
        self.act_add = act(self.add_selected_to_plan, "Ctrl+D")
        self.act_fullscreen = act(self.set_full_screen, "F11", checkable=True)
        self.act_presenter = act(self.set_presenter_mode, "F5", checkable=True)
        self.act_contrast = act(self.set_high_contrast, "Ctrl+Shift+H", checkable=True)
        self.act_zoom_in = act(lambda: self.set_zoom(Theme.zoom + ZOOM_STEP), "Ctrl+=", "Ctrl++", QKeySequence.StandardKey.ZoomIn)
        self.act_zoom_out = act(lambda: self.set_zoom(Theme.zoom - ZOOM_STEP), "Ctrl+-", QKeySequence.StandardKey.ZoomOut)
        self.act_zoom_reset = act(lambda: self.set_zoom(1.0), "Ctrl+0")
        self.act_tour = act(self.start_tour, "F1")
        self.act_settings = act(self.open_settings, "Ctrl+,")
        self.act_about = act(self.about)
        self.act_quit = act(self.close, QKeySequence.StandardKey.Quit)
        self.act_tab = [act(lambda _=False, i=i: self.tabs.setCurrentIndex(i), f"Ctrl+{i + 1}") for i in range(3)]
        self.act_lang = QActionGroup(self)
        self.act_lang_ja = QAction("日本語", self, checkable=True)
        self.act_lang_en = QAction("English", self, checkable=True)
        for a, code in ((self.act_lang_ja, "ja"), (self.act_lang_en, "en")):
            a.setData(code)
            self.act_lang.addAction(a)
            a.triggered.connect(lambda _=False, c=code: self.set_language(c))
        self.esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.esc.setContext(Qt.ShortcutContext.WindowShortcut)
        self.esc.activated.connect(self._escape)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        self.menu_file = mb.addMenu("")
        self.menu_file.addAction(self.act_settings)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_view = mb.addMenu("")
        for a in self.act_tab:
            self.menu_view.addAction(a)
        self.menu_view.addSeparator()
        for a in (self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset):
            self.menu_view.addAction(a)
        self.menu_view.addSeparator()
        for a in (self.act_contrast, self.act_fullscreen, self.act_presenter):
            self.menu_view.addAction(a)
        self.menu_lang = self.menu_view.addMenu("")
        self.menu_lang.addAction(self.act_lang_ja)
        self.menu_lang.addAction(self.act_lang_en)
        self.menu_plan = mb.addMenu("")
        self.menu_plan.addAction(self.act_add)
        self.menu_help = mb.addMenu("")
        self.menu_help.addAction(self.act_tour)
        self.menu_help.addAction(self.act_focus)
        self.menu_help.addSeparator()
        self.menu_help.addAction(self.act_about)

    def _tour_steps(self) -> list[Any]:
        from app.ui.tour import TourStep

        def go(tab: int) -> Any:
            return lambda: self.tabs.setCurrentIndex(tab)

        def with_detail() -> None:
            self.tabs.setCurrentIndex(TAB_CATALOG)
            if not self.detail.current_id and self.proxy.rowCount():
                self.select_row(0)

        return [
            TourStep(lambda: self.query_bar, lambda: translate("MainWindow", "1. Search"),
                     lambda: translate("MainWindow", "Type what you are looking for, e.g. オンデマンド or マイナンバーカード. Results update as you type. "
                                     "Filters such as 分野:公共交通 appear as chips; remove a chip to widen the search."),
                     go(TAB_CATALOG)),
            TourStep(lambda: self.facet_view, lambda: translate("MainWindow", "2. Refine"),
                     lambda: translate("MainWindow", "Counts per field, prefecture, SCRA layer and more. Click a value to add it to the query."),
                     go(TAB_CATALOG)),
            TourStep(lambda: self.detail, lambda: translate("MainWindow", "3. Details"),
                     lambda: translate("MainWindow", "Pick a result to see its facts, sources and how it maps onto the SCRA — "
                                     "with a badge telling sourced facts from editorial judgement."),
                     with_detail),
            TourStep(lambda: self.arch, lambda: translate("MainWindow", "4. Architecture"),
                     lambda: translate("MainWindow", "The SCRA figure with the number of catalog entries per function. Click a box to list its "
                                     "services; the selected service's boxes are highlighted."),
                     go(TAB_ARCH)),
            TourStep(lambda: self.plan_button, lambda: translate("MainWindow", "5. Plan"),
                     lambda: translate("MainWindow", "Press Enter on a result, use “Add to plan”, or drag results onto the Plan tab. "
                                     "The counter shows how many services your plan holds."),
                     go(TAB_CATALOG)),
        ]
    def focus_query(self) -> None:
        self.query_bar.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_bar.edit.selectAll()

    def _escape(self) -> None:
        if self._tour is not None and self._tour.isVisible():
            self.tour.stop()
            return
        if self.query_bar.completer.popup().isVisible():
            self.query_bar.completer.popup().hide()
            return
        self.set_query("")
        self.focus_query()
    def set_zoom(self, zoom: float) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, zoom=zoom)
        self._apply_font_metrics()
        self.statusBar().showMessage(translate("MainWindow", "Text size %1%").replace("%1", str(round(Theme.zoom * 100))), 2000)

    def set_high_contrast(self, on: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, high_contrast=on)
        if self.act_contrast.isChecked() != on:
            self.act_contrast.setChecked(on)
        self._apply_font_metrics()
        if self.arch is not None:
            self.arch.rebuild()
        self.results_model.retranslate()
        if self.detail.current_id:
            self.detail.show_entry(self.detail.current_kind, self.detail.current_id)

    def _apply_font_metrics(self) -> None:
        fm = QFontMetrics(QApplication.font())
        line = fm.lineSpacing()
        self.table.verticalHeader().setDefaultSectionSize(int(line * 2 + 14))
        self.arch_list.verticalHeader().setDefaultSectionSize(int(line + 14))
        self.table.setIconSize(self.table.iconSize().__class__(int(line * 1.1), int(line * 1.1)))
        hh = self.table.horizontalHeader()
        em = fm.horizontalAdvance("あ")
        hh.resizeSection(ResultsModel.COL_KIND, int(em * 9.5))
        hh.resizeSection(ResultsModel.COL_NAME, int(em * 12))
        hh.resizeSection(ResultsModel.COL_PROVIDER, int(em * 9))
        hh.resizeSection(ResultsModel.COL_FIELD, int(em * 8))
        hh.resizeSection(ResultsModel.COL_SCORE, int(em * 4))
        self.app_title.setFont(scaled_font(1.45, bold=True))
        if self.detail.current_id:
            self.detail.show_entry(self.detail.current_kind, self.detail.current_id)
        else:
            self.detail.clear()

    def set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()
        if self.act_fullscreen.isChecked() != on:
            self.act_fullscreen.setChecked(on)

    def set_presenter_mode(self, on: bool) -> None:
        """Large text, full screen, no developer clutter (score column, timings, menu bar)."""
        self.presenter = on
        if self.act_presenter.isChecked() != on:
            self.act_presenter.setChecked(on)
        self.menuBar().setVisible(not on)
        self.dev_label.setVisible(not on)
        if on:
            self._zoom_before_presenter = Theme.zoom
            self.set_zoom(max(Theme.zoom, 1.4))
        else:
            self.set_zoom(getattr(self, "_zoom_before_presenter", 1.0))
        self.set_full_screen(on)

    def start_tour(self) -> None:
        self.tour.start()

    def open_settings(self) -> None:
        from app.ui.dialogs import SettingsDialog

        dlg = SettingsDialog(i18n.current_language(), Theme.zoom, Theme.high_contrast, self)
        dlg.languageChosen.connect(self.set_language)
        dlg.zoomChosen.connect(self.set_zoom)
        dlg.contrastChosen.connect(self.set_high_contrast)
        dlg.exec()

    def about(self) -> None:
        from app.ui.dialogs import show_about

        if self.db is not None:
            show_about(self, self.db.meta(), self.db.stats())

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for col in range(self.results_model.columnCount()):
            a = menu.addAction(str(self.results_model.headerData(col, Qt.Orientation.Horizontal)))
            a.setCheckable(True)
            a.setChecked(not self.table.isColumnHidden(col))
            a.toggled.connect(lambda on, c=col: self.table.setColumnHidden(c, not on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))
    def restore_state(self) -> None:
        s = i18n.settings()
        geo = s.value("window/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.restoreGeometry(geo)
        else:
            self.resize(1500, 940)
        for key, splitter in (("catalog", self.catalog_splitter), ("arch", self.arch_splitter), ("detail", self.detail.splitter)):
            st = s.value(f"splitters/{key}")
            if isinstance(st, QByteArray) and not st.isEmpty():
                splitter.restoreState(st)
        hs = s.value("results/header")
        if isinstance(hs, QByteArray) and not hs.isEmpty():
            self.table.horizontalHeader().restoreState(hs)
        self.tabs.setCurrentIndex(int(s.value("window/tab", TAB_CATALOG) or 0))
        self._arch_edition = int(s.value("arch/edition", 2) or 2)
        if self.arch is not None and self._arch_edition != self.arch.edition:
            self.arch.set_edition(self._arch_edition)
        if str(s.value("theme/high_contrast", "false")).lower() == "true":
            self.set_high_contrast(True)

    def last_query(self) -> str:
        return str(i18n.settings().value("search/last_query", "") or "")

    def save_state(self) -> None:
        s = i18n.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/tab", self.tabs.currentIndex())
        for key, splitter in (("catalog", self.catalog_splitter), ("arch", self.arch_splitter), ("detail", self.detail.splitter)):
            s.setValue(f"splitters/{key}", splitter.saveState())
        s.setValue("results/header", self.table.horizontalHeader().saveState())
        s.setValue("search/last_query", self.query_text())
        s.setValue("arch/edition", self.arch.edition if self.arch is not None else self._arch_edition)
        s.setValue("theme/zoom", Theme.zoom)
        s.setValue("theme/high_contrast", Theme.high_contrast)
        s.sync()
