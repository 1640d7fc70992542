"""A registry fact end to end: `since: 2019` in a catalog file → catalog.db column → index → query
`開始年:2019` → facet count → results table column → plan exports (CSV and XLSX)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from openpyxl import load_workbook

from app import userdb
from app.catalog import fields as registry
from app.catalog.loader import load_catalog
from app.catalog.store import CatalogDB, build_db
from app.plan.export import export_plan
from app.plan.plans import PlanStore, add_services
from app.search.engine import SearchEngine
from tests.conftest import service_md

SOURCE = "\n  - url: https://example.org/alpha\n    seen: 2026-11-27\n    took: 2019年に提供開始\n    supports: [since]"


def test_since_from_catalog_file_to_exports(qtbot, mini_catalog: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (mini_catalog / "services" / "transport" / "alpha.md").write_text(service_md("alpha", since="2019", sources=SOURCE), encoding="utf-8")
    cat = load_catalog(mini_catalog)
    assert not cat.errors, [str(p) for p in cat.errors]
    db_path = build_db(cat, tmp_path / "catalog.db")

    conn = sqlite3.connect(db_path)
    assert dict(conn.execute("select id, since from services").fetchall()) == {"alpha": 2019, "beta": None, "gamma": None}
    assert conn.execute("select supports from service_sources where service_id = 'alpha'").fetchone() == ("since",)
    conn.close()

    engine = SearchEngine(db_path, tmp_path / "index")
    try:
        res = engine.search("開始年:2019")
        assert [h.id for h in res.hits] == ["alpha"] and res.hits[0].facts["since"] == "2019"
        assert res.to_json()["hits"][0]["facts"]["since"] == "2019"
        assert [fv.value for fv in res.facets["since"] if fv.selected] == ["2019"]
        assert [h.id for h in engine.search("since:2018..2020").hits] == ["alpha"]
        assert sorted(h.id for h in engine.search("開始年:不明").hits) == ["beta", "gamma"]
        everything = engine.search("対象:サービス")
        assert {fv.value: fv.count for fv in everything.facets["since"]} == {"2019": 1, "不明": 2}
        assert [fv.query_text for fv in everything.facets["since"]] == ["開始年:2019", "開始年:不明"]

        from app.ui.models import ResultsModel

        model = ResultsModel()
        model.set_hits(everything.hits)
        col = ResultsModel.COL_FACTS + registry.FACTS.index(registry.BY_KEY["since"])
        assert model.headerData(col, _horizontal()) == "開始年"
        shown = {model.index(r, ResultsModel.COL_NAME).data(): model.index(r, col).data() for r in range(model.rowCount())}
        assert shown == {"テストサービスalpha": "2019", "テストサービスbeta": "不明", "テストサービスgamma": "不明"}
    finally:
        engine.close()

    db = CatalogDB(db_path)
    conn = userdb.connect(tmp_path / "plans.db")
    store = PlanStore(conn)
    store.create("p")
    add_services(store, db, "p", ["alpha", "beta"])
    raw = export_plan(store, db, "p", "csv", tmp_path / "p.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    header = next(r for r in rows if "開始年" in r)
    names = ("テストサービスalpha", "テストサービスbeta")  # reports name services; ids are in the appendix only
    table = rows[rows.index(header) + 1:]
    table = table[:table.index([])]  # the services section ends at its blank line
    by_name = {r[1]: r[header.index("開始年")] for r in table if r[1] in names}
    assert by_name == {"テストサービスalpha": "2019", "テストサービスbeta": "不明"}
    ws = load_workbook(export_plan(store, db, "p", "xlsx", tmp_path / "p.xlsx"))["サービス"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in cells if "開始年" in r)
    alpha = next(r for r in cells if "テストサービスalpha" in r)
    assert alpha[header.index("開始年")] == 2019  # a number in the spreadsheet
    md = export_plan(store, db, "p", "md", tmp_path / "p.md").read_text(encoding="utf-8")
    assert "開始年" in md and "| 2019 |" in md
    conn.close()
    db.close()


def _horizontal():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
