"""Derive the Debian packages Qt needs to open a window, from the installed PySide6 itself.

    .venv/bin/python tools/qt_system_deps.py            # soname → package table, then the package list
    .venv/bin/python tools/qt_system_deps.py --bash     # the list as the dev script's QT_PACKAGES line
    .venv/bin/python tools/qt_system_deps.py --check    # exit 1 if the dev script misses a package

How: start from the PySide6 modules the app imports and the Qt plugins a desktop session loads
(platforms xcb/wayland/offscreen, xcbglintegrations, the wayland client plugins, input contexts,
image formats), read each ELF file's DT_NEEDED entries (a small parser below: no binutils needed),
follow the ones bundled with PySide6 and collect the rest: the system libraries Qt links directly.
Each is mapped to its package with `dpkg -S` when it is installed; when it is missing the package
name follows Debian's library naming (libxcb-icccm.so.4 → libxcb-icccm4), confirmed with
`apt-cache show`. Packages apt itself depends on (libc6, zlib1g, …) are on every Debian system
and are left out; so are transitive dependencies (apt installs those). Libraries Qt only dlopen()s are not in
DT_NEEDED: they are listed in DLOPENED below (from Qt's documented run-time requirements).
"""

from __future__ import annotations

import argparse
import re
import struct
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.ui.platform_check import debian_package  # noqa: E402 - the same naming the app's hint uses

# Plugins a desktop start can load, relative to PySide6/Qt/plugins (globs).
PLUGINS = (
    "platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so",
    "xcbglintegrations/*.so",
    "wayland-decoration-client/*.so", "wayland-graphics-integration-client/*.so", "wayland-shell-integration/*.so",
    "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "platforminputcontexts/libibusplatforminputcontextplugin.so",
    "imageformats/*.so", "iconengines/*.so",
)
MODULES = ("QtCore", "QtGui", "QtWidgets")  # the PySide6 modules app/ imports
# dlopen()ed at run time, so absent from DT_NEEDED: QtDBus loads libdbus-1 (the ibus input context, the
# xdg portal), Qt's xcb plugin refuses to start without xcb-cursor since 6.5 when it is not linked.
DLOPENED = ("libdbus-1.so.3", "libxcb-cursor.so.0")
LIB_DIRS = ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib")


def elf_needed(path: Path) -> list[str]:
    """DT_NEEDED entries of a 64- or 32-bit little/big-endian ELF shared object."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF":
        return []
    is64, end = data[4] == 2, "<" if data[5] == 1 else ">"
    if is64:
        shoff, = struct.unpack_from(end + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x3A)
    else:
        shoff, = struct.unpack_from(end + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x2E)
    sections = []
    for i in range(shnum):
        off = shoff + i * shentsize
        if is64:
            _name, stype, _fl, _addr, soff, ssize, link = struct.unpack_from(end + "IIQQQQI", data, off)
        else:
            _name, stype, _fl, _addr, soff, ssize, link = struct.unpack_from(end + "IIIIIII", data, off)
        sections.append((stype, soff, ssize, link))
    needed = []
    for stype, soff, ssize, link in sections:
        if stype != 6:  # SHT_DYNAMIC
            continue
        strtab_off = sections[link][1]
        fmt, step = (end + "qQ", 16) if is64 else (end + "iI", 8)
        for pos in range(soff, soff + ssize, step):
            tag, val = struct.unpack_from(fmt, data, pos)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                stop = data.index(b"\0", strtab_off + val)
                needed.append(data[strtab_off + val:stop].decode())
    return needed


def pyside_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).resolve().parent


def system_sonames(root: Path | None = None) -> dict[str, set[str]]:
    """System sonames Qt links directly → the bundled files that need them."""
    root = root or pyside_dir()
    qt = root / "Qt"
    bundled = {p.name: p for d in (qt / "lib", root, root.parent / "shiboken6") if d.exists() for p in d.glob("*.so*")}
    todo = [root / f"{m}.abi3.so" for m in MODULES]
    for pattern in PLUGINS:
        todo += sorted((qt / "plugins").glob(pattern))
    seen: set[Path] = set()
    found: dict[str, set[str]] = {}
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        for name in elf_needed(path):
            if name in bundled:
                todo.append(bundled[name])
            else:
                found.setdefault(name, set()).add(path.name)
    for name in DLOPENED:
        found.setdefault(name, set()).add("(dlopen)")
    return found


def locate(soname: str) -> Path | None:
    for d in LIB_DIRS:
        p = Path(d) / soname
        if p.exists():
            return p
    return None


def _run(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    except OSError:
        return ""


def base_packages() -> set[str]:
    """What apt itself depends on (recursively): present on every Debian system that can run apt-get."""
    out = _run("apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
               "--no-breaks", "--no-replaces", "--no-enhances", "apt")
    return {line.strip() for line in out.splitlines() if line and not line.startswith(" ")}


def packages_of(sonames: list[str]) -> dict[str, tuple[str, str]]:
    """soname → (package, how): `dpkg -S` when installed, else the policy name checked by apt-cache."""
    result: dict[str, tuple[str, str]] = {}
    paths = {}
    for soname in sonames:
        path = locate(soname)
        if path is not None:  # merged /usr: dpkg may have registered either spelling
            for p in {str(path), str(path.resolve()), "/usr" + str(path) if not str(path).startswith("/usr/") else str(path)}:
                paths[p] = soname
    for line in _run("dpkg", "-S", *paths).splitlines():
        pkg, _, file = line.partition(": ")
        if file in paths and paths[file] not in result:
            result[paths[file]] = (pkg.split(",")[0].split(":")[0].strip(), "dpkg -S")
    for soname in sonames:
        if soname in result:
            continue
        name = debian_package(soname)
        if name and _run("apt-cache", "show", "--no-all-versions", name).startswith("Package:"):
            result[soname] = (name, "apt-cache (not installed)")
        else:
            result[soname] = (name or "?", "unknown")
    return result


def derive() -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """(packages for the dev script, rows soname/package/how/needed-by)."""
    found = system_sonames()
    qt_only = sorted(s for s in found if s.startswith("libQt6"))  # Qt modules not in PySide6-Essentials
    sonames = sorted(s for s in found if s not in qt_only)
    mapping = packages_of(sonames)
    base = base_packages()
    rows = [(s, *mapping[s], ", ".join(sorted(found[s]))[:60]) for s in sonames]
    rows += [(s, "-", "Qt module not bundled", ", ".join(sorted(found[s]))[:60]) for s in qt_only]
    packages = {pkg for pkg, _how in mapping.values() if pkg != "?" and pkg not in base}
    return sorted(packages), rows


def dev_packages(dev: Path) -> set[str]:
    text = dev.read_text(encoding="utf-8")
    m = re.search(r"QT_PACKAGES=\(([^)]*)\)", text)
    return set(m.group(1).split()) if m else set()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bash", action="store_true", help="print the dev script's QT_PACKAGES line")
    ap.add_argument("--check", action="store_true", help="exit 1 if ./dev lacks a derived package")
    args = ap.parse_args(argv)
    packages, rows = derive()
    if args.bash:
        print(f"QT_PACKAGES=({' '.join(packages)})")
        return 0
    if args.check:
        missing = sorted(set(packages) - dev_packages(Path(__file__).resolve().parent.parent / "dev"))
        if missing:
            print(f"dev: QT_PACKAGES lacks {' '.join(missing)}", file=sys.stderr)
            return 1
        print(f"dev lists all {len(packages)} packages")
        return 0
    width = max(len(r[0]) for r in rows)
    for soname, pkg, how, users in rows:
        print(f"{soname:<{width}}  {pkg:<22} {how:<26} {users}")
    print("\n" + " ".join(packages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
