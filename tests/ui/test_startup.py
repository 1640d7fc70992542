"""Start-up before the catalog is open, and the incremental result/facet models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.search.engine import FacetValue
from tests.conftest import ROOT
from tests.ui.conftest import type_text, wait_for_query


@pytest.mark.slow  # over 10 s of CPU: left out of the fast loop (./dev test -m "not slow")
def test_window_opens_before_the_catalog_and_runs_the_query_typed_meanwhile(qtbot, ui_home: Path) -> None:
    from app.ui.app import create_application, open_session
    from app.ui.main_window import TAB_ARCH, MainWindow

    create_application("ja")
    win = MainWindow(None, None)
    win.persist_state = False
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.firstPainted, timeout=5000):
        pass
    # the real window, empty and loading: no figure, no plan store, nothing searched yet
    assert win.loading and win.engine is None and win.architecture.figure is None
    assert win.statusBar().currentMessage() == "読み込み中…"
    assert win.search.proxy.rowCount() == 0 and win.search.facet_model.rowCount() == 0
    win.search.query_bar.edit.setFocus()
    type_text(win.search.query_bar.edit, "オンデマン")
    win.set_query("オンデマンド", immediate=False)  # the latest request wins
    qtbot.wait(250)  # longer than the debounce: still nothing to search with
    assert win.search.last_result is None

    session = open_session()
    try:
        with qtbot.waitSignal(win.catalogReady, timeout=5000):
            win.attach(session.db, session.engine, session.user_conn)
        wait_for_query(qtbot, win, "オンデマンド")
        assert not win.loading and win.statusBar().currentMessage() == ""
        assert win.search.proxy.rowCount() > 0 and win.search.facet_model.rowCount() > 0
        assert win.architecture.figure is not None and win.architecture.widget(0) is win.architecture.figure
        assert win.plan_store is not None and win.plan_button.text().startswith("計画: 0")
        win.tabs.setCurrentIndex(TAB_ARCH)
        assert win.architecture.figure.box("data-management") is not None
    finally:
        win.shutdown()
        session.close()


def test_session_loader_opens_the_catalog_off_the_gui_thread(qtbot, ui_home: Path) -> None:
    from app.ui.app import SessionLoader

    loader = SessionLoader()
    with qtbot.waitSignal(loader.ready, timeout=20000) as blocker:
        loader.start()
    session = blocker.args[0]
    try:
        assert session.engine.search("オンデマンド").hits
    finally:
        loader.join()
        session.close()


def test_first_paint_comes_before_whoosh_and_yaml(ui_home: Path) -> None:
    """The modules that the first window needs do not import the search or catalog stacks."""
    code = (
        "import sys\n"
        "from app.ui.app import create_application\n"
        "create_application('ja')\n"
        "from app.ui.main_window import MainWindow\n"
        "w = MainWindow(None, None)\n"
        "heavy = sorted(m for m in ('whoosh', 'yaml', 'sqlite_utils', 'rapidfuzz', 'markdown', 'app.search.engine',\n"
        "               'app.catalog.loader', 'app.ui.architecture_view', 'app.plan.plans', 'datasette', 'uvicorn')\n"
        "               if m in sys.modules)\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_results_are_shown_from_catalog_db_before_the_index_opens(ui_home: Path) -> None:
    """Start-up shows the empty query's rows from catalog.db right after the first paint, without
    importing the search stack (Whoosh, PyYAML, rapidfuzz) that the worker thread loads afterwards."""
    code = (
        "import sys\n"
        "from app.ui.app import create_application, show_browse_list\n"
        "create_application('ja')\n"
        "from app.ui.main_window import MainWindow\n"
        "w = MainWindow(None, None)\n"
        "w.show()\n"
        "shown = show_browse_list(w)\n"
        "heavy = sorted(m for m in ('whoosh', 'yaml', 'rapidfuzz', 'markdown', 'app.search.engine', 'app.search.index',\n"
        "               'app.catalog.loader', 'app.plan.plans') if m in sys.modules)\n"
        "print(shown, w.search.proxy.rowCount(), w.engine is None, heavy, w.search.results_title.text(), sep='|')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    shown, rows, no_engine, heavy, title = out.stdout.strip().splitlines()[-1].split("|")
    assert (shown, no_engine, heavy) == ("True", "True", "[]")
    assert int(rows) > 300 and title.startswith(f"{rows} 件")


def test_browse_rows_give_way_to_a_query_and_to_the_engine(qtbot, ui_home: Path) -> None:
    from app.ui.app import create_application, open_session, show_browse_list
    from app.ui.main_window import MainWindow

    create_application("ja")
    win = MainWindow(None, None)
    win.persist_state = False
    qtbot.addWidget(win)
    win.show()
    win.search.query_bar.set_text("オンデマンド")  # typed before the first paint: that query is what counts
    assert not show_browse_list(win) and win.search.proxy.rowCount() == 0
    win.set_query("")  # as run_gui does with the restored query: it runs once the engine is there
    assert show_browse_list(win)
    shown = [win.search.proxy.index(r, 1).data() for r in range(win.search.proxy.rowCount())]
    assert shown and win.search.last_result is None and win.search.facet_model.rowCount() == 0
    session = open_session()
    try:
        with qtbot.waitSignal(win.queryApplied, timeout=10000):
            win.attach(session.db, session.engine, session.user_conn)
        # the engine's answer to the empty query: the same rows, now with facets
        assert [win.search.proxy.index(r, 1).data() for r in range(win.search.proxy.rowCount())] == shown
        assert win.search.facet_model.rowCount() > 0
    finally:
        win.shutdown()
        session.close()


def test_content_hash_needs_no_yaml() -> None:
    code = "import sys\nfrom app.build import ensure_built\nfrom app.catalog.hashing import content_hash\nprint('yaml' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"


def _fv(field: str, value: str, count: int, selected: bool = False) -> FacetValue:
    return FacetValue(value=value, label=value, count=count, query_text=f"{field}:{value}", selected=selected, field=field)


def _dump(model) -> list[tuple[str, list[tuple[str, str, object]]]]:  # type: ignore[no-untyped-def]
    out = []
    for r in range(model.rowCount()):
        parent = model.index(r, 0)
        assert model.parent(parent) == QModelIndex()
        rows = []
        for c in range(model.rowCount(parent)):
            idx = model.index(c, 0, parent)
            assert model.parent(idx) == parent
            rows.append((idx.data(), model.index(c, 1, parent).data(), idx.data(Qt.ItemDataRole.CheckStateRole)))
        out.append((parent.data(Qt.ItemDataRole.UserRole + 6), rows))
    return out


def test_facet_model_updates_in_place_like_a_fresh_model(qtbot) -> None:
    from PySide6.QtWidgets import QTreeView

    from app.ui.facet_model import FacetModel

    steps = [
        {"target": [_fv("対象", "サービス", 9)], "field": [_fv("分野", "公共交通", 5), _fv("分野", "防災", 4)], "type": []},
        {"target": [_fv("対象", "サービス", 3)], "field": [_fv("分野", "公共交通", 3, True)], "type": [_fv("タイプ", "TYPE1", 1)]},
        {"target": [], "field": [_fv("分野", "防災", 2), _fv("分野", "教育", 1), _fv("分野", "観光", 1)], "type": []},
        {"target": [_fv("対象", "サービス", 7)], "field": [], "type": [_fv("タイプ", "TYPE1", 1), _fv("タイプ", "TYPE2/3", 2)]},
        {"target": [], "field": [], "type": []},
        {"target": [_fv("対象", "サービス", 1)], "field": [_fv("分野", "防災", 1)], "type": [_fv("タイプ", "TYPE1", 1)]},
    ]
    model = FacetModel()
    view = QTreeView()
    view.setModel(model)
    qtbot.addWidget(view)
    for facets in steps:
        model.set_facets(facets)
        fresh = FacetModel()
        fresh.set_facets(facets)
        assert _dump(model) == _dump(fresh)
        for r in range(model.rowCount()):  # the view can map every index back (persistent indexes stay valid)
            view.setExpanded(model.index(r, 0), True)
        assert model.value_index("分野", "防災").isValid() == any(v.value == "防災" for v in facets["field"])
    # the expanded state of a field survives a result that changes only its values
    model.set_facets(steps[0])
    view.setExpanded(model.index(1, 0), False)
    model.set_facets({**steps[0], "field": [_fv("分野", "公共交通", 1)]})
    assert view.isExpanded(model.index(0, 0)) and not view.isExpanded(model.index(1, 0))


def test_snippet_markup_becomes_text_and_spans() -> None:
    from app.ui.models import _marked_text

    assert _marked_text("plain") == ("plain", ())
    assert _marked_text("a &amp; <b>b</b>c<b>dd</b>") == ("a & bcdd", ((4, 1), (6, 2)))
    assert _marked_text("<b>x &lt;y&gt;</b>") == ("x <y>", ((0, 5),))


def test_results_in_score_order_without_resorting(qtbot, window) -> None:
    from app.ui.models import ResultsModel

    win = window
    win.set_query("交通")
    wait_for_query(qtbot, win, "交通")
    hits = win.search.last_result.hits
    shown = [win.search.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(win.search.proxy.rowCount())]
    assert shown == [h.id for h in hits]
    assert win.search.proxy.sortColumn() == ResultsModel.COL_SCORE and win.search.proxy.sortOrder() == Qt.SortOrder.DescendingOrder
    win.search.table.sortByColumn(ResultsModel.COL_SCORE, Qt.SortOrder.AscendingOrder)
    scores = [win.search.proxy.index(r, ResultsModel.COL_SCORE).data(Qt.ItemDataRole.UserRole + 3) for r in range(win.search.proxy.rowCount())]
    assert scores == sorted(scores)
    win.search.table.sortByColumn(ResultsModel.COL_SCORE, Qt.SortOrder.DescendingOrder)
    assert [win.search.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(win.search.proxy.rowCount())] == shown


def test_emitting_signals_does_not_use_up_true() -> None:
    """PySide6 6.12 on CPython 3.11 drops a reference from True per emit; app.ui pins True/False."""
    code = (
        "import sys\n"
        "import app.ui\n"
        "from PySide6.QtCore import QObject, Signal\n"
        "class O(QObject):\n"
        "    s = Signal()\n"
        "o = O()\n"
        "for _ in range(5000):\n"
        "    o.s.emit()\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
