"""The Windows installer, end to end, under Wine: install, run, upgrade, uninstall.

Builds the installer with the same command people use (`./dev windows`, i.e.
packaging/windows/wine_build.py; cached downloads and Wine prefix make a second run cheaper), plus
a cheap N+1 installer (the same bundle repacked with a newer catalog and version string), then
works in a fresh Wine prefix, in order:

  install (/S) → files, HKCU uninstall keys, Start-menu shortcut, DPI manifest (never the exit
  code alone: a failed install under Wine exits 0) → CLI in a data folder with Japanese
  characters and spaces, under the cp932 and cp1252 code pages: --version, search (same ids as
  the Linux build), plan create/add/answer/coverage, export PDF/XLSX/HTML → GUI
  --quit-after-paint → GUI running while a second start, `import` and `build --force` run → upgrade
  N → N+1 with a plan in %LOCALAPPDATA%\\MachiNavi → Uninstall.exe /S (keeps plans) → reinstall,
  Uninstall.exe /S /REMOVEDATA (removes them).

Fails (never skips) on a Debian machine where Wine can be installed; skips, saying why, elsewhere.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app import __version__
from tests.conftest import BUNDLED, ROOT

pytestmark = pytest.mark.slow

WIN_DIR = ROOT / "packaging" / "windows"
sys.path.insert(0, str(WIN_DIR))
from wine import LOCALES, Wine, winpath  # noqa: E402

NEXT_VERSION = __version__ + ".1"  # the N+1 installer of the upgrade test
QUERY = "オンデマンド"
PLAN = "豊明 モデル"
SERVICES = ["nokkar", "ai-sakura-san", "ckan"]
ANSWERS = {"ownership": "municipality", "um:auth-strength": "identity-proofing"}
UNINST_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\MachiNavi"
SHORTCUT = "まちナビ (Machi Navi).lnk"


def _cannot_run() -> str | None:
    """Why Wine cannot be used here (then skip), or None (then every failure is a failure)."""
    if not sys.platform.startswith("linux"):
        return f"the Wine test runs on Linux (this is {sys.platform})"
    if shutil.which("wine") and shutil.which("makensis") and shutil.which("x86_64-w64-mingw32-gcc"):
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "Wine/NSIS/mingw are missing and cannot be installed here (needs Debian apt-get as root)"
    if subprocess.run(["apt-cache", "show", "wine64"], capture_output=True).returncode != 0:
        return "this Debian/Ubuntu has no wine64 package"
    return None  # wine_build.py installs them


@dataclass
class Built:
    installer: Path
    next_installer: Path
    next_hash: str
    seconds: dict[str, float] = field(default_factory=dict)


def _wine_build(*args: str) -> float:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, str(WIN_DIR / "wine_build.py"), *args], cwd=ROOT, capture_output=True,
                         text=True, timeout=1800, env={k: v for k, v in os.environ.items()
                              if not k.startswith("MACHI_NAVI_") or k == "MACHI_NAVI_WIN_CACHE"})
    print(out.stdout, out.stderr, sep="\n")
    assert out.returncode == 0, f"wine_build.py {' '.join(args)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    reason = _cannot_run()
    if reason:
        print(f"\nSKIP Windows e2e: {reason}")
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("windows")
    secs = {"build": _wine_build()}  # exactly `./dev windows`
    installer = ROOT / "dist" / "windows" / f"MachiNavi-{__version__}-setup.exe"
    assert installer.is_file()
    sums = (ROOT / "dist" / "windows" / "SHA256SUMS").read_text(encoding="utf-8")
    assert installer.name in sums

    # N+1: same data plus one harmless byte change (a comment), so its content hash and catalog differ
    catalog = base / "catalog_next"
    shutil.copytree(BUNDLED, catalog)
    with (catalog / "taxonomy.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# upgrade test: next catalog edition\n")
    from app.catalog.hashing import content_hash

    secs["build_next"] = _wine_build("--no-system", "--version", NEXT_VERSION, "--catalog", str(catalog),
                                     "--from-bundle", str(ROOT / "build" / "windows" / "dist" / "MachiNavi"),
                                     "--prebuild-with", sys.executable,
                                     "--work", str(base / "work-next"), "--out", str(base / "out-next"))
    nxt = base / "out-next" / f"MachiNavi-{NEXT_VERSION}-setup.exe"
    assert nxt.is_file()
    return Built(installer, nxt, content_hash(catalog), secs)


class Box:
    """A fresh Wine prefix with the app installed, and helpers to run it."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.wine = Wine(base / "prefix")
        self.log = base / "wine.log"

    def boot(self) -> None:
        self.wine.boot(log=self.log)
        self.user = self.wine.user_profile().name
        self.local = self.wine.local_appdata()
        self.install_dir = self.local / "Programs" / "MachiNavi"
        self.win_install = f"C:\\users\\{self.user}\\AppData\\Local\\Programs\\MachiNavi"
        self.home = self.local / "まちナビ テスト データ"  # Japanese characters and spaces
        self.win_home = f"C:\\users\\{self.user}\\AppData\\Local\\まちナビ テスト データ"
        self.default_home = self.local / "MachiNavi"  # %LOCALAPPDATA%\MachiNavi

    def run(self, exe: str, *args: str, home: bool = True, locale: str | None = None, timeout: float = 600):
        env = {"MACHI_NAVI_HOME": self.win_home} if home else {}
        return self.wine.run(f"{self.win_install}\\{exe}", *args, env=env, locale=locale, log=self.log, timeout=timeout)

    def cli(self, *args: str, home: bool = True, locale: str | None = None, ok: bool = True) -> str:
        res = self.run("machi-navi.exe", *args, home=home, locale=locale)
        assert "Traceback" not in res.output, f"machi-navi {' '.join(args)}:\n{res.output[-4000:]}"
        if ok:
            assert res.returncode == 0, f"machi-navi {' '.join(args)} → {res.returncode}\n{res.output[-4000:]}"
        return res.output

    def install(self, installer: Path) -> None:
        res = self.wine.run(winpath(installer), "/S", log=self.log, timeout=600)
        self.wine.wait_for_exit(installer.name)
        assert res.returncode == 0, res.output  # necessary, never sufficient: the files are checked below

    def uninstall(self, *flags: str) -> None:
        self.wine.run(f"{self.win_install}\\Uninstall.exe", "/S", *flags, log=self.log, timeout=600)
        self.wine.wait_for_exit("Au_.exe")  # the uninstaller re-runs itself from %TEMP% and returns at once
        deadline = time.monotonic() + 60
        while (self.install_dir / "Uninstall.exe").exists() and time.monotonic() < deadline:
            time.sleep(0.3)

    def uninstall_key(self) -> dict[str, str]:
        return self.wine.reg_query(UNINST_KEY)

    def shortcut(self) -> Path:
        return self.wine.start_menu_programs() / SHORTCUT


def _json(text: str) -> dict:
    return json.loads(text[text.index("{"):])


@pytest.fixture(scope="module")
def box(built: Built, tmp_path_factory: pytest.TempPathFactory):
    b = Box(tmp_path_factory.mktemp("wine"))
    started = time.perf_counter()
    b.boot()
    keeper = b.wine.keep_warm()
    built.seconds["prefix"] = time.perf_counter() - started
    yield b
    assert keeper.stdin is not None
    keeper.stdin.close()
    keeper.wait(timeout=60)
    b.wine.server("-k")
    print(f"\nWindows e2e timings (s): {json.dumps({k: round(v, 1) for k, v in built.seconds.items()})}; log {b.log}")


def _linux_ids(tmp: Path) -> list[str]:
    env = dict(os.environ, MACHI_NAVI_HOME=str(tmp / "linux-home"))
    env.pop("MACHI_NAVI_CATALOG", None)
    out = subprocess.run([sys.executable, "-m", "app", "search", QUERY, "--json", "--limit", "50"], cwd=ROOT, env=env,
                         capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert out.returncode == 0, out.stderr
    return [h["id"] for h in json.loads(out.stdout)["hits"]]


def _timed(built: Built, name: str):
    class T:
        def __enter__(self):
            self.t = time.perf_counter()

        def __exit__(self, *exc):
            built.seconds[name] = time.perf_counter() - self.t
    return T()


# ------------------------------------------------------------------------------------------------


def test_silent_install_creates_files_keys_and_shortcut(built: Built, box: Box) -> None:
    with _timed(built, "install"):
        box.install(built.installer)
    files = {p.name for p in box.install_dir.iterdir()}
    assert {"MachiNavi.exe", "machi-navi.exe", "Uninstall.exe", "_internal"} <= files, files
    internal = box.install_dir / "_internal"
    assert (internal / "prebuilt" / "catalog.db").is_file() and (internal / "catalog_data" / "taxonomy.yaml").is_file()
    assert not (internal / "icuuc.dll").exists(), "the Wine-only stand-in must never be shipped"
    from app.catalog.hashing import content_hash

    assert _catalog_hash(internal / "prebuilt" / "catalog.db") == content_hash(BUNDLED), "Windows hashes like Linux"
    key = box.uninstall_key()
    assert key.get("DisplayVersion") == __version__, key
    assert key.get("InstallLocation") == box.win_install and "Uninstall.exe" in key.get("UninstallString", "")
    assert key.get("QuietUninstallString", "").endswith("/S")
    assert box.shortcut().is_file()
    exe = (box.install_dir / "MachiNavi.exe").read_bytes()
    assert b"PerMonitorV2" in exe and b"longPathAware" in exe, "DPI awareness declared in the manifest"


def test_cli_in_a_japanese_path_under_cp932_and_cp1252(built: Built, box: Box, tmp_path: Path) -> None:
    with _timed(built, "cli"):
        assert box.cli("--version").strip().endswith(__version__)
        linux = _linux_ids(tmp_path)
        assert linux, "the Linux build finds something"
        for cp, locale in LOCALES.items():
            # cmd writes a pipe in the code page of the locale: proof the test is not vacuous
            echo = box.wine.run("cmd", "/c", "echo", "まちナビ", locale=locale, log=box.log, encoding="cp932")
            assert ("まちナビ" in echo.output) == (cp == "cp932"), f"{cp}: {echo.output!r}"
            hits = _json(box.cli("search", QUERY, "--json", "--limit", "50", locale=locale))
            assert [h["id"] for h in hits["hits"]] == linux, f"{cp}: same ids as the Linux build"
            err = box.run("machi-navi.exe", "plan", "show", "存在しない計画", locale=locale)
            assert err.returncode == 2 and "存在しない計画" in err.output and "Traceback" not in err.output, (cp, err.output)
        assert (box.home / "catalog.db").is_file() and (box.home / "index").is_dir(), "data in the Japanese path"
        assert not any(box.install_dir.glob("*.db")), "nothing written into the install folder"


def test_plan_workflow_with_exports(built: Built, box: Box) -> None:
    with _timed(built, "plan"):  # (`build --force` runs below, while the GUI holds the catalog open)
        box.cli("plan", "create", PLAN)
        box.cli("plan", "add", PLAN, *SERVICES)
        for qid, ans in ANSWERS.items():
            box.cli("plan", "answer", PLAN, qid, ans, "--note", "担当者メモ")
        cov = _json(box.cli("plan", "coverage", PLAN, "--json"))
        assert [s["id"] for s in cov["services"]] == SERVICES and cov["gaps"]
        out = box.home / "出力 フォルダ"
        out.mkdir()
        for fmt in ("pdf", "xlsx", "html"):
            box.cli("plan", "export", PLAN, "--format", fmt, "--out", f"{box.win_home}\\出力 フォルダ\\報告書.{fmt}")
    pdf = out / "報告書.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    png = out / "page"
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(png)], check=True, timeout=120)
    assert any(p.stat().st_size > 1000 for p in out.glob("page*.png")), "page 1 renders"
    from openpyxl import load_workbook

    wb = load_workbook(out / "報告書.xlsx")
    assert "ギャップ" in wb.sheetnames
    html = (out / "報告書.html").read_text(encoding="utf-8")
    assert PLAN in html and "<script" not in html.lower()  # Markdown rendered and sanitised (nh3 loads)


def test_gui_paints(built: Built, box: Box) -> None:
    with _timed(built, "gui"):
        res = box.run("MachiNavi.exe", "--quit-after-paint", timeout=300)
    assert res.returncode == 0 and "first-paint" in res.output and "Traceback" not in res.output, res.output[-4000:]


def _open_by_any_process(path: Path) -> bool:
    """Whether some process (the GUI under Wine: Wine opens the Unix file) has `path` open."""
    target = str(path)
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            for fd in fd_dir.iterdir():
                if os.readlink(fd) == target:
                    return True
        except OSError:
            continue
    return False


def test_import_and_rebuild_while_the_gui_holds_the_catalog(built: Built, box: Box) -> None:
    started = time.perf_counter()
    db = box.home / "catalog.db"
    gui = box.wine.spawn(f"{box.win_install}\\MachiNavi.exe", env={"MACHI_NAVI_HOME": box.win_home})
    try:
        deadline = time.monotonic() + 240
        while not _open_by_any_process(db):
            assert gui.poll() is None, f"the GUI exited early: {gui.stdout.read().decode('utf-8', 'replace')[-3000:]}"
            assert time.monotonic() < deadline, "the GUI never opened catalog.db"
            time.sleep(0.5)
        tpl = box.home / "template.csv"
        box.cli("template", "--out", f"{box.win_home}\\template.csv")
        rows = list(csv.reader(tpl.read_text(encoding="utf-8-sig").splitlines()))
        rows[1][0] = "local-bus"
        with (box.home / "mine.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows[:2])
        second = box.run("MachiNavi.exe", timeout=120)  # a second start: the first window is raised, no second GUI
        assert second.returncode == 0 and "already running" in second.output, second.output[-3000:]
        assert "imported 1 entry" in box.cli("import", f"{box.win_home}\\mine.csv")
        assert "built" in box.cli("build", "--force")
        assert gui.poll() is None, "the GUI survives both"
        siblings = sorted(p.name for p in box.home.glob("catalog.*.db"))
        assert siblings, "catalog.db was held open, so the rebuilds went beside it"
        hits = _json(box.cli("search", "わがまちバス予約", "--json"))
        assert "local-bus" in [h["id"] for h in hits["hits"]], "the CLI reads the new catalog"
        cov = _json(box.cli("plan", "coverage", PLAN, "--json"))
        assert [s["id"] for s in cov["services"]] == SERVICES, "no lost plan"
    finally:
        gui.kill()
        output = gui.communicate()[0].decode("utf-8", "replace")
        box.wine.wait_for_exit("MachiNavi.exe")
    assert "Traceback" not in output, output[-4000:]
    box.cli("stats", "--json")  # nothing holds catalog.db now: the newest is promoted
    assert not list(box.home.glob("catalog.*.db")) and db.is_file()
    built.seconds["gui_open_rebuild"] = time.perf_counter() - started


def test_signed_pack_in_the_bundle(built: Built, box: Box, tmp_path: Path) -> None:
    """cryptography (Ed25519) works in the frozen app: a key made there, and a pack signed on Linux
    verified, imported, found and removed (test data: tests/pack_support.py)."""
    from tests.pack_support import make_pack

    with _timed(built, "pack"):
        pack, _key, public = make_pack(tmp_path)
        shutil.copy(pack, box.home / "test-pref.zip")
        win_pack = f"{box.win_home}\\test-pref.zip"
        assert "key id:" in box.cli("pack", "keygen", "--out", f"{box.win_home}\\office.pem")
        verify = box.run("machi-navi.exe", "pack", "verify", win_pack)
        assert verify.returncode == 1 and "signature: valid" in verify.output, verify.output[-3000:]
        box.cli("pack", "trust", public)
        assert "imported test-pref" in box.cli("pack", "import", win_pack)
        hits = _json(box.cli("search", "【テストtest-pack】", "--json"))
        assert "test-pack-gomisuke" in [h["id"] for h in hits["hits"]]
        assert "removed test-pref" in box.cli("pack", "remove", "test-pref")


def _catalog_hash(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("select value from meta where key='content_hash'").fetchone()[0]
    finally:
        conn.close()


def test_upgrade_keeps_plans_and_adopts_the_new_catalog(built: Built, box: Box) -> None:
    with _timed(built, "upgrade"):
        box.cli("plan", "create", PLAN, home=False)  # in %LOCALAPPDATA%\MachiNavi
        box.cli("plan", "add", PLAN, *SERVICES, home=False)
        for qid, ans in ANSWERS.items():
            box.cli("plan", "answer", PLAN, qid, ans, home=False)
        assert (box.default_home / "plans.db").is_file(), "user data in %LOCALAPPDATA%\\MachiNavi"
        old_hash = _catalog_hash(box.default_home / "catalog.db")
        assert old_hash != built.next_hash

        box.install(built.next_installer)
        assert box.uninstall_key().get("DisplayVersion") == NEXT_VERSION
        assert len(list(box.install_dir.glob("Uninstall.exe"))) == 1
        cov = _json(box.cli("plan", "coverage", PLAN, "--json", home=False))
        assert [s["id"] for s in cov["services"]] == SERVICES and not any(s["missing"] for s in cov["services"])
        answers = {q["id"]: q["answer"] for q in cov["considerations"]["questions"]}
        assert {k: answers.get(k) for k in ANSWERS} == ANSWERS, "answers intact"
        assert _catalog_hash(box.default_home / "catalog.db") == built.next_hash, "the new catalog adopted"


def test_uninstall_keeps_plans_and_the_removal_option_removes_them(built: Built, box: Box) -> None:
    with _timed(built, "uninstall"):
        box.uninstall()
        assert not box.install_dir.exists() or not any(box.install_dir.iterdir()), "program removed"
        assert box.uninstall_key() == {} and not box.shortcut().exists()
        assert (box.default_home / "plans.db").is_file(), "Uninstall.exe /S keeps the plans"

        box.install(built.next_installer)
        assert (box.install_dir / "machi-navi.exe").is_file()
        assert PLAN in box.cli("plan", "list", home=False), "a reinstall finds the plans again"
        box.uninstall("/REMOVEDATA")
        assert not box.default_home.exists(), "the removal option removes plans and settings"
        assert box.uninstall_key() == {} and not (box.install_dir / "machi-navi.exe").exists()
