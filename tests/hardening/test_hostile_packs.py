"""Hostile and damaged pack files: each is refused with a message naming the file, and nothing changes.

Every case starts from a real signed pack (a trusted key, edition 2026.1 already installed) and
makes a real bad file from its successor: bytes flipped in place, cut short, re-zipped with
altered members (valid CRCs: what a person editing the pack produces), re-signed with another
key, path-traversal names, zip bombs. The installed pack, the trusted keys and catalog.db must be
byte for byte as before.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.catalog import packfile
from app.catalog.packfile import PackError, key_id, load_private_key, public_text, read_pack
from app.catalog.packs import import_pack, trust_key
from tests.pack_support import make_key, make_pack, members, rezip, tree


@pytest.fixture
def setup(mini_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from app.build import ensure_built

    monkeypatch.setenv("MACHI_NAVI_CATALOG", str(mini_catalog))
    v1, key, public = make_pack(tmp_path, edition="2026.1")
    trust_key(public)
    import_pack(v1)
    ensure_built()
    v2, *_ = make_pack(tmp_path, edition="2026.2", key=key)
    return v2, key


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def _data_offset(pack: Path, name: str) -> tuple[int, int]:
    """(offset, length) of a member's stored (compressed) bytes in the file."""
    raw = pack.read_bytes()
    with zipfile.ZipFile(pack) as zf:
        info = zf.getinfo(name)
    name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def flip_in(name: str) -> Callable[[Path, Path, Path], bytes]:
    def make(pack: Path, _key: Path, _tmp: Path) -> bytes:
        start, size = _data_offset(pack, name)
        return _flip(pack.read_bytes(), start + size // 2)
    return make


def _manifest(pack: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(dict(members(pack))["manifest.json"])


def _body(man: dict) -> bytes:  # type: ignore[type-arg]
    return json.dumps(man, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def edited_entry(pack: Path, _key: Path, tmp: Path) -> bytes:
    name = "entries/test-pack-gomisuke.md"
    text = dict(members(pack))[name].replace("住民サービス".encode(), "住民サービス!".encode(), 1)
    return rezip(pack, tmp / "x.zip", {name: text}).read_bytes()


def edited_manifest(pack: Path, _key: Path, tmp: Path) -> bytes:
    man = _manifest(pack)
    man["publisher"] = "なりすまし県"
    return rezip(pack, tmp / "x.zip", {"manifest.json": _body(man)}).read_bytes()


def edited_entry_and_hash(pack: Path, _key: Path, tmp: Path) -> bytes:
    """The entry changed and its hash in the manifest updated to match: only the signature can tell."""
    import hashlib

    name = "entries/test-pack-gomisuke.md"
    text = dict(members(pack))[name] + "\n追記\n".encode()
    man = _manifest(pack)
    for e in man["entries"]:
        if e["path"] == name:
            e["sha256"], e["size"] = hashlib.sha256(text).hexdigest(), len(text)
    return rezip(pack, tmp / "x.zip", {name: text, "manifest.json": _body(man)}).read_bytes()


def signed_by_other_key(pack: Path, _key: Path, tmp: Path) -> bytes:
    """A valid signature with another key, the original public key left in the manifest."""
    import base64

    other, _ = make_key(tmp, "other.pem")
    body = dict(members(pack))["manifest.json"]
    return rezip(pack, tmp / "x.zip", {"manifest.sig": base64.b64encode(load_private_key(other).sign(body))}).read_bytes()


def resigned_by_unknown_key(pack: Path, _key: Path, tmp: Path) -> bytes:
    """Altered, then signed consistently with someone else's key: valid, but not a key the user trusts."""
    import base64

    from cryptography.hazmat.primitives import serialization

    other, _ = make_key(tmp, "unknown.pem")
    priv = load_private_key(other)
    raw = priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    man = _manifest(pack)
    man["public_key"], man["key_id"] = public_text(raw), key_id(raw)
    body = _body(man)
    return rezip(pack, tmp / "x.zip", {"manifest.json": body, "manifest.sig": base64.b64encode(priv.sign(body))}).read_bytes()


def _with(add: list[tuple[str, bytes]], drop: dict[str, bytes | None] | None = None) -> Callable[[Path, Path, Path], bytes]:
    def make(pack: Path, _key: Path, tmp: Path) -> bytes:
        return rezip(pack, tmp / "x.zip", drop, add).read_bytes()
    return make


def duplicate_member(pack: Path, _key: Path, _tmp: Path) -> bytes:
    buf = io.BytesIO(pack.read_bytes())
    with pytest.warns(UserWarning), zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("entries/test-pack-gomisuke.md", b"---\nid: test-pack-gomisuke\n---\nother\n")
    return buf.getvalue()


def zip_bomb(pack: Path, _key: Path, tmp: Path) -> bytes:
    """5 MB of zeros in a few kB: refused from the declared size, before it is inflated."""
    return rezip(pack, tmp / "x.zip", {"entries/test-pack-gomisuke.md": b"\0" * 5_000_000}).read_bytes()


def future_format(pack: Path, _key: Path, tmp: Path) -> bytes:
    man = _manifest(pack)
    man["format_version"] = 99
    return rezip(pack, tmp / "x.zip", {"manifest.json": _body(man)}).read_bytes()


def windows_device_name(pack: Path, _key: Path, tmp: Path) -> bytes:
    """An entry called nul: harmless on Linux, a device on Windows; refused everywhere."""
    man = _manifest(pack)
    entry = man["entries"][0]
    data = dict(members(pack))[entry["path"]]
    entry["id"], entry["path"] = "nul", "entries/nul.md"
    return rezip(pack, tmp / "x.zip", {"manifest.json": _body(man)}, [("entries/nul.md", data)]).read_bytes()


CASES: dict[str, tuple[Callable[[Path, Path, Path], bytes], str]] = {
    "empty file": (lambda p, k, t: b"", "not a readable zip"),
    "not a zip": (lambda p, k, t: b"PK\x03\x04" + bytes(range(256)) * 20, "not a readable zip"),
    "truncated": (lambda p, k, t: p.read_bytes()[: len(p.read_bytes()) * 2 // 3], "not a readable zip"),
    "byte flipped in an entry": (flip_in("entries/test-pack-gomisuke.md"), "damaged"),
    "byte flipped in the manifest": (flip_in("manifest.json"), "damaged"),
    "byte flipped in the signature": (flip_in("manifest.sig"), "damaged"),
    "entry edited and re-zipped": (edited_entry, "does not match its SHA-256"),
    "manifest edited and re-zipped": (edited_manifest, "signature does not match"),
    "entry and its hash edited": (edited_entry_and_hash, "signature does not match"),
    "signed by another key": (signed_by_other_key, "signature does not match"),
    "re-signed by an unknown key": (resigned_by_unknown_key, "not among your trusted keys"),
    "signature removed": (_with([], {"manifest.sig": None}), "not signed"),
    "entry removed": (_with([], {"entries/test-pack-gomisuke.md": None}), "listed but absent"),
    "extra entry": (_with([("entries/test-pack-extra.md", b"---\nid: test-pack-extra\n---\nx\n")]), "files not in the manifest"),
    "path traversal": (_with([("../evil.md", b"x")]), "unexpected member '../evil.md'"),
    "path traversal inside entries": (_with([("entries/../../evil.md", b"x")]), "unexpected member"),
    "absolute path": (_with([("/tmp/evil.md", b"x")]), "unexpected member"),
    "backslash path": (_with([("entries\\..\\evil.md", b"x")]), "unexpected member"),
    "a folder member": (_with([("entries/", b"")]), "unexpected member"),
    "duplicate member": (duplicate_member, "appears twice"),
    "zip bomb": (zip_bomb, "limit 1,000,000"),
    "no manifest": (_with([], {"manifest.json": None}), "no manifest.json"),
    "manifest not JSON": (_with([], {"manifest.json": b"{not json"}), "damaged"),
    "future format": (future_format, "format version 99 is not supported"),
    "windows device name": (windows_device_name, "bad or repeated entry"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_pack_is_refused_and_nothing_changes(setup, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    from app import paths

    good, key = setup
    make, expected = CASES[case]
    bad = tmp_path / "bad-pack.zip"
    bad.write_bytes(make(good, key, tmp_path))
    before = tree(paths.user_dir())
    with pytest.raises(PackError) as exc:
        import_pack(bad)
    text = exc.value.text("en")
    assert text.startswith(f"{bad}: ") and expected in text, text
    assert exc.value.advice_en  # says what to do
    assert tree(paths.user_dir()) == before  # the installed pack, trusted keys, catalog.db: all as they were
    assert not (tmp_path / "evil.md").exists() and not Path("/tmp/evil.md").exists()


@pytest.mark.parametrize(("limit", "value", "expected"), [
    ("MAX_PACK_BYTES", 1_000, "larger than 0 MB"),
    ("MAX_PACK_ENTRIES", 0, "too many files"),
    ("MAX_PACK_UNCOMPRESSED", 2_000, "unpacks to"),
    ("MAX_MANIFEST_BYTES", 100, "manifest.json is"),
])
def test_limits_are_checked_before_reading(setup, monkeypatch: pytest.MonkeyPatch, limit: str, value: int, expected: str) -> None:  # type: ignore[no-untyped-def]
    good, _key = setup
    read_pack(good)  # fine with the real limits
    monkeypatch.setattr(packfile, limit, value)
    with pytest.raises(PackError, match=expected):
        read_pack(good)


def test_interrupted_install_keeps_the_old_edition(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """kill -9 between writing the new pack and swapping it in: the old edition stays, the half-made one is cleared."""
    import os
    import subprocess
    import sys

    from app import paths
    from app.catalog import packstore
    from app.checkpoint import KILL_ENV
    from tests.conftest import ROOT

    good, _key = setup
    env = {**os.environ, KILL_ENV: "pack-before-swap"}
    code = f"from app.catalog.packs import import_pack; import_pack({str(good)!r})"
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()
    assert (paths.packs_dir() / ".test-pref.new").is_dir()
    assert [(p.name, p.edition) for p in packstore.installed_packs()] == [("test-pref", "2026.1")]
    packstore.recover()
    assert not (paths.packs_dir() / ".test-pref.new").exists()
    assert import_pack(good).replaced_edition == "2026.1"
