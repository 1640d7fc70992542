"""Installed catalog packs on disk, and the publisher keys the user trusts.

Layout (in the user data dir, apart from the bundled catalog and the user's own local entries):

    packs/<name>/pack.json          what was installed: the signed manifest, trust, when
    packs/<name>/entries/<id>.md    the pack's entries, byte for byte as signed
    packs/trusted_keys.json         publisher keys trusted for `pack import`

Light on purpose (json and the file system only): the start-up "is catalog.db current?" check
and the loader read it. Verifying and unpacking a pack file is app/catalog/packs.py.

Install and remove are atomic: a pack is assembled in packs/.<name>.new and swapped in with
renames; folders starting with '.' are never part of the catalog, and recover() finishes or
undoes a swap a crash interrupted.
"""

from __future__ import annotations

import datetime as _dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import fsio, paths
from app.checkpoint import checkpoint

RECORD = "pack.json"
TRUST_FILE = "trusted_keys.json"


@dataclass(frozen=True)
class InstalledPack:
    name: str
    publisher: str
    edition: str
    date: str
    key_id: str  # "" for an unsigned pack the user confirmed
    trust: str  # "trusted-key": signed by a key in trusted_keys.json; "confirmed": the user said --trust
    entry_ids: tuple[str, ...]
    folder: Path
    installed: str = ""

    @property
    def entries_dir(self) -> Path:
        return self.folder / "entries"

    @property
    def verified(self) -> bool:
        """Signed by a key the user had trusted before importing (else the publisher name is only claimed)."""
        return self.trust == "trusted-key"


def _read_record(folder: Path) -> InstalledPack | None:
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        man = data["manifest"]
        return InstalledPack(
            name=folder.name, publisher=str(man["publisher"]), edition=str(man["edition"]), date=str(man["date"]),
            key_id=str(data.get("key_id") or ""), trust=str(data.get("trust", "")),
            entry_ids=tuple(str(e["id"]) for e in man["entries"]), folder=folder, installed=str(data.get("installed", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # damaged record: the pack is left out of the catalog (pack list names it)


def installed_packs(packs: Path | None = None) -> list[InstalledPack]:
    """Every installed pack with a readable record, by name."""
    root = paths.packs_dir() if packs is None else packs
    if not root.is_dir():
        return []
    found = (_read_record(d) for d in sorted(root.iterdir()) if d.is_dir() and not d.name.startswith("."))
    return [p for p in found if p is not None]


def damaged_packs(packs: Path | None = None) -> list[Path]:
    """Pack folders whose record cannot be read (left out of the catalog; remove and import again)."""
    root = paths.packs_dir() if packs is None else packs
    if not root.is_dir():
        return []
    return [d for d in sorted(root.iterdir()) if d.is_dir() and not d.name.startswith(".") and _read_record(d) is None]


def find_pack(name: str, packs: Path | None = None) -> InstalledPack | None:
    return next((p for p in installed_packs(packs) if p.name == name), None)


def _staging(name: str, packs: Path) -> tuple[Path, Path, Path]:
    return packs / name, packs / f".{name}.new", packs / f".{name}.old"


def recover(packs: Path | None = None) -> None:
    """Finish or undo a pack swap interrupted by a crash (safe to call any time)."""
    root = paths.packs_dir() if packs is None else packs
    if not root.is_dir():
        return
    for d in root.iterdir():
        if not d.name.startswith(".") or not d.is_dir():
            continue
        name = d.name[1:].rsplit(".", 1)[0]
        live = root / name
        if d.name.endswith(".old") and not live.exists():
            d.rename(live)  # the new one never arrived: keep the old
        else:
            shutil.rmtree(d, ignore_errors=True)


def write_folder(folder: Path, files: dict[str, bytes], record: dict[str, Any]) -> Path:
    """A pack's folder as installed (also used to stage a pack for validation)."""
    (folder / "entries").mkdir(parents=True)
    for sid, data in files.items():
        fsio.atomic_write_bytes(folder / "entries" / f"{sid}.md", data)
    record = {**record, "installed": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")}
    fsio.atomic_write_text(folder / RECORD, json.dumps(record, ensure_ascii=False, indent=1))
    fsio.fsync_dir(folder / "entries")
    fsio.fsync_dir(folder)
    return folder


def install(name: str, files: dict[str, bytes], record: dict[str, Any], packs: Path | None = None) -> Path:
    """Write a pack ({entry id: bytes} + its record) as packs/<name>/, replacing an older one in one swap."""
    root = paths.packs_dir() if packs is None else packs
    root.mkdir(parents=True, exist_ok=True)
    recover(root)
    live, new, old = _staging(name, root)
    try:
        write_folder(new, files, record)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    checkpoint("pack-before-swap")  # crash-test hook
    if live.exists():
        live.rename(old)
    new.rename(live)
    fsio.fsync_dir(root)
    shutil.rmtree(old, ignore_errors=True)
    return live


def remove(name: str, packs: Path | None = None) -> bool:
    """Take a pack out (all of its entries, nothing else); False if it is not installed."""
    root = paths.packs_dir() if packs is None else packs
    live, _new, old = _staging(name, root)
    if not live.is_dir() or name.startswith("."):
        return False
    recover(root)
    live.rename(old)  # out of the catalog in one step; the files go after
    fsio.fsync_dir(root)
    shutil.rmtree(old, ignore_errors=True)
    return True


# -- trusted publisher keys -------------------------------------------------------------------------

@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    public_key: str  # base64 of the raw 32-byte Ed25519 public key
    label: str = ""  # who the user says it is (e.g. the publisher's name)
    added: str = ""


def _trust_path(packs: Path | None) -> Path:
    return (paths.packs_dir() if packs is None else packs) / TRUST_FILE


def trusted_keys(packs: Path | None = None) -> list[TrustedKey]:
    path = _trust_path(packs)
    if not path.is_file():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8")).get("keys", [])
        return [TrustedKey(str(r["key_id"]), str(r["public_key"]), str(r.get("label", "")), str(r.get("added", ""))) for r in rows]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        from app.errors import UserError

        raise UserError("信頼する鍵の一覧を読めません", "the list of trusted publisher keys cannot be read", path,
                        "ファイルを削除して pack trust で鍵を登録し直してください",
                        "delete the file and add the keys again with `pack trust`") from None


def save_trusted_keys(keys: list[TrustedKey], packs: Path | None = None) -> None:
    path = _trust_path(packs)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{"key_id": k.key_id, "public_key": k.public_key, "label": k.label, "added": k.added} for k in keys]
    fsio.atomic_write_text(path, json.dumps({"keys": rows}, ensure_ascii=False, indent=1))
