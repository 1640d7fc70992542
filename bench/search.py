"""Search benchmark: Whoosh (our engine) vs an SQLite FTS5 trigram baseline on synthetic Japanese entries.

    python bench/search.py                     # 1k and 10k entries + the bundled catalog
    python bench/search.py --sizes 1000,100000 # also 100k (its index build takes minutes)
    python bench/search.py --sizes 1000 --no-bundled --queries 100
    python bench/search.py --work /tmp/mn-data # keep the generated catalogs there, reuse them next time

For each size a deterministic generator writes N Japanese entries (taxonomy and SCRA from
catalog_data/, services synthetic) into a catalog.db; then, in the same run, both engines are
built from the same rows and queried with the same query set:

- Whoosh: app.search (NFKC/kana folding, CJK bi/trigrams), the full `SearchEngine.search` path with
  facets and 100 hits, of which the first SCREEN_SNIPPETS are highlighted, as the UI asks for (it
  highlights the rest after showing the rows); "cold" clears the engine's posting/snippet caches
  before every query (the headline figure), "warm" keeps them (typing reuses the previous keystroke's);
- FTS5: `tokenize='trigram'` over name/provider/kind/description, bm25 order; words of fewer than
  3 characters fall back to LIKE '%w%' on the base table (trigrams cannot match them).

The headline pair (Whoosh cold with facets, FTS5) runs query by query, each query by both engines
in turn (the first alternating), so a burst of load on a shared machine hits both percentiles alike;
the other Whoosh figures run in their own passes. Reported: build time, index size, p50/p95 query
latency, and per query class the share of queries
that find anything (every query is taken from text that some entry contains, in its own or a
variant spelling), with Whoosh/FTS5 ratios. No assertions: figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog.loader import load_catalog  # noqa: E402
from app.catalog.model import Mapping, Service, Source  # noqa: E402
from app.catalog.store import build_db  # noqa: E402
from app.search.engine import SearchEngine  # noqa: E402
from app.search.index import build_index  # noqa: E402

SCREEN_SNIPPETS = 40  # = app.ui.search_controller.SCREEN_SNIPPETS (not imported: no Qt in this benchmark)
GOAL_RATIO = 3.0  # search p95 with facets ≤ 3 × FTS5-trigram p95 (issue 17)

KANJI2 = ["交通", "窓口", "子育", "医療", "福祉", "防災", "観光", "健康", "地域", "住民", "行政", "予約", "決済", "高齢", "移動",
          "教育", "環境", "物流", "避難", "申請", "相談", "診療", "介護", "保育", "通貨", "認証", "連携", "基盤", "農業", "漁業",
          "商店", "図書", "投票", "救急", "検診", "妊娠", "災害", "道路", "水道", "公園", "交付", "証明", "手続", "運行", "配車"]
KANJI_LONG = ["公共交通", "書かない窓口", "子育て支援", "地域医療連携", "防災情報", "観光周遊", "健康ポイント", "行政手続き",
              "高齢者見守り", "電子申請", "避難所運営", "地域通貨", "乗合交通", "遠隔診療", "母子健康手帳", "本人確認",
              "罹災証明", "施設予約", "電子回覧板", "ごみ分別", "自動運転", "多言語対応", "健康管理", "介護予防"]
KATA = ["オンデマンド", "プラットフォーム", "アプリ", "サービス", "ポイント", "データ", "システム", "マイナンバーカード",
        "シェアサイクル", "チャットボット", "スマートシティ", "バス", "タクシー", "ポータル", "クラウド", "センサー",
        "ダッシュボード", "オープンデータ", "キャッシュレス", "モビリティ", "ヘルスケア", "コミュニティ", "スタンプラリー",
        "ボランティア", "マッチング", "ライドシェア", "メッセージ", "カメラ", "ドローン", "ロボット"]
LATIN = ["MaaS", "AI", "LINE", "IoT", "API", "GTFS", "PHR", "RPA", "OCR", "DX", "GIS", "QR", "FIWARE", "Wi-Fi"]
GLUE = ["は", "が", "を", "で", "に", "と", "の", "から", "まで", "や", "も"]
ENDS = ["です。", "します。", "できます。", "を行います。", "を支えます。", "に使われています。", "を提供します。"]
CITY = ["山", "川", "田", "本", "松", "島", "野", "原", "沢", "岡", "浜", "宮", "崎", "北", "南", "東", "西", "中", "新", "大"]
SYLL = list("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン")
KINDS = ["AIオンデマンド交通", "MaaSアプリ", "健康ポイントアプリ", "電子申請", "書かない窓口", "デジタル地域通貨", "防災情報アプリ",
         "オープンデータカタログ", "都市OS・データ連携基盤", "高齢者見守りIoT", "電子母子手帳アプリ", "バスロケーションシステム",
         "チャットボット", "施設予約", "デジタルIDアプリ", "シェアサイクル"]


def _sentence(rnd: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rnd.randint(3, 6)):
        pool = rnd.random()
        word = (rnd.choice(KANJI2) if pool < 0.35 else rnd.choice(KANJI_LONG) if pool < 0.6
                else rnd.choice(KATA) if pool < 0.9 else rnd.choice(LATIN))
        parts.append(word + rnd.choice(GLUE))
    return "".join(parts) + rnd.choice(ENDS)


def generate(n: int, seed: int = 20261127) -> list[Service]:
    """N deterministic synthetic Japanese service entries."""
    rnd = random.Random(seed)
    cat = load_catalog(ROOT / "catalog_data")
    tax = cat.taxonomy
    nodes = [nid for nid, node in cat.nodes.items() if node.edition == 2 and node.level != "context"]
    levels = [lv.name for lv in tax.personal_levels]
    uses = [u.name for u in tax.use_fields]
    companies = ["株式会社" + "".join(rnd.choice(SYLL) for _ in range(rnd.randint(3, 6))) for _ in range(max(50, n // 20))]
    out: list[Service] = []
    for i in range(n):
        f = rnd.choice(tax.catalog_fields)
        pref = rnd.choice(tax.prefectures)
        munis = tuple(dict.fromkeys(rnd.choice(tax.prefectures if rnd.random() < 0.3 else [pref])
                                    + rnd.choice(CITY) + rnd.choice(CITY) + rnd.choice(["市", "町", "村"])
                                    for _ in range(rnd.randint(0, 3))))
        name = rnd.choice([rnd.choice(KANJI_LONG), rnd.choice(KATA), rnd.choice(CITY) + rnd.choice(CITY)]) + \
            rnd.choice(KATA) + rnd.choice(["", "ナビ", "アプリ", "ネット", "システム", "くん", str(i % 97)])
        provider = rnd.choice(companies) if rnd.random() < 0.8 else rnd.choice(munis or (pref + "庁",))
        picked = rnd.sample(nodes, rnd.randint(1, 3))
        out.append(Service(
            id=f"syn-{i:06d}", name=name, provider=provider, field_id=f.id, field_name=f.name_ja, kind=rnd.choice(KINDS),
            description="".join(_sentence(rnd) for _ in range(rnd.randint(3, 6))), municipalities=munis,
            prefectures=tuple(dict.fromkeys(p for m in munis for p in [tax.prefecture_of(m)] if p)),
            data_linkage=rnd.random() < 0.3, personal_data=rnd.choice(levels),
            use_fields=tuple(rnd.sample(uses, rnd.randint(1, 2))),
            scra=tuple(Mapping(nid, rnd.choice(["provides", "uses"]), rnd.choice(KANJI_LONG) + "を支える") for nid in picked),
            sources=(Source(f"https://example.org/syn/{i}", "2026-11-27"),)))
    return out


def to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


_HALF = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0xFF66, 0xFF9E)}


def to_half_width(text: str) -> str:
    out = []
    for c in text:
        base = unicodedata.normalize("NFD", c)
        if base[0] in _HALF:
            out.append(_HALF[base[0]] + ("ﾞ" if "\u3099" in base else "ﾟ" if "\u309a" in base else ""))
        else:
            out.append(c)
    return "".join(out)


def make_queries(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """(class, query) pairs; every query is text the generator writes, in its own or a variant spelling."""
    rnd = random.Random(seed)
    kata2 = ["バス", "アプリ"[:2], "データ"[:2], "カメ", "ドロ", "クラ"]
    classes = {
        "2char": lambda: rnd.choice(KANJI2 + kata2),
        "long": lambda: rnd.choice(KANJI_LONG + KATA),
        "two-words": lambda: f"{rnd.choice(KANJI2)} {rnd.choice(KATA)}",
        "latin": lambda: rnd.choice(LATIN),
        "half-width": lambda: to_half_width(rnd.choice(KATA)),
        "hiragana": lambda: to_hiragana(rnd.choice(KATA)),
    }
    names = list(classes)
    return [(c, classes[c]()) for c in (names[i % len(names)] for i in range(n))]


# ---------------------------------------------------------------------------------------------
# FTS5 baseline


def fts_build(services: list[Service], path: Path) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("pragma journal_mode = off")
    conn.execute("create table docs(id text, name text, provider text, kind text, body text)")
    conn.executemany("insert into docs values(?,?,?,?,?)", ((s.id, s.name, s.provider, s.kind, s.description) for s in services))
    conn.execute("create virtual table fts using fts5(name, provider, kind, body, content='docs', tokenize='trigram')")
    conn.execute("insert into fts(fts) values('rebuild')")
    conn.commit()
    conn.execute("vacuum")
    conn.close()
    return time.perf_counter() - started


def fts_search(conn: sqlite3.Connection, text: str, limit: int = 100) -> tuple[int, list[str]]:
    words = [w for w in text.split() if w]
    long = [w for w in words if len(w) >= 3]
    short = [w for w in words if len(w) < 3]
    like = " and ".join("(d.name like ? or d.provider like ? or d.kind like ? or d.body like ?)" for _ in short)
    like_args = [f"%{w}%" for w in short for _ in range(4)]
    if long:
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long)
        base = f"from fts join docs d on d.rowid = fts.rowid where fts match ? {'and ' + like if like else ''}"
        args = [match, *like_args]
        rows = conn.execute(f"select d.id {base} order by bm25(fts) limit {limit}", args).fetchall()
        total = conn.execute(f"select count(*) {base}", args).fetchone()[0]
    else:
        base = f"from docs d where {like or '1'}"
        rows = conn.execute(f"select d.id {base} order by d.rowid limit {limit}", like_args).fetchall()
        total = conn.execute(f"select count(*) {base}", like_args).fetchone()[0]
    return total, [r[0] for r in rows]


# ---------------------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def time_queries(fn, queries: list[tuple[str, str]]) -> tuple[list[float], dict[str, list[int]]]:  # type: ignore[no-untyped-def]
    for _, q in queries[:5]:
        fn(q)  # warm-up
    lat: list[float] = []
    found: dict[str, list[int]] = {}
    for cls, q in queries:
        t = time.perf_counter()
        total = fn(q)
        lat.append((time.perf_counter() - t) * 1000)
        found.setdefault(cls, []).append(1 if total > 0 else 0)
    return lat, found


def time_pairs(fns, queries: list[tuple[str, str]]) -> list[tuple[list[float], dict[str, list[int]]]]:  # type: ignore[no-untyped-def]
    """time_queries for several engines over the same queries, each query run by every engine in turn
    (the first engine alternating), so a burst of load on the shared machine hits them alike."""
    for _, q in queries[:5]:
        for fn in fns:
            fn(q)  # warm-up
    out: list[tuple[list[float], dict[str, list[int]]]] = [([], {}) for _ in fns]
    for i, (cls, q) in enumerate(queries):
        order = list(range(len(fns)))
        for j in order[i % len(fns):] + order[:i % len(fns)]:
            t = time.perf_counter()
            total = fns[j](q)
            out[j][0].append((time.perf_counter() - t) * 1000)
            out[j][1].setdefault(cls, []).append(1 if total > 0 else 0)
    return out


def dataset(n: int, work: Path) -> tuple[Path, Path, Path, dict[str, float]]:
    """(catalog.db, index root, FTS5 db, build seconds) of N synthetic entries under `work`; files
    already there from an earlier run are reused (build seconds then 0: bench/build.py times builds)."""
    db, index_root, fts_path = work / f"catalog-{n}.db", work / f"index-{n}", work / f"fts-{n}.db"
    done = work / f"done-{n}"
    secs = {"db": 0.0, "whoosh": 0.0, "fts5": 0.0}
    if done.exists() and db.exists() and fts_path.exists():
        print(f"reusing the {n:,}-entry catalog in {work}", flush=True)
        return db, index_root, fts_path, secs
    for old in (db, fts_path):
        old.unlink(missing_ok=True)
    shutil.rmtree(index_root, ignore_errors=True)
    t = time.perf_counter()
    services = generate(n)
    gen_s = time.perf_counter() - t
    cat = replace(load_catalog(ROOT / "catalog_data"), services=services, problems=[], content_hash=f"bench-{n}")
    t = time.perf_counter()
    build_db(cat, db)
    secs["db"] = time.perf_counter() - t
    print(f"generated in {gen_s:.1f}s; catalog.db built in {secs['db']:.1f}s", flush=True)
    t = time.perf_counter()
    build_index(db, index_root)
    secs["whoosh"] = time.perf_counter() - t
    secs["fts5"] = fts_build(services, fts_path)
    done.write_text("ok", encoding="utf-8")
    return db, index_root, fts_path, secs


def run_size(n: int, nq: int, work: Path) -> dict[str, object]:
    print(f"\n=== {n:,} synthetic entries ===", flush=True)
    db, index_root, fts_path, secs = dataset(n, work)
    db_s, wh_build, fts_s = secs["db"], secs["whoosh"], secs["fts5"]
    wh_size = dir_size(index_root)
    print(f"whoosh index: {wh_build:.1f}s, {wh_size / 1e6:.1f} MB", flush=True)
    fts_size = fts_path.stat().st_size
    print(f"fts5 index:   {fts_s:.1f}s, {fts_size / 1e6:.1f} MB", flush=True)

    queries = make_queries(nq)
    t = time.perf_counter()
    engine = SearchEngine(db, index_root)
    open_s = time.perf_counter() - t
    t = time.perf_counter()
    engine.search("交通")
    first_ms = (time.perf_counter() - t) * 1000
    def cold(q: str, facets: bool = True) -> int:
        engine.clear_cache()  # no posting list or snippet cached from earlier queries
        return engine.search(q, limit=100, with_facets=facets, snippets=SCREEN_SNIPPETS).total

    conn = sqlite3.connect(fts_path)
    # in five rounds; within a round the goal pair (whoosh cold with facets, FTS5) runs query by query
    wh_lat, wh_lat_nf, wh_lat_warm, fts_lat = [], [], [], []
    wh_found: dict[str, list[int]] = {}
    fts_found: dict[str, list[int]] = {}
    step = max(1, len(queries) // 5)
    for lo in range(0, len(queries), step):
        part = queries[lo:lo + step]
        # the goal figure's pair query by query; the other two whoosh figures in their own passes
        (lat, found), (flat, ffound) = time_pairs([cold, lambda q: fts_search(conn, q)[0]], part)
        wh_lat += lat
        fts_lat += flat
        for k, v in found.items():
            wh_found.setdefault(k, []).extend(v)
        for k, v in ffound.items():
            fts_found.setdefault(k, []).extend(v)
        wh_lat_nf += time_queries(lambda q: cold(q, facets=False), part)[0]
        wh_lat_warm += time_queries(lambda q: engine.search(q, limit=100, with_facets=True, snippets=SCREEN_SNIPPETS).total, part)[0]
    engine.close()
    conn.close()
    row: dict[str, object] = {
        "entries": n, "queries": len(queries), "db_build_s": round(db_s, 2),
        "whoosh": {"build_s": round(wh_build, 2), "size_mb": round(wh_size / 1e6, 2), "open_s": round(open_s, 2),
                   "first_query_ms": round(first_ms, 1),
                   "p50_ms": round(pct(wh_lat, .5), 2), "p95_ms": round(pct(wh_lat, .95), 2),
                   "p50_ms_no_facets": round(pct(wh_lat_nf, .5), 2), "p95_ms_no_facets": round(pct(wh_lat_nf, .95), 2),
                   "p50_ms_warm": round(pct(wh_lat_warm, .5), 2), "p95_ms_warm": round(pct(wh_lat_warm, .95), 2),
                   "found": {k: round(sum(v) / len(v), 3) for k, v in wh_found.items()}},
        "fts5": {"build_s": round(fts_s, 2), "size_mb": round(fts_size / 1e6, 2),
                 "p50_ms": round(pct(fts_lat, .5), 2), "p95_ms": round(pct(fts_lat, .95), 2),
                 "found": {k: round(sum(v) / len(v), 3) for k, v in fts_found.items()}},
    }
    w, f = row["whoosh"], row["fts5"]
    assert isinstance(w, dict) and isinstance(f, dict)

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "-"

    print(f"engine open {open_s:.2f}s, first query {first_ms:.0f} ms")
    print(f"{'':22}{'whoosh':>12}{'fts5':>12}{'whoosh/fts5':>14}")
    for label, a, b in [("build s", w["build_s"], f["build_s"]), ("index MB", w["size_mb"], f["size_mb"]),
                        ("p50 ms", w["p50_ms"], f["p50_ms"]), ("p95 ms", w["p95_ms"], f["p95_ms"]),
                        ("p95 ms (no facets)", w["p95_ms_no_facets"], f["p95_ms"]),
                        ("p95 ms (warm cache)", w["p95_ms_warm"], f["p95_ms"])]:
        print(f"{label:22}{a:12.2f}{b:12.2f}{ratio(a, b):>14}")
    for cls in w["found"]:
        a, b = w["found"][cls], f["found"][cls]
        print(f"{'found ' + cls:22}{a:12.0%}{b:12.0%}{ratio(a, b):>14}")
    return row


def run_bundled(nq_repeat: int = 3) -> dict[str, object]:
    from app import paths
    from app.build import ensure_built
    from app.search.evaluate import load_queries

    res = ensure_built()
    queries = [str(q["q"]) for q in load_queries(ROOT / "tests" / "relevance" / "queries.yaml")]
    queries += [q for _, q in make_queries(60)]
    engine = SearchEngine(res.db_path, paths.index_dir())
    engine.search("交通")
    lat: dict[str, list[float]] = {"cold": [], "warm": []}
    for _ in range(nq_repeat):
        for mode in ("cold", "warm"):
            for q in queries:
                if mode == "cold":
                    engine.clear_cache()
                t = time.perf_counter()
                engine.search(q, limit=100, with_facets=True, snippets=SCREEN_SNIPPETS)
                lat[mode].append((time.perf_counter() - t) * 1000)
    services = len(engine._db.service_ids()) if engine._db else 0
    engine.close()
    row = {"entries": services, "queries": len(queries),
           **{f"{k}_{m}_ms": round(pct(v, p), 2) for m, v in lat.items() for k, p in (("p50", .5), ("p95", .95))}}
    print(f"\n=== bundled catalog ({services} services + SCRA nodes), {len(queries)} queries x {nq_repeat} ===\n"
          f"whoosh with facets, cold cache: p50 {row['p50_cold_ms']} ms, p95 {row['p95_cold_ms']} ms\n"
          f"whoosh with facets, warm cache: p50 {row['p50_warm_ms']} ms, p95 {row['p95_warm_ms']} ms")
    return row


def work_dir() -> tuple[Path, bool]:
    """(folder for the generated catalogs, whether it is a temporary one to delete): MACHI_NAVI_BENCH_WORK
    names a folder to keep and reuse (bench/ui.py and bench/all.py share it)."""
    env = os.environ.get("MACHI_NAVI_BENCH_WORK")
    if env:
        Path(env).mkdir(parents=True, exist_ok=True)
        return Path(env), False
    return Path(tempfile.mkdtemp(prefix="machi-navi-bench-")), True


def results(quick: bool = False) -> list[dict[str, object]]:
    """Search p95 with facets vs FTS5-trigram p95 at 1k and 10k entries (quick: 1k, fewer queries), as
    rows for bench/all.py (name, value, unit, baseline, ratio, goal)."""
    work, temporary = work_dir()
    rows: list[dict[str, object]] = []
    try:
        for n in (1000,) if quick else (1000, 10000):
            r = run_size(n, 100 if quick else 300, work)
            w, f = r["whoosh"], r["fts5"]
            assert isinstance(w, dict) and isinstance(f, dict)
            rows.append({"name": f"search p95 with facets, {n // 1000}k entries", "value": w["p95_ms"], "unit": "ms",
                         "baseline": f["p95_ms"], "ratio": w["p95_ms"] / f["p95_ms"] if f["p95_ms"] else None,
                         "goal": GOAL_RATIO, "baseline_name": "SQLite FTS5 trigram p95",
                         "note": f"{r['queries']} queries, cold caches, each run by both engines in turn"})
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated entry counts (default 1000,10000)")
    ap.add_argument("--queries", type=int, default=300, help="queries per size (default 300)")
    ap.add_argument("--no-bundled", action="store_true", help="skip the bundled-catalog latency run")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--work", type=Path, help="generated catalogs go (and are reused from) here; kept")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="machi-navi-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    out: dict[str, object] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    try:
        if not args.no_bundled:
            out["bundled"] = run_bundled()
        out["sizes"] = [run_size(int(s), args.queries, work) for s in args.sizes.split(",") if s.strip()]
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
