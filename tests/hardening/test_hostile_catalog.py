"""Hostile catalog files: validation never raises, names the file, and what it accepts builds.

508 generated cases (alias bombs, deep nesting, YAML tags, wrongly typed values, huge values,
non-text keys, encodings, structure) each replace one catalog file of a small valid catalog.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.catalog.loader import load_catalog
from app.catalog.store import build_db
from tests.hardening.hostile import SERVICE, all_cases, billion_laughs

CASES = all_cases()
FOUNDATIONS = ("taxonomy.yaml", "architecture/scra-2.yaml")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("case", "rel", "data"), CASES, ids=[c[0] for c in CASES])
def test_hostile_file_is_reported_and_the_rest_builds(mini_catalog: Path, tmp_path: Path, case: str, rel: str, data: bytes) -> None:
    target = mini_catalog / rel
    target.write_bytes(data)
    cat = load_catalog(mini_catalog)  # must not raise, whatever the file holds
    ids = {s.id for s in cat.services}
    assert any(p.path.endswith(rel) for p in cat.problems) or not cat.errors, f"{case}: the broken file is named"
    for problem in cat.problems:
        assert problem.line >= 1
        if rel not in FOUNDATIONS:  # a broken taxonomy or SCRA tree makes everything that refers to it fail too
            assert problem.path.endswith(rel), f"{case}: a problem names another file: {problem}"
    if rel == SERVICE:
        assert {"alpha", "gamma"} <= ids, f"{case}: the good entries must still load"
        if "beta" not in ids:
            assert cat.errors, f"{case}: an entry was dropped without an error"
        else:
            assert not cat.errors, f"{case}: an entry reported with errors (so: skipped) was loaded anyway"
    # validator = database: whatever validation let through, the build accepts
    build_db(cat, tmp_path / "catalog.db")
    assert (tmp_path / "catalog.db").stat().st_size > 0
    if rel.startswith("knowledge/"):  # what the plan code reads back must evaluate
        from app.catalog.store import CatalogDB
        from app.plan.coverage import compute_coverage

        with CatalogDB(tmp_path / "catalog.db") as db:
            compute_coverage(db, ["alpha", "gamma"], {})


def _limited() -> None:  # child: at most 1 GiB of address space and 60 s of CPU
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


WORST = {
    "billion-laughs-12": ("services/transport/beta.md", f"---\n{billion_laughs(12)}id: beta\n---\nx\n".encode()),
    "billion-laughs-yaml": ("architecture/field-defaults.yaml", billion_laughs(12).encode()),
    "deep-5000": ("services/transport/beta.md", ("---\nid: " + "[" * 5000 + "]" * 5000 + "\n---\nx\n").encode()),
    "int-notint": ("knowledge/considerations.yaml", b"a: !!int notint\n"),
    "binary-set": ("knowledge/considerations.yaml", b"a: !!binary aGk=\nb: !!set {x}\n"),
}


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
@pytest.mark.parametrize("case", sorted(WORST))
def test_validate_cli_reports_all_bad_files_within_bounds(mini_catalog: Path, case: str) -> None:
    rel, data = WORST[case]
    (mini_catalog / rel).write_bytes(data)
    # a second, independent broken file: validate must report both, not stop at the first
    (mini_catalog / "services/transport/gamma.md").write_bytes(b"---\nid: gamma\nname: !!float abc\n---\nx\n")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "app", "validate", str(mini_catalog)], capture_output=True, text=True,
                          env=env, cwd=ROOT, preexec_fn=_limited, timeout=120, encoding="utf-8")
    elapsed = time.monotonic() - started
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert proc.returncode == 1, out
    assert rel in out and "gamma.md" in out, out
    print(f"{case}: {elapsed:.2f} s")
