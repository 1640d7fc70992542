"""Main window with real widgets on the real (bundled) catalog, offscreen."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.search.query import parse
from app.ui.jp_text import plain
from app.ui.main_window import TAB_ARCH, TAB_CATALOG, TAB_PLAN
from app.ui.models import IdRole, KindRole, ResultsModel
from app.ui.search_controller import SearchController
from tests.ui.conftest import type_text, wait_for_query


def test_typing_a_query_fills_the_table(qtbot, window) -> None:
    win = window
    win.search.query_bar.edit.setFocus()
    win.search.query_bar.edit.clear()
    type_text(win.search.query_bar.edit, "オンデマンド")
    wait_for_query(qtbot, win, "オンデマンド")
    rows = win.search.proxy.rowCount()
    assert rows > 0
    assert rows == len(win.search.last_result.hits)
    names = [win.search.proxy.index(r, ResultsModel.COL_NAME).data() for r in range(rows)]
    assert any("オンデマンド" in n for n in names)
    # the snippet column carries the engine's <b> highlight, sanitised
    html = [win.search.proxy.index(r, ResultsModel.COL_SNIPPET).data(Qt.ItemDataRole.UserRole + 4) for r in range(rows)]
    assert any("<b>" in h for h in html)
    # one chip mirrors the parsed query
    assert [c.term.value for c in win.search.query_bar.chips] == ["オンデマンド"]


def test_rows_beyond_the_first_screen_get_their_snippets_after_the_result(qtbot, window) -> None:
    from app.ui.search_controller import SCREEN_SNIPPETS

    win = window
    with qtbot.waitSignal(win.search.controller.highlighted, timeout=10_000):
        win.set_query("アプリ")
    hits = win.search.last_result.hits
    assert len(hits) > SCREEN_SNIPPETS + 10 and all(h.snippet for h in hits)
    col = ResultsModel.COL_SNIPPET
    late = [win.search.results_model.index(r, col).data(Qt.ItemDataRole.UserRole + 4) for r in range(SCREEN_SNIPPETS, len(hits))]
    assert sum("<b>" in h for h in late) > 5  # highlighted like the first screen's rows, and shown by the model


def test_debounce_runs_one_search_for_a_burst_of_keys(qtbot, window) -> None:
    win = window
    start_gen = win.search.controller.generation
    win.search.query_bar.edit.setFocus()
    type_text(win.search.query_bar.edit, "マイナンバー")
    wait_for_query(qtbot, win, "マイナンバー")
    assert win.search.controller.generation - start_gen <= 2  # not one search per keystroke


def test_stale_result_never_overwrites_a_newer_one(qtbot) -> None:
    """The old query's answer arrives after the new query was asked for: it reaches the controller and is dropped."""

    class HeldFirst:
        """Holds the answer to "old" until released; answers anything else at once."""

        def __init__(self) -> None:
            self.started = threading.Event()
            self.release = threading.Event()

        def search(self, text: str, limit: int = 100, with_facets: bool = True, synonyms: bool | None = None,
                   snippets: int | None = None, rows: int | None = None) -> object:
            if text == "old":
                self.started.set()
                assert self.release.wait(10), "the test never released the old search"
            return type("R", (), {"query": parse(text), "hits": [], "facets": {}, "total": 0, "message": None})()

    engine = HeldFirst()
    ctl = SearchController(engine, debounce_ms=1)
    arrived: list[int] = []  # generations of every answer the worker delivered, stale or not
    ctl._relay.done.connect(lambda gen, *_rest: arrived.append(gen))
    got: list[str] = []
    ctl.resultReady.connect(lambda r: got.append(r.query.to_text()))
    old_gen = ctl.run_now("old")
    assert engine.started.wait(10)  # the old search is running (and held) on the worker thread
    new_gen = ctl.run_now("new")  # queued behind it on the one-thread pool
    assert new_gen > old_gen
    engine.release.set()  # now the old answer is delivered first, after the newer request
    qtbot.waitUntil(lambda: arrived == [old_gen, new_gen], timeout=10_000)
    assert got == ["new"]  # the stale answer reached the controller and was dropped
    ctl.shutdown()


def test_an_older_generation_delivered_late_is_dropped(qtbot) -> None:
    """The same rule without threads: an answer for an older generation never replaces the shown one."""
    ctl = SearchController(None)
    got: list[str] = []
    ctl.resultReady.connect(lambda r: got.append(r))
    ctl.generation = 7
    ctl._on_done(7, "seven", "", 1.0)
    ctl._on_done(6, "six", "", 1.0)
    assert got == ["seven"]


def test_facet_click_writes_query_text_and_updates_counts(qtbot, window) -> None:
    win = window
    win.set_query("オンデマンド")
    wait_for_query(qtbot, win, "オンデマンド")
    before_total = win.search.last_result.total
    idx = win.search.facet_model.value_index("分野", "公共交通")
    assert idx.isValid()
    facet_count = int(win.search.facet_model.index(idx.row(), 1, idx.parent()).data())
    view_idx = idx
    rect = win.search.facet_view.visualRect(view_idx)
    assert rect.isValid()
    qtbot.mouseClick(win.search.facet_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    expected = parse("オンデマンド").with_filter("分野", "公共交通").to_text()
    wait_for_query(qtbot, win, expected)
    assert win.query_text() == expected == "オンデマンド 分野:公共交通"
    assert win.search.last_result.total == facet_count <= before_total
    # the value is now shown as selected, and a second click removes it again
    idx = win.search.facet_model.value_index("分野", "公共交通")
    assert idx.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    qtbot.mouseClick(win.search.facet_view.viewport(), Qt.MouseButton.LeftButton, pos=win.search.facet_view.visualRect(idx).center())
    wait_for_query(qtbot, win, "オンデマンド")
    assert win.search.last_result.total == before_total


def test_chip_removal_edits_the_query(qtbot, window) -> None:
    win = window
    win.set_query("オンデマンド 分野:公共交通")
    wait_for_query(qtbot, win, "オンデマンド 分野:公共交通")
    chips = {c.term.field: c for c in win.search.query_bar.chips}
    assert set(chips) == {None, "分野"}
    qtbot.mouseClick(chips["分野"].close_button, Qt.MouseButton.LeftButton)
    wait_for_query(qtbot, win, "オンデマンド")
    assert win.query_text() == "オンデマンド"


def test_chips_show_how_a_compound_was_read_and_partial_matches(qtbot, window) -> None:
    win = window
    win.set_query("子育て支援アプリ")
    wait_for_query(qtbot, win, "子育て支援アプリ")
    chip = win.search.query_bar.chips[0]
    assert chip.parts == ["子育て", "支援", "アプリ"]
    assert "子育て · 支援 · アプリ" in chip.label.text()
    assert "子育て | 支援 | アプリ" in chip.toolTip()
    assert win.search.query_bar.partial_chip.isHidden()
    assert win.search.results_model.rowCount() > 0

    win.set_query("住民票コンビニ交付ゴルフ場")  # no entry has ゴルフ場: the closest ones, and the chip says so
    wait_for_query(qtbot, win, "住民票コンビニ交付ゴルフ場")
    bar = win.search.query_bar
    assert not bar.partial_chip.isHidden()
    assert bar.partial_chip.text().startswith("一部の語に一致")
    assert "住民票" in bar.partial_chip.text() and "ゴルフ場" in bar.partial_chip.toolTip()
    assert win.search.results_model.rowCount() > 0
    win.set_language("en")
    assert bar.partial_chip.text().startswith("Partial match")
    assert "Read as the words" in bar.chips[0].toolTip()
    win.set_language("ja")

    win.set_query("チョイソコ")
    wait_for_query(qtbot, win, "チョイソコ")
    assert bar.partial_chip.isHidden() and bar.chips[0].parts == []


def test_synonym_chip_shows_expansion_and_switches_it_off(qtbot, window) -> None:
    from app.ui import settings

    win = window
    bar = win.search.query_bar
    win.set_query("乗合タクシー")
    wait_for_query(qtbot, win, "乗合タクシー")
    chip = bar.synonym_chip
    assert not chip.isHidden() and chip.isChecked() and chip.text() == "類義語を含む"
    assert "オンデマンド交通" in chip.toolTip()
    expanded = win.search.results_model.rowCount()
    assert expanded > 3

    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)  # off: the words as typed only, kept as a setting
    qtbot.waitUntil(lambda: win.search.last_result is not None and not win.search.last_result.synonyms)
    assert win.search.results_model.rowCount() < expanded
    assert not chip.isHidden() and not chip.isChecked() and chip.text() == "類義語なし"
    assert settings.store().use_synonyms() is False
    win.set_language("en")
    assert chip.text() == "Synonyms off"
    win.set_language("ja")

    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)  # and on again
    qtbot.waitUntil(lambda: bool(win.search.last_result is not None and win.search.last_result.synonyms))
    assert win.search.results_model.rowCount() == expanded and settings.store().use_synonyms() is True

    win.set_query("チョイソコ")
    wait_for_query(qtbot, win, "チョイソコ")
    assert chip.isHidden()


def test_selecting_a_row_shows_the_detail(qtbot, window) -> None:
    win = window
    win.set_query("ノッカル")
    wait_for_query(qtbot, win, "ノッカル")
    row = next(r for r in range(win.search.proxy.rowCount()) if win.search.proxy.index(r, 0).data(IdRole) == "nokkar")
    rect = win.search.table.visualRect(win.search.proxy.index(row, ResultsModel.COL_NAME))
    qtbot.mouseClick(win.search.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.detail.current_id == "nokkar"
    assert plain(win.detail.title.text()) == "ノッカル"  # (word joiners keep the word whole when it wraps)
    body = win.detail.body.toPlainText()
    assert "株式会社博報堂" in body and "公共交通" in body
    assert win.detail.mapping_model.rowCount() >= 2
    assert win.detail.sources_model.rowCount() >= 1
    badges = {b[0] for r in range(win.detail.mapping_model.rowCount())
              for b in win.detail.mapping_model.row_data(r)["card"]["badges"]}
    assert badges & {"出典あり", "編集判断"}
    assert badges & {"エントリ記載", "分野の既定"}
    # the architecture highlights the boxes this service covers
    assert "service-management/portal" in win.architecture.figure.covered()
    assert win.architecture.figure.box("service-management/portal").highlighted


def test_architecture_box_click_filters_the_catalog(qtbot, window) -> None:
    win = window
    win.tabs.setCurrentIndex(TAB_ARCH)
    QApplication.processEvents()
    box = win.architecture.figure.box("data-management")
    assert box is not None and box.spec.count and box.spec.count > 0
    view = win.architecture.figure.view
    view.ensureVisible(box.spec.rect)
    pos = view.mapFromScene(box.spec.rect.topLeft() + QPoint(30, 12).toPointF())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    wait_for_query(qtbot, win, "機能:データマネジメント機能群")  # the Japanese name, never the id
    assert "data-management" not in win.statusBar().currentMessage()
    services = [win.architecture.proxy.index(r, 0).data(IdRole) for r in range(win.architecture.proxy.rowCount())]
    assert len(services) == box.spec.count
    assert set(services) == set(win.db.services_for_node("data-management"))
    assert win.architecture.figure.box("data-management").active
    # the other direction: picking a service in the side list highlights its boxes
    win.architecture.list.selectRow(0)
    sid = win.architecture.proxy.index(0, 0).data(IdRole)
    svc = win.db.service(sid)
    for m in svc.scra:
        assert win.architecture.figure.box(m.node).highlighted


def test_first_edition_toggle_uses_maps_to(qtbot, window) -> None:
    win = window
    win.tabs.setCurrentIndex(TAB_ARCH)
    win.architecture.figure.ed1.click()
    assert win.architecture.figure.edition == 1
    ids = win.architecture.figure.box_ids()
    assert "v1/authentication" in ids and "security" not in ids
    box = win.architecture.figure.box("v1/authentication")
    assert box.spec.count == len(win.db.services_for_node("security"))
    q = parse(win.architecture.figure.query_for("v1/service-federation"))
    assert [f.value for f in q.filters("機能")] == [win.db.nodes()["v1/service-federation"].name_ja]
    win.architecture.figure.ed2.click()
    assert "security" in win.architecture.figure.box_ids()


def test_editorial_boxes_are_drawn_differently(window) -> None:
    win = window
    editorial = win.architecture.figure.box("service-management/portal")
    sourced = win.architecture.figure.box("service-management")
    assert editorial.spec.provenance == "editorial" and sourced.spec.provenance == "source"


def test_enter_adds_to_basket_and_counter_updates(qtbot, window) -> None:
    win = window
    assert win.plan_store is not None
    win.set_query("ノッカル")
    wait_for_query(qtbot, win, "ノッカル")
    win.search.table.setFocus()
    win.select_id("nokkar")
    qtbot.keyClick(win.search.table, Qt.Key.Key_Return)
    assert win.plan_count() == 1
    assert "1" in win.plan_button.text()
    win.detail.add_button.click()  # already there: no duplicate
    assert win.plan_count() == 1


def test_language_switch_retranslates_visible_strings(qtbot, window) -> None:
    win = window
    assert win.tabs.tabText(TAB_CATALOG) == "カタログ"
    assert win.detail.add_button.text() == "計画に追加"
    win.set_language("en")
    assert win.tabs.tabText(TAB_CATALOG) == "Catalog"
    assert win.tabs.tabText(TAB_PLAN) == "Plan"
    assert win.detail.add_button.text() == "Add to plan"
    assert win.search.results_model.headerData(ResultsModel.COL_NAME, Qt.Orientation.Horizontal) == "Name"
    assert win.architecture.figure.ed2.text() == "2nd edition (2023)"
    assert win.commands.menus["view"].title() == "&View"
    win.set_language("ja")
    assert win.tabs.tabText(TAB_CATALOG) == "カタログ"
    assert win.search.results_model.headerData(ResultsModel.COL_NAME, Qt.Orientation.Horizontal) == "名称"


def test_escape_clears_and_ctrl_f_focuses(qtbot, window) -> None:
    win = window
    win.set_query("オンデマンド")
    wait_for_query(qtbot, win, "オンデマンド")
    win.search.table.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.search.query_bar.edit.hasFocus()
    qtbot.keyClick(win.search.query_bar.edit, Qt.Key.Key_Escape)
    wait_for_query(qtbot, win, "")
    assert win.query_text() == ""


@pytest.mark.slow  # over 10 s of CPU: left out of the fast loop (./dev test -m "not slow")
def test_zoom_and_presenter_mode(qtbot, window) -> None:
    from app.ui.theme import Theme

    win = window
    size = QApplication.font().pointSizeF()
    qtbot.keyClick(win, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() > size
    for _ in range(20):
        win.set_zoom(Theme.zoom + 0.1)
    assert Theme.zoom == 2.0
    qtbot.keyClick(win, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert abs(QApplication.font().pointSizeF() - size) < 0.01
    win.set_presenter_mode(True)
    assert win.menuBar().isHidden() and win.dev_label.isHidden()
    assert Theme.zoom >= 1.4
    win.set_presenter_mode(False)
    assert not win.menuBar().isHidden()
    win.set_high_contrast(True)
    assert QApplication.palette().window().color().name() == "#000000"
    win.set_high_contrast(False)


def test_guided_tour_walks_search_detail_architecture_basket(qtbot, window) -> None:
    win = window
    win.start_tour()
    assert win.tour.isVisible()
    seen = []
    for _ in range(len(win.tour.steps)):
        seen.append(win.tabs.currentIndex())
        assert not win.tour.target_rect().isNull()
        win.tour.next.click()
    assert not win.tour.isVisible()
    assert TAB_ARCH in seen and 3 <= len(win.tour.steps) <= 6


def test_completer_offers_fields_and_values(qtbot, window) -> None:
    win = window
    qtbot.waitUntil(lambda: win.search.query_bar.completer.string_model.rowCount() > 0, timeout=3000)
    entries = win.search.query_bar.completer.string_model.stringList()
    assert "分野:" in entries and "分野:公共交通" in entries
    win.search.query_bar.edit.setText("ノッカル 分野:公")
    assert win.search.query_bar.completer.splitPath("ノッカル 分野:公") == ["分野:公"]


def test_results_sortable_and_kind_icon(qtbot, window) -> None:
    win = window
    win.set_query("")
    wait_for_query(qtbot, win, "")
    sort_role = Qt.ItemDataRole.UserRole + 3
    scores = [win.search.proxy.index(r, ResultsModel.COL_SCORE).data(sort_role) for r in range(win.search.proxy.rowCount())]
    assert scores == sorted(scores, reverse=True)  # relevance first by default
    win.search.table.sortByColumn(ResultsModel.COL_PROVIDER, Qt.SortOrder.AscendingOrder)
    assert win.search.proxy.sortColumn() == ResultsModel.COL_PROVIDER
    first = win.search.proxy.index(0, ResultsModel.COL_PROVIDER).data()
    win.search.table.sortByColumn(ResultsModel.COL_PROVIDER, Qt.SortOrder.DescendingOrder)
    assert win.search.proxy.index(0, ResultsModel.COL_PROVIDER).data() != first
    kinds = {win.search.proxy.index(r, 0).data(KindRole) for r in range(win.search.proxy.rowCount())}
    assert kinds == {"service", "architecture"}
    assert not win.search.proxy.index(0, ResultsModel.COL_KIND).data(Qt.ItemDataRole.DecorationRole).isNull()


def test_dropping_results_on_the_basket_tab_adds_them(qtbot, window) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    win = window
    assert win.plan_store is not None
    win.set_query("分野:公共交通")
    wait_for_query(qtbot, win, "分野:公共交通")
    rows = [win.search.proxy.mapToSource(win.search.proxy.index(r, 0)) for r in range(2)]
    mime = win.search.results_model.mimeData(rows)
    bar = win.tabs.tabBar()
    pos = QPointF(bar.tabRect(TAB_PLAN).center())
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(pos.toPoint(), *args)  # QPoint here, QPointF for the drop (Qt 6 API)
    QApplication.sendEvent(bar, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(bar, QDropEvent(pos, *args))
    assert win.plan_count() == 2
    assert win.plan_button.text().startswith("計画: 2")


def test_window_state_and_last_query_are_remembered(qtbot, window, ui_home) -> None:
    from app.ui.app import create_main_window
    from app.ui.settings import store

    win = window
    win.set_query("防災")
    wait_for_query(qtbot, win, "防災")
    win.resize(1234, 777)
    win.search.setSizes([200, 600, 434])
    win.save_state()
    ini = ui_home / "machinavi-ui.ini"
    assert ini.exists() and store().file_name() == str(ini)
    from app.ui.app import Session

    again = create_main_window(Session(win.db, win.engine, win.user_conn), restore=True)
    again.persist_state = False
    qtbot.addWidget(again)
    assert again.last_query() == "防災"
    assert store().blob("window/geometry") is not None  # restoreGeometry clamps to the (offscreen) screen
    assert again.search.sizes()[0] == 200
    again.shutdown()
