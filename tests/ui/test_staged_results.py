"""Search as you type shows a result in two steps (app.ui.search_controller): the first SCREEN_ROWS
rows, then every row, the facets, the map and the counts. What the user ends up seeing must be the
one-step result; these tests type into the real window over the bundled catalog."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.search.query import parse
from app.ui.models import IdRole, KindRole, ResultsModel
from app.ui.search_controller import SCREEN_ROWS
from tests.ui.conftest import type_text, wait_for_query

MANY = "サービス"  # more hits than SCREEN_ROWS in the bundled catalog


def _facet_counts(facets: dict) -> dict:  # type: ignore[type-arg]
    return {k: [(v.value, v.count, [(c.value, c.count) for c in v.children]) for v in vals] for k, vals in facets.items()}


def _shown_ids(win) -> list[str]:  # type: ignore[no-untyped-def]
    proxy = win.search.proxy
    return [proxy.index(r, 0).data(IdRole) for r in range(proxy.rowCount())]


def test_typed_query_shows_first_rows_then_every_row_and_the_right_facets(qtbot, window) -> None:
    win = window
    ctl = win.search.controller
    at_rows: list[int] = []  # rows in the table when the first step arrived
    ctl.resultReady.connect(lambda r: at_rows.append(win.search.results_model.rowCount()))
    win.search.query_bar.edit.setFocus()
    type_text(win.search.query_bar.edit, MANY)
    with qtbot.waitSignal(win.queryApplied, timeout=10_000):
        ctl.flush()
    wait_for_query(qtbot, win, MANY)
    full = win.engine.search(MANY, limit=ctl.limit, with_facets=True, synonyms=ctl.synonyms)
    assert full.total > SCREEN_ROWS
    assert SCREEN_ROWS in at_rows  # the table was updated with the first rows before the rest was made
    # in the end: every row, in the engine's order, with the one-step result's facets and counts
    assert _shown_ids(win) == [h.id for h in full.hits]
    assert win.search.results_model.rowCount() == len(full.hits) == min(full.total, ctl.limit)
    assert _facet_counts(win.search.last_result.facets) == _facet_counts(full.facets)
    idx = win.search.facet_model.value_index("分野", full.facets["field"][0].value)
    assert int(win.search.facet_model.index(idx.row(), 1, idx.parent()).data()) == full.facets["field"][0].count
    assert str(full.total) in win.search.results_title.text()
    services = sum(1 for h in full.hits if h.kind == "service")
    assert str(services) in win.count_label.text()


def test_rows_sorted_by_another_column_come_whole(qtbot, window) -> None:
    """Sorted by name, a result's first rows are not the rows shown first: the table waits for all of them."""
    win = window
    win.search.table.sortByColumn(ResultsModel.COL_NAME, Qt.SortOrder.AscendingOrder)
    counts: list[int] = []
    win.search.controller.resultReady.connect(lambda r: counts.append(win.search.results_model.rowCount()))
    win.set_query(MANY, immediate=False)
    with qtbot.waitSignal(win.queryApplied, timeout=10_000):
        win.search.controller.flush()
    wait_for_query(qtbot, win, MANY)
    full = win.engine.search(MANY, limit=win.search.controller.limit)
    assert SCREEN_ROWS not in counts  # no table of only the first rows (they would be reordered a moment later)
    assert win.search.proxy.rowCount() == len(full.hits)
    assert sorted(_shown_ids(win)) == sorted(h.id for h in full.hits)


def test_selected_row_beyond_the_first_rows_stays_selected(qtbot, window) -> None:
    win = window
    win.set_query(MANY)
    wait_for_query(qtbot, win, MANY)
    qtbot.waitUntil(lambda: win.search.results_model.rowCount() > SCREEN_ROWS + 10, timeout=10_000)
    row = SCREEN_ROWS + 10
    chosen = win.search.proxy.index(row, 0).data(IdRole)
    win.search.select_row(row)
    assert win.search.selected_id() == chosen
    win.search.set_query(f"{MANY} ", immediate=False)  # the same hits again, typed: the first step does not hold it
    with qtbot.waitSignal(win.queryApplied, timeout=10_000):
        win.search.controller.flush()
    assert win.search.selected_id() == chosen


def test_kind_filter_keeps_one_kind(qtbot, window) -> None:
    win = window
    win.set_query(MANY)
    wait_for_query(qtbot, win, MANY)
    proxy = win.search.proxy
    kinds = {h.kind for h in win.search.last_result.hits}
    assert kinds == {"service", "architecture"}
    for kind in ("service", "architecture"):
        proxy.set_kind(kind)
        assert proxy.rowCount() == sum(1 for h in win.search.last_result.hits if h.kind == kind)
        assert {proxy.index(r, 0).data(KindRole) for r in range(proxy.rowCount())} == {kind}
    proxy.set_kind("")
    assert proxy.rowCount() == len(win.search.last_result.hits)
    assert parse(win.query_text()).to_text() == MANY


def test_a_keystroke_waiting_for_the_debounce_skips_the_rest_of_the_shown_result(qtbot) -> None:
    """The rows of "a" are shown; "b" is typed before "a" is completed: "a" is not completed (its
    facets and other rows would be replaced a moment later), "b" is."""
    import threading
    from types import SimpleNamespace

    from app.ui.search_controller import SearchController

    class Staged:
        def __init__(self) -> None:
            self.completed: list[str] = []
            self.searched = threading.Event()

        def search(self, text: str, **_kw: object) -> object:
            self.searched.set()
            return SimpleNamespace(query=parse(text), hits=[], facets={}, total=0, message=None, pending=None, rest=lambda: None)

        def complete(self, result: SimpleNamespace) -> object:
            self.completed.append(result.query.to_text())
            result.rest = None
            return result

    engine = Staged()
    ctl = SearchController(engine, debounce_ms=60_000)  # type: ignore[arg-type]
    rows: list[str] = []
    done: list[str] = []
    ctl.resultReady.connect(lambda r: rows.append(r.query.to_text()))
    ctl.resultCompleted.connect(lambda r: done.append(r.query.to_text()))
    ctl.run_now("a")
    assert engine.searched.wait(10)
    ctl.request("b")  # typed while the rows of "a" are on their way
    qtbot.waitUntil(lambda: rows == ["a"], timeout=10_000)
    assert ctl.wait_idle(10_000)
    qtbot.wait(20)
    assert engine.completed == [] and done == []
    ctl.flush()  # the debounce fires: "b" is searched and completed
    qtbot.waitUntil(lambda: done == ["b"], timeout=10_000)
    assert engine.completed == ["b"] and rows == ["a", "b"]
    ctl.shutdown()
