"""The catalog.db browse list shown at start-up before the index opens (app.search.browse)."""

from __future__ import annotations

from pathlib import Path

from app import paths
from app.catalog.store import current_db
from app.search.browse import browse_hits, plain_snippet
from app.search.engine import SearchEngine


def test_browse_list_is_what_the_engine_returns_for_the_empty_query(ui_home: Path) -> None:
    db_path = current_db(paths.catalog_db_path())
    total, hits = browse_hits(db_path, 1000)
    with SearchEngine(db_path, paths.index_dir()) as engine:
        res = engine.search("", limit=1000)
        cut = engine.search("", limit=25)
    assert total == res.total and len(hits) == len(res.hits) > 300
    assert hits == res.hits  # every field: order, labels, facts, municipalities, groups, snippet
    assert {h.kind for h in hits} == {"service", "architecture"}
    assert any(h.groups for h in hits if h.kind == "service") and any(h.edition == 1 for h in hits)
    assert browse_hits(db_path, 25) == (total, cut.hits)


def test_plain_snippet_is_one_escaped_line_cut_to_width() -> None:
    assert plain_snippet("a<b>\r\nc", 110) == "a&lt;b&gt;  c"
    assert plain_snippet("あ" * 120, 110) == "あ" * 110 + "…"
    assert plain_snippet("あ" * 110, 110) == "あ" * 110


def test_rapidfuzz_is_loaded_only_for_a_did_you_mean(ui_home: Path) -> None:
    """rapidfuzz costs the GUI ~4 MB: opening the engine and an ordinary search leave it out."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = (
        "import sys\n"
        "from app import paths\n"
        "from app.catalog.store import current_db\n"
        "from app.search.engine import SearchEngine\n"
        "e = SearchEngine(current_db(paths.catalog_db_path()), paths.index_dir())\n"
        "ok = e.search('オンデマンド').total > 0\n"
        "before = 'rapidfuzz' in sys.modules\n"
        "r = e.search('オンデマンドxqz')  # a word nothing holds: partial matches and a did-you-mean\n"
        "print(ok, before, 'rapidfuzz' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "False", "True"]
