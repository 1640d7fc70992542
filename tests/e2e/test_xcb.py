"""The real GUI on a real X server (Xvfb, Qt's xcb platform, not offscreen): a fresh user's first
start builds the catalog, shows results, is screenshotted with `xwd`, and quits cleanly."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.xwd import read_xwd

SCREEN = "1920x1200x24"  # larger than the default window, so xwd sees all of it


def _tools_or_skip() -> None:
    missing = [t for t in ("xvfb-run", "xwd") if shutil.which(t) is None]
    if not missing:
        return
    if sys.platform == "linux" and Path("/etc/debian_version").exists():
        pytest.fail(f"{', '.join(missing)} missing: ./dev test installs xvfb and x11-apps as root "
                    "(apt-get install xvfb x11-apps)")
    reason = f"no {', '.join(missing)} on this system (not Debian): the xcb start is not tested here"
    print(reason)
    pytest.skip(reason)


@pytest.mark.skipif(sys.platform != "linux", reason="X11/xcb is the Linux desktop platform")
def test_first_start_under_xcb_shows_results_on_screen(tmp_path: Path, user_home: Path) -> None:
    _tools_or_skip()
    (user_home / "machinavi-ui.ini").write_text("[tour]\nseen=true\n", encoding="utf-8")  # no tour on top
    assert not (user_home / "catalog.db").exists()  # a first start: the catalog is built
    started = time.perf_counter()
    # -n before -a: start the free-number search at a random display, away from other xvfb-run users of :99
    server = ["-n", str(random.randrange(100, 30000)), "-a", "-e", str(tmp_path / "xvfb.err"), "-s", f"-screen 0 {SCREEN}"]
    run = subprocess.run(["xvfb-run", *server, sys.executable,
                          str(ROOT / "tests" / "e2e" / "xcb_session.py"), str(tmp_path), "--lang", "ja"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    app_err = (tmp_path / "app.err").read_text(encoding="utf-8") if (tmp_path / "app.err").exists() else ""
    xvfb_err = (tmp_path / "xvfb.err").read_text(errors="replace") if (tmp_path / "xvfb.err").exists() else ""
    assert run.returncode == 0, f"xvfb-run failed: {run.stdout[-1000:]}{run.stderr[-2000:]}{xvfb_err[-1000:]}"
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["probe"].startswith("results-shown"), f"{report}\n{app_err[-3000:]}"
    assert int(report["rows"]) > 100
    assert report["xwd_rc"] == 0, report["xwd_err"]
    assert report["rc"] == 0, f"the app did not quit cleanly: {report['rc']}\n{app_err[-3000:]}"
    assert "Traceback" not in app_err, app_err[-3000:]

    shot = read_xwd(tmp_path / "window.xwd")
    png = tmp_path / "window.png"
    shot.save_png(png)
    print(f"xcb start: results after {report['shown_after_s']} s, whole test {seconds:.1f} s; screenshot {png}")
    w, h = (int(v) for v in report["size"].split("x"))
    assert (shot.width, shot.height) == (w, h) and w >= 800 and h >= 500
    assert shot.distinct() > 50 and shot.stddev() > 10, "the window is blank"
    # the results table: rows of text, not an empty or unpainted area
    tx, ty, tsize = report["table"].split(",")
    x, y = int(tx), int(ty)
    tw, th = (int(v) for v in tsize.split("x"))
    assert tw > 200 and th > 200
    region = [sum(shot.rgb(px, py)) // 3 for py in range(y, min(y + th, h), 3) for px in range(x, min(x + tw, w), 3)]
    dark = sum(1 for v in region if v < 128) / len(region)
    assert 0.005 < dark < 0.5, f"results table area looks empty ({dark:.3%} dark pixels)"
