"""User-visible search behaviour on a small, fixed catalog (bundled taxonomy/SCRA + 7 test entries)."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import paths
from app.build import ensure_built
from app.catalog.store import CatalogDB
from app.search.engine import SearchEngine, SearchResult
from app.search.index import ensure_index, index_path
from app.search.query import parse

BUNDLED = Path(__file__).resolve().parents[2] / "catalog_data"

ENTRIES = [
    dict(id="ondemand-a", name="のるのるオンデマンド", provider="株式会社テスト交通", field="公共交通", kind="AIオンデマンド交通",
         munis=["愛知県豊明市"], personal="個人情報", use=["交通・物流"], link=False,
         scra=[("service-management/portal", "provides", "予約の窓口")], body="予約制の乗合タクシーです。アプリで予約します。"),
    dict(id="demand-bus", name="まちバス", provider="株式会社まちバス", field="公共交通", kind="デマンド交通",
         munis=["岐阜県各務原市"], personal="個人情報", use=["交通・物流"], link=False,
         scra=[("operations-support/back-office", "provides", "配車を計算する")], body="電話で予約する乗合バスです。"),
    dict(id="kakanai", name="書かない窓口システム", provider="株式会社窓口ソリューション", field="市民サービス", kind="窓口支援",
         munis=["北海道北見市"], personal="個人情報", use=["行政サービス"], link=False,
         scra=[("security/identity-proofing", "uses", "本人確認")],
         body="住民が申請書を書かない窓口を実現します。<script>alert(1)</script> & more"),
    dict(id="madoguchi-yoyaku", name="窓口予約くん", provider="株式会社予約", field="市民サービス", kind="窓口予約",
         munis=["東京都世田谷区"], personal="なし", use=["行政サービス"], link=False,
         scra=[("service-management/portal", "provides", "来庁予約")], body="窓口で書かない申請は扱いません。来庁予約を受け付けます。"),
    dict(id="kosodate", name="すくすく子育てアプリ", provider="愛知県", field="医療・健康・子育て", kind="子育て支援アプリ",
         munis=["愛知県名古屋市"], personal="要配慮個人情報", use=["子育て"], link=True,
         scra=[("data-management/personal-data/pds", "uses", "記録を預かる")], body="妊娠から子育てまでの記録を残すアプリです。"),
    dict(id="maas", name="まちMaaS", provider="株式会社アイシン", field="公共交通", kind="MaaSアプリ",
         munis=["東京都世田谷区"], personal="個人情報", use=["交通・物流"], link=True,
         scra=[("service-management/payment", "provides", "決済")], body="鉄道とバスをまとめて検索・決済できるMaaSアプリです。LINEからも使えます。"),
    dict(id="data-hub", name="スマートデータ連携基盤", provider="日本電気株式会社", field="データ連携基盤", kind="都市OS・データ連携基盤",
         munis=[], personal="なし", use=["行政サービス"], link=True,
         scra=[("data-management/data-broker", "provides", "データを仲介する")], body="FIWAREを使ったデータ連携基盤です。サーバー上で動きます。"),
]
DIRS = {"公共交通": "transport", "市民サービス": "citizen", "医療・健康・子育て": "health", "データ連携基盤": "data-platform"}


def write_entry(root: Path, e: dict) -> None:
    scra = "\n".join(f"  - node: {n}\n    role: {r}\n    why: {w}" for n, r, w in e["scra"])
    text = (
        f"---\nid: {e['id']}\nname: {e['name']}\nprovider: {e['provider']}\nfield: {e['field']}\nkind: {e['kind']}\n"
        f"municipalities: [{', '.join(e['munis'])}]\ndata_linkage: {'true' if e['link'] else 'false'}\n"
        f"personal_data: {e['personal']}\nuse_fields: [{', '.join(e['use'])}]\nscra_defaults: false\nscra:\n{scra}\n"
        f"sources:\n  - url: https://example.org/{e['id']}\n    seen: 2026-11-27\n---\n{e['body']}\n"
    )
    folder = root / "services" / DIRS[e["field"]]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{e['id']}.md").write_text(text, encoding="utf-8")


def make_catalog(root: Path) -> Path:
    cat = root / "catalog"
    cat.mkdir(parents=True)
    shutil.copy(BUNDLED / "taxonomy.yaml", cat / "taxonomy.yaml")
    for sub in ("architecture", "knowledge"):
        if (BUNDLED / sub).is_dir():
            shutil.copytree(BUNDLED / sub, cat / sub)
    for e in ENTRIES:
        write_entry(cat, e)
    return cat


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("search")
    cat = make_catalog(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(paths.ENV_HOME, str(root / "home"))
        mp.setenv(paths.ENV_CATALOG, str(cat))
        res = ensure_built()
        assert not res.errors, res.errors
        yield root


@pytest.fixture(scope="module")
def engine(env: Path) -> Iterator[SearchEngine]:
    eng = SearchEngine(paths.catalog_db_path(), paths.index_dir())
    yield eng
    eng.close()


def ids(engine: SearchEngine, text: str, kind: str | None = "service") -> list[str]:
    res = engine.search(text, limit=100)
    return [h.id for h in res.hits if kind is None or h.kind == kind]


# -- Japanese matching ---------------------------------------------------------------------------

def test_two_character_words_find_entries(engine: SearchEngine) -> None:
    assert set(ids(engine, "窓口")) >= {"kakanai", "madoguchi-yoyaku"}
    assert set(ids(engine, "交通")) >= {"ondemand-a", "demand-bus"}
    assert ids(engine, "子育")[0] == "kosodate"


def test_half_width_katakana_finds_full_width(engine: SearchEngine) -> None:
    assert ids(engine, "ｵﾝﾃﾞﾏﾝﾄﾞ")[0] == "ondemand-a"


def test_hiragana_finds_katakana(engine: SearchEngine) -> None:
    assert ids(engine, "おんでまんど")[0] == "ondemand-a"
    assert "kosodate" in ids(engine, "あぷり")


def test_long_vowel_and_width_variants(engine: SearchEngine) -> None:
    assert ids(engine, "サーバ") == ["data-hub"]  # the entry writes サーバー
    assert ids(engine, "ﾃﾞｰﾀ連携")[0] == "data-hub"
    assert ids(engine, "ＭａａＳ")[0] == "maas"
    assert ids(engine, "maas")[0] == "maas"
    assert "maas" in ids(engine, "line")


def test_phrase_order_matters(engine: SearchEngine) -> None:
    found = ids(engine, '"書かない窓口"')
    assert "kakanai" in found and "madoguchi-yoyaku" not in found
    # an unquoted compound is matched by its words (issue 21); the entry with them in order ranks first
    found = ids(engine, "書かない窓口")
    assert found[0] == "kakanai"
    found = ids(engine, '"窓口で書かない"')
    assert "madoguchi-yoyaku" in found and "kakanai" not in found


def test_long_words_match_whole_in_one_field(engine: SearchEngine) -> None:
    # 3+ character words are matched through their bigrams and then as a whole in the stored text:
    # 窓口で書かない holds 書カ, ナイ and 窓口 but not 書かない窓口
    assert engine.text_docs("書かない窓口") and all(
        engine._oi.docs[d].id == "kakanai" for d in engine.text_docs("書かない窓口"))  # type: ignore[union-attr]
    assert ids(engine, "提供者:テスト交通") == ["ondemand-a"]  # in its provider …
    assert ids(engine, "種別:テスト交通") == []  # … not in its kind
    assert "ondemand-a" in ids(engine, "種別:デマンド交通") and "ondemand-a" not in ids(engine, "提供者:デマンド交通")


def test_one_character_query(engine: SearchEngine) -> None:
    assert set(ids(engine, "窓")) >= {"kakanai", "madoguchi-yoyaku"}
    assert "kosodate" in ids(engine, "子")


def test_hits_say_which_kind(engine: SearchEngine) -> None:
    res = engine.search("データ仲介")
    assert res.hits[0].id == "data-management/data-broker" and res.hits[0].kind == "architecture"
    assert any(h.kind == "service" and h.id == "data-hub" for h in res.hits)
    assert all(h.kind == "architecture" for h in engine.search("対象:アーキテクチャ 同意").hits)


# -- field filters -------------------------------------------------------------------------------

def test_provider_filter(engine: SearchEngine) -> None:
    assert ids(engine, "提供者:アイシン") == ["maas"]
    assert ids(engine, "provider:アイシン") == ["maas"]
    assert ids(engine, '提供者:="株式会社アイシン"') == ["maas"]
    assert ids(engine, "提供者:=アイシン") == []


def test_municipality_filter_prefecture_matches_its_municipalities(engine: SearchEngine) -> None:
    assert set(ids(engine, "自治体:愛知県")) == {"ondemand-a", "kosodate"}
    assert set(ids(engine, "自治体:愛知")) == {"ondemand-a", "kosodate"}
    assert ids(engine, "municipality:豊明市") == ["ondemand-a"]
    assert ids(engine, "自治体:なし 対象:サービス") == ["data-hub"]


def test_function_filter_matches_descendants(engine: SearchEngine) -> None:
    assert set(ids(engine, "機能:data-management")) == {"kosodate", "data-hub"}
    assert set(ids(engine, "機能:データマネジメント機能群")) == {"kosodate", "data-hub"}
    assert ids(engine, "function:パーソナルデータ管理・同意") == ["kosodate"]
    assert ids(engine, "機能:=data-management") == []  # exact: the node itself only
    arch = ids(engine, "機能:data-management", kind="architecture")
    assert "data-management/personal-data/pds" in arch and all(a.startswith("data-management") for a in arch)


def test_layer_personal_type_and_field_filters(engine: SearchEngine) -> None:
    assert set(ids(engine, "層:データマネジメント")) == {"kosodate", "data-hub"}
    assert set(ids(engine, "layer:data-management")) == {"kosodate", "data-hub"}
    assert ids(engine, "個人情報:要配慮") == ["kosodate"]
    assert set(ids(engine, "personal:none")) == {"madoguchi-yoyaku", "data-hub"}
    assert set(ids(engine, "タイプ:TYPE2/3")) == {"kosodate", "maas", "data-hub"}
    assert set(ids(engine, "type:2")) == {"kosodate", "maas", "data-hub"}
    assert set(ids(engine, "分野:公共交通")) == {"ondemand-a", "demand-bus", "maas"}
    assert set(ids(engine, "field:transport")) == {"ondemand-a", "demand-bus", "maas"}


def test_negation_excludes(engine: SearchEngine) -> None:
    assert ids(engine, "窓口 -予約") == ["kakanai"]
    assert set(ids(engine, "分野:公共交通 -提供者:アイシン")) == {"ondemand-a", "demand-bus"}
    assert "maas" not in ids(engine, "NOT 分野:公共交通")
    assert set(ids(engine, "まちバス OR まちMaaS")) == {"demand-bus", "maas"}


def test_unknown_value_gives_message_not_error(engine: SearchEngine) -> None:
    res = engine.search("分野:宇宙開発")
    assert res.total == 0 and res.message and "分野" in res.message


def test_did_you_mean(engine: SearchEngine) -> None:
    res = engine.search("まちバズ")
    assert res.total == 0 and res.suggestion and "まちバス" in res.suggestion and res.message
    assert engine.search(res.suggestion).total >= 1


# -- ranking, snippets -------------------------------------------------------------------------

def test_name_outranks_description(engine: SearchEngine) -> None:
    assert ids(engine, "バス")[0] == "demand-bus"


def test_stable_tie_order(engine: SearchEngine) -> None:
    hits = engine.search("対象:サービス").hits
    assert len({h.score for h in hits}) == 1
    assert [(h.name, h.id) for h in hits] == sorted((h.name, h.id) for h in hits)
    assert [h.id for h in hits] == [h.id for h in engine.search("対象:サービス").hits]


def test_snippet_is_escaped_and_highlighted(engine: SearchEngine) -> None:
    hit = next(h for h in engine.search("書かない窓口").hits if h.id == "kakanai")
    assert "<b>書かない窓口</b>" in hit.snippet
    assert "&lt;script&gt;" in hit.snippet and "<script>" not in hit.snippet
    hit = engine.search("おんでまんど").hits[0]
    assert "<b>オンデマンド</b>" in hit.name_html


def test_hits_beyond_the_first_screen_are_highlighted_later(engine: SearchEngine) -> None:
    full = engine.search("予約", limit=50)
    engine.clear_cache()
    res = engine.search("予約", limit=50, snippets=2)
    assert len(res.hits) == len(full.hits) == 3
    assert [h.snippet for h in res.hits[:2]] == [h.snippet for h in full.hits[:2]] and "<b>予約</b>" in res.hits[0].snippet
    assert all(h.snippet == "" and h.name_html == "" for h in res.hits[2:])
    assert res.pending is not None
    assert engine.highlight_pending(res) == len(res.hits) - 2
    assert res.hits == full.hits and res.pending is None
    assert engine.highlight_pending(res) == 0  # done once
    late = engine.search("予約", limit=50, snippets=0)
    engine.clear_cache()
    engine._load()  # the index reopened (e.g. after a rebuild): the old job is dropped, not run on new docnums
    assert engine.highlight_pending(late) == 0 and late.hits[0].snippet == ""


# -- facets ----------------------------------------------------------------------------------------

def counts(res: SearchResult, facet: str) -> dict[str, int]:
    return {v.value: v.count for v in res.facets[facet]}


def test_facet_counts_change_with_query(engine: SearchEngine) -> None:
    everything = counts(engine.search(""), "field")
    assert everything["公共交通"] == 3 and everything["市民サービス"] == 2
    assert counts(engine.search("書かない"), "field") == {"市民サービス": 2}
    assert counts(engine.search("予約"), "field") == {"公共交通": 2, "市民サービス": 1}


def test_facets_or_within_and_across(engine: SearchEngine) -> None:
    res = engine.search("分野:公共交通")
    field = {v.value: v for v in res.facets["field"]}
    assert field["公共交通"].selected and field["市民サービス"].count == 2  # OR within the facet
    assert field["市民サービス"].query_text == "分野:市民サービス"
    both = res.query.with_filter(field["市民サービス"].field, field["市民サービス"].value)
    assert both.to_text() == "分野:公共交通 OR 分野:市民サービス"
    assert engine.search(both.to_text()).total == 5
    res = engine.search("分野:公共交通 自治体:愛知県")  # AND across facets
    assert res.total == 1
    pref = counts(res, "prefecture")
    assert pref == {"愛知県": 1, "岐阜県": 1, "東京都": 1}
    provider = {v.value: v for v in engine.search("分野:公共交通").facets["provider"]}
    assert provider["株式会社アイシン"].query_text == "提供者:=株式会社アイシン"
    neg = engine.search("分野:公共交通 -提供者:=株式会社アイシン")
    negated = {v.value: v for v in neg.facets["provider"]}["株式会社アイシン"]
    assert neg.total == 2 and negated.negated and negated.count == 0  # shown so the UI can lift the exclusion


def test_facet_value_text_round_trips(engine: SearchEngine) -> None:
    res = engine.search("")
    for values in res.facets.values():
        for v in values:
            q = parse(v.query_text)
            assert q.message is None and parse(q.to_text()) == q
            assert engine.search(v.query_text).total == v.count, v


def test_all_values_for_completion(engine: SearchEngine) -> None:
    assert "株式会社アイシン" in engine.all_values("提供者")
    assert "公共交通" in engine.all_values("field")
    assert engine.all_values("自治体")[:2] == ["北海道", "東京都"] or "愛知県" in engine.all_values("自治体")
    assert "TYPE2/3" in engine.all_values("タイプ")
    assert engine.all_values("nonsense") == []


def test_concurrent_searches(engine: SearchEngine) -> None:
    errors: list[BaseException] = []
    totals: list[int] = []

    def run() -> None:
        try:
            for text in ["窓口", "交通", "自治体:愛知県", "ｵﾝﾃﾞﾏﾝﾄﾞ"] * 5:
                totals.append(engine.search(text).total)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(totals) == 80


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('窓口交通ｵﾝﾃﾞおんaZ1 :："()（）-ー=OR分野提供者機能層自治体なし\u3000')) | st.characters(), max_size=30))
def test_engine_never_raises(engine: SearchEngine, text: str) -> None:
    res = engine.search(text, limit=5)
    assert isinstance(res, SearchResult) and res.total >= 0
    assert res.hits or res.total == 0 or res.message is not None
    assert "search failed" not in (res.message or "")  # an internal error is reported, but must not happen


@pytest.mark.parametrize("inline_limit", [None, 1])
def test_fast_posting_reader_matches_whoosh(engine: SearchEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           inline_limit: int | None) -> None:
    """Postings read in bulk equal Whoosh's own matcher, for lists inlined in the term table (short
    ones, app.search.bulk) and for lists in postings blocks (all of them with inline_limit=1)."""
    from whoosh import index as windex

    from app.search import bulk
    from app.search.executor import read_postings
    from app.search.index import INDEX_NAME, documents, write_index

    ix = None
    if inline_limit is None:
        reader = engine._searcher.reader()
    else:
        monkeypatch.setattr(bulk, "INLINE_LIMIT", inline_limit)
        with CatalogDB(engine.db_path) as db:
            write_index(documents(db), tmp_path / "ix", "x")
        ix = windex.open_dir(str(tmp_path / "ix"), indexname=INDEX_NAME)
        reader = ix.reader()
    kinds: set[str] = set()
    for field in ("all", "provider", "f_nodes"):
        for raw in reader.lexicon(field):
            term = raw.decode("utf-8")
            fast = read_postings(reader.postings(field, term), True)
            m = reader.postings(field, term)
            kinds.add(type(m).__name__)
            slow: tuple[list[int], list[float]] = ([], [])
            while m.is_active():
                slow[0].append(m.id())
                slow[1].append(m.weight())
                m.next()
            assert fast == slow, (field, term)
    assert kinds == ({"ListMatcher"} if inline_limit is None else {"W3LeafMatcher"})  # the path meant was exercised
    if ix is not None:
        reader.close()
        ix.close()


# -- index lifecycle -------------------------------------------------------------------------------

@pytest.fixture()
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cat = make_catalog(tmp_path)
    monkeypatch.setenv(paths.ENV_HOME, str(tmp_path / "home"))
    monkeypatch.setenv(paths.ENV_CATALOG, str(cat))
    ensure_built()
    return cat


def test_index_is_stamped_and_reused(fresh: Path) -> None:
    db, root = paths.catalog_db_path(), paths.index_dir()
    from app.catalog.store import read_meta

    digest = read_meta(db)["content_hash"]
    assert index_path(root, digest).is_dir()
    assert ensure_index(db, root) is False
    assert ensure_index(db, root, force=True) is True
    assert [p.name for p in root.iterdir()] == [digest]


def test_stale_index_is_rebuilt(fresh: Path) -> None:
    db, root = paths.catalog_db_path(), paths.index_dir()
    eng = SearchEngine(db, root)
    old_dirs = {p.name for p in root.iterdir()}
    assert "hikari" not in [h.id for h in eng.search("ひかりネット").hits]  # (partial matches on ネット only)
    write_entry(fresh, dict(ENTRIES[0], id="hikari", name="ひかりネット見守り", field="医療・健康・子育て"))
    ensure_built(with_index=False)  # catalog.db gets a new content hash; the index is now stale
    res = eng.search("ひかりネット")  # the open engine notices
    assert res.hits[0].id == "hikari" and not res.partial
    eng.close()
    eng2 = SearchEngine(db, root)
    assert eng2.search("ひかりネット").hits[0].id == "hikari"
    eng2.close()
    assert not ({p.name for p in root.iterdir()} & old_dirs)  # the old index dir was deleted


@pytest.mark.parametrize("damage", ["garbage-segment", "truncate-segment", "no-stamp", "bad-toc", "no-docs", "no-texts",
                                    "texts-unstamped", "texts-gone-while-open"])
def test_corrupt_index_is_rebuilt(fresh: Path, damage: str) -> None:
    db, root = paths.catalog_db_path(), paths.index_dir()
    folder = next(p for p in root.iterdir() if p.is_dir())
    seg = next(folder.glob("*.seg"))
    if damage == "garbage-segment":
        seg.write_bytes(b"\x00garbage" * (seg.stat().st_size // 8) + b"\x00" * (seg.stat().st_size % 8))
    elif damage == "truncate-segment":
        seg.write_bytes(seg.read_bytes()[:100])
    elif damage == "no-stamp":
        (folder / "stamp.json").unlink()
    elif damage == "bad-toc":
        next(folder.glob("*.toc")).write_bytes(b"not a toc")
    elif damage == "no-docs":
        (folder / "docs.json").unlink()
    elif damage == "no-texts":
        (folder / "texts.dat").unlink()
    elif damage == "texts-unstamped":  # a stamp that does not list texts.dat (an older layout): not an index
        stamp = json.loads((folder / "stamp.json").read_text(encoding="utf-8"))
        del stamp["files"]["texts.dat"]
        (folder / "stamp.json").write_text(json.dumps(stamp), encoding="utf-8")
        (folder / "texts.dat").unlink()
    eng = SearchEngine(db, root)
    if damage == "texts-gone-while-open":  # read on the first 3+ character word: the search reopens and rebuilds
        (folder / "texts.dat").unlink()
    assert eng.search("ｵﾝﾃﾞﾏﾝﾄﾞ").hits[0].id == "ondemand-a"
    eng.close()


# -- saved searches and CLI ------------------------------------------------------------------------

def test_saved_searches(tmp_path: Path) -> None:
    from app import userdb
    from app.search import saved

    conn = userdb.connect(tmp_path / "plans.db")
    saved.save(conn, "交通", "ｵﾝﾃﾞﾏﾝﾄﾞ   field:公共交通")
    saved.save(conn, "窓口", "窓口")
    assert [(s.name, s.query) for s in saved.list_saved(conn)] == [("交通", "ｵﾝﾃﾞﾏﾝﾄﾞ 分野:公共交通"), ("窓口", "窓口")]
    saved.save(conn, "窓口", "書かない窓口")
    assert saved.get(conn, "窓口").query == "書かない窓口"  # type: ignore[union-attr]
    assert saved.delete(conn, "窓口") is True and saved.delete(conn, "窓口") is False
    assert [s.name for s in saved.list_saved(conn)] == ["交通"]
    conn.close()


def test_cli_json_and_table(env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from app.commands.main import main

    monkeypatch.setenv(paths.ENV_HOME, str(env / "home"))
    monkeypatch.setenv(paths.ENV_CATALOG, str(env / "catalog"))
    assert main(["search", "ｵﾝﾃﾞﾏﾝﾄﾞ 分野:公共交通", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "ｵﾝﾃﾞﾏﾝﾄﾞ 分野:公共交通" and data["message"] is None
    assert data["hits"][0]["id"] == "ondemand-a" and data["hits"][0]["kind"] == "service"
    assert {"id", "kind", "name", "provider", "field", "score", "snippet"} <= set(data["hits"][0])
    assert data["total"] == 1 and "field" in data["facets"]
    assert main(["search", "提供者:アイシン", "--facets"]) == 0
    out = capsys.readouterr().out
    assert "maas" in out and "[provider]" in out
