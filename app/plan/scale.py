"""The one coverage colour scale: plan tiles, node rows, the SCRA figure overlay, legends and exports.

Colour-blind safe (a light orange → blue diverging scale, ColorBrewer RdBu family, no red/green pair) and
never colour alone: every band and severity also has a glyph, so a greyscale print or a projector that
washes colours out still tells the levels apart. Pure data, no Qt, so exports use the same values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    key: str
    floor: int  # lowest percentage in this band
    fill: str  # background, #rrggbb
    text: str  # text colour readable on `fill` (contrast ≥ 4.5:1)
    glyph: str  # shape shown next to the value, so colour is never the only cue
    label_ja: str
    label_en: str

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en


# Highest floor first; `band_for` takes the first band whose floor the percentage reaches.
BANDS: tuple[Band, ...] = (
    Band("full", 100, "#2166ac", "#ffffff", "●", "充足（100%）", "Complete (100%)"),
    Band("high", 67, "#92c5de", "#10202c", "◕", "おおむね充足（67–99%）", "Mostly (67–99%)"),
    Band("mid", 34, "#d1e5f0", "#10202c", "◑", "一部（34–66%）", "Partly (34–66%)"),
    Band("low", 1, "#fddbc7", "#2a1408", "◔", "わずか（1–33%）", "Barely (1–33%)"),
    Band("none", 0, "#f4a582", "#2a1408", "○", "未カバー（0%）", "Not covered (0%)"),
)
BAND_BY_KEY = {b.key: b for b in BANDS}

# A single node is either covered (directly or through its parent) or not: map its status onto the scale
# so a node row and a group tile never disagree about what "green" means.
STATUS_BAND = {"provided": "full", "used": "high", "inherited": "mid", "none": "none"}
STATUS_LABEL = {
    "provided": ("提供あり", "Provided"),
    "used": ("利用あり", "Used"),
    "inherited": ("上位ブロックで対応", "Via parent block"),
    "none": ("未対応", "Not covered"),
}


@dataclass(frozen=True)
class SeverityMark:
    key: str
    glyph: str
    colour: str  # outline / icon colour on a light background
    label_ja: str
    label_en: str

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en


SEVERITIES: dict[str, SeverityMark] = {
    "critical": SeverityMark("critical", "▲", "#b2182b", "重大", "Critical"),
    "important": SeverityMark("important", "◆", "#b35806", "重要", "Important"),
    "normal": SeverityMark("normal", "・", "#5b6576", "通常", "Normal"),
}


def band_for(percent: float) -> Band:
    """The band a coverage percentage falls in (values outside 0–100 are clamped)."""
    p = max(0.0, min(100.0, float(percent)))
    for band in BANDS:
        if p >= band.floor:
            return band
    return BANDS[-1]


def status_band(status: str) -> Band:
    """The band for a node status (provided/used/inherited/none); unknown statuses count as not covered."""
    return BAND_BY_KEY[STATUS_BAND.get(status, "none")]


def severity_mark(severity: str) -> SeverityMark:
    return SEVERITIES.get(severity, SEVERITIES["normal"])


def legend(lang: str = "ja") -> list[tuple[str, str, str, str]]:
    """(glyph, label, fill, text) per band, highest first — one legend for the app and the exports."""
    return [(b.glyph, b.label(lang), b.fill, b.text) for b in BANDS]
