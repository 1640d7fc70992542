"""Run Windows programs under Wine: shared by the build (wine_build.py) and the Windows e2e test.

Traps this module handles (see README "Build the Windows installer"):
- Windows CPython under Wine dies at start (init_sys_streams: invalid handle) when stdout/stderr is a
  regular file, so every program runs with stdin from /dev/null and stdout+stderr into a pipe.
- Wine drops QT_* variables from the Unix environment: QT_QPA_PLATFORM=offscreen is set in the
  prefix's HKCU\\Environment instead.
- The prefix says Windows 10; Mono/Gecko installers are disabled (no network, no dialogs).
- Wine 8 lacks two system DLLs real Windows 10 has: icuuc.dll (Qt ≥ 6.10's Qt6Core imports ucnv_*)
  and bcryptprimitives.dll (Rust code, e.g. the nh3 wheel, imports ProcessPrng). Test-only stand-ins
  (packaging/windows/wine/*-stub.c) are compiled with mingw into the prefix's system32; never shipped.
Stdlib only: this runs with the system python3 before any venv exists.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

WINE_ENV = {
    "WINEARCH": "win64",
    "WINEDEBUG": "-all",
    "WINEDLLOVERRIDES": "mscoree,mshtml=",  # never offer to download Mono or Gecko
}
STUBS = {  # system32 DLL → its stand-in's source (and extra link flags)
    "icuuc.dll": ("icuuc-stub.c", []),
    "bcryptprimitives.dll": ("bcryptprimitives-stub.c", ["-ladvapi32"]),
}
STUB_DIR = Path(__file__).resolve().parent / "wine"
# The code page a Windows process gets follows the Unix locale Wine starts in.
LOCALES = {"cp1252": "en_US.UTF-8", "cp932": "ja_JP.UTF-8"}


@dataclass
class Result:
    args: list[str]
    returncode: int
    output: str
    seconds: float

    def check(self, what: str = "") -> Result:
        if self.returncode != 0:
            raise WineError(f"{what or ' '.join(self.args)} exited {self.returncode}:\n{self.output[-6000:]}")
        return self


class WineError(RuntimeError):
    pass


def available() -> str | None:
    """None if Wine (64-bit) can run here, else the reason it cannot."""
    if not shutil.which("wine"):
        return "wine is not installed"
    if not shutil.which("wineserver"):
        return "wineserver is not installed"
    return None


def winpath(path: Path | str) -> str:
    """Unix path → the same file through Wine's Z: drive."""
    return "Z:" + str(Path(path).absolute()).replace("/", "\\")


class Wine:
    """One Wine prefix. Programs run in it with `run`; `boot` makes a fresh prefix."""

    def __init__(self, prefix: Path, locale: str = "C.UTF-8") -> None:
        self.prefix = Path(prefix).absolute()
        self.locale = locale

    # -- environment ------------------------------------------------------------------------------
    def env(self, extra: dict[str, str] | None = None, locale: str | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "MACHI_NAVI_", "QT_"))}
        env.pop("DISPLAY", None)  # no X: console programs and Qt's offscreen platform need none
        env.update(WINE_ENV)
        env["WINEPREFIX"] = str(self.prefix)
        env["LANG"] = env["LC_ALL"] = locale or self.locale
        env.update(extra or {})
        return env

    @property
    def drive_c(self) -> Path:
        return self.prefix / "drive_c"

    def user_profile(self) -> Path:
        users = self.drive_c / "users"
        for p in sorted(users.iterdir()) if users.is_dir() else []:
            if p.name not in ("Public", "public") and not p.is_symlink() and (p / "AppData").is_dir():
                return p
        raise WineError(f"no user profile under {users}")

    def local_appdata(self) -> Path:
        return self.user_profile() / "AppData" / "Local"

    def start_menu_programs(self) -> Path:
        return self.user_profile() / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs"

    # -- running ------------------------------------------------------------------------------------
    def run(self, *args: str, log: Path | None = None, env: dict[str, str] | None = None, locale: str | None = None,
            timeout: float = 900, cwd: Path | None = None, encoding: str = "utf-8") -> Result:
        """`wine ARGS…` with stdout+stderr through a pipe (never a file: see the module doc)."""
        started = time.perf_counter()
        cmd = ["wine", *args]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=self.env(env, locale), cwd=cwd)
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        chunks: list[bytes] = []
        fh = None
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
            fh = log.open("ab")
            fh.write(f"$ {' '.join(cmd)}\n".encode())
        # Read until the program has exited and the pipe is drained — not until EOF: a wineserver that
        # this command happened to start inherits the pipe and keeps it open for as long as it runs.
        deadline = started + timeout
        killed = False
        while True:
            ready, _, _ = select.select([fd], [], [], 0.1)
            data = os.read(fd, 65536) if ready else b""
            if data:
                chunks.append(data)
                if fh is not None:  # into the log as it comes: a long step can be followed with tail -f
                    fh.write(data)
                    fh.flush()
                continue
            if ready:  # EOF
                break
            if proc.poll() is not None:
                break
            if time.perf_counter() > deadline and not killed:
                proc.kill()
                killed = True
        proc.wait()
        proc.stdout.close()
        text = b"".join(chunks).decode(encoding, errors="replace").replace("\r\n", "\n")
        if killed:
            text += f"\n[killed after {timeout}s]\n"
        if fh is not None:
            fh.write(f"\n[exit {proc.returncode}]\n".encode())
            fh.close()
        return Result(cmd, proc.returncode, text, time.perf_counter() - started)

    def spawn(self, *args: str, env: dict[str, str] | None = None, locale: str | None = None) -> subprocess.Popen[bytes]:
        """Start a program in the background (stdout+stderr through a pipe)."""
        return subprocess.Popen(["wine", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=self.env(env, locale))

    def keep_warm(self) -> subprocess.Popen[bytes]:
        """Keep the prefix's wineserver and services running (an idle `cmd` waiting on its stdin), so each
        program starts in ~2 s instead of ~5 s. Close the returned process's stdin to let it end."""
        return subprocess.Popen(["wine", "cmd"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=self.env())

    def wait_for_exit(self, image: str, timeout: float = 300) -> None:
        """Wait until no process of this prefix runs the Windows program `image` (e.g. NSIS's Au_.exe)."""
        deadline = time.monotonic() + timeout
        needle = image.lower().encode()
        while time.monotonic() < deadline:
            running = False
            for proc in Path("/proc").glob("[0-9]*"):
                try:
                    if needle in (proc / "cmdline").read_bytes().lower() and \
                            f"WINEPREFIX={self.prefix}".encode() in (proc / "environ").read_bytes():
                        running = True
                        break
                except OSError:
                    continue
            if not running:
                return
            time.sleep(0.3)
        raise WineError(f"{image} still running after {timeout}s")

    def server(self, *flags: str) -> None:
        """wineserver -w (wait until the prefix is idle) or -k (end this prefix's processes)."""
        subprocess.run(["wineserver", *flags], env=self.env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False, timeout=120)

    def reg_add(self, key: str, name: str, value: str, kind: str = "REG_SZ", log: Path | None = None) -> None:
        self.run("reg", "add", key, "/v", name, "/t", kind, "/d", value, "/f", log=log).check(f"reg add {key} {name}")

    def reg_query(self, key: str) -> dict[str, str]:
        """Values of a registry key ({} if it does not exist)."""
        res = self.run("reg", "query", key)
        values: dict[str, str] = {}
        if res.returncode != 0:
            return values
        for line in res.output.splitlines():
            parts = line.strip().split(None, 2)
            if len(parts) >= 2 and parts[1].startswith("REG_"):
                values[parts[0]] = parts[2] if len(parts) == 3 else ""
        return values

    def install_stand_ins(self, log: Path | None = None) -> None:
        """Compile the stand-ins for system DLLs Wine 8 lacks into system32 (see the module doc)."""
        for dll, (src, flags) in STUBS.items():
            out = self.drive_c / "windows" / "system32" / dll
            cmd = ["x86_64-w64-mingw32-gcc", "-O2", "-shared", "-o", str(out), str(STUB_DIR / src), *flags]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if log is not None:
                with log.open("a", encoding="utf-8") as fh:
                    fh.write(f"$ {' '.join(cmd)}\n{proc.stdout}{proc.stderr}[exit {proc.returncode}]\n")
            if proc.returncode != 0:
                raise WineError(f"cannot build the {dll} stand-in: {proc.stderr[-2000:]}")

    def boot(self, log: Path | None = None) -> None:
        """Create a fresh prefix (removing any old one): Windows 10, Qt offscreen, DLL stand-ins."""
        if self.prefix.exists():
            self.server("-k")
            shutil.rmtree(self.prefix)
        self.prefix.parent.mkdir(parents=True, exist_ok=True)
        self.run("wineboot", "-i", log=log, timeout=300).check("wineboot -i")
        self.reg_add(r"HKCU\Software\Wine", "Version", "win10", log=log)
        self.reg_add(r"HKCU\Environment", "QT_QPA_PLATFORM", "offscreen", log=log)
        self.install_stand_ins(log=log)
        self.server("-w")
