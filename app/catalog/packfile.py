"""The catalog pack file: a zip of entry files with a manifest signed with Ed25519.

    manifest.json    {"format": "machi-navi-pack", "format_version": 1, "name", "publisher", "edition",
                      "date", "key_id", "public_key", "entries": [{"id", "path", "size", "sha256"}]}
    manifest.sig     base64 of the Ed25519 signature of manifest.json's exact bytes (absent: unsigned)
    entries/<id>.md  one catalog entry each (the catalog's own format: YAML front matter + Markdown)

The signature covers the manifest, and the manifest covers every entry by SHA-256 and size, so one
flipped byte anywhere is found. Signing and verifying are the `cryptography` library's; nothing
here is home-made crypto. Reading never trusts the archive: sizes and counts are checked from the
central directory before anything is inflated, every member name must be one of the three forms
above (no folders, no '..', no absolute paths), and each member is read with a byte limit.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import fsio
from app.catalog.entry import ID_RE
from app.errors import UserError
from app.limits import MAX_FILE_BYTES, MAX_MANIFEST_BYTES, MAX_PACK_BYTES, MAX_PACK_ENTRIES, MAX_PACK_UNCOMPRESSED, MAX_ZIP_RATIO

FORMAT = "machi-navi-pack"
FORMAT_VERSION = 1
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
ENTRY_RE = re.compile(r"^entries/([a-z0-9][a-z0-9-]*)\.md$")
WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")  # not file names on Windows, whatever the extension
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member times: the same entries make the same pack bytes


class PackError(UserError):
    """A pack file (or key) that cannot be used; says which file, what is wrong and what to do."""

    def __init__(self, path: Path | str | None, ja: str, en: str, advice_ja: str = "", advice_en: str = "") -> None:
        super().__init__(ja, en, path, advice_ja, advice_en)


def _damaged(path: Path, what: str) -> PackError:
    return PackError(path, f"パックファイルが壊れています（{what}）", f"the pack file is damaged ({what})",
                     "発行元から受け取り直してください", "get the pack from its publisher again")


def _tampered(path: Path, what: str) -> PackError:
    return PackError(path, f"パックの内容が署名後に変更されています（{what}）", f"the pack was changed after it was signed ({what})",
                     "取り込まないでください。発行元から正しいパックを受け取り直してください",
                     "do not import it; get an intact pack from its publisher")


# -- keys -----------------------------------------------------------------------------------------

def key_id(public_raw: bytes) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def public_text(public_raw: bytes) -> str:
    return base64.b64encode(public_raw).decode("ascii")


def generate_key(out: Path) -> tuple[str, str]:
    """Write a new private key (PEM, PKCS#8) to `out` and its public key to `out`.pub; (key id, public key text).
    Never overwrites: a lost or replaced private key cannot sign updates that users' trust lists accept."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    out = Path(out)
    pub_path = out.with_name(out.name + ".pub")
    for p in (out, pub_path):
        if p.exists():
            raise PackError(p, "ファイルが既にあります（鍵は上書きしません）", "the file already exists (keys are never overwritten)",
                            "別のファイル名を指定してください", "choose another file name")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)  # only the owner may read it
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    fsio.atomic_write_text(pub_path, public_text(raw) + "\n")
    return key_id(raw), public_text(raw)


def load_private_key(path: Path) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = Path(path)
    try:
        data = path.read_bytes()[:100_000]
        key = serialization.load_pem_private_key(data, password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise PackError(path, f"署名鍵を読めません（{type(exc).__name__}）", f"cannot read the signing key ({exc})",
                        "pack keygen で作った秘密鍵ファイルを指定してください", "give the private key file made by `pack keygen`") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PackError(path, "Ed25519 の秘密鍵ではありません", "not an Ed25519 private key", "pack keygen で鍵を作ってください",
                        "make a key with `pack keygen`")
    return key


def parse_public_key(text: str, where: Path | str | None = None) -> bytes:
    """The raw 32-byte public key from its text (as `pack keygen` prints it, or a PEM public key)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    text = text.strip()
    bad = PackError(where, "公開鍵として読めません", "not a publisher public key",
                    "pack keygen が表示した公開鍵（または .pub ファイル）を指定してください",
                    "give the public key printed by `pack keygen` (or its .pub file)")
    if "PRIVATE KEY" in text:
        raise PackError(where, "秘密鍵です。公開鍵（.pub）を指定してください", "this is a private key: give the public key (.pub)",
                        "秘密鍵は発行元の外に出さないでください", "a private key must never leave its publisher")
    if text.startswith("-----BEGIN PUBLIC KEY"):
        try:
            key = serialization.load_pem_public_key(text.encode("ascii"))
        except (ValueError, UnicodeError):
            raise bad from None
        if not isinstance(key, Ed25519PublicKey):
            raise bad
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise bad from None
    if len(raw) != 32:
        raise bad
    return raw


# -- writing --------------------------------------------------------------------------------------

def write_pack(out: Path, manifest: dict[str, Any], files: dict[str, bytes], private_key: Any) -> bytes:
    """Write the signed pack to `out` atomically; returns the manifest bytes that were signed."""
    from cryptography.hazmat.primitives import serialization

    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, **manifest, "key_id": key_id(raw), "public_key": public_text(raw),
                "entries": [{"id": sid, "path": f"entries/{sid}.md", "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                            for sid, data in sorted(files.items())]}
    body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    signature = base64.b64encode(private_key.sign(body))
    with fsio.atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [(MANIFEST, body), (SIGNATURE, signature)] + [(f"entries/{s}.md", d) for s, d in sorted(files.items())]:
            zf.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return body


# -- reading --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PackFile:
    """A pack whose structure, hashes and (if signed) signature have been checked."""

    path: Path
    manifest: dict[str, Any]
    manifest_sha256: str
    signed: bool
    files: dict[str, bytes]  # entry id -> bytes as signed

    @property
    def name(self) -> str:
        return str(self.manifest["name"])

    @property
    def publisher(self) -> str:
        return str(self.manifest["publisher"])

    @property
    def key_id(self) -> str:
        return str(self.manifest.get("key_id") or "") if self.signed else ""

    @property
    def public_key(self) -> str:
        return str(self.manifest.get("public_key") or "") if self.signed else ""


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """Refuse zip bombs, odd names and duplicates from the central directory alone."""
    if len(infos) > MAX_PACK_ENTRIES + 2:
        raise PackError(path, f"エントリが多すぎます（上限 {MAX_PACK_ENTRIES:,}）", f"too many files in the pack (limit {MAX_PACK_ENTRIES:,} entries)",
                        "パックを分けてください", "split the pack")
    total = sum(i.file_size for i in infos)
    if total > MAX_PACK_UNCOMPRESSED:
        raise PackError(path, f"展開後のサイズが大きすぎます（{total:,} バイト）", f"the pack unpacks to {total:,} bytes (limit {MAX_PACK_UNCOMPRESSED:,})",
                        "パックを分けてください", "split the pack")
    members: dict[str, zipfile.ZipInfo] = {}
    for i in infos:
        name = i.filename
        if name not in (MANIFEST, SIGNATURE) and not ENTRY_RE.match(name):
            raise PackError(path, f"パックに想定外のファイル {name!r} があります", f"unexpected member {name!r} in the pack (only manifest.json, "
                            "manifest.sig and entries/<id>.md are allowed)", "取り込まないでください", "do not import it")
        if name in members:
            raise _damaged(path, f"{name} appears twice")
        if i.flag_bits & 0x1:
            raise _damaged(path, f"{name} is encrypted")
        limit = MAX_MANIFEST_BYTES if name == MANIFEST else MAX_FILE_BYTES
        if i.file_size > limit:
            raise PackError(path, f"{name} が大きすぎます（{i.file_size:,} バイト）", f"{name} is {i.file_size:,} bytes (limit {limit:,})",
                            "パックを確認してください", "check the pack")
        if i.file_size > 1_000_000 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            raise _damaged(path, f"{name} is compressed {i.file_size // max(i.compress_size, 1)}:1 (zip bomb?)")
        members[name] = i
    if MANIFEST not in members:
        raise PackError(path, "manifest.json がありません（まちナビのパックではありません）", "no manifest.json: this is not a Machi Navi pack",
                        "pack build で作ったファイルを指定してください", "give a file made by `pack build`")
    return members


def _read(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than it declares (the declared size was checked against the limits)."""
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise _damaged(path, f"{info.filename}: {exc}") from None
    if len(data) != info.file_size:
        raise _damaged(path, f"{info.filename} is not the declared size")
    return data


def _manifest(path: Path, body: bytes) -> dict[str, Any]:
    try:
        man = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _damaged(path, f"manifest.json: {exc}") from None
    if not isinstance(man, dict) or man.get("format") != FORMAT:
        raise _damaged(path, "manifest.json is not a Machi Navi pack manifest")
    if man.get("format_version") != FORMAT_VERSION:
        raise PackError(path, f"このパックの形式（{man.get('format_version')!r}）には対応していません",
                        f"pack format version {man.get('format_version')!r} is not supported (this app reads {FORMAT_VERSION})",
                        "まちナビを更新してください", "update Machi Navi")
    text_keys = ("name", "publisher", "edition", "date")
    if any(not isinstance(man.get(k), str) or not man[k].strip() or len(man[k]) > 200 for k in text_keys):
        raise _damaged(path, f"manifest.json needs {', '.join(text_keys)} as text")
    if not ID_RE.match(man["name"]) or not DATE_RE.match(man["date"]):
        raise _damaged(path, "manifest.json: bad pack name or date")
    entries = man.get("entries")
    if not isinstance(entries, list) or not entries:
        raise _damaged(path, "manifest.json lists no entries")
    seen: set[str] = set()
    for e in entries:
        ok = (isinstance(e, dict) and isinstance(e.get("id"), str) and ID_RE.match(e["id"]) and e.get("path") == f"entries/{e['id']}.md"
              and isinstance(e.get("size"), int) and isinstance(e.get("sha256"), str) and re.fullmatch(r"[0-9a-f]{64}", e["sha256"]))
        if not ok or e["id"] in seen or WINDOWS_DEVICES.match(e["id"]):
            raise _damaged(path, f"manifest.json: bad or repeated entry {e!r:.80}")
        seen.add(e["id"])
    return man


def _verify_signature(path: Path, man: dict[str, Any], body: bytes, sig_text: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = base64.b64decode(str(man.get("public_key", "")), validate=True)
        sig = base64.b64decode(sig_text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise _tampered(path, "the key or signature is not valid base64") from None
    if len(raw) != 32 or len(sig) != 64 or man.get("key_id") != key_id(raw):
        raise _tampered(path, "the key, key id or signature has the wrong form")
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(sig, body)
    except InvalidSignature:
        raise _tampered(path, "the signature does not match manifest.json") from None


def read_pack(path: Path | str) -> PackFile:
    """Open and check a pack: structure, limits, signature (when present) and every entry's hash.
    Raises PackError naming the file and the fault; reads nothing outside the archive."""
    path = Path(path)
    if not path.is_file():
        raise PackError(path, "ファイルがありません", "file not found")
    if path.stat().st_size > MAX_PACK_BYTES:
        raise PackError(path, f"ファイルが大きすぎます（上限 {MAX_PACK_BYTES // 1_000_000} MB）", f"the file is larger than {MAX_PACK_BYTES // 1_000_000} MB",
                        "パックを分けてください", "split the pack")
    try:
        with zipfile.ZipFile(path) as zf:
            members = _check_members(path, zf.infolist())
            body = _read(path, zf, members[MANIFEST])
            sig = _read(path, zf, members[SIGNATURE]) if SIGNATURE in members else None
            man = _manifest(path, body)
            if sig is not None:
                _verify_signature(path, man, body, sig)
            listed = {e["path"]: e for e in man["entries"]}
            extra = sorted(set(members) - set(listed) - {MANIFEST, SIGNATURE})
            missing = sorted(set(listed) - set(members))
            if extra or missing:
                raise _tampered(path, f"files not in the manifest: {extra[:3]}; listed but absent: {missing[:3]}")
            files: dict[str, bytes] = {}
            for name, e in listed.items():
                data = _read(path, zf, members[name])
                if len(data) != e["size"] or hashlib.sha256(data).hexdigest() != e["sha256"]:
                    raise _tampered(path, f"{name} does not match its SHA-256 in the manifest")
                files[e["id"]] = data
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:  # e.g. cut short: no central directory, bad offsets
        raise PackError(path, "zip ファイルとして読めません（壊れているか途中までしかありません）",
                        f"not a readable zip file: damaged or truncated ({exc})", "発行元から受け取り直してください",
                        "get the pack from its publisher again") from None
    return PackFile(path, man, hashlib.sha256(body).hexdigest(), sig is not None, files)
