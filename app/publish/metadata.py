"""Datasette metadata for the published catalog, generated from the field registry (app/catalog/fields.py).

Table and column titles, descriptions and facets come from the registry's declarations (labels,
allowed values, facet order), so a new fact field shows up here without an edit. Datasette has no
column titles: a column's Japanese title leads its description.
"""

from __future__ import annotations

from typing import Any

from app.catalog import fields as registry
from app.catalog.fields import Field
from app.catalog.policy import KINDS

# docs.json column a registry facet counts → services column of the publication copy (array or not)
FACET_COLUMNS: dict[str, tuple[str, bool]] = {
    "field_id": ("field_id", False), "provider": ("provider", False), "prefs": ("prefectures", True),
    "groups": ("scra_groups", True), "personal": ("personal_data", False), "type": ("type", False),
}
SOURCE_POLICY_JA = (
    "出典の方針: すべての項目は公開された出典（URL）に基づき、事実ごとに出典を示しています。一次情報（提供事業者、自治体、"
    "省庁・機関、信頼できる報道）を少なくとも1つ必要とし、掲示板・個人ブログ・ミラー・キャッシュ・資料の転載・まとめサイト・"
    f"IPアドレスのみのURL（{', '.join(KINDS)}）だけを出典とする項目は載せません。出典が示さない事実は「不明」です。"
)
PLAIN_COLUMNS: dict[str, str] = {
    "id": "ID — 項目の安定した識別子（計画や出典一覧から参照）",
    "name": "名称 — サービス・システムの名称",
    "name_en": "英語名",
    "kind": "種別 — 何をするサービスか",
    "data_linkage": "データ連携 — データ連携基盤と連携する（1）/ しない（0）",
    "description": "説明 — 項目の説明（Markdown）",
    "path": "カタログファイル — catalog_data 内のファイル",
    "local": "ローカル項目 — 利用者が追加した項目（1）/ 同梱の項目（0）",
    "municipalities": "導入自治体 — 出典が示す導入自治体（JSON 配列）",
    "scra_nodes": "SCRAノード — 対応付けた SCRA のノード ID（JSON 配列）",
}


def column_for(spec: Field) -> tuple[str, bool] | None:
    """The services column a registry facet counts in the publication copy, and whether it is an array."""
    if spec.fact:
        return spec.key, False
    return FACET_COLUMNS.get(spec.doc)


def describe(spec: Field) -> str:
    """'分野 (Field)', then the allowed values of an enumerated field."""
    text = f"{spec.facet_label('ja')} ({spec.facet_label('en')})"
    found = column_for(spec)
    if found and found[1]:
        text += "（JSON 配列、絞り込みは1件につき値ごとに数えます）"
    if spec.values:
        text += "。値: " + "、".join(f"{v.id} = {v.ja}" for v in spec.values)
    elif spec.resolver == "year":
        text += "。西暦（不明は空）"
    return text


def service_columns() -> dict[str, str]:
    cols = dict(PLAIN_COLUMNS)
    for spec in registry.FIELDS:
        found = column_for(spec) if spec.facet else None
        if found:
            cols[found[0]] = describe(spec)
        if spec.detail:
            cols[spec.detail] = f"{spec.detail} — {spec.label_ja}の補足（{spec.detail_when} のとき）"
    return cols


def service_facets() -> list[Any]:
    """Datasette facets of the services table: the registry's facets shown first in the app (not the facts)."""
    facets: list[Any] = []
    for spec in registry.FACETS:
        found = column_for(spec)
        if found is None or spec.fact:
            continue
        col, array = found
        facets.append({"array": col} if array else col)
    return facets


QUERIES: dict[str, dict[str, Any]] = {
    "services_by_municipality": {
        "title": "自治体で探す（導入しているサービス）",
        "description": "市区町村名または都道府県名を入れると、出典が示す導入サービスを分野順に一覧します。",
        "sql": ("select s.id, s.name as 名称, f.name_ja as 分野, s.provider as 提供者, m.municipality as 自治体, "
                "m.prefecture as 都道府県 from service_municipalities m join services s on s.id = m.service_id "
                "join fields f on f.id = s.field_id where m.municipality = :municipality or m.prefecture = :municipality "
                "order by f.position, s.name, m.position"),
    },
    "services_by_node": {
        "title": "SCRAノードで探す（下位ノードを含む）",
        "description": "SCRA のノード ID（例: data-management）を入れると、そのノードと下位ノードに対応付けたサービスを一覧します。",
        "sql": ("select distinct s.id, s.name as 名称, f.name_ja as 分野, s.provider as 提供者, n.id as ノード, "
                "n.name_ja as ノード名, sn.role as 役割 from service_nodes sn join services s on s.id = sn.service_id "
                "join fields f on f.id = s.field_id join arch_nodes n on n.id = sn.node_id "
                "where sn.node_id = :node or substr(sn.node_id, 1, length(:node) + 1) = :node || '/' "
                "order by s.name, n.position"),
    },
    "edition_map": {
        "title": "SCRA 第1版 → 第2版 対応表",
        "description": "第1版（2020）の機能群が第2版（2023）のどの機能群に当たるか、その理由（出典または編集判断）とともに。",
        "sql": ("select m.v1_node as 第1版ノード, a.name_ja as 第1版の名称, m.v2_node as 第2版ノード, b.name_ja as 第2版の名称, "
                "m.rationale as 理由 from arch_maps m join arch_nodes a on a.id = m.v1_node "
                "join arch_nodes b on b.id = m.v2_node order by a.position, b.position"),
    },
}


def _tables() -> dict[str, Any]:
    return {
        "services": {
            "title": "サービス・システム", "description": "カタログの項目。検索欄は語の一部でも探せます（アプリと同じ分かち方）。",
            "columns": service_columns(), "facets": service_facets(), "fts_table": "services_fts", "fts_pk": "rowid",
            "sort": "name", "size": 50,
        },
        "services_fts": {"hidden": True},
        "fields": {"title": "分野", "label_column": "name_ja"},
        "personal_levels": {"title": "個人情報の区分", "label_column": "name"},
        "types": {"title": "タイプ（TYPE1 / TYPE2/3）", "label_column": "name_ja"},
        "arch_nodes": {"title": "SCRA ノード（第1版・第2版）", "label_column": "name_ja", "facets": ["edition", "level", "provenance"],
                       "description": "provenance: 出典から取ったか、編集判断か。source_url が出典です。"},
        "arch_maps": {"title": "SCRA 第1版→第2版の対応"},
        "service_municipalities": {"title": "導入自治体", "facets": ["prefecture"]},
        "service_nodes": {"title": "サービスと SCRA ノードの対応", "facets": ["role", "origin"]},
        "service_sources": {"title": "項目ごとの出典"},
        "sources": {"title": "出典（URL）", "label_column": "url"},
        "service_unconfirmed": {"title": "確認できなかった事実"},
        "use_fields": {"title": "利用分野"}, "sectors": {"title": "分野区分"}, "prefectures": {"title": "都道府県"},
        "knowledge": {"title": "検討事項の知識（法令・論点）"}, "meta": {"title": "カタログの版と作成情報"},
    }


def catalog_metadata(meta: dict[str, str], plans: bool = False) -> dict[str, Any]:
    """The whole Datasette metadata document for the catalog (and the plans snapshot when served)."""
    edition = meta.get("edition_name") or meta.get("edition_id") or "版不明"
    about = (f"まちナビ カタログ {edition}（{meta.get('edition_id', '')}、{meta.get('edition_date', '')}）: "
             f"スマートシティのサービス・システム {meta.get('services', '?')} 件と、内閣府スマートシティリファレンス"
             "アーキテクチャ（SCRA）第1版・第2版。読み取り専用で公開しています。" + SOURCE_POLICY_JA)
    doc: dict[str, Any] = {
        "title": f"まちナビ カタログ {edition}",
        "description": about,
        "source": "まちナビ (Machi Navi) catalog_data", "license": "各項目の出典を参照",
        "databases": {"catalog": {"title": f"カタログ {edition}", "description": about, "tables": _tables(),
                                  "queries": QUERIES}},
    }
    if plans:
        doc["databases"]["plans"] = {
            "title": "計画（読み取り専用のスナップショット）",
            "description": "serve を始めた時点の計画の写しです。変更はアプリで行ってください。",
            "tables": {"plans": {"title": "計画"}, "plan_items": {"title": "計画の項目", "facets": ["plan_id"]},
                       "plan_answers": {"title": "検討事項への回答"}, "settings": {"hidden": True},
                       "saved_searches": {"hidden": True}},
        }
    return doc
