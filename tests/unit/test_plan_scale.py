"""The coverage scale: every percentage has one band, bands are ordered, text stays readable on its fill."""

import pytest

from app.plan.scale import BANDS, SEVERITIES, band_for, legend, severity_mark, status_band


def _luminance(hex_colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize(("pct", "key"), [(0, "none"), (1, "low"), (25, "low"), (33, "low"), (34, "mid"),
                                          (66, "mid"), (67, "high"), (99, "high"), (100, "full"),
                                          (-5, "none"), (250, "full"), (33.4, "low")])
def test_band_for_percentages(pct, key):
    assert band_for(pct).key == key


def test_bands_are_distinct_and_readable():
    assert [b.floor for b in BANDS] == sorted((b.floor for b in BANDS), reverse=True)
    assert len({b.fill for b in BANDS}) == len(BANDS)
    assert len({b.glyph for b in BANDS}) == len(BANDS)  # shape, not only colour
    for b in BANDS:
        assert _contrast(b.fill, b.text) >= 4.5, b.key


def test_status_and_severity_use_the_same_scale():
    assert status_band("provided") is band_for(100)
    assert status_band("none") is band_for(0)
    assert status_band("bogus") is band_for(0)
    assert severity_mark("critical").glyph != severity_mark("important").glyph
    assert severity_mark("unknown") is SEVERITIES["normal"]
    assert [row[1] for row in legend("en")][0].startswith("Complete")
