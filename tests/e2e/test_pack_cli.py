"""`machi-navi pack …` as a publisher and an office run it: two user folders (publisher, office),
real keys and files, the small test catalog. Entries are test data (tests/pack_support.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.e2e.test_cli import run
from tests.pack_support import entry_folder, rezip, tree


@pytest.fixture
def env(mini_catalog: Path) -> dict[str, str]:
    return {"MACHI_NAVI_CATALOG": str(mini_catalog)}


def test_publish_verify_trust_import_search_remove(tmp_path: Path, env: dict[str, str]) -> None:
    publisher, office = tmp_path / "publisher-home", tmp_path / "office-home"
    key = tmp_path / "keys" / "pref.pem"
    made = run("pack", "keygen", "--out", str(key), home=publisher, **env)
    assert made.returncode == 0, made.stderr
    public = made.stdout.strip().splitlines()[-1]
    assert (key.parent / "pref.pem.pub").read_text(encoding="utf-8").strip() == public
    again = run("pack", "keygen", "--out", str(key), home=publisher, **env)
    assert again.returncode == 2 and "never overwritten" in again.stderr

    src = entry_folder(tmp_path / "entries")
    pack = tmp_path / "test-pref-2026.1.zip"
    built = run("pack", "build", str(src), "--key", str(key), "--publisher", "テスト県DX推進課（テスト）", "--edition", "2026.1",
                "--out", str(pack), "--name", "test-pref", home=publisher, **env)
    assert built.returncode == 0, built.stderr
    assert "built test-pref: テスト県DX推進課（テスト）, edition 2026.1, 2 entries" in built.stdout

    verify = run("pack", "verify", str(pack), home=office, **env)
    assert verify.returncode == 1 and "signature: valid" in verify.stdout and "NOT among your trusted keys" in verify.stdout
    refused = run("pack", "import", str(pack), home=office, **env)
    assert refused.returncode == 2 and str(pack) in refused.stderr and public in refused.stderr
    assert tree(office / "packs") == {}

    trusted = run("pack", "trust", str(key.parent / "pref.pem.pub"), "--label", "テスト県", home=office, **env)
    assert trusted.returncode == 0, trusted.stderr
    assert run("pack", "verify", str(pack), home=office, **env).returncode == 0
    imported = run("pack", "import", str(pack), home=office, **env)
    assert imported.returncode == 0, imported.stderr
    assert "imported test-pref" in imported.stdout and "catalog rebuilt" in imported.stdout
    listed = run("pack", "list", home=office, **env)
    assert "test-pref\tテスト県DX推進課（テスト）\tedition 2026.1" in listed.stdout and "trusted key" in listed.stdout
    found = run("search", "ごみ分別アプリ", "--json", home=office, **env)
    assert found.returncode == 0, found.stderr
    assert "test-pack-gomisuke" in found.stdout

    name = "entries/test-pack-gomisuke.md"
    with zipfile.ZipFile(pack) as zf:
        text = zf.read(name) + "\n（改ざん）\n".encode()
    tampered = rezip(pack, tmp_path / "tampered.zip", {name: text})
    before = tree(office)
    bad = run("pack", "import", str(tampered), "--trust", home=office, **env)  # --trust never overrides a broken signature
    assert bad.returncode == 2 and str(tampered) in bad.stderr and "changed after it was signed" in bad.stderr
    assert tree(office) == before

    removed = run("pack", "remove", "test-pref", home=office, **env)
    assert removed.returncode == 0, removed.stderr
    assert "test-pack-gomisuke" not in run("search", "ごみ分別アプリ", "--json", home=office, **env).stdout
    missing = run("pack", "remove", "test-pref", home=office, **env)
    assert missing.returncode == 2 and "no installed pack 'test-pref'" in missing.stderr
    assert run("pack", "untrust", public, home=office, **env).returncode == 0
    assert "no trusted keys" in run("pack", "trust", "--list", home=office, **env).stdout
