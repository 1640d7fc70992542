"""Detail pane sanitising and the `shot` command."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from PySide6.QtGui import QImage

from app.ui.detail_view import DetailPane
from app.ui.markdown_html import markdown_to_safe_html

EVIL = """普通の説明です。

<script>alert('x')</script>

[危ないリンク](javascript:alert(1)) と [安全なリンク](https://example.org/ok)

<img src=x onerror="alert(2)"> <a href="javascript:alert(3)">raw</a>
"""


def _tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every element and its attributes (text that merely looks like a tag is not an element)."""
    found: list[tuple[str, dict[str, str]]] = []

    class P(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, {k: v or "" for k, v in attrs}))

    P().feed(html)
    return found


def _assert_safe(html: str) -> None:
    body = html.split("<body", 1)[-1]  # QTextDocument.toHtml() puts its own <style> in <head>
    for tag, attrs in _tags("<body" + body if "<body" in html else html):
        assert tag not in ("script", "img", "iframe", "style", "object"), tag
        assert not any(k.startswith("on") for k in attrs), attrs
        assert not attrs.get("href", "").strip().lower().startswith("javascript"), attrs


def test_markdown_is_sanitised() -> None:
    html = markdown_to_safe_html(EVIL)
    _assert_safe(html)
    hrefs = [a["href"] for t, a in _tags(html) if t == "a" and a.get("href")]
    assert hrefs == ["https://example.org/ok"]  # the javascript: link lost its href; raw <a> is literal text


class _EvilDB:
    """The real catalog, except that one entry's Markdown is hostile."""

    def __init__(self, db) -> None:  # type: ignore[no-untyped-def]
        self.db = db

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.db, name)

    def service(self, sid: str):  # type: ignore[no-untyped-def]
        svc = self.db.service(sid)
        return dataclasses.replace(svc, description=EVIL) if svc else None


def test_script_and_javascript_links_are_not_rendered(qtbot, ui_home: Path) -> None:
    from app.catalog.store import CatalogDB
    from app.ui.app import create_application

    create_application("ja")
    with CatalogDB(ui_home / "catalog.db") as db:
        pane = DetailPane(_EvilDB(db))
        qtbot.addWidget(pane)
        assert pane.show_service("nokkar")
        html = pane.body.toHtml()
        _assert_safe(html)
        hrefs = [a["href"] for t, a in _tags(html) if t == "a" and a.get("href")]
        assert hrefs == ["https://example.org/ok"]
        text = pane.body.toPlainText()
        assert "普通の説明です" in text
        assert "<script>alert('x')</script>" in text  # raw HTML only ever shows up as literal text
        pane.clear()  # a later language change must not re-read the closed database


def test_shot_command_writes_png(ui_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    env = dict(os.environ, MACHI_NAVI_HOME=str(ui_home), QT_QPA_PLATFORM="offscreen")
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-m", "app", "shot", "--view", "architecture", "--query", "オンデマンド",
                           "--size", "1200x800", "--out", str(out)], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    img = QImage(str(out))
    assert not img.isNull() and (img.width(), img.height()) == (1200, 800)


def test_render_shot_in_process_all_views(qtbot, ui_home: Path, tmp_path: Path) -> None:
    from app.ui.cli import VIEWS, render_shot

    for view in VIEWS:
        out = render_shot(view, "分野:公共交通", tmp_path / f"{view}.png", size=(1000, 700), lang="en")
        img = QImage(str(out))
        assert (img.width(), img.height()) == (1000, 700), view


def test_detail_shows_registry_facts_and_which_source_backs_them(qtbot, ui_home: Path) -> None:
    from app.catalog.fields import BY_KEY
    from app.catalog.store import CatalogDB
    from app.ui.i18n import current_language
    from app.ui.models import CardRole

    lang = current_language()  # no language switch here: earlier tests' widgets may still be listening
    since, pricing, lgwan = BY_KEY["since"], BY_KEY["pricing"], BY_KEY["lgwan"]
    with CatalogDB(ui_home / "catalog.db") as db:
        pane = DetailPane(db)
        qtbot.addWidget(pane)
        assert pane.show_service("bodik-odcs")
        text = pane.body.toPlainText()
        assert since.label(lang) in text and "2016" in text
        assert pricing.label(lang) in text and pricing.value_label("free", lang) in text
        assert lgwan.label(lang) in text and lgwan.value_label("unknown", lang) in text  # unstated, not left out
        badges = [[b[0] for b in pane.sources_model.index(r, 0).data(CardRole)["badges"]]
                  for r in range(pane.sources_model.rowCount())]
        assert badges[0] == [since.label(lang), pricing.label(lang)] and all(b == [] for b in badges[1:])
        pane.clear()  # a later language change must not re-read the closed database
