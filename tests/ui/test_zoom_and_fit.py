"""Zoom that scales everything without re-applying the style sheet, the layout checker itself, and
the small visible fixes of issue 14 (plan marks, add-to-plan enabled state, one-language messages,
the detail pane's one scroll area, labelled source dates, explained badges)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.jp_text import WORD_JOINER, keep_words, plain
from app.ui.main_window import TAB_CATALOG, TAB_PLAN
from app.ui.models import ResultsModel
from tests.ui.conftest import wait_for_query
from tests.ui.layout_check import bad_break, check


def test_keep_words_joins_katakana_okurigana_and_latin_only() -> None:
    text = keep_words("AIチャットボットで問い合わせる")
    assert plain(text) == "AIチャットボットで問い合わせる"
    for pos in range(1, len(text)):
        if text[pos] != WORD_JOINER and text[pos - 1] != WORD_JOINER and not text[pos - 1:pos + 1].isascii():
            assert not bad_break(text, pos), (pos, text[pos - 1:pos + 1])  # every break left open is a sound one
    assert bad_break("システム", 1) == "inside a katakana word"
    assert bad_break("問い合わせ", 1) == "between a kanji and its okurigana"
    assert bad_break("Authentication", 5) == "inside a Latin word"
    assert bad_break("地域間連携", 2, ("地域間",)) == "inside 「地域間」"
    assert bad_break("交通・予約", 3) == ""  # after ・ is a word boundary


def test_layout_checker_finds_clipped_text_and_broken_words(qtbot) -> None:
    host = QWidget()
    lay = QVBoxLayout(host)
    narrow = QLabel("スマートシティリファレンスアーキテクチャ")
    narrow.setFixedWidth(40)
    wrapped = QLabel("デマンドシステム")
    wrapped.setWordWrap(True)
    wrapped.setFixedWidth(wrapped.fontMetrics().horizontalAdvance("デマンドシ") + 2)
    wrapped.setFixedHeight(200)
    button = QPushButton("アーキテクチャ図で見る")
    button.setFixedWidth(30)
    fine = QLabel("計画")
    for w in (narrow, wrapped, button, fine):
        lay.addWidget(w)
    qtbot.addWidget(host)
    host.show()
    QApplication.processEvents()
    found = {(p.kind, p.text) for p in check("t", host)}
    assert ("clipped", "スマートシティリファレンスアーキテクチャ") in found
    assert ("broken-word", "デマンドシステム") in found
    assert ("clipped", "アーキテクチャ図で見る") in found
    assert not any(text == "計画" for _k, text in found)
    wrapped.setText(keep_words("デマンドシステム"))  # the fix the app uses: breaks only between words
    QApplication.processEvents()
    assert not [p for p in check("t", host) if p.kind == "broken-word"]


def test_zoom_scales_fonts_without_reapplying_the_style_sheet(window, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import theme

    calls: list[int] = []
    monkeypatch.setattr(theme, "apply_stylesheet", lambda app: calls.append(1))
    win = window
    table, header = win.search.table, win.search.table.horizontalHeader()
    title_ratio = win.app_title.font().pointSizeF() / table.font().pointSizeF()
    win.set_zoom(2.0)
    QApplication.processEvents()
    assert calls == []  # the 2–3 s zoom steps came from re-polishing every widget
    assert table.font().pointSizeF() == pytest.approx(theme.BASE_POINT_SIZE * 2)
    assert header.font().pointSizeF() == pytest.approx(theme.BASE_POINT_SIZE * 2)
    assert win.app_title.font().pointSizeF() / table.font().pointSizeF() == pytest.approx(title_ratio)
    assert QLabel().font().pointSizeF() == pytest.approx(theme.BASE_POINT_SIZE * 2)  # new widgets too
    win.set_zoom(1.0)
    QApplication.processEvents()
    assert table.font().pointSizeF() == pytest.approx(theme.BASE_POINT_SIZE)
    assert win.app_title.font().pointSizeF() / table.font().pointSizeF() == pytest.approx(title_ratio)


def test_results_in_the_plan_are_marked_and_add_follows_the_selection(qtbot, window) -> None:
    win = window
    assert not win.commands["add_to_plan"].isEnabled()  # nothing selected, no service shown
    win.set_query("ノッカル")
    wait_for_query(qtbot, win, "ノッカル")
    model = win.search.results_model
    header = model.headerData(ResultsModel.COL_SNIPPET, Qt.Orientation.Horizontal)
    assert header == "\u4e00致した箇所"  # the kanji 一, not the long-vowel mark ー (U+30FC)
    row = model.row_of("nokkar")
    assert row >= 0
    tip = str(model.data(model.index(row, ResultsModel.COL_KIND), Qt.ItemDataRole.ToolTipRole))
    assert "計画" not in tip
    win.select_id("nokkar")
    assert win.commands["add_to_plan"].isEnabled()
    win.add_to_plan(["nokkar"])
    tip = str(model.data(model.index(row, ResultsModel.COL_KIND), Qt.ItemDataRole.ToolTipRole))
    assert "計画に追加済み" in tip
    assert model.data(model.index(row, ResultsModel.COL_KIND), Qt.ItemDataRole.ForegroundRole) is None  # not link-blue


def test_messages_are_in_the_ui_language_only(qtbot, window) -> None:
    win = window
    win.set_query("分野:存在しない分野")
    wait_for_query(qtbot, win, "分野:存在しない分野")
    ja = win.search.query_bar.message.text()
    assert "当てはまる値がありません" in ja and "matches" not in ja
    win.set_language("en", persist=False)
    win.set_query("分野:存在しない")
    wait_for_query(qtbot, win, "分野:存在しない")
    en = win.search.query_bar.message.text()
    assert "matches" in en and "当てはまる" not in en
    win.set_language("ja", persist=False)


def test_plan_tab_hides_the_whole_catalog_hint(window) -> None:
    win = window
    win.set_query("")
    hint = win.search.query_bar.hint
    assert hint.isVisible()
    win.tabs.setCurrentIndex(TAB_PLAN)
    assert not hint.isVisible()
    win.tabs.setCurrentIndex(TAB_CATALOG)
    assert hint.isVisible()


def test_detail_pane_scrolls_once_and_labels_its_facts(window) -> None:
    win = window
    win.select_id("nokkar") or win.set_query("ノッカル")
    win.detail.show_service("nokkar")
    QApplication.processEvents()
    scrolling = [a for a in win.detail.findChildren(QAbstractScrollArea)
                 if a.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff]
    assert [a.objectName() for a in scrolling] == ["detailScroll"]  # no scroll area inside another
    body = win.detail.body.toPlainText()
    assert "取り扱う個人データ" in body and "個人情報: 個人情報" not in body
    metas = [win.detail.sources_model.row_data(r)["card"]["meta"] for r in range(win.detail.sources_model.rowCount())]
    assert metas and all("確認日" in m for m in metas if any(ch.isdigit() for ch in m))
    tips = [win.detail.mapping_model.row_data(r)["name_tip"] for r in range(win.detail.mapping_model.rowCount())]
    assert tips and all("エントリ" in t or "分野の既定" in t for t in tips)
    assert "分野の既定" in win.detail.mapping_legend.text().replace(WORD_JOINER, "")


def test_results_cells_wrap_between_words_only(qtbot, window) -> None:
    """Every wrapped text column (種別, 名称, 提供者, 分野, 自治体) keeps words whole: a narrow 名称 column
    must not show 「…サービ/ス」 (found at 200 % on 1280×720)."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    from tests.ui.layout_check import layout_lines

    win = window
    win.set_query("コンビニ交付")
    wait_for_query(qtbot, win, "コンビニ交付")
    table = win.search.table
    proxy = table.model()
    checked = 0
    for col in (ResultsModel.COL_KIND, ResultsModel.COL_NAME, ResultsModel.COL_PROVIDER, ResultsModel.COL_FIELD):
        delegate = table.itemDelegateForColumn(col) or table.itemDelegate()
        for row in range(min(proxy.rowCount(), 10)):
            index = proxy.index(row, col)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)
            text = option.text
            if not plain(text):
                continue
            assert plain(text) == str(index.data()), "display only: the model's text stays plain"
            for width in (60, 90, 130):  # narrow columns, as at 200 %
                starts, _w, _h = layout_lines(text, table.font(), width, rich=False)
                assert not [bad_break(t, p) for p, t in starts if bad_break(t, p)], (col, plain(text), width)
            checked += 1
    assert checked >= 10
