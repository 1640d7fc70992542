"""Municipalities as an axis, on the real built catalog (the UI tests' session build, no Qt here):
hit municipalities, the 都道府県 → 市区町村 facet, town profiles, the `town` CLI, table exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.catalog.store import CatalogDB
from app.catalog.towns import town_profile
from app.search.engine import SearchEngine
from app.search.export import Table, csv_bytes, export_table, hit_table, municipalities_cell, to_tsv


@pytest.fixture
def engine(ui_home: Path) -> Iterator[SearchEngine]:
    with SearchEngine(ui_home / "catalog.db", ui_home / "index") as e:
        yield e


@pytest.fixture
def db(ui_home: Path) -> Iterator[CatalogDB]:
    with CatalogDB(ui_home / "catalog.db") as d:
        yield d


def test_hits_carry_their_municipalities(engine: SearchEngine, db: CatalogDB) -> None:
    res = engine.search("自治体:=長野県茅野市")
    assert [h.id for h in res.hits] == ["via-ondemand"]
    assert list(db.service("via-ondemand").municipalities) == res.hits[0].municipalities  # type: ignore[union-attr]
    assert "長野県茅野市" in res.hits[0].municipalities


def test_facet_hierarchy_counts_equal_search_counts(engine: SearchEngine) -> None:
    res = engine.search("オンデマンド交通")
    prefs = res.facets["prefecture"]
    assert prefs and any(p.children for p in prefs)
    for p in prefs:
        assert engine.search(f"オンデマンド交通 {p.query_text}", with_facets=False).total == p.count
        assert sum(1 for _ in p.children) >= 1
        for c in p.children:
            assert c.query_text.startswith("自治体:=") and c.value.startswith(p.value)
            assert engine.search(f"オンデマンド交通 {c.query_text}", with_facets=False).total == c.count
            assert c.count <= p.count


def test_selected_municipality_is_marked_under_its_prefecture(engine: SearchEngine) -> None:
    res = engine.search("自治体:=長野県茅野市")
    nagano = next(p for p in res.facets["prefecture"] if p.value == "長野県")
    chino = next(c for c in nagano.children if c.value == "長野県茅野市")
    assert chino.selected and chino.label == "茅野市"
    assert not nagano.selected


def test_municipality_names_complete(engine: SearchEngine) -> None:
    assert "長野県茅野市" in engine.all_values("自治体")


def test_town_profile_lists_services_by_field_and_group(db: CatalogDB) -> None:
    p = town_profile(db, "長野県茅野市")
    assert p.known and p.name == "長野県茅野市" and p.prefecture == "長野県"
    ids = {s.id for s in p.services}
    assert "via-ondemand" in ids
    assert ids == {sid for v in p.by_field.values() for sid in v} == {sid for v in p.by_group.values() for sid in v}
    assert all(s.sources for s in p.services)
    assert town_profile(db, "茅野市").name == "長野県茅野市"  # a unique suffix is enough


def test_unknown_town_says_so_and_suggests_the_prefecture(db: CatalogDB) -> None:
    p = town_profile(db, "長野県小海町")
    assert not p.known and p.name == "" and p.prefecture == "長野県"
    assert p.prefecture_services and "via-ondemand" in {s.id for s in p.prefecture_services}
    amb = town_profile(db, "府中市")
    assert not amb.known and set(amb.candidates) == {"東京都府中市", "広島県府中市"}


def test_town_cli_json(ui_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.commands.main import main

    assert main(["town", "茅野市", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "長野県茅野市" and data["known"] is True
    assert any(s["id"] == "via-ondemand" and s["sources"] for s in data["services"])
    assert main(["town", "長野県小海町"]) == 1
    assert "ありません" in capsys.readouterr().out


def test_municipalities_cell() -> None:
    assert municipalities_cell(["a", "b", "c", "d"]) == "4: a、b、c 他1"
    assert municipalities_cell([]) == ""


def test_csv_and_xlsx_neutralise_formulas_and_keep_order(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    table = Table(["名称", "メモ"], [["=HYPERLINK(\"x\")", "＋1"], ["b", "-2"], ["髙橋①", "🚌"]])
    path, bad = export_table(table, "csv", tmp_path / "t.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and bad == 0
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["名称", "メモ"]
    assert rows[1] == ["'=HYPERLINK(\"x\")", "'＋1"] and rows[2] == ["b", "'-2"] and rows[3] == ["髙橋①", "🚌"]
    xpath, _ = export_table(table, "xlsx", tmp_path / "t.xlsx")
    ws = load_workbook(xpath).active
    got = [[c.value for c in r] for r in ws.iter_rows()]
    assert got[0] == ["名称", "メモ"] and got[1][0] == "'=HYPERLINK(\"x\")" and got[3] == ["髙橋①", "🚌"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:B4"
    assert ws.column_dimensions["A"].width >= 10


def test_shift_jis_option_marks_unencodable_characters(tmp_path: Path) -> None:
    table = Table(["名称"], [["髙橋①㈱"], ["バス🚌"]])
    data, bad = csv_bytes(table, "shift_jis")
    text = data.decode("cp932")
    assert bad == 1 and "髙橋①㈱" in text and "バス〓" in text


def test_tsv_copy() -> None:
    assert to_tsv(Table(["a", "b"], [["x\ty", "=1"]]), with_header=True) == "a\tb\nx y\t'=1\n"


def test_search_cli_exports(ui_home: Path, tmp_path: Path, engine: SearchEngine) -> None:
    from openpyxl import load_workbook

    from app.commands.main import main

    out = tmp_path / "r.xlsx"
    assert main(["search", "オンデマンド交通", "--format", "xlsx", "--out", str(out)]) == 0
    ws = load_workbook(out).active
    res = engine.search("オンデマンド交通", limit=20)
    expect = hit_table(res.hits)
    assert [c.value for c in ws[1]] == expect.header
    assert [[c.value or "" for c in r] for r in ws.iter_rows(min_row=2)] == expect.rows
    out2 = tmp_path / "r.csv"
    assert main(["search", "オンデマンド交通", "--format", "csv", "--encoding", "shift_jis", "--out", str(out2)]) == 0
    rows = list(csv.reader(io.StringIO(out2.read_bytes().decode("cp932"))))
    assert rows[0] == expect.header and len(rows) == len(expect.rows) + 1


def test_a_prefecture_filter_selects_the_prefecture_not_its_own_adoption(engine: SearchEngine) -> None:
    res = engine.search("自治体:長野県")
    nagano = next(p for p in res.facets["prefecture"] if p.value == "長野県")
    assert nagano.selected and not any(c.selected for c in nagano.children)
