"""The plan tab (PlanView) driven through its widgets with pytest-qt, offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QComboBox, QGroupBox, QLabel, QMessageBox, QPushButton

from app import userdb
from app.catalog.store import CatalogDB
from app.plan.plans import PlanStore, add_services
from app.ui import i18n
from app.ui.plan_shot import render_plan_png
from app.ui.plan_view import MISSING_COLOUR, PlanView
from tests.plan_support import REAL_FIVE


@pytest.fixture
def store(tmp_path: Path, catdb: CatalogDB) -> PlanStore:
    st = PlanStore(userdb.connect(tmp_path / "plans.db"))
    st.create("豊明モデル")
    add_services(st, catdb, "豊明モデル", REAL_FIVE)
    st.add("豊明モデル", ["vanished"], names={"vanished": "消えたサービス"}, fields={"vanished": "公共交通"})
    return st


@pytest.fixture
def japanese(qtbot):  # type: ignore[no-untyped-def]
    """The app's default UI language (source strings are English; Japanese comes from the .qm)."""
    assert i18n.install_language("ja")
    yield
    i18n.install_language("ja")
    QApplication.processEvents()


@pytest.fixture
def view(qtbot, japanese, store: PlanStore, catdb: CatalogDB) -> PlanView:  # type: ignore[no-untyped-def]
    v = PlanView(store, lambda: catdb)
    qtbot.addWidget(v)
    v.resize(1400, 900)
    v.show()
    return v


def ids_in_view(v: PlanView) -> list[str]:
    return [r.item.service_id for r in v.model.rows()]


def test_basket_lists_services_and_greys_missing_entries(view: PlanView) -> None:
    assert view.current_plan() == "豊明モデル"
    assert view.model.rowCount() == 6 and view.model.columnCount() == 3
    missing = view.model.index(5, 0)
    assert "消えたサービス" in missing.data() and "カタログにありません" in missing.data()
    assert missing.data(Qt.ItemDataRole.ForegroundRole) == QColor(MISSING_COLOUR)
    assert view.model.index(5, 1).data() == "公共交通"
    assert view.model.index(0, 0).data() == "ノッカル"
    assert view.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "6件" in view.picker.currentText()


def test_remove_and_undo_restores_position(view: PlanView, store: PlanStore, qtbot) -> None:  # type: ignore[no-untyped-def]
    view.table.selectRow(1)
    with qtbot.waitSignal(view.planChanged, timeout=2000):
        view.remove_selected()
    assert store.service_ids("豊明モデル") == [REAL_FIVE[0], *REAL_FIVE[2:], "vanished"]
    assert view.undo_button.isEnabled()
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert store.service_ids("豊明モデル") == [*REAL_FIVE, "vanished"]
    assert ids_in_view(view) == [*REAL_FIVE, "vanished"]
    view.undo_stack.redo()
    assert REAL_FIVE[1] not in store.service_ids("豊明モデル")


def test_reorder_and_edit_note(view: PlanView, store: PlanStore) -> None:
    view.table.selectRow(0)
    view._move_selected(1)
    assert store.service_ids("豊明モデル")[:2] == [REAL_FIVE[1], REAL_FIVE[0]]
    view.undo_stack.undo()
    assert store.service_ids("豊明モデル")[:2] == REAL_FIVE[:2]
    idx = view.model.index(2, 2)
    assert view.model.flags(idx) & Qt.ItemFlag.ItemIsEditable
    assert not view.model.flags(view.model.index(2, 0)) & Qt.ItemFlag.ItemIsEditable
    assert view.model.setData(idx, "予算要求に入れる")
    assert store.items("豊明モデル")[2].note == "予算要求に入れる"
    assert view.model.index(2, 2).data() == "予算要求に入れる"


def test_coverage_diagram_and_tree(view: PlanView, qtbot) -> None:  # type: ignore[no-untyped-def]
    cov = view._coverage
    assert cov is not None and view.diagram.groups == cov.groups
    assert view.node_tree.topLevelItemCount() == len(cov.groups)
    view.diagram.repaint()
    rect, gid = view.diagram._boxes[0]
    with qtbot.waitSignal(view.diagram.groupClicked, timeout=2000) as sig:
        qtbot.mouseClick(view.diagram, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert sig.args == [gid]
    assert view.node_tree.currentItem().data(0, Qt.ItemDataRole.UserRole) == gid
    assert view.diagram.group_at(-5, -5) is None
    assert view.diagram.group_at(*_xy(rect.center())) == gid


def _xy(p: QPointF) -> tuple[float, float]:
    return p.x(), p.y()


def test_gap_suggestion_button_adds_and_undo_removes(view: PlanView, store: PlanStore) -> None:
    cov = view._coverage
    assert cov is not None and view.gap_tree.topLevelItemCount() == len(cov.gaps)
    gap = next(g for g in cov.gaps if cov.suggestions.get(g.node_id))
    sid = cov.suggestions[gap.node_id][0].service_id
    button = view.gap_tree.findChild(QPushButton, f"addSuggestion_{sid}")
    assert button is not None
    button.click()
    assert sid in store.service_ids("豊明モデル")
    assert view._coverage is not None and all(
        sid not in {s.service_id for s in v} for v in view._coverage.suggestions.values()), "plan items are never suggested"
    view.undo_stack.undo()
    assert sid not in store.service_ids("豊明モデル")


def test_considerations_answers_are_saved(view: PlanView, store: PlanStore) -> None:
    combo = view.cons_host.findChild(QComboBox, "answer_ownership")
    assert combo is not None and combo.count() == 4
    combo.setCurrentIndex(combo.findData("municipality"))
    assert store.answers("豊明モデル")["ownership"].answer == "municipality"
    note = view.answer_widgets["ownership"][1]
    note.setText("市が所有")
    note.editingFinished.emit()
    assert store.answers("豊明モデル")["ownership"].note == "市が所有"
    auth = view.answer_widgets["um:auth-strength"][0]
    auth.setCurrentIndex(auth.findData("identity-proofing"))
    assert store.answers("豊明モデル")["um:auth-strength"].answer == "identity-proofing"
    combo.setCurrentIndex(0)
    view.answer_widgets["ownership"][1].setText("")
    view.answer_widgets["ownership"][1].editingFinished.emit()
    assert "ownership" not in store.answers("豊明モデル")
    # a fresh view shows the saved answer
    view.refresh()
    assert view.answer_widgets["um:auth-strength"][0].currentData() == "identity-proofing"


def test_plan_picker_create_switch_and_duplicate(view: PlanView, store: PlanStore, monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    assert view.create_plan("別案")
    assert view.current_plan() == "別案" and view.model.rowCount() == 0
    assert not view.create_plan("豊明モデル")
    assert warnings and "already exists" in warnings[0]
    view.set_current_plan("豊明モデル")
    assert view.model.rowCount() == 6
    assert view.add_services(["nokkar", "ai-sakura-san"]) == 0
    view.set_current_plan("別案")
    assert view.add_services(["nokkar"]) == 1
    assert store.service_ids("別案") == ["nokkar"]


def test_add_services_without_any_plan_creates_one(qtbot, japanese, tmp_path: Path, catdb: CatalogDB) -> None:  # type: ignore[no-untyped-def]
    st = PlanStore(userdb.connect(tmp_path / "empty.db"))
    v = PlanView(st, lambda: catdb)
    qtbot.addWidget(v)
    assert v.current_plan() == "" and not v.remove_button.isEnabled()
    assert v.add_services(["nokkar"]) == 1
    assert v.current_plan() and st.service_ids(v.current_plan()) == ["nokkar"]


def test_export_buttons_write_files(view: PlanView, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("md", "pdf", "xlsx"):
        job = view.export_to(fmt, tmp_path / f"plan.{fmt}", show_progress=False)
        assert job is not None
        with qtbot.waitSignal(job.ended, timeout=120_000):
            pass
        out = job.result
        assert out is not None and out.exists() and out.stat().st_size > 0
    assert "plan.xlsx" in view.status.text()


def test_render_plan_png(user_home: Path, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    conn = userdb.connect()
    PlanStore(conn).create("画面")
    conn.close()
    out = render_plan_png("画面", tmp_path / "shot.png", size=(1200, 800))
    from PySide6.QtGui import QImage

    img = QImage(str(out))
    assert (img.width(), img.height()) == (1200, 800)


def _switch(lang: str) -> None:
    i18n.install_language(lang)
    QApplication.processEvents()  # deliver LanguageChange


def _group_titles(v: PlanView) -> list[str]:
    return [b.title() for b in v.cons_host.findChildren(QGroupBox)]


def test_language_switch_retranslates_the_plan_tab(view: PlanView) -> None:
    cov = view._coverage
    assert cov is not None and cov.gaps
    gap = cov.gaps[0]
    assert view.export_label.text() == "書き出し:"
    assert view.new_button.text() == "新規…" and view.undo_button.text() == "元に戻す"
    assert view.tabs.tabText(1) == "ギャップ"
    assert view.model.headerData(2, Qt.Orientation.Horizontal) == "メモ"
    assert view.picker.currentText() == "豊明モデル（6件）"
    assert view.gap_tree.topLevelItem(0).text(1) == gap.name_ja
    assert "ビジネスモデル：都市OSの所有形態" in _group_titles(view)
    assert view.answer_widgets["ownership"][0].itemText(0) == "（未回答）"

    _switch("en")
    assert view.export_label.text() == "Export:"
    assert view.new_button.text() == "New…" and view.undo_button.text() == "Undo"
    assert view.export_buttons["pdf"].toolTip() == "Export the plan report as PDF"
    assert [view.tabs.tabText(i) for i in range(3)] == ["SCRA coverage", "Gaps", "Considerations"]
    assert view.model.headerData(2, Qt.Orientation.Horizontal) == "Note"
    assert view.model.index(5, 0).data().endswith(" (not in the catalog)")
    assert view.picker.currentText() == "豊明モデル (6)"
    assert view.basket_title.text().startswith("Services in “豊明モデル”: 6")
    assert view.coverage_summary.text().startswith("Function blocks covered:")
    # catalog data: English where the catalog has it (SCRA names, gap reasons, considerations.yaml *_en)
    assert gap.name_en and view.gap_tree.topLevelItem(0).text(1) == gap.name_en
    assert view.gap_tree.topLevelItem(0).text(0)[2:] in ("Critical", "Important", "Normal")  # after its glyph
    assert "Business model: city-OS ownership" in _group_titles(view)
    combo = view.answer_widgets["ownership"][0]
    assert combo.itemText(0) == "(no answer)" and combo.itemText(combo.findData("municipality")) == "Municipality"
    labels = [w.text() for w in view.cons_host.findChildren(QLabel)]
    assert any("Who is to own the city OS?" in t for t in labels)

    _switch("ja")
    assert view.export_label.text() == "書き出し:"
    assert view.tabs.tabText(1) == "ギャップ"
    assert view.model.headerData(2, Qt.Orientation.Horizontal) == "メモ"
    assert view.picker.currentText() == "豊明モデル（6件）"
    assert view.gap_tree.topLevelItem(0).text(1) == gap.name_ja


def test_hidden_plan_tab_catches_up_when_shown(view: PlanView) -> None:
    view.hide()
    _switch("en")
    assert view.export_label.text() == "Export:"  # fixed labels at once
    view.show()
    QApplication.processEvents()
    assert view.basket_title.text().startswith("Services in “豊明モデル”")
    assert view.picker.currentText() == "豊明モデル (6)"
    assert view.answer_widgets["ownership"][0].itemText(0) == "(no answer)"


def _export(view: PlanView, qtbot, fmt: str, out: Path) -> Path:  # type: ignore[no-untyped-def]
    """Export through the plan tab (a worker thread) and wait for the file."""
    job = view.export_to(fmt, out, show_progress=False)
    assert job is not None
    with qtbot.waitSignal(job.ended, timeout=120_000):
        pass
    assert job.result is not None
    return job.result


def test_report_properties_dialog_and_english_export(view: PlanView, store: PlanStore, tmp_path: Path,
                                                      user_home: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.ui import settings
    from app.ui.plan_properties import PlanPropertiesDialog

    assert view.props_button.isEnabled() and view.props_button.text() == "レポート項目…"
    dlg = PlanPropertiesDialog(store, view.current_plan(), view)
    dlg.municipality.setText("愛知県豊明市")
    dlg.author.setText("企画政策課")
    dlg.era.setChecked(True)
    assert dlg.save()
    info = store.info(view.current_plan())
    assert (info.municipality, info.author) == ("愛知県豊明市", "企画政策課") and settings.store().report_era()
    md = _export(view, qtbot, "md", tmp_path / "r.md")
    assert "- 自治体: 愛知県豊明市" in md.read_text(encoding="utf-8")
    assert "- 作成日: 令和" in md.read_text(encoding="utf-8"), "the era setting reaches the export"
    assert i18n.install_language("en")
    en = _export(view, qtbot, "md", tmp_path / "en.md")
    assert "# Plan report: " in en.read_text(encoding="utf-8"), "reports follow the UI language"


def test_tiles_rows_and_gaps_share_one_scale(view: PlanView) -> None:
    """A group row is coloured like its tile (its share, not its best block); a group holding the worst
    gap carries that gap's glyph on its tile and says why in its tooltip; the legend lists every band."""
    from app.plan.marks import node_marks
    from app.plan.scale import BANDS, band_for, severity_mark, status_band

    cov = view._coverage
    marks = node_marks(cov)
    rows = {}
    stack = [view.node_tree.topLevelItem(i) for i in range(view.node_tree.topLevelItemCount())]
    while stack:
        it = stack.pop()
        rows[it.data(0, Qt.ItemDataRole.UserRole)] = it
        stack += [it.child(i) for i in range(it.childCount())]
    for g in cov.groups:
        assert rows[g.id].background(1).color().name() == band_for(g.percent).fill
        assert rows[g.id].text(1).startswith(band_for(g.percent).glyph)
    for n in cov.nodes.values():
        if n.level != "group":
            assert rows[n.id].background(0).color().name() == status_band(n.status).fill
    worst = cov.gaps[0]
    assert marks[worst.group_id].severity == worst.severity  # the heaviest gap rolls up to its group
    tip = view.diagram.tile_tooltip(next(g for g in cov.groups if g.id == worst.group_id))
    assert severity_mark(worst.severity).glyph in tip
    gap_row = view.gap_tree.topLevelItem(0)
    assert gap_row.text(0).startswith(severity_mark(worst.severity).glyph)
    assert all(b.fill in view.legend.text() and b.glyph in view.legend.text() for b in BANDS)
    assert "green" not in view.coverage_summary.text()


def test_basket_and_coverage_stack_at_large_text(view: PlanView, qtbot) -> None:  # type: ignore[no-untyped-def]
    """At 200 % on a 1280-wide window the basket and the coverage tabs stack (no sideways scrolling, no
    cut tabs); at 100 % side by side again. Zoomed the way the app zooms (apply_theme)."""
    from app.ui.theme import Theme, apply_theme

    app = QApplication.instance()
    before = Theme.zoom
    split = view.basket.parentWidget()
    assert split is view.tabs.parentWidget()
    view.resize(1260, 600)
    try:
        apply_theme(app, zoom=1.0)
        qtbot.waitUntil(lambda: split.orientation() == Qt.Orientation.Horizontal)
        apply_theme(app, zoom=2.0)
        qtbot.waitUntil(lambda: split.orientation() == Qt.Orientation.Vertical)
        assert view.tabs.width() > view.width() * 0.8  # the coverage tabs get the whole width
        apply_theme(app, zoom=1.0)
        qtbot.waitUntil(lambda: split.orientation() == Qt.Orientation.Horizontal)
    finally:
        apply_theme(app, zoom=before)
