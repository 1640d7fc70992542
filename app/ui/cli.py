"""`shot`: render a view of the real main window offscreen to a PNG (docs, demos, tests)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

VIEWS = ("catalog", "architecture", "detail", "plan")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"size must look like 1600x1000, not {text!r}") from exc
    if not (320 <= w <= 8000 and 240 <= h <= 8000):
        raise argparse.ArgumentTypeError("size out of range (320x240 … 8000x8000)")
    return w, h


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("shot", help="save a screenshot of a UI view (rendered offscreen)")
    p.add_argument("--view", choices=VIEWS, default="catalog")
    p.add_argument("--query", default="", help="search text, e.g. \"オンデマンド 分野:公共交通\"")
    p.add_argument("--select", default="", help="id of the entry to select (default: the first result)")
    p.add_argument("--plan", default="", help="plan to show (plan view)")
    p.add_argument("--lang", choices=["ja", "en"], default=None, help="UI language (default: saved setting, else ja)")
    p.add_argument("--size", type=_size, default=(1600, 1000), help="window size, default 1600x1000")
    p.add_argument("--edition", type=int, choices=[1, 2], default=2, help="SCRA edition for the architecture view")
    p.add_argument("--zoom", type=float, default=1.0, help="UI text zoom 0.8–2.0")
    p.add_argument("--contrast", action="store_true", help="high-contrast theme")
    p.add_argument("--tour", type=int, default=0, help="show guided-tour step N (1-based) on top")
    p.add_argument("--out", required=True, help="PNG file to write")
    p.set_defaults(func=cmd_shot)


def cmd_shot(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    path = render_shot(args.view, args.query, out, size=args.size, lang=args.lang, plan=args.plan,
                       select=args.select, edition=args.edition, zoom=args.zoom, contrast=args.contrast, tour=args.tour)
    sys.stdout.write(f"wrote {path}\n")
    return 0


def render_shot(view: str, query: str, out: Path, size: tuple[int, int] = (1600, 1000), lang: str | None = None,
                plan: str = "", select: str = "", edition: int = 2, zoom: float = 1.0, contrast: bool = False,
                tour: int = 0) -> Path:
    """Render `view` of a fresh main window with `query` searched synchronously; save a PNG."""
    from PySide6.QtWidgets import QApplication

    from app.ui.app import create_application, create_main_window, open_session, prepare_catalog
    from app.ui.main_window import TAB_ARCH, TAB_CATALOG, TAB_PLAN
    from app.ui.theme import apply_theme

    app = create_application(lang)
    apply_theme(app, high_contrast=contrast, zoom=zoom)
    prepare_catalog(show_splash=False)
    session = open_session()
    try:
        win = create_main_window(session, synchronous=True, restore=False)
        win.persist_state = False
        win.resize(*size)
        if contrast:
            win.set_high_contrast(True)
        if edition != 2:
            win.architecture.set_edition(edition)
        if plan and win.plan_store is not None:
            if not win.plan_store.exists(plan):
                raise SystemExit(f"no plan named {plan!r}")
            win.use_plan(plan)
        win.show()
        win.set_query(query)
        QApplication.processEvents()
        if select:
            win.select_id(select)
        elif view in ("detail", "architecture", "catalog"):
            win.search.select_first_service()
        win.tabs.setCurrentIndex({"architecture": TAB_ARCH, "plan": TAB_PLAN}.get(view, TAB_CATALOG))
        if view == "detail":
            w = size[0]
            win.search.setSizes([int(w * 0.16), int(w * 0.36), int(w * 0.48)])
        for _ in range(3):
            QApplication.processEvents()
        if view == "architecture" and win.architecture.figure is not None:
            win.architecture.figure.view.fit(None)
        if tour:
            win.start_tour()
            win.tour.go(max(0, min(tour - 1, len(win.tour.steps) - 1)))
        QApplication.processEvents()
        pixmap = win.grab()
        if not pixmap.save(str(out), "PNG"):
            raise SystemExit(f"could not write {out}")
        win.shutdown()
        win.hide()
        win.deleteLater()
        QApplication.processEvents()
    finally:
        session.close()
    return out
