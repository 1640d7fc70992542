"""The one headless check, the shared QApplication, atomic PNG output and the PDF writer's own check."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.ui import headless
from app.ui.pdf import write_pdf


@pytest.mark.skipif(sys.platform != "linux", reason="the display check matters on Linux/BSD only")
def test_offscreen_only_without_a_display_unless_forced_and_never_over_an_explicit_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    assert not headless.has_display()
    headless.use_offscreen()
    assert headless.os.environ["QT_QPA_PLATFORM"] == "offscreen"
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("DISPLAY", ":0")
    assert headless.has_display()
    headless.use_offscreen()
    assert "QT_QPA_PLATFORM" not in headless.os.environ, "a desktop session keeps its platform"
    headless.use_offscreen(force=True)
    assert headless.os.environ["QT_QPA_PLATFORM"] == "offscreen"
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    headless.use_offscreen(force=True)
    assert headless.os.environ["QT_QPA_PLATFORM"] == "xcb"


def test_ensure_qapp_reuses_the_running_application(qapp) -> None:  # type: ignore[no-untyped-def]
    assert headless.ensure_qapp() is qapp
    assert headless.ensure_qapp() is qapp


def test_png_is_written_atomically(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor, QPixmap

    out = tmp_path / "shot.png"
    out.write_bytes(b"old picture")
    with pytest.raises(OSError, match="could not write"):
        headless.save_png(QPixmap(), out)  # a null pixmap: Qt refuses to save it
    assert out.read_bytes() == b"old picture" and [p.name for p in tmp_path.iterdir()] == ["shot.png"]
    pm = QPixmap(8, 8)
    pm.fill(QColor("#1565c0"))
    assert headless.save_png(pm, out) == out
    assert out.read_bytes().startswith(b"\x89PNG")


def test_pdf_writer_reports_a_file_it_could_not_complete(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """QPdfWriter reports no I/O errors; write_pdf checks the result instead of exporting nothing silently."""
    from app.plan.report_doc import Heading, Para, ReportDoc

    doc = ReportDoc("ja", "計画レポート", "テスト", [("作成日", "2026年11月30日")], [Heading(1, "節"), Para("テスト")], [], "")
    good = tmp_path / "ok.pdf"
    write_pdf(doc, good, "計画レポート: テスト")
    assert good.read_bytes().startswith(b"%PDF-")
    with pytest.raises(OSError, match="could not be written completely"):
        write_pdf(doc, tmp_path / "no-such-folder" / "r.pdf", "x")
