"""Run inside `xvfb-run` by tests/e2e/test_xcb.py: start the real GUI (xcb), wait for results on
screen, screenshot the window with `xwd`, ask the app to quit, report as JSON.

    xvfb-run -a python tests/e2e/xcb_session.py OUT_DIR [app args…]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    out_dir = Path(sys.argv[1])
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    started = time.perf_counter()
    app = subprocess.Popen([sys.executable, "-m", "app", "--probe-results", *sys.argv[2:]], cwd=ROOT, env=env,
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=(out_dir / "app.err").open("w"),
                           text=True, encoding="utf-8")
    assert app.stdin is not None and app.stdout is not None
    report: dict[str, object] = {"display": os.environ.get("DISPLAY", "")}
    line = app.stdout.readline()  # blocks until the probe reports (or the app exits: EOF)
    report["probe"] = line.strip()
    report["shown_after_s"] = round(time.perf_counter() - started, 2)
    if line.startswith("results-shown"):
        fields = dict(part.split("=", 1) for part in line.split()[1:])
        report.update(fields)
        shot = subprocess.run(["xwd", "-silent", "-id", fields["window"], "-out", str(out_dir / "window.xwd")],
                              capture_output=True, text=True, timeout=60)
        report["xwd_rc"], report["xwd_err"] = shot.returncode, shot.stderr[-500:]
    app.stdin.write("quit\n")
    app.stdin.close()
    try:
        report["rc"] = app.wait(timeout=60)
    except subprocess.TimeoutExpired:
        app.kill()
        report["rc"] = "did not quit within 60 s"
    report["rest_of_stdout"] = app.stdout.read()[-500:]
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
