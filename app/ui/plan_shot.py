"""The plan tab rendered to a PNG (docs, demos, tests), offscreen when there is no display."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from app import userdb
from app.build import ensure_built
from app.catalog.store import CatalogDB
from app.plan.plans import PlanStore
from app.ui import i18n
from app.ui.headless import use_offscreen_if_headless
from app.ui.plan_view import PlanView


def render_plan_png(plan_name: str, out: Path, size: tuple[int, int] = (1600, 1000), lang: str = "") -> Path:
    """Render the plan tab for `plan_name` (from the user's plans.db) to a PNG, offscreen if needed.

    `lang` ('ja' or 'en') switches the UI language first; without it a new application gets the saved one.
    """
    if QApplication.instance() is None:
        use_offscreen_if_headless()
    fresh = QApplication.instance() is None
    app = QApplication.instance() or QApplication(["machi-navi"])
    if lang or fresh:
        i18n.install_language(lang or i18n.saved_language())
    res = ensure_built(with_index=False)
    db = CatalogDB(res.db_path)
    conn = userdb.connect()
    try:
        store = PlanStore(conn)
        store.info(plan_name)  # raises PlanError for an unknown plan
        view = PlanView(store, lambda: db)
        view.set_current_plan(plan_name)
        view.resize(*size)
        view.show()
        for tab in (1, 0):  # lay out the gap tab once, then show coverage
            view.tabs.setCurrentIndex(tab)
            app.processEvents()
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not view.grab().save(str(out), "PNG"):
            raise OSError(f"could not write {out}")
        view.close()
        view.deleteLater()
        app.processEvents()
    finally:
        conn.close()
        db.close()
    return out
