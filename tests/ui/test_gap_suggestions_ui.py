"""The plan tab's gap list shows each suggestion with its full reason (wrapped, never cut with …)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app import userdb
from app.catalog.store import CatalogDB
from app.plan.plans import PlanStore, add_services
from app.ui import i18n
from app.ui.plan_view import PlanView
from tests.plan_support import REAL_FIVE


def test_gap_tree_shows_full_suggestion_reasons(qtbot, tmp_path: Path, catdb: CatalogDB) -> None:  # type: ignore[no-untyped-def]
    i18n.install_language("ja")
    st = PlanStore(userdb.connect(tmp_path / "plans.db"))
    st.create("p")
    add_services(st, catdb, "p", REAL_FIVE)
    view = PlanView(st, lambda: catdb)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    tree = view.gap_tree
    assert tree.textElideMode() == Qt.TextElideMode.ElideNone and tree.wordWrap()
    cov = view._coverage
    assert cov is not None
    gap = next(i for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == "security/access-control")
    top = tree.topLevelItem(gap)
    sugg = cov.suggestions["security/access-control"]
    assert top.childCount() == len(sugg) > 0
    for i, s in enumerate(sugg):
        child = top.child(i)
        assert child.data(0, Qt.ItemDataRole.UserRole) == s.service_id
        assert s.reason_ja in child.text(2) and "…" not in child.text(2)
        assert "「認可・アクセス制御」" in child.text(2)
