"""「この版の新着」 data: the catalog the user last saw against the current catalog.db (Qt-free)."""

from __future__ import annotations

from pathlib import Path

from app.catalog.loader import load_catalog
from app.catalog.seen import changelog_section, check_whats_new, mark_seen, seen_path
from app.catalog.store import build_db
from tests.conftest import BUNDLED, service_md, write


def _build(root: Path, target: Path) -> Path:
    cat = load_catalog(root)
    assert not cat.errors
    return build_db(cat, target)


def test_first_start_records_then_an_update_shows_what_changed(mini_catalog: Path, tmp_path: Path) -> None:
    write(mini_catalog / "edition.yaml", 'id: "2031.04"\nname: 2031年4月版\ndate: 2031-04-01\n')
    write(mini_catalog / "CHANGELOG.md", "# log\n\n## 2031.05（2031年5月版）— 2031-05-01\n\n- 新しい **二件**\n\n## 2031.04（2031年4月版）— 2031-04-01\n\n- 最初\n")
    db = tmp_path / "catalog.db"
    seen = seen_path(tmp_path / "home")
    _build(mini_catalog, db)
    assert check_whats_new(db, seen, mini_catalog) is None  # first start: nothing is "new"
    assert seen.exists()
    assert check_whats_new(db, seen, mini_catalog) is None  # unchanged

    write(mini_catalog / "edition.yaml", 'id: "2031.05"\nname: 2031年5月版\ndate: 2031-05-01\n')
    write(mini_catalog / "services/transport/delta.md", service_md("delta"))
    write(mini_catalog / "services/transport/alpha.md", service_md("alpha", provider="株式会社あたらしい"))
    _build(mini_catalog, db)
    news = check_whats_new(db, seen, mini_catalog)
    assert news is not None and news.edition_name == "2031年5月版"
    assert [e.id for e in news.diff.added] == ["delta"]
    assert [(c.id, c.keys) for c in news.diff.changed] == [("alpha", ("provider",))]
    assert news.changelog == "- 新しい **二件**"
    mark_seen(db, seen)
    assert check_whats_new(db, seen, mini_catalog) is None  # shown once


def test_a_broken_snapshot_counts_as_a_first_start(mini_catalog: Path, tmp_path: Path) -> None:
    db = _build(mini_catalog, tmp_path / "catalog.db")
    seen = tmp_path / "seen.json"
    seen.write_text("{not json", encoding="utf-8")
    assert check_whats_new(db, seen) is None
    assert check_whats_new(db, seen) is None and seen.read_text(encoding="utf-8").startswith("{")


def test_bundled_changelog_has_the_current_edition_section() -> None:
    text = changelog_section(BUNDLED, "2026.11")
    assert "72件" in text and "source-policy.yaml" in text
    assert changelog_section(BUNDLED, "1999.01") == "" and changelog_section(BUNDLED, "") == ""


def test_real_history_first_release_to_now(tmp_path: Path) -> None:
    import pytest

    from app.catalog.diff import DiffError, git_catalog

    db = tmp_path / "catalog.db"
    seen = tmp_path / "seen.json"
    try:
        with git_catalog("b9690d7", BUNDLED) as old_root:
            _build(old_root, db)
    except DiffError as exc:
        pytest.skip(f"needs the project's git history: {exc}")
    mark_seen(db, seen)  # the user saw the first release
    _build(BUNDLED, db)  # … then updated to the current edition
    news = check_whats_new(db, seen, BUNDLED)
    assert news is not None and news.edition_name == "2026年11月版"
    assert len(news.diff.added) >= 72 and not news.diff.removed
    mykey = next(c for c in news.diff.changed if c.id == "mykey-platform")
    assert "description" in mykey.keys and "sources" in mykey.keys
    assert "source-policy.yaml" in news.changelog
