"""Catalog packs in the GUI, with the real bundled catalog: the publisher badge in the detail view,
the entry found from the search box, and the 「カタログパック」 dialog importing and removing packs.
Entries are test data (tests/pack_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.ui.models import IdRole, ResultsModel
from tests.pack_support import make_pack, rezip
from tests.ui.conftest import wait_for_query

PUBLISHER = "テスト県DX推進課（テスト）"


@pytest.fixture
def packed_home(ui_home: Path, tmp_path: Path) -> Path:
    """The built bundled catalog plus a trusted, imported test pack, rebuilt."""
    from app.build import ensure_built
    from app.catalog.packs import import_pack, trust_key

    pack, _key, public = make_pack(tmp_path, publisher=PUBLISHER)
    trust_key(public, "テスト県")
    import_pack(pack)
    assert ensure_built().built
    return ui_home


def test_pack_entry_is_found_and_shows_its_publisher_badge(qtbot, packed_home: Path, window) -> None:
    from app.ui.i18n import tr_args

    win = window
    win.set_query("【テストtest-pack】")
    wait_for_query(qtbot, win, "【テストtest-pack】")
    ids = [win.search.proxy.index(r, 0).data(IdRole) for r in range(win.search.proxy.rowCount())]
    assert "test-pack-gomisuke" in ids
    row = ids.index("test-pack-gomisuke")
    rect = win.search.table.visualRect(win.search.proxy.index(row, ResultsModel.COL_NAME))
    qtbot.mouseClick(win.search.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.detail.current_id == "test-pack-gomisuke"
    badge = tr_args(win.detail.tr("Pack: %1"), PUBLISHER)
    assert badge in win.detail.body.toPlainText() and badge.startswith("パック")  # the window is in Japanese
    assert win.detail.show_service("gomisuke")  # the bundled entry it was copied from: no badge
    assert PUBLISHER not in win.detail.body.toPlainText() and "パック: " not in win.detail.body.toPlainText()


def test_packs_dialog_imports_after_confirmation_refuses_tampered_and_removes(qtbot, ui_home: Path, tmp_path: Path) -> None:
    from app.catalog.packstore import installed_packs
    from app.ui.packs_dialog import PacksDialog

    asked: list[str] = []
    told: list[BaseException] = []
    answer = {"yes": False}

    def ask(text: str) -> bool:
        asked.append(text)
        return answer["yes"]

    dialog = PacksDialog(None, ask=ask, tell=told.append)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0 and not dialog.remove_button.isEnabled()
    pack, _key, public = make_pack(tmp_path, publisher=PUBLISHER)
    changed: list[bool] = []
    dialog.changed.connect(lambda: changed.append(True))

    assert not dialog.import_file(pack)  # an unknown key: asked, the user says no
    assert public in asked[-1] and installed_packs() == [] and not changed
    answer["yes"] = True
    assert dialog.import_file(pack)
    assert [p.name for p in installed_packs()] == ["test-pref"] and changed == [True]
    assert dialog.model.rowCount() == 1 and dialog.selected_name() == "test-pref"
    assert dialog.model.index(0, 1).data() == PUBLISHER

    name = "entries/test-pack-gomisuke.md"
    with __import__("zipfile").ZipFile(pack) as zf:
        text = zf.read(name).replace("住民".encode(), "市民".encode(), 1)
    tampered = rezip(pack, tmp_path / "tampered.zip", {name: text})
    asked.clear()
    assert not dialog.import_file(tampered)  # refused outright: no question, an error naming the file
    assert not asked and str(tampered) in told[-1].text("en") and "changed after it was signed" in told[-1].text("en")

    answer["yes"] = True
    assert dialog.remove_selected()
    assert installed_packs() == [] and dialog.model.rowCount() == 0 and changed == [True, True]


def test_packs_dialog_manages_trusted_keys(qtbot, ui_home: Path, tmp_path: Path) -> None:
    from app.catalog.packstore import installed_packs, trusted_keys
    from app.ui.packs_dialog import PacksDialog

    asked: list[str] = []
    told: list[BaseException] = []
    dialog = PacksDialog(None, ask=lambda text: bool(asked.append(text)), tell=told.append)
    qtbot.addWidget(dialog)
    pack, _key, public = make_pack(tmp_path, publisher=PUBLISHER)
    assert not dialog.trust("これは鍵ではありません") and "not a publisher public key" in told[-1].text("en")
    assert dialog.trust(public, "テスト県")
    assert dialog.keys_model.rowCount() == 1 and dialog.keys_model.index(0, 1).data() == "テスト県"
    assert dialog.import_file(pack) and not asked  # a trusted key: no question
    assert installed_packs()[0].verified and dialog.model.index(0, 5).data() == trusted_keys()[0].key_id
    assert dialog.untrust_selected()
    assert trusted_keys() == [] and dialog.keys_model.rowCount() == 0 and not dialog.untrust_button.isEnabled()
    assert [p.name for p in installed_packs()] == ["test-pref"]  # installed packs stay
