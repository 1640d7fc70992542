"""The plan report's fixed wording in Japanese and English (the report follows the UI language).

Catalog content (service, node and question names) comes from the catalog with its own ja/en names;
this table holds only the report's own headings, labels and sentences. `{}` fields are filled by
`Words.f`.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT: dict[str, tuple[str, str]] = {
    "title": ("計画レポート", "Plan report"),
    "plan": ("計画名", "Plan"),
    "municipality": ("自治体", "Municipality"),
    "author": ("作成者", "Author"),
    "date": ("作成日", "Date"),
    "edition": ("カタログ版", "Catalog edition"),
    "edition_value": ("{}（{}）", "{} ({})"),
    "services_count": ("サービス数", "Services"),
    "services_count_value": ("{}件（カタログにないもの {}件）", "{} ({} no longer in the catalog)"),
    "coverage": ("SCRA カバー率（機能ブロック）", "SCRA coverage (function blocks)"),
    "coverage_value": ("{}%（{}/{}）", "{}% ({}/{})"),
    "not_set": ("（未記入）", "(not set)"),
    "missing_count": ("カタログにないサービス数", "Services no longer in the catalog"),
    "toc": ("目次", "Contents"),
    "page": ("{} / {} ページ", "Page {} of {}"),
    "sec_services": ("選択したサービス", "Selected services"),
    "sec_facts": ("サービスの概要（提供状況など）", "Service facts"),
    "sec_mapping": ("SCRA（第2版）へのマッピング", "Mapping onto SCRA (2nd edition)"),
    "sec_groups": ("機能群ごとのカバー率", "Coverage per function group"),
    "sec_nodes": ("機能ごとの対応状況", "Status per function"),
    "sec_matrix": ("サービスと機能群の対応", "Services × function groups"),
    "sec_gaps": ("ギャップ（未対応の機能）", "Gaps (functions not covered)"),
    "sec_considerations": ("検討事項", "Considerations"),
    "sec_sectors": ("分野（セクター）", "Sectors"),
    "sec_linkage": ("データ連携と個人データ", "Data linkage and personal data"),
    "sec_appendix": ("付録　識別子と版の情報", "Appendix: identifiers and version"),
    "sec_app_version": ("カタログと出力の情報", "Catalog and export"),
    "sec_app_services": ("サービスの識別子", "Service identifiers"),
    "sec_app_nodes": ("SCRA ノードの識別子", "SCRA node identifiers"),
    "sec_app_questions": ("検討事項の識別子", "Question identifiers"),
    "no": ("No.", "No."),
    "name": ("名称", "Name"),
    "service": ("サービス名", "Service"),
    "field": ("分野", "Field"),
    "provider": ("提供者", "Provider"),
    "personal": ("個人データ", "Personal data"),
    "linkage": ("データ連携", "Data linkage"),
    "note": ("メモ", "Note"),
    "yes": ("あり", "yes"),
    "no_": ("なし", "no"),
    "missing": ("（カタログにありません）", "(no longer in the catalog)"),
    "group": ("機能群", "Function group"),
    "axis": ("軸", "Axis"),
    "rate": ("カバー率", "Coverage"),
    "blocks": ("対応ブロック", "Blocks covered"),
    "blocks_total": ("ブロック数", "Blocks"),
    "n_services": ("サービス数", "Services"),
    "node": ("機能", "Function"),
    "level": ("階層", "Level"),
    "status": ("状態", "Status"),
    "covered_by": ("対応するサービス", "Covered by"),
    "rank": ("順位", "Rank"),
    "severity": ("重要度", "Severity"),
    "reason": ("理由", "Reason"),
    "candidates": ("補うサービス候補", "Services that would fill it"),
    "no_gaps": ("ギャップはありません。", "No gaps."),
    "unprovided": ("利用するが計画内に提供するサービスがない機能ブロック: {}", "Blocks used but provided by no plan service: {}"),
    "sector": ("分野", "Sector"),
    "type1": ("TYPE1の傾向", "TYPE1 trend"),
    "type23": ("TYPE2/3の傾向", "TYPE2/3 trend"),
    "no_services": ("（サービスが選ばれていません）", "(no services selected)"),
    "type": ("想定タイプ: {}", "Expected type: {}"),
    "linkage_with": ("（データ連携あり: {}）", " (data linkage: {})"),
    "linkage_none": ("（データ連携ありのサービスはありません）", " (no service with data linkage)"),
    "personal_level": ("最も重い個人データの区分: {}", "Most sensitive personal data: {}"),
    "item": ("項目", "Item"),
    "answer": ("回答", "Answer"),
    "suggested": ("候補", "Suggested"),
    "explanation": ("解説", "Explanation"),
    "unanswered": ("未回答", "Not answered"),
    "answer_note": ("（メモ: {}）", " (note: {})"),
    "section": ("区分", "Section"),
    "source": ("検討事項の出典: {} {}", "Source of the considerations: {} {}"),
    "disclaimer": ("まちナビ（Machi Navi）で作成。法令の項目は確認すべき点の目安で、法的助言ではありません。",
                   "Made with Machi Navi. The law items are points to check, not legal advice."),
    "ids_note": ("本文では名称で示した項目の識別子（ID）です。", "Identifiers (IDs) of the items the report names."),
    "key": ("項目", "Item"),
    "value": ("内容", "Value"),
    "id": ("ID", "ID"),
    "edition_id": ("カタログ版 ID", "Catalog edition ID"),
    "content_hash": ("カタログ内容のハッシュ", "Catalog content hash"),
    "built_at": ("カタログの構築日時", "Catalog built"),
    "generated_at": ("出力日時", "Exported"),
    "plan_created": ("計画の作成日", "Plan created"),
    "plan_updated": ("計画の更新日", "Plan updated"),
    "service_status": ("状態", "Status"),
    "st_provides": ("提供する機能あり", "Provides functions"),
    "st_uses": ("利用のみ", "Uses only"),
    "st_unmapped": ("SCRA 対応なし", "No SCRA mapping"),
    "st_missing": ("カタログにありません", "No longer in the catalog"),
    "provides": ("提供", "provides"),
    "uses": ("利用", "uses"),
    "sheet_summary": ("概要", "Summary"),
    "sheet_services": ("サービス", "Services"),
    "sheet_groups": ("機能群", "Groups"),
    "sheet_coverage": ("カバレッジ", "Coverage"),
    "sheet_matrix": ("サービス×機能群", "Services x groups"),
    "sheet_gaps": ("ギャップ", "Gaps"),
    "sheet_questions": ("検討事項", "Considerations"),
    "sheet_ids": ("付録（ID）", "Appendix (IDs)"),
    "kind": ("種類", "Kind"),
    "legend": ("凡例: ", "Legend: "),
}

LEVELS = {"group": ("機能群", "Function group"), "block": ("機能ブロック", "Function block"), "function": ("機能", "Function")}


@dataclass(frozen=True)
class Words:
    """The report's wording in one language."""

    lang: str = "ja"

    @property
    def ja(self) -> bool:
        return self.lang == "ja"

    def __call__(self, key: str) -> str:
        ja, en = TEXT[key]
        return ja if self.ja else en

    def f(self, key: str, *args: object) -> str:
        return self(key).format(*args)

    def pick(self, ja: str, en: str) -> str:
        """Catalog text in the report language (English falls back to the Japanese when there is none)."""
        return ja if self.ja or not en else en

    def level(self, level: str) -> str:
        ja, en = LEVELS.get(level, (level, level))
        return ja if self.ja else en

    def join(self, names: list[str]) -> str:
        return ("、" if self.ja else ", ").join(names)
