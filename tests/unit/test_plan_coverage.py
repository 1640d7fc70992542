"""Coverage of SCRA nodes, gap weighting from gap_rules (data), fill suggestions, considerations."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog.store import CatalogDB
from app.plan.considerations import plan_considerations, record_answer
from app.plan.coverage import compute_coverage, evaluate_rules, plan_coverage
from app.plan.plans import PlanError, PlanStore
from tests.plan_support import REAL_FIVE, add_service, build, bundled_db, open_store, scra


@pytest.fixture
def cat(mini_catalog: Path, tmp_path: Path) -> CatalogDB:
    """alpha/beta/gamma (transport, defaults) + hand-mapped services in other fields."""
    add_service(mini_catalog, "portal-only", name="ポータルだけ", scra=scra(("service-management/portal", "provides")),
                personal_data="なし", use_fields="[住民サービス]", field="市民サービス", folder="citizen")
    add_service(mini_catalog, "linker", name="つなぐ君", data_linkage="true", personal_data="なし", field="データ連携基盤",
                folder="data-platform", use_fields="[行政サービス]",
                scra=scra(("data-management/data-broker", "provides"), ("intra-region/api-gateway", "provides")))
    add_service(mini_catalog, "consent-box", name="同意箱", field="医療・健康・子育て", folder="health", personal_data="要配慮個人情報",
                use_fields="[健康]", scra=scra(("data-management/personal-data/consent", "provides")))
    add_service(mini_catalog, "auth-app", name="認証アプリ", field="市民サービス", folder="citizen", personal_data="個人情報",
                use_fields="[行政サービス]", scra=scra(("security/authentication", "provides"), ("security/access-control", "provides"),
                                                       ("data-management/personal-data", "uses")))
    add_service(mini_catalog, "bus-auth", name="バス認証", personal_data="個人情報",
                scra=scra(("security/authentication", "provides"), ("service-management/portal", "provides")))
    return build(mini_catalog, tmp_path / "catalog.db")


def test_node_and_group_coverage(cat: CatalogDB) -> None:
    cov = compute_coverage(cat, ["portal-only", "consent-box", "ghost"])
    assert cov.service_ids == ["portal-only", "consent-box"] and cov.missing_ids == ["ghost"]
    n = cov.nodes
    assert n["service-management/portal"].provided_by == ("portal-only",)
    assert n["service-management"].covered_by == ("portal-only",)
    assert n["service-management/portal/two-way-portal"].status == "inherited"
    # a function covers its block and group, but not its sibling function
    assert n["data-management/personal-data"].covered_by == ("consent-box",)
    assert n["data-management/personal-data/pds"].covered is False
    sm = next(g for g in cov.groups if g.id == "service-management")
    blocks = [x for x in n.values() if x.level == "block" and x.parent == "service-management"]
    assert sm.blocks_total == len(blocks) and sm.blocks_covered == 1
    assert sm.percent == round(100 / len(blocks))
    gap_ids = [g.node_id for g in cov.gaps]
    assert "service-management/portal" not in gap_ids
    assert "data-management/personal-data/pds" in gap_ids, "uncovered function of a covered block is a gap"
    assert "service-management/service-admin/lifecycle" not in gap_ids, "folded into its block's gap"
    admin = next(g for g in cov.gaps if g.node_id == "service-management/service-admin")
    assert "service-management/service-admin/lifecycle" in admin.folded
    matrix = dict(cov.matrix())
    assert matrix["portal-only"]["service-management"] == [("service-management/portal", "provides")]


def test_uses_counts_as_coverage_but_is_reported_as_unprovided(cat: CatalogDB) -> None:
    cov = compute_coverage(cat, ["alpha"])  # uses asset-management/device, provides the portal (field default)
    assert cov.nodes["asset-management/device"].status == "used"
    assert "asset-management/device" in cov.unprovided()


def test_data_linkage_makes_data_management_and_intra_region_gaps_critical(cat: CatalogDB) -> None:
    plain = {g.node_id: g.severity for g in compute_coverage(cat, ["portal-only"]).gaps}
    assert plain["data-management/data-store"] == "normal"
    assert plain["intra-region/service-linkage"] == "normal"
    linked = compute_coverage(cat, ["portal-only", "linker"])
    sev = {g.node_id: g for g in linked.gaps}
    assert sev["data-management/data-store"].severity == "critical"
    assert sev["intra-region/service-linkage"].severity == "critical"
    reason = sev["intra-region/service-linkage"].reasons[0]
    assert reason.rule_id == "data-linkage-core" and reason.services == ("linker",)
    assert sev["data-management/analytics"].severity == "important"
    assert linked.gaps[0].severity == "critical", "heaviest gaps first"
    assert "data-linkage-core" in linked.rules_applied


def test_personal_data_makes_security_gaps_critical(cat: CatalogDB) -> None:
    cov = compute_coverage(cat, ["alpha"])  # 個人情報
    sev = {g.node_id: g.severity for g in cov.gaps}
    assert sev["security/authentication"] == "critical"
    assert sev["security/access-control"] == "critical"
    assert sev["data-management/personal-data"] == "critical"
    assert sev["security/identity-proofing"] == "normal"
    cov2 = compute_coverage(cat, ["alpha", "consent-box"])  # 要配慮個人情報
    assert {g.node_id: g.severity for g in cov2.gaps}["security/identity-proofing"] == "critical"


def test_answers_feed_the_rules(cat: CatalogDB) -> None:
    before = {g.node_id: g.severity for g in compute_coverage(cat, ["portal-only"]).gaps}
    assert before["security/identity-proofing"] == "normal"
    after = compute_coverage(cat, ["portal-only"], answers={"um:auth-strength": "identity-proofing"})
    assert {g.node_id: g.severity for g in after.gaps}["security/identity-proofing"] == "critical"


def test_rules_are_data_unknown_conditions_never_fire(cat: CatalogDB) -> None:
    rules = [{"id": "typo", "when": {"data_linkagee": True}, "nodes": ["security"], "severity": "critical"},
             {"id": "ok", "when": {"min_services": 1}, "nodes": ["security"], "severity": "important"}]
    svc = cat.services(["alpha"])
    fired = [r["id"] for r, _ in evaluate_rules(rules, svc, {}, {"なし": 0, "個人情報": 1})]
    assert fired == ["ok"]
    assert cat.knowledge("gap_rules"), "gap rules come from the catalog build (considerations.yaml)"


def test_suggestions_exclude_plan_items_and_rank_same_field_first(cat: CatalogDB) -> None:
    cov = compute_coverage(cat, ["alpha"])
    sugg = cov.suggestions["security/authentication"]
    ids = [s.service_id for s in sugg]
    assert set(ids) == {"auth-app", "bus-auth"}
    assert ids[0] == "bus-auth" and sugg[0].same_field, "same field (transport) first"
    assert "alpha" not in {s.service_id for v in cov.suggestions.values() for s in v}
    auth = next(s for s in sugg if s.service_id == "auth-app")
    assert "security/access-control" in auth.fills and "security/authentication" in auth.fills
    # a data-linking candidate raises the severity of the gaps it leaves open
    broker = compute_coverage(cat, ["portal-only"]).suggestions["data-management/data-broker"]
    assert broker[0].service_id == "linker" and broker[0].raises


def test_plan_coverage_uses_the_plans_answers(cat: CatalogDB, tmp_path: Path) -> None:
    st, _ = open_store(tmp_path / "plans.db")
    st.create("p")
    st.add("p", ["portal-only"])
    st.set_answer("p", "um:management-layer", "city-os")
    sev = {g.node_id: g.severity for g in plan_coverage(st, cat, "p").gaps}
    assert sev["security/authentication"] == "critical"


def test_considerations_from_knowledge(cat: CatalogDB, tmp_path: Path) -> None:
    st, _ = open_store(tmp_path / "plans.db")
    st.create("p")
    st.add("p", ["portal-only", "linker", "consent-box"])
    cons = plan_considerations(st, cat, "p")
    assert [s.sector for s in cons.sectors] == ["公共", "準公共"]
    assert cons.sectors[0].note and cons.sectors[0].type1_trend
    assert cons.data_linkage and cons.type_label == "TYPE2/3" and cons.linkage_services == ["linker"]
    assert cons.personal_level == "要配慮個人情報" and cons.personal_services == ["consent-box"]
    law_ids = {q.id for q in cons.laws}
    assert {"law:appi-art21", "law:appi-art27", "law:appi-art20-2"} <= law_ids
    ids = [q.id for q in cons.questions]
    for qid in ("linkage:type", "um:management-layer", "um:auth-strength", "um:data-held", "ownership",
                "criteria:self-reliance", "criteria:public-private-collaboration"):
        assert qid in ids
    assert len([q for q in cons.questions if q.section == "cost"]) == 4
    own = cons.question("ownership")
    assert own is not None and len(own.options) == 3
    assert cons.question("linkage:type").suggested == "TYPE2"
    assert cons.question("um:data-held").suggested == "sensitive"

    q = record_answer(st, cat, "p", "ownership", "municipality", "市が持つ")
    assert q.answer_label == "自治体"
    record_answer(st, cat, "p", "cost:tax-revenue", "yes")
    with pytest.raises(PlanError, match="one of"):
        record_answer(st, cat, "p", "ownership", "aliens")
    with pytest.raises(PlanError, match="Unknown question"):
        record_answer(st, cat, "p", "nope", "x")
    cons2 = plan_considerations(st, cat, "p")
    assert cons2.question("ownership").answer.note == "市が持つ"
    assert cons2.answered == 2


def test_laws_follow_the_personal_data_level(cat: CatalogDB, tmp_path: Path) -> None:
    st, _ = open_store(tmp_path / "plans.db")
    st.create("none")
    st.add("none", ["portal-only"])
    assert plan_considerations(st, cat, "none").laws == []
    st.create("personal")
    st.add("personal", ["alpha"])
    ids = {q.id for q in plan_considerations(st, cat, "personal").laws}
    assert "law:appi-art21" in ids and "law:appi-art20-2" not in ids


def test_real_catalog_five_services(tmp_path: Path) -> None:
    db = bundled_db(tmp_path / "catalog.db")
    st: PlanStore
    st, _ = open_store(tmp_path / "plans.db")
    st.create("real")
    st.add("real", REAL_FIVE)
    cov = plan_coverage(st, db, "real")
    assert cov.service_ids == REAL_FIVE
    assert 0 < cov.percent < 100 and cov.gaps
    for gap_id, sugg in cov.suggestions.items():
        assert not {s.service_id for s in sugg} & set(REAL_FIVE), gap_id
    assert all(cov.suggestions.get(g.node_id) for g in cov.gaps if g.severity == "critical")
