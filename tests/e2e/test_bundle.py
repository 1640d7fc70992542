"""The packaged app as users get it: build.spec → onedir bundle (Linux smoke build), run offscreen.

Builds once per session into a temp dir (never inside the source tree), then runs the frozen
`machi-navi` (console) and `MachiNavi` (GUI) executables with a fresh MACHI_NAVI_HOME and an
unrelated working directory, and compiles the NSIS installer script against the built tree.
About 30–60 s on two cores, most of it PyInstaller.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import __version__
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


class Bundle:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.dist = base / "dist"
        self.work = base / "work"
        self.prebuilt = base / "prebuilt"
        self.root = self.dist / "MachiNavi"
        self.internal = self.root / "_internal"
        self.cli = self.root / f"machi-navi{EXE_SUFFIX}"
        self.gui = self.root / f"MachiNavi{EXE_SUFFIX}"
        self.seconds = 0.0
        self.files_after_build: set[str] = set()

    def files(self) -> set[str]:
        return {p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file() or p.is_symlink()}

    def run(self, exe: Path, *args: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MACHI_NAVI_", "PYTHON"))}
        env.update(MACHI_NAVI_HOME=str(home), QT_QPA_PLATFORM="offscreen")
        return subprocess.run([str(exe), *args], cwd=home, env=env, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=timeout)

    def cli_ok(self, *args: str, home: Path) -> str:
        out = self.run(self.cli, *args, home=home)
        assert out.returncode == 0, f"machi-navi {' '.join(args)} → {out.returncode}\n{out.stdout}\n{out.stderr}"
        return out.stdout


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    pytest.importorskip("PyInstaller", reason="pip install -e .[package]")
    b = Bundle(tmp_path_factory.mktemp("bundle"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MACHI_NAVI_")}
    env["MACHI_NAVI_PREBUILT"] = str(b.prebuilt)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(ROOT / "build.spec"), "--noconfirm", "--log-level", "WARN",
         "--distpath", str(b.dist), "--workpath", str(b.work)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    b.seconds = time.perf_counter() - started
    assert out.returncode == 0, f"PyInstaller failed:\n{out.stdout[-4000:]}\n{out.stderr[-8000:]}"
    assert b.cli.is_file() and b.gui.is_file()
    b.files_after_build = b.files()
    print(f"\nbundle built in {b.seconds:.1f}s: {b.root}")
    return b


def _dir_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def test_bundle_layout_and_trimmed_qt(bundle: Bundle) -> None:
    internal = bundle.internal
    assert (internal / "catalog_data" / "taxonomy.yaml").is_file()
    assert (internal / "resources" / "icons" / "app.png").is_file()
    assert (internal / "resources" / "icons" / "app.ico").is_file()
    assert (internal / "prebuilt" / "catalog.db").is_file()
    assert list((internal / "prebuilt" / "index").glob("*/stamp.json")), "the search index is pre-built"
    ts = sorted(p.stem for p in (ROOT / "resources" / "translations").glob("*.ts"))
    qm = sorted(p.stem for p in (internal / "resources" / "translations").glob("*.qm"))
    assert set(ts) <= set(qm), f"every .ts is shipped compiled: {ts} vs {qm}"
    names = bundle.files()
    unwanted = re.compile(r"(Qt6?(Network|Qml|Quick|WebEngine|Multimedia|3D|Pdf)\w*\.(abi3\.)?(so|dll|pyd)|(^|/)(numpy|scipy|PIL|tkinter)/|libssl)", re.I)
    assert not [n for n in names if unwanted.search(n)], "modules the app does not use are excluded"
    qt_tr = [n for n in names if re.search(r"PySide6/(Qt/)?translations/", n)]
    assert qt_tr and all(re.search(r"_(ja|en)\.qm$", n) for n in qt_tr), "Qt's own translations: Japanese and English only"
    version_info = (bundle.work / "build" / "version_info.txt").read_text(encoding="utf-8")
    quad = ", ".join((re.findall(r"\d+", __version__) + ["0"] * 4)[:4])
    assert f"filevers=({quad})" in version_info and f"'ProductVersion', '{__version__}'" in version_info
    regular = [p for p in bundle.root.rglob("*") if p.is_file() and not p.is_symlink()]
    print(f"bundle: {_dir_size(bundle.root) / 2**20:.1f} MiB, {len(regular)} files")


def test_version(bundle: Bundle, user_home: Path) -> None:
    assert bundle.cli_ok("--version", home=user_home).strip() == f"machi-navi {__version__}"


def test_first_start_adopts_prebuilt_catalog_and_index(bundle: Bundle, user_home: Path) -> None:
    out = bundle.cli_ok("build", home=user_home)
    assert "up to date" in out, f"first start should adopt prebuilt/catalog.db, not build: {out}"
    bundle.cli_ok("search", "交通", "--limit", "1", home=user_home)
    shipped = next((bundle.internal / "prebuilt" / "index").iterdir())
    adopted = user_home / "index" / shipped.name
    assert adopted.is_dir(), "the index named by the catalog's content hash is adopted"
    assert {p.name for p in adopted.iterdir()} == {p.name for p in shipped.iterdir()}, "copied, not rebuilt"


def test_search_json(bundle: Bundle, user_home: Path) -> None:
    data = json.loads(bundle.cli_ok("search", "オンデマンド", "--json", home=user_home))
    assert data["hits"], data
    assert any("オンデマンド" in (h.get("name", "") + h.get("snippet", "")) for h in data["hits"])


def test_serve_is_not_bundled_and_says_how(bundle: Bundle, user_home: Path, tmp_path: Path) -> None:
    """Datasette stays out of the bundle (build.spec): `serve` explains what to do, `serve --prepare` still works."""
    assert not list(bundle.internal.glob("datasette*")) and not list(bundle.internal.glob("uvicorn*"))
    out = bundle.run(bundle.cli, "serve", home=user_home)
    assert out.returncode == 2 and "Datasette" in out.stderr and "--prepare" in out.stderr, out.stderr
    bundle.cli_ok("serve", "--prepare", str(tmp_path / "pub"), home=user_home)
    assert {p.name for p in (tmp_path / "pub").iterdir()} == {"catalog.db", "metadata.json"}


def test_plan_create_add_coverage_export(bundle: Bundle, user_home: Path) -> None:
    hits = json.loads(bundle.cli_ok("search", "オンデマンド", "--json", home=user_home))["hits"]
    ids = [h["id"] for h in hits if h.get("kind", "service") == "service"][:2]
    assert ids
    bundle.cli_ok("plan", "create", "交通計画", home=user_home)
    bundle.cli_ok("plan", "add", "交通計画", *ids, home=user_home)
    cov = json.loads(bundle.cli_ok("plan", "coverage", "交通計画", "--json", home=user_home))
    assert sorted(s["id"] for s in cov["services"]) == sorted(ids)
    for fmt in ("xlsx", "pdf"):  # openpyxl and Qt's PDF writer inside the bundle
        out = user_home / f"report.{fmt}"
        bundle.cli_ok("plan", "export", "交通計画", "--out", str(out), home=user_home)
        assert out.stat().st_size > 1000
    assert (user_home / "plans.db").is_file()


def test_shot_architecture_png(bundle: Bundle, user_home: Path) -> None:
    out = user_home / "architecture.png"
    res = bundle.run(bundle.cli, "shot", "--view", "architecture", "--out", str(out), home=user_home)
    if "invalid choice: 'shot'" in res.stderr:
        pytest.fail("the bundle has no `shot` command yet (app/commands/shot.py must register it)")
    assert res.returncode == 0, res.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_gui_executable_paints_a_window(bundle: Bundle, user_home: Path) -> None:
    res = bundle.run(bundle.gui, "--quit-after-paint", home=user_home)
    assert res.returncode == 0, res.stderr
    assert re.search(r"^first-paint \d+\.\d+$", res.stdout, re.M), res.stdout


def test_installer_script_compiles(bundle: Bundle, tmp_path: Path) -> None:
    makensis = shutil.which("makensis")
    if not makensis:
        pytest.skip("makensis (NSIS) is not installed")
    out = subprocess.run(
        [makensis, "-WX", "-V2", f"-DVERSION={__version__}", f"-DDIST_DIR={bundle.root}", f"-DOUT_DIR={tmp_path}",
         "-DNOCOMPRESS", str(ROOT / "packaging" / "windows" / "installer.nsi")],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    setup = tmp_path / f"MachiNavi-{__version__}-setup.exe"
    assert setup.read_bytes()[:2] == b"MZ"
    assert setup.stat().st_size > _dir_size(bundle.root) * 0.5, "the installer carries the bundle"


def test_running_the_app_writes_nothing_into_the_install_folder(bundle: Bundle, user_home: Path) -> None:
    bundle.cli_ok("--version", home=user_home)  # runs last (file order): every test above has run the app
    assert bundle.files() == bundle.files_after_build
