"""The live SCRA figure with real widgets on the bundled catalog: Japanese chips that toggle, counts that
follow the query, the plan overlay on the one colour scale, keyboard travel, PNG/SVG export, zoom."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.plan.scale import band_for, status_band
from app.search.node_counts import node_services
from app.ui.arch_text import fit_text, pieces, ui_px
from app.ui.main_window import TAB_ARCH, TAB_CATALOG
from app.ui.models import IdRole
from tests.ui.conftest import wait_for_query


def _click_box(qtbot, win, node_id: str) -> None:  # type: ignore[no-untyped-def]
    fig = win.architecture.figure
    box = fig.box(node_id)
    fig.view.ensureVisible(box.spec.rect, 0, 0)
    QApplication.processEvents()
    pos = fig.view.mapFromScene(box.spec.rect.topLeft() + QPoint(12, 12).toPointF())
    qtbot.mouseClick(fig.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def _arch_ids(win) -> set[str]:  # type: ignore[no-untyped-def]
    return {win.architecture.proxy.index(r, 0).data(IdRole) for r in range(win.architecture.proxy.rowCount())}


def test_click_adds_a_japanese_chip_anded_with_the_query_and_a_second_click_removes_it(qtbot, window) -> None:
    win = window
    win.tabs.setCurrentIndex(TAB_ARCH)
    win.set_query("カード")
    wait_for_query(qtbot, win, "カード")
    before = _arch_ids(win)
    _click_box(qtbot, win, "service-management/payment")
    wait_for_query(qtbot, win, "カード 機能:決済・ポイント")
    chips = [c.term for c in win.search.query_bar.chips]
    assert any(t.field == "機能" and t.value == "決済・ポイント" for t in chips)
    assert all("/" not in t.value for t in chips)  # no slug in a chip
    assert "決済・ポイント" in win.statusBar().currentMessage()
    after = _arch_ids(win)
    payment = set(win.db.services_for_node("service-management/payment"))
    assert after and after < before and after <= payment  # AND: narrower, and inside the node
    assert win.architecture.figure.box("service-management/payment").active
    _click_box(qtbot, win, "service-management/payment")
    wait_for_query(qtbot, win, "カード")
    assert _arch_ids(win) == before
    assert not win.architecture.figure.box("service-management/payment").active


def test_counts_follow_the_query(qtbot, window) -> None:
    win = window
    fig = win.architecture.figure
    full = fig.box("data-management").spec.count
    assert full == len(win.db.services_for_node("data-management"))
    win.set_query("分野:公共交通")
    wait_for_query(qtbot, win, "分野:公共交通")
    shown = {h.id for h in win.search.last_result.hits if h.kind == "service"}
    index = node_services(win.db)
    for nid in ("data-management", "service-management/payment", "security/authentication"):
        assert fig.box(nid).spec.count == len(index.under[nid] & shown)
    assert fig.box("data-management").spec.count < full
    assert str(fig.box("data-management").spec.count) in fig.box("data-management").toolTip()


def _plan(win, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    win.add_to_plan(ids)
    QApplication.processEvents()


def test_plan_overlay_uses_the_coverage_scale_and_marks_gaps(qtbot, window) -> None:
    win = window
    fig = win.architecture.figure
    assert not fig.overlay_button.isEnabled()  # no plan yet
    _plan(win, ["nokkar", "mebuku-pay"])  # planned on the catalog tab: the hidden figure waits to be shown
    assert fig.overlay_button.isEnabled()
    win.tabs.setCurrentIndex(TAB_ARCH)
    QApplication.processEvents()
    assert fig.overlay_button.isEnabled()
    fig.overlay_button.click()
    assert fig.overlay_on()
    cov = fig._coverage
    for g in cov.groups:
        box = fig.box(g.id)
        assert box.overlay.band is band_for(g.percent)
        assert box.fill_colour().name() == band_for(g.percent).fill
    for n in cov.nodes.values():
        if n.level != "group":
            assert fig.box(n.id).overlay.band is status_band(n.status)
    gap = cov.gaps[0]
    assert fig.box(gap.node_id).overlay.gap
    group = fig.box(gap.group_id)
    assert group.overlay.severity is not None  # the worst gap shows on its group
    assert "▲" in group.toolTip() or "◆" in group.toolTip() or "・" in group.toolTip()
    fig.overlay_button.click()
    assert fig.box(gap.group_id).overlay is None


def test_export_png_and_svg(qtbot, window, tmp_path) -> None:
    fig = window.architecture.figure
    svg = fig.export_to(tmp_path / "scra.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    text = svg.read_text(encoding="utf-8")
    assert ">データマネジメント<" in text and "<title>" in text  # text stays text (Qt splits runs by script)
    png = fig.export_to(tmp_path / "scra.png")
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", head[16:24])
    assert w == 3200 and 1000 < h < 12000  # a 1600-px slide layout at twice the scale
    try:
        fig.export_to(tmp_path / "scra.gif")
    except OSError as exc:
        assert "scra.gif" in str(exc)
    else:
        raise AssertionError("an unknown format must fail")


def test_a_hidden_figure_is_laid_out_once_when_shown_not_at_every_plan_or_theme_change(qtbot, window, monkeypatch) -> None:
    win = window
    fig = win.architecture.figure
    assert win.tabs.currentIndex() == TAB_CATALOG
    calls: list[int] = []
    real = fig.rebuild
    monkeypatch.setattr(fig, "rebuild", lambda: (calls.append(1), real())[1])
    _plan(win, ["nokkar"])
    _plan(win, ["mebuku-pay"])
    win.set_high_contrast(True)
    win.set_high_contrast(False)
    QApplication.processEvents()
    assert calls == []  # the plan tab, the plan and the theme changed while the figure was hidden
    assert fig.overlay_button.isEnabled()
    win.tabs.setCurrentIndex(TAB_ARCH)
    QApplication.processEvents()
    assert len(calls) == 1  # shown: laid out once, with both planned services' coverage
    fig.overlay_button.click()
    assert fig.box("data-management").overlay is not None


def test_keyboard_moves_between_groups_zooms_and_goes_back(qtbot, window) -> None:
    win = window
    win.tabs.setCurrentIndex(TAB_ARCH)
    fig = win.architecture.figure
    fig.view.setFocus()
    groups = fig.group_ids()
    assert len(groups) == 7
    qtbot.keyClick(fig.view, Qt.Key.Key_Right)
    assert fig.focused_group() == groups[0] and fig.box(groups[0]).focused
    qtbot.keyClick(fig.view, Qt.Key.Key_Right)
    assert fig.focused_group() == groups[1] and not fig.box(groups[0]).focused
    qtbot.keyClick(fig.view, Qt.Key.Key_Left)
    assert fig.focused_group() == groups[0]
    qtbot.keyClick(fig.view, Qt.Key.Key_Return)
    assert fig.view.mode == "rect" and fig.view.focus_rect == fig.box(groups[0]).spec.rect
    qtbot.keyClick(fig.view, Qt.Key.Key_Escape)
    assert fig.view.mode == "pane" and fig.view.scale_factor() == 1.0
    qtbot.keyClick(fig.view, Qt.Key.Key_Space)  # Space toggles the focused group's chip
    wait_for_query(qtbot, win, f"機能:{win.db.nodes()[groups[0]].name_ja}")


def test_figure_text_follows_the_ui_zoom_and_fills_the_pane(qtbot, window) -> None:
    from app.ui.arch_layout import BASE_PX

    win = window
    win.tabs.setCurrentIndex(TAB_ARCH)
    fig = win.architecture.figure
    px_100 = ui_px()
    assert abs(fig.box("data-management").spec.unit * BASE_PX - px_100) < 0.01
    win.set_zoom(2.0)
    px = ui_px()
    assert px >= 1.9 * px_100
    # laid out again in the new text size, at the pane's width, shown 1:1
    qtbot.waitUntil(lambda: abs(fig.box("data-management").spec.unit * BASE_PX - px) < 0.01, timeout=3000)
    qtbot.waitUntil(lambda: abs(fig.scene.sceneRect().width() - fig.view.layout_width()) < 2, timeout=3000)
    assert fig.view.scale_factor() == 1.0
    for nid in fig.box_ids():
        box = fig.box(nid)
        if box.spec.level in ("group", "block", "function"):
            title = fit_text(box.spec.title, _font(box), box.spec.rect.width() - 20 * box.spec.unit)
            assert title.font.pixelSize() >= px * 0.8, nid  # never below 80 % of the UI text, even when squeezed
    groups = [fig.box(g) for g in fig.group_ids()]
    room = [g.spec.rect.width() - 20 * g.spec.unit - 2.6 * px for g in groups]
    assert all(fit_text(g.spec.title, _font(g), w).font.pixelSize() >= px for g, w in zip(groups, room, strict=True))
    # on another tab a zoom step does not lay the figure out; showing it again does
    win.tabs.setCurrentIndex(TAB_CATALOG)
    win.set_zoom(1.0)
    QApplication.processEvents()
    assert abs(fig.box("data-management").spec.unit * BASE_PX - px) < 0.01
    win.tabs.setCurrentIndex(TAB_ARCH)
    QApplication.processEvents()
    assert abs(fig.box("data-management").spec.unit * BASE_PX - px_100) < 0.01


def _font(box):  # type: ignore[no-untyped-def]
    from app.ui.arch_text import figure_font

    return figure_font(box.spec.level, box.spec.level != "function")


def test_labels_break_only_at_sensible_points() -> None:
    assert pieces("地域間・分野間連携機能群") == ["地域間・", "分野間連携", "機能群"]
    assert pieces("運用支援機能群") == ["運用支援", "機能群"]
    assert pieces("業務支援（職員向け）") == ["業務支援", "（職員向け）"]
    assert pieces("Identity and Authentication") == ["Identity ", "and ", "Authentication"]
