"""Catalog packs: build one from a folder of entries, import, remove, and the trusted publisher keys.

A prefecture or vendor publishes local entries to many offices as one signed file (the format is
app/catalog/packfile.py; installed packs live in the user data dir, app/catalog/packstore.py).
Every entry of a pack goes through the catalog validator, against the bundled catalog, when the
pack is built and again when it is imported; a pack never replaces a bundled entry, another
pack's entry or one of the user's own local entries (an id clash is refused, naming the entry).
Import is all or nothing: any fault and nothing on disk changes. The catalog.db rebuild that makes
the entries searchable is the caller's (app.build sits above this layer).
"""

from __future__ import annotations

import datetime as _dt
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from app import paths
from app.catalog import packstore
from app.catalog.entry import ID_RE
from app.catalog.packfile import WINDOWS_DEVICES, PackError, key_id, load_private_key, parse_public_key, public_text, read_pack, write_pack
from app.limits import MAX_FILE_BYTES, MAX_PACK_ENTRIES


class PackRejected(PackError):
    """The pack's entries do not pass the catalog validator; `problems` are 'FILE:entries/ID.md:LINE: message' lines."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(path, f"パックのエントリに問題があります（{len(problems)} 件）：\n" + "\n".join(problems),
                         f"{len(problems)} problem(s) in the pack's entries:\n" + "\n".join(problems),
                         "何も取り込んでいません。発行元に修正を依頼してください",
                         "nothing was imported; ask the publisher to fix the entries")
        self.problems = problems


class PackNeedsTrust(PackError):
    """An intact pack that is unsigned or signed by a key the user does not trust: importing it needs
    the user's confirmation (`trust=True`)."""


@dataclass
class PackSummary:
    name: str
    publisher: str
    edition: str
    entries: list[str]
    key_id: str
    trust: str = ""  # import: "trusted-key" or "confirmed"
    replaced_edition: str | None = None  # import: the edition this one replaced
    warnings: list[str] = field(default_factory=list)
    path: Path | None = None


# -- validation -----------------------------------------------------------------------------------

def _clashes(label: Path, ids: list[str], bundled: dict[str, str], name: str, with_user: bool) -> list[str]:
    owners: dict[str, str] = {sid: f"the bundled catalog entry {path}" for sid, path in bundled.items()}
    if with_user:
        owners |= {sid: f"an entry of the installed pack {p.name!r}" for p in packstore.installed_packs() if p.name != name
                   for sid in p.entry_ids}
        overlay = paths.overlay_dir()
        owners |= {f.stem: f"your local entry {f}" for f in (overlay.glob("*.md") if overlay.is_dir() else [])}
    return [f"{label.name}:entries/{sid}.md: id {sid!r} is already {owners[sid]}; a pack never replaces another entry "
            f"(the publisher must give it another id)" for sid in ids if sid in owners]


def check_entries(label: Path, name: str, publisher: str, files: dict[str, bytes], catalog_dir: Path | None = None,
                  with_user: bool = True) -> list[str]:
    """Validate a pack's entries as the build will: returns warnings, raises PackRejected with every error.
    `with_user`: also against the installed packs (other than `name`) and the user's local entries."""
    from app.catalog.loader import load_catalog

    root = catalog_dir or paths.bundled_catalog_dir()
    with tempfile.TemporaryDirectory(prefix="machi-navi-pack-") as tmp:
        staged = Path(tmp) / "packs"
        staged.mkdir()
        for other in packstore.installed_packs() if with_user else []:
            if other.name != name:
                shutil.copytree(other.folder, staged / other.name)
        manifest = {"name": name, "publisher": publisher, "edition": "-", "date": "-", "entries": [{"id": s} for s in files]}
        folder = packstore.write_folder(staged / name, files, {"manifest": manifest, "trust": "trusted-key"})
        cat = load_catalog(root, paths.overlay_dir() if with_user else None, staged)
        bundled = {s.id: s.path for s in cat.services if not s.local}
        errors = _clashes(label, sorted(files), bundled, name, with_user)
        warnings: list[str] = []
        prefix = (folder / "entries").as_posix() + "/"
        for p in cat.problems:
            if p.path.startswith(prefix):
                line = f"{label.name}:entries/{p.path[len(prefix):]}:{p.line}: {p.message}" + (f" ({p.fix})" if p.fix else "")
                (errors if p.severity == "error" else warnings).append(line)
        loaded = {s.id for s in cat.services if s.pack == name}
        errors += [f"{label.name}:entries/{sid}.md: entry was not accepted" for sid in sorted(files)
                   if sid not in loaded and not any(f"entries/{sid}.md" in e for e in errors)]
    if errors:
        raise PackRejected(label, errors)
    return warnings


# -- build ----------------------------------------------------------------------------------------

def _entry_files(src: Path) -> dict[str, bytes]:
    if not src.is_dir():
        raise PackError(src, "フォルダがありません", "folder not found", "エントリ（.md）を入れたフォルダを指定してください",
                        "give the folder that holds the entry files (.md)")
    found = sorted(p for p in src.rglob("*.md") if p.is_file() and p.name.lower() != "readme.md")
    if not found or len(found) > MAX_PACK_ENTRIES:
        raise PackError(src, f"エントリ（.md）が {len(found)} 件です（1〜{MAX_PACK_ENTRIES:,} 件）",
                        f"{len(found)} entry files (.md) found (a pack holds 1 to {MAX_PACK_ENTRIES:,})")
    files: dict[str, bytes] = {}
    for p in found:
        if not ID_RE.match(p.stem) or WINDOWS_DEVICES.match(p.stem):
            raise PackError(p, "ファイル名がエントリIDの形ではありません", "the file name is not an entry id",
                            "<id>.md（半角英小文字・数字・ハイフン）にしてください", "name it <id>.md (a-z, 0-9, '-')")
        if p.stem in files:
            raise PackError(p, "同じ名前のファイルが2つあります", "two entry files have this name", "ID を変えてください", "give each entry its own id")
        if p.stat().st_size > MAX_FILE_BYTES:
            raise PackError(p, "ファイルが大きすぎます", f"the file is larger than {MAX_FILE_BYTES:,} bytes")
        files[p.stem] = p.read_bytes()
    return files


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 200:
        raise PackError(None, f"{what} を1〜200文字で指定してください", f"give {what} as 1 to 200 characters")
    return value


def build_pack(src: Path | str, key_path: Path | str, publisher: str, edition: str, out: Path | str, name: str | None = None,
               date: str | None = None, catalog_dir: Path | None = None) -> PackSummary:
    """Validate every entry file in `src` against the bundled catalog and write the signed pack `out`."""
    src, out = Path(src), Path(out)
    key = load_private_key(Path(key_path))
    name = name or re.sub(r"[^a-z0-9]+", "-", src.resolve().name.lower()).strip("-")  # the folder: the same for every edition
    if not ID_RE.match(name):
        raise PackError(out, f"パック名 {name!r} が使えません", f"pack name {name!r} is not valid",
                        "--name に半角英小文字・数字・ハイフンの名前を指定してください", "give --name with a-z, 0-9 and '-'")
    publisher, edition = _text(publisher, "--publisher"), _text(edition, "--edition")
    date = date or _dt.date.today().isoformat()
    files = _entry_files(src)
    warnings = check_entries(src, name, publisher, files, catalog_dir, with_user=False)
    write_pack(out, {"name": name, "publisher": publisher, "edition": edition, "date": date}, files, key)
    pf = read_pack(out)  # what users will check, checked here first
    return PackSummary(name, publisher, edition, sorted(files), pf.key_id, warnings=warnings, path=out)


# -- import and removal -----------------------------------------------------------------------------

def trusted_key_for(key: str, public: str) -> packstore.TrustedKey | None:
    return next((k for k in packstore.trusted_keys() if k.key_id == key and k.public_key == public), None)


def import_pack(path: Path | str, trust: bool = False, catalog_dir: Path | None = None) -> PackSummary:
    """Check and install a pack (replacing an older edition of the same pack from the same key).
    Refuses an unsigned pack or one signed by a key not in the trusted list unless `trust` (the
    user confirmed); a damaged, tampered or invalid pack is refused always."""
    path = Path(path)
    pf = read_pack(path)
    known = trusted_key_for(pf.key_id, pf.public_key) if pf.signed else None
    if not pf.signed and not trust:
        raise PackNeedsTrust(path, "署名のないパックです", "the pack is not signed",
                        "発行元を確かめたうえで取り込む場合だけ --trust を付けてください",
                        "import it only if you know where it came from, with --trust")
    if pf.signed and known is None and not trust:
        raise PackNeedsTrust(path, f"信頼する鍵に登録されていない鍵（{pf.key_id}、発行元を名乗る名前「{pf.publisher}」）で署名されています",
                        f"signed by key {pf.key_id} (claiming publisher {pf.publisher!r}), which is not among your trusted keys",
                        f"発行元に公開鍵を確かめてから pack trust で登録するか、今回だけ --trust で取り込んでください（公開鍵: {pf.public_key}）",
                        f"check the public key with the publisher, then add it with `pack trust`, or import once with --trust "
                        f"(public key: {pf.public_key})")
    existing = packstore.find_pack(pf.name)
    if existing is not None and existing.key_id != pf.key_id:
        raise PackError(path, f"同じ名前のパック {pf.name!r} が別の鍵で入っています", f"a pack named {pf.name!r} from another key is installed",
                        f"入れ替える場合は先に pack remove {pf.name} を実行してください", f"to replace it, run `pack remove {pf.name}` first")
    warnings = check_entries(path, pf.name, pf.publisher, pf.files, catalog_dir)
    record = {"manifest": pf.manifest, "manifest_sha256": pf.manifest_sha256, "signed": pf.signed, "key_id": pf.key_id,
              "public_key": pf.public_key, "trust": "trusted-key" if known else "confirmed", "file": path.name}
    packstore.install(pf.name, pf.files, record)
    return PackSummary(pf.name, pf.publisher, str(pf.manifest["edition"]), sorted(pf.files), pf.key_id, str(record["trust"]),
                       existing.edition if existing else None, warnings, paths.packs_dir() / pf.name)


def remove_pack(name: str) -> packstore.InstalledPack:
    """Take an installed pack out (exactly its entries); plans keep them, shown as missing."""
    pack = packstore.find_pack(name)
    if pack is None or not packstore.remove(name):
        installed = ", ".join(p.name for p in packstore.installed_packs()) or "-"
        raise PackError(paths.packs_dir(), f"パック {name!r} は入っていません（入っているパック: {installed}）",
                        f"no installed pack {name!r} (installed: {installed})", "pack list で名前を確かめてください",
                        "see `pack list` for the names")
    return pack


# -- trusted keys ---------------------------------------------------------------------------------

def _key_from(arg: str) -> tuple[bytes, Path | str]:
    p = Path(arg)
    if len(arg) < 400 and p.is_file():
        return parse_public_key(p.read_bytes()[:10_000].decode("utf-8", errors="replace"), p), p
    return parse_public_key(arg, "public key"), "public key"


def trust_key(arg: str, label: str = "") -> packstore.TrustedKey:
    """Trust a publisher's public key (the text `pack keygen` printed, or its .pub file)."""
    raw, _where = _key_from(arg)
    keys = packstore.trusted_keys()
    kid = key_id(raw)
    for k in keys:
        if k.key_id == kid:
            return k
    new = packstore.TrustedKey(kid, public_text(raw), label.strip(), _dt.date.today().isoformat())
    packstore.save_trusted_keys(keys + [new])
    return new


def untrust_key(arg: str) -> packstore.TrustedKey:
    """Stop trusting a key (by key id, public key or .pub file). Installed packs stay; new imports need it again."""
    keys = packstore.trusted_keys()
    kid = arg if any(k.key_id == arg for k in keys) else key_id(_key_from(arg)[0])
    gone = next((k for k in keys if k.key_id == kid), None)
    if gone is None:
        raise PackError(None, f"鍵 {kid} は信頼する鍵に入っていません", f"key {kid} is not a trusted key", "pack trust --list で確かめてください",
                        "see `pack trust --list`")
    packstore.save_trusted_keys([k for k in keys if k.key_id != kid])
    return gone
