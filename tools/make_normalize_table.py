"""Write resources/search/normalize-table.json: the search normalisation's translate table.

    python tools/make_normalize_table.py

app.search.analysis computes the table in ~50 ms (every code point of the BMP through NFKC, case
folding and the app's kana/variant folding); every process that searches or builds the index
needs it, so a copy ships with the app and is read in ~3 ms. Run this after changing the folding
rules in app/search/analysis.py or the Python (Unicode) version; tests/unit/test_search_query.py
fails while the copy is stale.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.search.analysis import TABLE_FILE, compute_units  # noqa: E402


def main() -> int:
    table = compute_units()
    out = ROOT.joinpath("resources", *TABLE_FILE)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {"unidata_version": unicodedata.unidata_version, "table": {str(k): v for k, v in sorted(table.items())}}
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}: {len(table):,} code points (Unicode {unicodedata.unidata_version})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
