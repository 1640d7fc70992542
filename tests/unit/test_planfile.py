"""Plan files (.machiplan): export validated against the JSON Schema, round trip, renames, missing
entries, and every kind of bad file (malformed, truncated, tampered, oversized, wrong shape) refused
with a message naming the file, leaving plans.db exactly as it was."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from app import limits
from app.catalog.store import CatalogDB
from app.plan.changes import record_baselines
from app.plan.planfile import PlanFileError, canonical, export_machiplan, import_machiplan, plan_document, read_machiplan
from app.plan.plans import PlanStore, add_services, resolve_items
from tests.conftest import ROOT
from tests.plan_support import REAL_FIVE, bundled_db, open_store

jsonschema = pytest.importorskip("jsonschema")
SCHEMA = json.loads((ROOT / "resources" / "schema" / "machiplan-1.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


@pytest.fixture
def db(tmp_path: Path) -> CatalogDB:
    return bundled_db(tmp_path / "catalog.db")


@pytest.fixture
def source(tmp_path: Path, db: CatalogDB) -> PlanStore:
    """A plan with five real services, a note with a line break, a missing entry and two answers."""
    store, _ = open_store(tmp_path / "a" / "plans.db")
    store.create("豊明モデル")
    add_services(store, db, "豊明モデル", REAL_FIVE)
    record_baselines(store, db, "豊明モデル")
    store.add("豊明モデル", ["gone-entry"], names={"gone-entry": "終わったサービス"}, fields={"gone-entry": "公共交通"})
    store.set_note("豊明モデル", REAL_FIVE[1], "窓口の負担を確認する\n2行目: 「予算」")
    store.move("豊明モデル", REAL_FIVE[4], 0)
    store.set_answer("豊明モデル", "linkage:type", "TYPE1", "補助率を確認")
    store.set_answer("豊明モデル", "ownership", "municipality")
    return store


@pytest.fixture
def target(tmp_path: Path) -> PlanStore:
    store, _ = open_store(tmp_path / "b" / "plans.db")
    return store


def snapshot(store: PlanStore) -> str:
    return "\n".join(store.conn.iterdump())


def resign(doc: dict[str, Any]) -> dict[str, Any]:
    doc["sha256"] = hashlib.sha256(canonical(doc)).hexdigest()
    return doc


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def test_export_matches_the_schema_and_holds_the_plan(source: PlanStore, db: CatalogDB, tmp_path: Path) -> None:
    out = export_machiplan(source, db, "豊明モデル", tmp_path / "p.machiplan")
    doc = json.loads(out.read_text(encoding="utf-8"))
    VALIDATOR.validate(doc)
    assert doc["format"] == "machiplan" and doc["schema_version"] == 1
    assert doc["catalog"]["edition_id"] == db.meta()["edition_id"]
    entries = doc["plan"]["entries"]
    assert [e["id"] for e in entries] == [i.service_id for i in source.items("豊明モデル")]
    assert [e["position"] for e in entries] == list(range(len(entries)))
    by_id = {e["id"]: e for e in entries}
    assert by_id[REAL_FIVE[1]]["note"] == "窓口の負担を確認する\n2行目: 「予算」"
    assert by_id["gone-entry"] == {**by_id["gone-entry"], "missing": True, "name": "終わったサービス"}
    assert by_id[REAL_FIVE[0]]["name"] == db.service(REAL_FIVE[0]).name and "baseline" in by_id[REAL_FIVE[0]]
    assert {a["question_id"]: a["answer"] for a in doc["plan"]["answers"]} == {"linkage:type": "TYPE1", "ownership": "municipality"}
    assert doc["sha256"] == hashlib.sha256(canonical(doc)).hexdigest()


def test_round_trip_keeps_order_notes_answers_baselines(source: PlanStore, target: PlanStore, db: CatalogDB, tmp_path: Path) -> None:
    out = export_machiplan(source, db, "豊明モデル", tmp_path / "p.machiplan")
    res = import_machiplan(target, db, out)
    assert res.name == "豊明モデル" and not res.renamed and res.entries == 6 and res.answers == 2
    assert res.missing == [("gone-entry", "終わったサービス")]
    assert target.items("豊明モデル") == source.items("豊明モデル")  # ids, names, notes, positions, added_at, baselines
    assert target.answers("豊明モデル") == source.answers("豊明モデル")  # incl. notes and timestamps
    assert target.info("豊明モデル").created_at == source.info("豊明モデル").created_at
    resolved = resolve_items(target, db, "豊明モデル")
    assert [r.item.service_id for r in resolved if r.missing] == ["gone-entry"]
    assert next(r for r in resolved if r.missing).name == "終わったサービス"


def test_name_clash_renames_never_overwrites(source: PlanStore, db: CatalogDB, tmp_path: Path) -> None:
    out = export_machiplan(source, db, "豊明モデル", tmp_path / "p.machiplan")
    before = source.items("豊明モデル")
    source.set_note("豊明モデル", REAL_FIVE[0], "ここだけの変更")
    first = import_machiplan(source, db, out)
    second = import_machiplan(source, db, out)
    assert (first.name, second.name) == ("豊明モデル (2)", "豊明モデル (3)") and first.renamed
    assert next(i.note for i in source.items("豊明モデル") if i.service_id == REAL_FIVE[0]) == "ここだけの変更"
    assert [i.service_id for i in source.items("豊明モデル (2)")] == [i.service_id for i in before]
    assert import_machiplan(source, db, out, name="別名").name == "別名"


def test_unknown_entries_are_kept_as_missing(source: PlanStore, target: PlanStore, db: CatalogDB, tmp_path: Path) -> None:
    doc = plan_document(source, db, "豊明モデル")
    doc["plan"]["entries"].append({"id": "pack-only-entry", "name": "県のパックの項目", "field": "市民サービス",
                                   "position": 99, "note": "県から", "added_at": "2026-01-01T00:00:00+00:00"})
    path = write(tmp_path / "x.machiplan", resign(doc))
    VALIDATOR.validate(json.loads(path.read_text(encoding="utf-8")))
    res = import_machiplan(target, db, path)
    assert ("pack-only-entry", "県のパックの項目") in res.missing
    last = target.items("豊明モデル")[-1]
    assert (last.service_id, last.last_name, last.note, last.last_field) == ("pack-only-entry", "県のパックの項目", "県から", "市民サービス")


def _refused(target: PlanStore, db: CatalogDB, path: Path, match: str) -> PlanFileError:
    before = snapshot(target)
    with pytest.raises(PlanFileError, match=match) as info:
        import_machiplan(target, db, path)
    assert snapshot(target) == before, "a refused file changes nothing"
    assert info.value.path == path and info.value.advice_ja and str(path) in str(info.value)
    return info.value


def test_malformed_and_truncated(source: PlanStore, target: PlanStore, db: CatalogDB, tmp_path: Path) -> None:
    target.create("既存")
    good = export_machiplan(source, db, "豊明モデル", tmp_path / "p.machiplan").read_bytes()
    bad = tmp_path / "bad.machiplan"
    bad.write_bytes(good.replace(b'"format": "machiplan",', b'"format": "machiplan"', 1))
    err = _refused(target, db, bad, "line 3, column 3")  # where the missing comma is noticed
    assert "malformed" in err.message_en
    for cut in range(1, len(good) - 1, 97):
        bad.write_bytes(good[:cut])
        assert "truncated" in _refused(target, db, bad, "truncated").message_en
    bad.write_bytes(b"")
    _refused(target, db, bad, "empty")
    bad.write_bytes(b"\xff\xfe" + good)
    _refused(target, db, bad, "UTF-8")
    bad.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    _refused(target, db, bad, "machiplan|JSON")


def test_every_flipped_byte_is_refused(target: PlanStore, db: CatalogDB, tmp_path: Path) -> None:
    small, _ = open_store(tmp_path / "small" / "plans.db")
    small.create("小さな計画")
    add_services(small, db, "小さな計画", REAL_FIVE[:2])
    small.set_note("小さな計画", REAL_FIVE[0], "メモ")
    small.set_answer("小さな計画", "ownership", "municipality", "理由")
    good = export_machiplan(small, db, "小さな計画", tmp_path / "p.machiplan").read_bytes()
    assert read_machiplan(tmp_path / "p.machiplan").name == "小さな計画"
    bad = tmp_path / "flip.machiplan"
    before = snapshot(target)
    messages: list[str] = []
    for i in range(len(good)):  # every byte of the file, one bit flipped
        bad.write_bytes(good[:i] + bytes([good[i] ^ 0x01]) + good[i + 1:])
        with pytest.raises(PlanFileError) as info:
            import_machiplan(target, db, bad)
        messages.append(info.value.message_en)
    assert snapshot(target) == before
    assert sum("checksum" in m for m in messages) > len(good) // 4  # changed values, not only broken syntax


def test_oversized(source: PlanStore, target: PlanStore, db: CatalogDB, tmp_path: Path) -> None:
    big = tmp_path / "big.machiplan"
    with open(big, "wb") as fh:
        fh.truncate(limits.MAX_PLAN_FILE_BYTES + 1)
    _refused(target, db, big, "too large")
    doc = plan_document(source, db, "豊明モデル")
    entry = doc["plan"]["entries"][0]
    doc["plan"]["entries"] = [{**entry, "id": f"e{i}", "position": i} for i in range(limits.MAX_PLAN_ENTRIES + 1)]
    _refused(target, db, write(tmp_path / "many.machiplan", resign(doc)), "more than")


def _variants(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Documents with one rule broken each (re-checksummed, so the rule itself must catch them)."""
    def change(fn: Any) -> dict[str, Any]:
        d = json.loads(json.dumps(doc))
        fn(d)
        return resign(d)

    e0 = "entries"
    return [
        ("machiplan", change(lambda d: d.update(format="csv"))),
        ("newer", change(lambda d: d.update(schema_version=2))),
        ("unknown keys", change(lambda d: d.update(extra=1))),
        ("catalog", change(lambda d: d.pop("catalog"))),
        ("must be a string", change(lambda d: d["plan"][e0][0].update(note=5))),
        ("position", change(lambda d: d["plan"][e0][0].update(position=-1))),
        ("appears twice", change(lambda d: d["plan"][e0][1].update(id=d["plan"][e0][0]["id"]))),
        ("appears twice", change(lambda d: d["plan"][e0][1].update(position=0))),
        ("id is missing", change(lambda d: d["plan"][e0][0].pop("id"))),
        ("empty", change(lambda d: d["plan"][e0][0].update(id="  "))),
        ("control", change(lambda d: d["plan"][e0][0].update(note="a\x00b"))),
        ("longer than", change(lambda d: d["plan"][e0][0].update(note="x" * (limits.MAX_TEXT_CHARS + 1)))),
        ("plan.name", change(lambda d: d["plan"].update(name=" "))),
        ("must be an array", change(lambda d: d["plan"].update(answers={}))),
        ("twice", change(lambda d: d["plan"]["answers"].append(dict(d["plan"]["answers"][0])))),
        ("baseline", change(lambda d: d["plan"][e0][0]["baseline"].pop("record"))),
        ("true or false", change(lambda d: d["plan"][e0][0].update(missing="no"))),
    ]


def test_schema_and_app_refuse_the_same_documents(source: PlanStore, target: PlanStore, db: CatalogDB, tmp_path: Path) -> None:
    doc = plan_document(source, db, "豊明モデル")
    VALIDATOR.validate(doc)
    for i, (match, bad) in enumerate(_variants(doc)):
        path = write(tmp_path / f"v{i}.machiplan", bad)
        _refused(target, db, path, match)
        if match not in ("appears twice", "twice"):  # uniqueness of ids and positions is the app's rule only
            assert list(VALIDATOR.iter_errors(bad)), f"the schema accepts what the app refuses: {match}"
    assert target.list_plans() == []
