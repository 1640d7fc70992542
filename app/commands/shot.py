"""`shot`: save a screenshot of a UI view, rendered offscreen (app.ui.cli.render_shot)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands.common import out, run

VIEWS = ("catalog", "architecture", "detail", "plan", "map", "town")  # views app.ui.cli.render_shot can show


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"size must look like 1600x1000, not {text!r}") from exc
    if not (320 <= w <= 8000 and 240 <= h <= 8000):
        raise argparse.ArgumentTypeError("size out of range (320x240 … 8000x8000)")
    return w, h


def cmd_shot(args: argparse.Namespace) -> int:
    from app.ui.headless import use_offscreen

    use_offscreen(force=True)  # before Qt starts: the same pixels with or without a display
    from app.ui.cli import render_shot

    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    path = render_shot(args.view, args.query, target, size=args.size, lang=args.lang, plan=args.plan,
                       select=args.select, edition=args.edition, zoom=args.zoom, contrast=args.contrast, tour=args.tour,
                       town=args.town)
    out(f"wrote {path}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("shot", help="save a screenshot of a UI view (rendered offscreen)")
    p.add_argument("--view", choices=VIEWS, default="catalog")
    p.add_argument("--query", default="", help="search text, e.g. \"オンデマンド 分野:公共交通\"")
    p.add_argument("--select", default="", help="id of the entry to select (default: the first result)")
    p.add_argument("--plan", default="", help="plan to show (plan view)")
    p.add_argument("--town", default="長野県茅野市", help="municipality whose page to show (town view)")
    p.add_argument("--lang", choices=["ja", "en"], default=None, help="UI language (default: saved setting, else ja)")
    p.add_argument("--size", type=_size, default=(1600, 1000), help="window size, default 1600x1000")
    p.add_argument("--edition", type=int, choices=[1, 2], default=2, help="SCRA edition for the architecture view")
    p.add_argument("--zoom", type=float, default=1.0, help="UI text zoom 0.8–2.0")
    p.add_argument("--contrast", action="store_true", help="high-contrast theme")
    p.add_argument("--tour", type=int, default=0, help="show guided-tour step N (1-based) on top")
    p.add_argument("--out", required=True, help="PNG file to write")
    p.set_defaults(func=lambda a: run(cmd_shot, a))
