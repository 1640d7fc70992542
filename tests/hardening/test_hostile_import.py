"""Hostile spreadsheets for `import`: refused with a message naming the file (and row), nothing written,
or imported completely — never a traceback, a partial import or unbounded memory."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app import paths
from app.catalog.overlay import KEYS, ImportFailed, import_file, local_entry_ids
from app.limits import MAX_CELL_CHARS, MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS
from tests.conftest import ROOT
from tests.unit.test_plan_import import row, write_csv, write_xlsx


def _rewrite_member(path: Path, member: str, transform) -> Path:
    """Rewrite one member of an XLSX (zip), keeping the others."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, transform(data) if info.filename == member else data)
    tmp.replace(path)
    return path


def _zip_bomb(path: Path) -> Path:
    write_xlsx(path, [row("bomb")])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/media/padding.bin", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(120):  # 120 MiB of zeros deflate to ~120 KiB
                fh.write(chunk)
    return path


ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
               + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10) for i in range(1, 10))
               + b']>')


def _entity_bomb(path: Path) -> Path:
    write_xlsx(path, [row("ent")])
    return _rewrite_member(path, "xl/worksheets/sheet1.xml",
                           lambda d: ENTITY_BOMB + d.split(b"?>", 1)[-1].replace(b"<v>", b"<v>&lol9;", 1))


def _csv_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


REFUSED = {
    "zip-bomb": lambda p: _zip_bomb(p.with_suffix(".xlsx")),
    "xml-entity-bomb": lambda p: _entity_bomb(p.with_suffix(".xlsx")),
    "not-a-zip": lambda p: _csv_bytes(p.with_suffix(".xlsx"), b"PK\x03\x04 this is not a workbook"),
    "truncated-xlsx": lambda p: _csv_bytes(p.with_suffix(".xlsx"), write_xlsx(p.with_suffix(".xlsx"), [row("t")]).read_bytes()[:900]),
    "empty-xlsx": lambda p: _csv_bytes(p.with_suffix(".xlsx"), b""),
    "huge-csv-field": lambda p: write_csv(p.with_suffix(".csv"), [row("big", description="あ" * 200_000)]),
    "cell-over-limit": lambda p: write_csv(p.with_suffix(".csv"), [row("big", name="x" * (MAX_CELL_CHARS + 1))]),
    "too-many-rows": lambda p: write_csv(p.with_suffix(".csv"), [row(f"r{i}") for i in range(MAX_IMPORT_ROWS + 20)]),
    "too-many-columns": lambda p: _csv_bytes(p.with_suffix(".csv"), (",".join(KEYS) + "\n" + ",".join(["x"] * (MAX_IMPORT_COLUMNS + 5)) + "\n").encode()),
    "utf16-csv": lambda p: write_csv(p.with_suffix(".csv"), [row("u16")], encoding="utf-16"),
    "binary-csv": lambda p: _csv_bytes(p.with_suffix(".csv"), bytes(range(256)) * 50),
    "nul-in-csv": lambda p: _csv_bytes(p.with_suffix(".csv"), b"id,name\nx\x00y,z\n"),
    "duplicate-node": lambda p: write_csv(p.with_suffix(".csv"), [row("dup", scra="service-management/portal:provides:a; service-management/portal:uses:b")]),
    "path-traversal-id": lambda p: write_csv(p.with_suffix(".csv"), [row("../../evil")]),
    "windows-path-id": lambda p: write_csv(p.with_suffix(".csv"), [row("..\\..\\evil")]),
    "reserved-name-id": lambda p: write_csv(p.with_suffix(".csv"), [row("CON")]),
    "duplicate-ids": lambda p: write_csv(p.with_suffix(".csv"), [row("same"), row("same", name="別名")]),
    "yaml-in-cell": lambda p: write_csv(p.with_suffix(".csv"), [row("yml", name="&a [*a]", scra="!!python/object:os.system x:uses:y")]),
    "javascript-url": lambda p: write_csv(p.with_suffix(".csv"), [row("js", sources="javascript:alert(1)")]),
    "wrong-suffix": lambda p: _csv_bytes(p.with_suffix(".txt"), b"id\nx\n"),
    "header-only": lambda p: write_csv(p.with_suffix(".csv"), []),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_hostile_import_is_refused_and_writes_nothing(tmp_path: Path, case: str) -> None:
    f = REFUSED[case](tmp_path / "in")
    before = local_entry_ids()
    with pytest.raises(ImportFailed) as err:
        import_file(f)
    assert all(p.startswith(f.name) for p in err.value.problems), err.value.problems
    assert local_entry_ids() == before
    assert not any(paths.overlay_dir().parent.glob(".local_entries.*"))


def test_formulas_are_kept_as_text(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "f.csv", [row("formula", name="=cmd|' /C calc'!A0", provider="@SUM(1)")])
    result = import_file(f)
    assert result.added == ["formula"]
    text = (paths.overlay_dir() / "formula.md").read_text(encoding="utf-8")
    assert "=cmd|' /C calc'!A0" in text  # stored as data; every export neutralises it (tests/unit/test_plan_export.py)


def test_stale_dimension_header_imports_every_row(tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "stale.xlsx", [row("s1"), row("s2"), row("s3")])
    _rewrite_member(f, "xl/worksheets/sheet1.xml", lambda d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:N2"', d))
    with zipfile.ZipFile(f) as zf:
        assert b'ref="A1:N2"' in zf.read("xl/worksheets/sheet1.xml"), "the test must really make the header stale"
    result = import_file(f)
    assert sorted(result.added) == ["s1", "s2", "s3"]


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
@pytest.mark.parametrize("case", ["zip-bomb", "xml-entity-bomb", "huge-csv-field", "duplicate-node", "truncated-xlsx"])
def test_import_cli_refuses_without_traceback(tmp_path: Path, case: str) -> None:
    f = REFUSED[case](tmp_path / "in")
    proc = subprocess.run([sys.executable, "-m", "app", "import", str(f)], capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, cwd=ROOT, preexec_fn=_limited, timeout=120)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert proc.returncode != 0, out
    assert f.name in out, out
    assert local_entry_ids() == []
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_local_entry_that_breaks_validation_is_quarantined_and_listed(tmp_path: Path) -> None:
    """Written by hand (or by an older version): the catalog still opens; the file is kept aside."""
    overlay = paths.overlay_dir()
    overlay.mkdir(parents=True, exist_ok=True)
    bad = overlay / "hand-made.md"
    bad.write_text("---\nid: hand-made\nname: 手書き\nscra:\n  - node: asset-management/device\n    role: uses\n    why: a\n"
                   "  - node: asset-management/device\n    role: provides\n    why: b\n---\n本文\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "app", *a], capture_output=True, text=True, encoding="utf-8",  # noqa: E731
                                    env=env, cwd=ROOT, timeout=300)
    proc = run("search", "オンデマンド", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "quarantine" in proc.stderr and "hand-made.md" in proc.stderr
    assert not bad.exists() and (overlay / "quarantine" / "hand-made.md").exists()
    listed = run("import", "--list")
    assert "hand-made\tquarantined" in listed.stdout
    removed = run("import", "--remove", "hand-made")
    assert removed.returncode == 0 and not (overlay / "quarantine" / "hand-made.md").exists()


EVIL_NAME = "<b style='color:red'>警告: 計画は削除されました</b><img src='file:///etc/passwd'>"


def test_markup_in_names_is_shown_as_text_in_the_gui(qtbot, tmp_path: Path) -> None:
    """An imported service whose name and provider are HTML: the detail pane, result tooltips and facet
    tooltips show the characters, not bold red text or a local image."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextDocument

    from app.build import ensure_built
    from app.catalog.store import CatalogDB
    from app.search.engine import SearchEngine
    from app.ui.app import create_application
    from app.ui.detail_view import DetailPane
    from app.ui.jp_text import plain
    from app.ui.models import ResultsModel

    f = write_csv(tmp_path / "evil.csv", [row("evil-name", name=EVIL_NAME, provider="<i>株式会社</i><a href='x'>偽</a>")])
    import_file(f)
    res = ensure_built()
    create_application("ja")
    with CatalogDB(res.db_path) as db:
        pane = DetailPane(db)
        qtbot.addWidget(pane)
        assert pane.show_service("evil-name")
        assert pane.title.textFormat() == Qt.TextFormat.PlainText and plain(pane.title.text()) == EVIL_NAME
        assert pane.subtitle.textFormat() == Qt.TextFormat.PlainText
    with SearchEngine(res.db_path, paths.index_dir()) as engine:
        result = engine.search("警告")
        model = ResultsModel()
        model.set_hits(result.hits)
        tips = [model.data(model.index(r, 1), Qt.ItemDataRole.ToolTipRole) for r in range(model.rowCount())]
        tip = next(t for t in tips if t and "警告" in t)
        doc = QTextDocument()
        doc.setHtml(tip)
        assert EVIL_NAME in doc.toPlainText(), "the tooltip shows the literal characters"
        assert "<img" not in doc.toHtml().split("<body", 1)[-1]
