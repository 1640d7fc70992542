"""Look and feel: the Japanese UI font, light and high-contrast palettes, whole-UI zoom."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

BASE_POINT_SIZE = 11.0
ZOOM_MIN, ZOOM_MAX, ZOOM_STEP = 0.8, 2.0, 0.1

# Explicit Japanese fonts so Han characters take Japanese glyph forms (not Chinese/Korean ones).
# Noto Sans CJK JP first wherever it is installed (the same look on every platform, and what the
# screenshots show); else what the platform ships: Windows 10/11 always has Yu Gothic UI and Meiryo.
PREFERRED_FONTS = ("Noto Sans CJK JP", "Noto Sans JP")
FONT_CANDIDATES: dict[str, tuple[str, ...]] = {
    "win32": ("Yu Gothic UI", "Meiryo UI", "Meiryo", "MS UI Gothic"),
    "darwin": ("Hiragino Sans", "Hiragino Kaku Gothic ProN"),
    "linux": ("IPAexGothic", "IPAGothic", "TakaoPGothic", "VL PGothic"),
}


def pick_font_family(installed: set[str] | frozenset[str], platform: str = sys.platform) -> str:
    """First of the preferred fonts, then the platform's own Japanese fonts, that is installed ('' if none)."""
    key = "win32" if platform.startswith("win") else "darwin" if platform == "darwin" else "linux"
    for fam in PREFERRED_FONTS + FONT_CANDIDATES[key] + FONT_CANDIDATES["linux"]:
        if fam in installed:
            return fam
    return ""


def ui_font_family() -> str:
    """First installed Japanese UI font for this platform ('' if none is installed)."""
    return pick_font_family(set(QFontDatabase.families()))


@dataclass(frozen=True)
class Colors:
    window: str
    base: str
    alt: str
    text: str
    muted: str
    accent: str
    accent_text: str
    highlight: str
    border: str
    chip: str
    service: str
    architecture: str
    source: str
    editorial: str
    hit: str


LIGHT = Colors(
    window="#f4f6f9", base="#ffffff", alt="#f7f9fc", text="#1d2430", muted="#5b6576", accent="#1565c0",
    accent_text="#ffffff", highlight="#d7e7fb", border="#c9d1dc", chip="#e3edf9", service="#1565c0",
    architecture="#7b3fa0", source="#2e7d32", editorial="#b26a00", hit="#fff3b0",
)
HIGH_CONTRAST = Colors(
    window="#000000", base="#000000", alt="#111111", text="#ffffff", muted="#e0e0e0", accent="#ffd600",
    accent_text="#000000", highlight="#ffd600", border="#ffffff", chip="#1f1f1f", service="#4fc3f7",
    architecture="#ff80ff", source="#69f0ae", editorial="#ffab40", hit="#ffd600",
)


class Theme:
    """Process-wide theme state (one QApplication per process)."""

    high_contrast: bool = False
    zoom: float = 1.0
    family: str = ""

    @classmethod
    def colors(cls) -> Colors:
        return HIGH_CONTRAST if cls.high_contrast else LIGHT


def _palette(c: Colors) -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window, QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.base, QPalette.ColorRole.AlternateBase: c.alt,
        QPalette.ColorRole.Text: c.text, QPalette.ColorRole.Button: c.window,
        QPalette.ColorRole.ButtonText: c.text, QPalette.ColorRole.ToolTipBase: c.base,
        QPalette.ColorRole.ToolTipText: c.text, QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Highlight: c.accent if Theme.high_contrast else c.highlight,
        QPalette.ColorRole.HighlightedText: c.accent_text if Theme.high_contrast else c.text,
        QPalette.ColorRole.Link: c.accent, QPalette.ColorRole.BrightText: c.accent,
    }
    for role, color in roles.items():
        pal.setColor(role, QColor(color))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(c.muted))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(c.muted))
    return pal


def _stylesheet(c: Colors) -> str:
    # Paddings and radii in em: they follow each widget's font, so a zoom step needs no new style sheet.
    bw = 2 if Theme.high_contrast else 1
    return f"""
    QToolTip {{ color: {c.text}; background: {c.base}; border: 1px solid {c.border}; padding: 0.3em; }}
    QLineEdit#queryEdit {{ border: {bw + 1}px solid {c.border}; border-radius: 0.6em; padding: 0.4em 0.7em;
                          background: {c.base}; selection-background-color: {c.accent}; }}
    QLineEdit#queryEdit:focus {{ border-color: {c.accent}; }}
    QFrame#chip {{ background: {c.chip}; border: {bw}px solid {c.border}; border-radius: 0.8em; }}
    QFrame#chip[negated="true"] {{ border-style: dashed; }}
    QLabel#partialChip {{ background: {c.chip}; border: {bw}px dashed {c.accent}; border-radius: 0.8em; padding: 0.1em 0.7em; }}
    QToolButton#synonymChip {{ background: {c.chip}; border: {bw}px solid {c.accent}; border-radius: 0.8em; padding: 0.1em 0.7em; }}
    QToolButton#synonymChip:!checked {{ border-style: dashed; }}
    QToolButton#chipClose {{ border: none; padding: 0 0.15em; color: {c.muted}; }}
    QToolButton#chipClose:hover {{ color: {c.accent}; }}
    QLabel#sectionTitle {{ color: {c.muted}; font-weight: 600; padding: 0.4em 0.15em 0.15em 0.15em; }}
    QLabel#detailTitle {{ font-weight: 700; }}
    QTableView, QTreeView, QListView, QTextBrowser {{ border: {bw}px solid {c.border}; border-radius: 0.3em;
                          background: {c.base}; }}
    QHeaderView::section {{ background: {c.window}; color: {c.muted}; border: none;
                          border-bottom: {bw}px solid {c.border}; padding: 0.3em 0.4em; font-weight: 600; }}
    QTabWidget::pane {{ border: none; }}
    QTabBar::tab {{ padding: 0.4em 1em; border: none; border-bottom: 3px solid transparent; color: {c.muted}; }}
    QTabBar::tab:selected {{ color: {c.text}; border-bottom: 3px solid {c.accent}; font-weight: 600; }}
    QPushButton#primary {{ background: {c.accent}; color: {c.accent_text}; border: none; border-radius: 0.4em;
                          padding: 0.4em 0.9em; font-weight: 600; }}
    QPushButton#primary:disabled {{ background: {c.border}; color: {c.muted}; }}
    QToolButton#planCounter {{ background: {c.chip}; border: {bw}px solid {c.border}; border-radius: 0.8em;
                          padding: 0.2em 0.8em; font-weight: 600; }}
    QStatusBar {{ color: {c.muted}; }}
    QSplitter::handle {{ background: {c.window}; }}
    """


def apply_theme(app: QApplication, high_contrast: bool | None = None, zoom: float | None = None,
                stylesheet: bool = True) -> None:
    """Apply font, palette and zoom to the whole application (widgets without their own font follow).

    `stylesheet=False` leaves the style sheet out: building many widgets under an application style
    sheet is slow, so start-up builds the main window first and calls apply_stylesheet() after.
    A zoom-only change under a style sheet takes the fast path (set_zoom_fonts): no new style sheet.
    """
    old_zoom = Theme.zoom
    if zoom is not None:
        Theme.zoom = max(ZOOM_MIN, min(ZOOM_MAX, round(zoom, 2)))
    if high_contrast is None and app.styleSheet():  # a zoom step (a theme change re-applies everything)
        if Theme.zoom != old_zoom:
            set_zoom_fonts(app, old_zoom, Theme.zoom)
        return
    if high_contrast is not None:
        Theme.high_contrast = high_contrast
    if not Theme.family:
        Theme.family = ui_font_family()
    if app.style().objectName().lower() != "fusion" and app.property("mnFusion") is None:
        app.setStyle("Fusion")  # (under a style sheet the style's name is not "fusion": set it once)
        app.setProperty("mnFusion", True)
    app.setPalette(_palette(Theme.colors()))
    app.setFont(ui_font())
    if Theme.zoom != old_zoom and app.styleSheet():
        set_zoom_fonts(app, old_zoom, Theme.zoom)  # widgets that exist keep their own fonts
    if stylesheet or app.styleSheet():
        apply_stylesheet(app)


def ui_font() -> QFont:
    """The UI font at the current zoom."""
    font = QFont(Theme.family) if Theme.family else QFont()
    if Theme.family:
        font.setFamilies([Theme.family])
    font.setPointSizeF(BASE_POINT_SIZE * Theme.zoom)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def set_zoom_fonts(app: QApplication, old_zoom: float, new_zoom: float) -> None:
    """Scale every existing widget's font from `old_zoom` to `new_zoom`, keeping its own ratio to
    the UI font (titles stay 1.45×). Under an application style sheet, QApplication.setFont does
    not reach existing widgets, and re-applying the style sheet re-polishes every widget (the 2–3 s
    zoom steps); setting each font is ~30× cheaper. New widgets take the new application font."""
    app.setFont(ui_font())
    ratio = new_zoom / old_zoom
    widgets = app.allWidgets()
    bases = []
    for w in widgets:  # every base first: setting a parent's font may reach its children
        base = w.property("mnBasePt")
        if base is None:
            f = w.font()
            base = (f.pointSizeF() if f.pointSizeF() > 0 else f.pixelSize()) / old_zoom
            w.setProperty("mnBasePt", base)
        bases.append(float(base))

    def depth(w: QWidget) -> int:
        n = 0
        while (w := w.parentWidget()) is not None:
            n += 1
        return n
    for _d, w, base in sorted(((depth(w), w, b) for w, b in zip(widgets, bases, strict=True)), key=lambda t: t[0]):
        f = QFont(w.font())  # parents first, so a child's own size is set last
        if f.pointSizeF() > 0:
            if f.pointSizeF() == max(1.0, base * new_zoom):
                continue  # already there (its parent's font reached it): no second FontChange
            f.setPointSizeF(max(1.0, base * new_zoom))
        elif f.pixelSize() > 0:
            f.setPixelSize(max(1, round(f.pixelSize() * ratio)))
        w.setFont(f)


def apply_stylesheet(app: QApplication) -> None:
    app.setStyleSheet(_stylesheet(Theme.colors()))


def scaled_font(factor: float = 1.0, bold: bool = False) -> QFont:
    """The current UI font scaled by `factor` (for titles); follows zoom and family."""
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(max(6.0, font.pointSizeF() * factor))
    font.setBold(bold)
    return font
