"""`machi-navi serve` over real HTTP: a Datasette subprocess on a free port, queried like a browser would.

Facet counts are compared with the app's own facets for the same fields, canned queries with the
domain functions, and every write route is tried: all refused, catalog.db byte for byte unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datasette")

from app import paths  # noqa: E402
from app.build import ensure_built  # noqa: E402
from app.catalog import fields as registry  # noqa: E402
from app.catalog.store import CatalogDB  # noqa: E402
from app.publish.metadata import column_for  # noqa: E402
from app.search.engine import SearchEngine  # noqa: E402
from tests.conftest import ROOT  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Server:
    def __init__(self, home: Path, *args: str) -> None:
        self.port = free_port()
        env = dict(os.environ, MACHI_NAVI_HOME=str(home), PYTHONUNBUFFERED="1")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(self.port), *args], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.base = f"http://127.0.0.1:{self.port}"
        self.ready_s = self._wait()

    def _wait(self) -> float:
        deadline = time.monotonic() + 120  # a readiness wait on a loaded 2-core box, not a speed check
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited {self.proc.returncode}: {self.proc.stderr.read() if self.proc.stderr else ''}")
            try:
                with urllib.request.urlopen(self.base + "/-/versions.json", timeout=5):
                    return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.1)
        raise AssertionError("serve did not answer")

    def get(self, path: str, **params: Any) -> Any:
        url = f"{self.base}{path}" + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
        with urllib.request.urlopen(url, timeout=30) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def status(self, path: str, method: str = "GET", body: bytes | None = None) -> int:
        req = urllib.request.Request(self.base + path, data=body, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    def stop(self) -> tuple[int, str, str]:
        self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=60)
        return self.proc.returncode, out, err


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, str]]:
    home = tmp_path_factory.mktemp("serve-home")
    old = os.environ.get("MACHI_NAVI_HOME")
    os.environ["MACHI_NAVI_HOME"] = str(home)
    try:
        db_path = ensure_built(with_index=True).db_path
        before = digest(db_path)
        server = Server(home)
        print(f"\nserve: answering after {server.ready_s:.2f}s (cold publication copy)")
        yield server, db_path, before
        if server.proc.poll() is None:
            server.stop()
    finally:
        if old is None:
            os.environ.pop("MACHI_NAVI_HOME", None)
        else:
            os.environ["MACHI_NAVI_HOME"] = old


def app_facets(db_path: Path) -> dict[str, dict[str, int]]:
    """The app's facet counts over every service (`対象:サービス`), keyed by facet, value → count."""
    with SearchEngine(db_path, paths.index_dir()) as engine:
        res = engine.search("対象:サービス", limit=1, with_facets=True)
    return {key: {v.value: v.count for v in values} for key, values in res.facets.items()}


@pytest.mark.slow
def test_facet_counts_equal_the_apps(served: tuple[Server, Path, str]) -> None:
    server, db_path, _ = served
    ours = app_facets(db_path)
    with CatalogDB(db_path) as db:
        total = len(db.service_ids())
    compared = 0
    for spec in registry.FACETS:
        found = column_for(spec)
        if found is None or spec.key == "target":
            continue
        col, array = found
        data = server.get("/catalog/services.json", **{("_facet_array" if array else "_facet"): col, "_facet_size": "max",
                                                        "_size": "0"})
        assert data["filtered_table_rows_count"] == total
        results = data["facet_results"][col]["results"]
        theirs: dict[str, int] = {}
        for v in results:  # the app names values by label: a foreign key's (公共交通), a fact's (対応, 不明 for NULL)
            stored = registry.UNKNOWN if v["value"] is None else str(v["value"])
            for key in (stored, str(v["label"]), spec.value_label(stored)):
                theirs[key] = v["count"]
        if spec.resolver == "year":  # Datasette leaves NULL (an unknown year) out of facets: count it with a filter
            unknown = server.get("/catalog/services.json", **{f"{col}__isnull": "1", "_size": "0"})
            theirs[spec.value_label(registry.UNKNOWN)] = unknown["filtered_table_rows_count"]
        app = ours[spec.facet]
        assert app, spec.facet
        for value, count in app.items():  # the app lists at most FACET_LIMIT values: each must agree
            assert theirs.get(value) == count, (spec.facet, value, count, theirs.get(value))
        compared += 1
    assert compared >= 6  # field, provider, prefecture, group, personal, type (+ the facts)


@pytest.mark.slow
def test_canned_queries_and_search(served: tuple[Server, Path, str]) -> None:
    server, db_path, _ = served
    with CatalogDB(db_path) as db:
        by_node = set(db.services_for_node("data-management"))
        nagano = {s.id for s in db.services() if "長野県" in s.prefectures}
    rows = server.get("/catalog/services_by_node.json", node="data-management", _shape="array")
    assert {r["id"] for r in rows} == by_node and by_node
    rows = server.get("/catalog/services_by_municipality.json", municipality="長野県", _shape="array")
    assert {r["id"] for r in rows} == nagano and nagano
    rows = server.get("/catalog/edition_map.json", _shape="array")
    assert rows and all(r["第1版ノード"].startswith("v1/") for r in rows)
    front = server.get("/.json")
    assert "catalog" in front
    meta = server.get("/-/metadata.json")
    assert "出典の方針" in meta["description"] and "2026" in meta["title"]
    # search over the app's tokens: a compound without spaces, a 2-character word, half-width katakana
    for query in ("オンデマンド交通", "交通", "ｵﾝﾃﾞﾏﾝﾄﾞ"):
        hits = server.get("/catalog/services.json", _search=query, _shape="array", _col="name")
        assert hits, query
    assert server.get("/catalog/services.json", _search="存在しない語ぬぬぬ", _shape="array") == []
    assert server.get("/catalog/services.json", _search='"', _shape="array") == []  # never an FTS syntax error


@pytest.mark.slow
def test_no_write_endpoint_and_catalog_unchanged(served: tuple[Server, Path, str]) -> None:
    server, db_path, before = served
    body = json.dumps({"row": {"id": "x", "name": "x"}, "rows": [{"id": "x"}], "table": "t", "columns": [{"name": "a"}],
                       "update": {"name": "y"}}).encode()
    for path in ("/catalog/services/-/insert", "/catalog/services/-/upsert", "/catalog/-/create", "/catalog/services/-/drop",
                 "/catalog/services/choisoko/-/update", "/catalog/services/choisoko/-/delete", "/-/create-token",
                 "/catalog/services", "/catalog", "/catalog/-/query"):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            assert server.status(path, method, body) == 405, (method, path)
    for sql in ("delete from services", "insert into meta(key, value) values ('x', 'y')", "update services set name = 'x'",
                "drop table services"):
        assert server.status("/catalog.json?" + urllib.parse.urlencode({"sql": sql})) >= 400, sql
    assert server.get("/catalog/services.json", _size="0")["filtered_table_rows_count"] > 0
    assert digest(db_path) == before, "serving never writes catalog.db"
    code, _, err = server.stop()
    assert code == 0, err
    assert digest(db_path) == before


@pytest.mark.slow
def test_plans_snapshot_and_network_warning(tmp_path: Path, user_home: Path) -> None:
    from app import userdb
    from app.plan.plans import PlanStore

    ensure_built()
    conn = userdb.connect()
    PlanStore(conn).create("公開する計画")
    conn.close()
    plans_before = digest(paths.plans_db_path())
    server = Server(user_home, "--plans", "--host", "0.0.0.0")
    try:
        rows = server.get("/plans/plans.json", _shape="array")
        assert [r["name"] for r in rows] == ["公開する計画"]
        assert server.status("/plans.db") == 403, "plans are not offered for download"
        assert server.status("/plans/plans/-/insert", "POST", b"{}") == 405
    finally:
        code, _, err = server.stop()
    assert code == 0 and "warning: serving on 0.0.0.0" in err
    assert digest(paths.plans_db_path()) == plans_before


def test_loopback_and_warning() -> None:
    from app.publish.server import is_loopback, network_warning

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert network_warning("127.0.0.1", 8001) == ""
    assert "192.168.1.5:8001" in network_warning("192.168.1.5", 8001)


def test_a_taken_port_is_a_clear_error() -> None:
    from app.errors import UserError
    from app.publish.server import check_port

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UserError, match=f"(?s)127.0.0.1:{port}.*--port"):
            check_port("127.0.0.1", port)
    check_port("127.0.0.1", free_port())


def test_search_terms_are_the_apps() -> None:
    from app.publish.dataset import fts_tokens
    from app.publish.plugin import ja_match

    assert ja_match("オンデマンド交通") == '"オンデ" "デマン" "ンド交" "ド交通"'
    assert ja_match("ｵﾝﾃﾞﾏﾝﾄﾞ") == ja_match("オンデマンド")
    assert ja_match('" OR NOT') == '"or" "not"'
    assert ja_match("") == '""'
    assert "交通" in fts_tokens("オンデマンド交通").split()
