"""The municipality column, the 都道府県 → 市区町村 facet tree, the town page, the map of Japan and
exporting the results table, in the real main window (offscreen) over the real catalog."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QGuiApplication

from app.search.query import parse
from app.ui.models import ResultsModel
from tests.ui.conftest import wait_for_query


def _row_of(win, sid: str) -> int:  # type: ignore[no-untyped-def]
    src = win.search.results_model.row_of(sid)
    return win.search.proxy.mapFromSource(win.search.results_model.index(src, 0)).row()


def test_results_show_municipality_counts_with_the_full_list_on_hover(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.set_query("オンデマンド交通")
    wait_for_query(qtbot, win, "オンデマンド交通")
    hits = win.search.results_model.hits()
    many = max(hits, key=lambda h: len(h.municipalities))
    assert len(many.municipalities) > 3
    idx = win.search.proxy.index(_row_of(win, many.id), ResultsModel.COL_MUNI)
    assert idx.data().startswith(f"{len(many.municipalities)}: {many.municipalities[0]}")
    assert idx.data().endswith(f"他{len(many.municipalities) - 3}")
    tip = idx.data(Qt.ItemDataRole.ToolTipRole)
    assert all(m in tip for m in many.municipalities)
    assert win.search.results_model.headerData(ResultsModel.COL_MUNI, Qt.Orientation.Horizontal) == "自治体"
    assert not win.search.table.isColumnHidden(ResultsModel.COL_MUNI)


def test_tooltip_escapes_municipality_names() -> None:
    from types import SimpleNamespace

    tip = ResultsModel().muni_tooltip(SimpleNamespace(municipalities=["<b>x</b>"]))
    assert "<b>x" not in tip and "&lt;b&gt;x" in tip


def test_facet_tree_nests_municipalities_with_search_counts(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.set_query("オンデマンド交通")
    wait_for_query(qtbot, win, "オンデマンド交通")
    fm = win.search.facet_model
    pref_row = fm.fields().index("prefecture")
    field_idx = fm.index(pref_row, 0)
    assert fm.rowCount(field_idx) > 3
    checked = 0
    for r in range(fm.rowCount(field_idx)):
        pidx = fm.index(r, 0, field_idx)
        for c in range(fm.rowCount(pidx)):
            cidx = fm.index(c, 0, pidx)
            assert cidx.parent() == pidx
            count = int(fm.index(c, 1, pidx).data())
            res = win.engine.search(f"オンデマンド交通 {cidx.data(Qt.ItemDataRole.UserRole + 5)}", with_facets=False)
            assert res.total == count
            checked += 1
    assert checked >= 5
    # a click on a municipality adds its exact filter; the tree keeps its structure
    nagano = fm.value_index("prefecture", "長野県")
    chino = next(fm.index(c, 0, nagano) for c in range(fm.rowCount(nagano)) if fm.index(c, 0, nagano).data() == "茅野市")
    win.search._facet_clicked(chino)
    wait_for_query(qtbot, win, "オンデマンド交通 自治体:=長野県茅野市")
    chino = fm.value_index("自治体", "長野県茅野市")
    assert chino.isValid() and chino.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_town_page_from_the_detail_link_and_unknown_town(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from app.ui.town_page import TownPage

    win = window
    win.set_query("自治体:=長野県茅野市")
    wait_for_query(qtbot, win, "自治体:=長野県茅野市")
    win.search.select_id("via-ondemand")
    assert "town:" + quote("長野県茅野市") in win.detail.body.toHtml()
    win.detail._anchor_clicked(QUrl("town:" + quote("長野県茅野市")))
    page = win.results_commands.town_page
    assert isinstance(page, TownPage) and page.profile.name == "長野県茅野市"
    assert "via-ondemand" in page.service_ids(0) and "via-ondemand" in page.service_ids(1)
    assert page.tabs.count() == 2
    page.serviceActivated.emit("via-ondemand")
    assert win.detail.current_id == "via-ondemand"
    page.close()
    unknown = win.results_commands.open_town("長野県小海町")
    assert "導入事例がありません" in unknown.summary.text() and "長野県" in unknown.summary.text()
    assert unknown.service_ids(0)
    unknown.search_button.click()
    wait_for_query(qtbot, win, "自治体:長野県")
    unknown.close()


def test_map_follows_the_query_and_a_click_adds_the_chip(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.ui.japan_map import SCALE, ZERO, adoptions_by_prefecture

    win = window
    win.resize(1280, 720)
    win.results_commands.show_map()
    m = win.search.map
    assert m.isVisible()
    win.set_query("オンデマンド交通")
    wait_for_query(qtbot, win, "オンデマンド交通")
    expect = adoptions_by_prefecture(h.municipalities for h in win.search.results_model.hits())
    assert m.counts == expect and sum(expect.values()) > 5
    top = max(expect, key=expect.get)
    assert m.colour(top) == SCALE[-1]
    empty = next(p for p in ("佐賀県", "高知県", "山形県", "島根県") if p not in expect)
    assert m.colour(empty) == ZERO
    okinawa = m.tile_rect("沖縄県")
    assert okinawa.width() > 15 and m.rect().contains(okinawa.toRect())
    win.set_query("自治体:沖縄県")
    wait_for_query(qtbot, win, "自治体:沖縄県")
    assert m.counts.get("沖縄県", 0) > 0 and m.colour("沖縄県") != ZERO
    img = m.grab().toImage()
    c = okinawa.center()
    assert img.pixelColor(int(c.x()), int(okinawa.top() + 3)) != QColor(ZERO)
    win.set_query("オンデマンド交通")
    wait_for_query(qtbot, win, "オンデマンド交通")
    centre = m.tile_rect("長野県").center().toPoint()
    qtbot.mouseClick(m, Qt.MouseButton.LeftButton, pos=QPoint(centre.x(), centre.y()))
    wait_for_query(qtbot, win, "オンデマンド交通 自治体:長野県")
    assert any(t.field == "自治体" and t.value == "長野県" for t in parse(win.query_text()).terms())
    png, svg = m.export_png(tmp_path / "m.png"), m.export_svg(tmp_path / "m.svg")
    assert png.stat().st_size > 1000 and "<svg" in svg.read_text(encoding="utf-8")


def _export(qtbot, win, path: Path, fmt: str, encoding: str = "") -> Path:  # type: ignore[no-untyped-def]
    """Export the results (off the GUI thread) and wait for the file."""
    job = win.results_commands.export_results(str(path), fmt, encoding)
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert job.result == path
    return path


def test_exports_equal_the_table_in_its_sort_order(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    win = window
    win.set_query("オンデマンド交通")
    wait_for_query(qtbot, win, "オンデマンド交通")
    win.search.table.sortByColumn(ResultsModel.COL_NAME, Qt.SortOrder.AscendingOrder)
    shown = win.search.visible_table()
    names = [win.search.proxy.index(r, ResultsModel.COL_NAME).data() for r in range(win.search.proxy.rowCount())]
    name_col = shown.header.index("名称")
    assert [r[name_col] for r in shown.rows] == names and len(names) > 3  # the proxy's (sorted) order
    assert names != [h.name for h in win.search.results_model.hits()]  # … which is not the score order
    assert "自治体" in shown.header and "スコア" not in shown.header  # hidden columns stay out
    out = _export(qtbot, win, tmp_path / "r.csv", "csv")
    rows = list(csv.reader(io.StringIO(Path(out).read_bytes().decode("utf-8-sig"))))
    assert rows == [shown.header, *shown.rows]
    out = _export(qtbot, win, tmp_path / "r.xlsx", "xlsx")
    ws = load_workbook(out).active
    assert [[c.value or "" for c in r] for r in ws.iter_rows()] == [shown.header, *shown.rows]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    out = _export(qtbot, win, tmp_path / "s.csv", "csv", "shift_jis")
    rows = list(csv.reader(io.StringIO(Path(out).read_bytes().decode("cp932"))))
    assert rows[0] == shown.header and len(rows) == len(shown.rows) + 1
    # Ctrl+C: the selected rows as TSV
    win.search.table.setFocus()
    win.search.select_row(0)
    qtbot.keyClick(win.search.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text().split("\t")[name_col] == shown.rows[0][name_col]


def test_adoptions_and_colour_scale() -> None:
    from app.ui.japan_map import SCALE, ZERO, adoptions_by_prefecture, bins, colour_of

    got = adoptions_by_prefecture([["北海道札幌市", "神奈川県横浜市", "沖縄県"], ["神奈川県川崎市", "不明市"]])
    assert got == {"北海道": 1, "神奈川県": 2, "沖縄県": 1}
    assert bins(0) == [] and bins(3) == [(1, 1), (2, 2), (3, 3)] and bins(12)[-1] == (10, 12)
    r = bins(12)
    assert colour_of(0, r) == ZERO and colour_of(12, r) == SCALE[-1] and colour_of(1, r) == SCALE[0]
    shades = [colour_of(n, r) for n in range(1, 13)]
    assert shades == sorted(shades, key=SCALE.index)  # more adoptions, never a lighter colour
