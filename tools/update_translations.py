"""Refresh the UI translations: lupdate (app/ui/*.py → resources/translations/machinavi_ja.ts), then
lrelease (.ts → .qm).

    python tools/update_translations.py           # extract new strings, keep existing translations, compile
    python tools/update_translations.py --fill    # also fill still-unfinished strings from tools/translations_ja.py
    python tools/update_translations.py --check   # exit 1 if any string is untranslated (CI)

Translate in Qt Linguist (pyside6-linguist, or any .ts editor) and re-run to compile. If
pyside6-lupdate is missing, the script writes the .ts itself from the same self.tr /
QCoreApplication.translate / QT_TRANSLATE_NOOP calls (a small AST scan).
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "app" / "ui").glob("*.py"))
TS = ROOT / "resources" / "translations" / "machinavi_ja.ts"
QM = TS.with_suffix(".qm")


def _tool(name: str) -> str | None:
    found = shutil.which(f"pyside6-{name}")
    if found:
        return found
    try:
        import PySide6

        cand = Path(PySide6.__file__).parent / name
        return str(cand) if cand.exists() else None
    except ImportError:
        return None


def _scan(files: list[Path]) -> dict[str, list[tuple[str, str, int]]]:
    """(context → [(source, file, line)]) from self.tr / translate / QT_TRANSLATE_NOOP calls."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
            for call in [n for n in ast.walk(cls) if isinstance(n, ast.Call)]:
                f = call.func
                if isinstance(f, ast.Attribute) and f.attr == "tr" and call.args and isinstance(call.args[0], ast.Constant):
                    out.setdefault(cls.name, []).append((call.args[0].value, path.name, call.lineno))
        for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call)]:
            f = call.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name in ("translate", "QT_TRANSLATE_NOOP") and len(call.args) >= 2 and all(
                    isinstance(a, ast.Constant) for a in call.args[:2]):
                out.setdefault(call.args[0].value, []).append((call.args[1].value, path.name, call.lineno))
    return out


def _write_ts_fallback(existing: dict[tuple[str, str], str]) -> None:
    ts = ET.Element("TS", version="2.1", language="ja_JP")
    for ctx, msgs in sorted(_scan(SOURCES).items()):
        c = ET.SubElement(ts, "context")
        ET.SubElement(c, "name").text = ctx
        seen: set[str] = set()
        for src, fname, line in msgs:
            if src in seen:
                continue
            seen.add(src)
            m = ET.SubElement(c, "message")
            ET.SubElement(m, "location", filename=f"../../app/ui/{fname}", line=str(line))
            ET.SubElement(m, "source").text = src
            tr = ET.SubElement(m, "translation")
            if (ctx, src) in existing:
                tr.text = existing[(ctx, src)]
            else:
                tr.set("type", "unfinished")
    ET.indent(ts)
    TS.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(ts, encoding="utf-8"))


def _read(tree: ET.ElementTree) -> dict[tuple[str, str], str]:
    got: dict[tuple[str, str], str] = {}
    for c in tree.getroot().iter("context"):
        ctx = c.findtext("name") or ""
        for m in c.iter("message"):
            t = m.find("translation")
            if t is not None and t.text and t.get("type") not in ("unfinished", "obsolete", "vanished"):
                got[(ctx, m.findtext("source") or "")] = t.text
    return got


def fill(tree: ET.ElementTree) -> int:
    """Fill unfinished messages from tools/translations_ja.py (context-specific first, then any context)."""
    sys.path.insert(0, str(ROOT / "tools"))
    from translations_ja import JA, JA_BY_CONTEXT  # type: ignore[import-not-found]

    n = 0
    for c in tree.getroot().iter("context"):
        ctx = c.findtext("name") or ""
        for m in c.iter("message"):
            t = m.find("translation")
            src = m.findtext("source") or ""
            if t is None or t.get("type") != "unfinished":
                continue
            text = JA_BY_CONTEXT.get((ctx, src), JA.get(src))
            if not text and any("\u3040" <= ch <= "\u9fff" for ch in src):
                text = src  # a source string already written in Japanese: identical translation
            if text:
                t.text = text
                del t.attrib["type"]
                n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fill", action="store_true", help="fill unfinished strings from tools/translations_ja.py")
    ap.add_argument("--check", action="store_true", help="fail if any string is unfinished")
    args = ap.parse_args(argv)
    TS.parent.mkdir(parents=True, exist_ok=True)
    lupdate = _tool("lupdate")
    if lupdate:
        subprocess.run([lupdate, "-no-obsolete", "-locations", "relative", "-target-language", "ja_JP",
                        *[str(p) for p in SOURCES], "-ts", str(TS)], check=True)
    else:
        existing = _read(ET.parse(TS)) if TS.exists() else {}
        _write_ts_fallback(existing)
    tree = ET.parse(TS)
    if args.fill:
        print(f"filled {fill(tree)} message(s) from tools/translations_ja.py")
        ET.indent(tree)
        TS.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(tree.getroot(), encoding="utf-8"))
    unfinished = [(c.findtext("name"), m.findtext("source")) for c in tree.getroot().iter("context")
                  for m in c.iter("message") if (m.find("translation") is not None
                                                 and m.find("translation").get("type") == "unfinished")]  # type: ignore[union-attr]
    for ctx, src in unfinished:
        print(f"unfinished: [{ctx}] {src}")
    lrelease = _tool("lrelease")
    if not lrelease:
        print("pyside6-lrelease not found: .qm not compiled", file=sys.stderr)
        return 1
    subprocess.run([lrelease, str(TS), "-qm", str(QM)], check=True)
    return 1 if (args.check and unfinished) else 0


if __name__ == "__main__":
    sys.exit(main())
