"""Helpers for the catalog pack tests: entry folders, keys and packs made for real on disk.

TEST DATA ONLY: the entries are copies of bundled catalog entries with the id changed to
`test-pack-…` and the name marked 【テスト】, written into each test's tmp folder; they are never
catalog entries and never shipped.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from tests.conftest import BUNDLED

SOURCES = ("citizen/gomisuke", "transport/aisan-jidou-unten")  # bundled entries the test entries are copied from


def pack_entry_text(bundled: str, new_id: str) -> str:
    """A bundled entry's text with its id changed and its name marked as test data."""
    text = (BUNDLED / "services" / f"{bundled}.md").read_text(encoding="utf-8")
    old_id = Path(bundled).name
    text = re.sub(rf"^id: {re.escape(old_id)}$", f"id: {new_id}", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^name: ", "name: 【テスト】", text, count=1, flags=re.MULTILINE)
    assert f"id: {new_id}\n" in text
    return text


def entry_folder(folder: Path, prefix: str = "test-pack") -> Path:
    """A folder with two valid entries (ids <prefix>-gomisuke, <prefix>-aisan-jidou-unten)."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in SOURCES:
        sid = f"{prefix}-{Path(src).name}"
        (folder / f"{sid}.md").write_text(pack_entry_text(src, sid).replace("【テスト】", f"【テスト{prefix}】"), encoding="utf-8")
    return folder


def make_key(folder: Path, name: str = "publisher.pem") -> tuple[Path, str]:
    from app.catalog.packfile import generate_key

    path = folder / name
    _kid, public = generate_key(path)
    return path, public


def make_pack(tmp: Path, name: str = "test-pref", prefix: str = "test-pack", edition: str = "2026.1",
              key: Path | None = None, publisher: str = "テスト県DX推進課（テスト）") -> tuple[Path, Path, str]:
    """Build a signed pack from a fresh entry folder; (pack file, private key, public key text)."""
    from app.catalog.packs import build_pack

    if key is None:
        key, public = make_key(tmp, f"{name}.pem")
    else:
        public = key.with_name(key.name + ".pub").read_text(encoding="utf-8").strip()
    src = entry_folder(tmp / f"src-{name}-{edition}", prefix)
    out = tmp / f"{name}-{edition}.zip"
    build_pack(src, key, publisher, edition, out, name=name)
    return out, key, public


def members(pack: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(pack) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def rezip(pack: Path, out: Path, change: dict[str, bytes | None] | None = None, add: list[tuple[str, bytes]] | None = None) -> Path:
    """Rewrite a pack as a valid zip (good CRCs) with members replaced (None drops one) or added:
    what someone altering a pack by hand would produce."""
    change = change or {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members(pack):
            if name in change:
                if change[name] is None:
                    continue
                data = change[name]  # type: ignore[assignment]
            zf.writestr(name, data)
        for name, data in add or []:
            zf.writestr(name, data)
    out.write_bytes(buf.getvalue())
    return out


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes (to prove that nothing changed)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
