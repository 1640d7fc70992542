"""「この版の新着」 dialog after a catalog update: real Qt widgets, escaped text, shown once."""

from __future__ import annotations

from pathlib import Path

from app.catalog.loader import load_catalog
from app.catalog.seen import mark_seen
from app.catalog.store import build_db
from tests.conftest import service_md, write


def test_dialog_lists_the_changes_once_and_escapes_names(qtbot, mini_catalog: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.ui.app import create_application
    from app.ui.whats_new import maybe_show_whats_new

    create_application("ja")
    db = tmp_path / "catalog.db"
    seen = tmp_path / "seen.json"
    build_db(load_catalog(mini_catalog), db)
    mark_seen(db, seen)
    write(mini_catalog / "edition.yaml", 'id: "2031.05"\nname: 2031年5月版\ndate: 2031-05-01\n')
    write(mini_catalog / "CHANGELOG.md", "## 2031.05（2031年5月版）— 2031-05-01\n\n- <script>x</script> 交通を追加\n")
    write(mini_catalog / "services/transport/delta.md", service_md("delta", name="'<b>新サービス</b>'"))
    write(mini_catalog / "services/transport/alpha.md", service_md("alpha", municipalities="[長野県茅野市]"))
    build_db(load_catalog(mini_catalog), db)

    dlg = maybe_show_whats_new(None, db, seen, mini_catalog)
    assert dlg is not None
    qtbot.addWidget(dlg)
    assert dlg.isVisible()
    text = dlg.body.toPlainText()
    assert "<b>新サービス</b>" in text  # shown as text, not markup
    assert "導入自治体" in text and "交通を追加" in text
    assert "<script>" not in dlg.body.toHtml()
    assert "2031年5月版" in dlg.heading.text()
    dlg.close()
    assert maybe_show_whats_new(None, db, seen, mini_catalog) is None  # seen now


def test_no_dialog_without_changes_or_with_a_missing_catalog(qtbot, mini_catalog: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.ui.app import create_application
    from app.ui.whats_new import maybe_show_whats_new

    create_application("ja")
    db = build_db(load_catalog(mini_catalog), tmp_path / "catalog.db")
    seen = tmp_path / "seen.json"
    assert maybe_show_whats_new(None, db, seen, mini_catalog) is None  # first start
    assert maybe_show_whats_new(None, tmp_path / "missing.db", seen, mini_catalog) is None
