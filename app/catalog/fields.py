"""The field registry: one declaration per queryable / facet field of the catalog.

Everything that names a field reads it from here: the query parser (names and aliases), the index
writer (index field, text part and its ranking weight), the engine (how a value resolves), the
facets (key, order, labels), completion, the results table and the plan exports (columns and
labels in Japanese and English), and the loader and catalog.db for the per-entry facts.

Adding a fact field (a yes/no/unknown flag, a year …) is one `Field(...)` entry in `FIELDS` plus
the data in the catalog files: `catalog_key` names the front-matter key, `values` (or
`resolver="year"`) says what it may hold, and the rest follows. Fields with their own resolution
rules (a prefecture covers its municipalities, an SCRA node its descendants) name a resolver that
app/search/resolve.py implements.

No Qt here: the UI picks `label_ja` / `label_en` by its current language.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

UNKNOWN = "unknown"  # stored value of a fact the entry does not state (shown as 不明)
MISSING = "__none__"  # index term of a document without a value (`分野:なし`)


@dataclass(frozen=True)
class Value:
    """One allowed value of an enumerated field: stored id, labels, extra query spellings."""

    id: str
    ja: str
    en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Field:
    key: str  # stable English id (Hit.facts keys, catalog front-matter key for facts)
    name: str  # canonical query name (Japanese; canonical query text uses it)
    en: str  # English query name
    label_ja: str
    label_en: str
    aliases: tuple[str, ...] = ()  # other accepted query spellings
    resolver: str = "enum"  # how a query value becomes index terms (app/search/resolve.py)
    index: str = ""  # keyword field of the Whoosh index that filters use
    multi: bool = False  # the index field holds several values per document (comma-separated)
    text: str = ""  # text part of the index for non-exact matches ("" = none)
    weight: float = 0.0  # ranking weight of `text` inside the scored `all` field
    highlight: bool = False  # a (non-exact) filter value is highlighted in snippets like a search word
    facet: str = ""  # facet key in SearchResult.facets ("" = no facet)
    facet_rank: int = 100  # facets are listed by (rank, registry order)
    facet_label_ja: str = ""  # when the facet is named differently from the field
    facet_label_en: str = ""
    doc: str = ""  # docs.json column the facet counts ("" for facts: DocMeta.facts)
    values: tuple[Value, ...] = ()
    missing: str | None = None  # stored id a missing value (`field:なし`) stands for; None = no match
    fact: bool = False  # a per-entry fact: catalog key, services column, results column, export column
    detail: str = ""  # a companion catalog key of a fact (licence of OSS, ended date of an ended service)
    detail_when: str = ""  # the fact value that allows `detail`
    detail_pattern: str = ""  # regular expression `detail` must match ("" = any text)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.en, *self.aliases)

    def value(self, stored: str) -> Value | None:
        return next((v for v in self.values if v.id == stored), None)

    def value_label(self, stored: str, lang: str = "ja") -> str:
        """Display text of a stored value ('' stays '')."""
        if not stored:
            return ""
        if stored == UNKNOWN and not self.values:
            return "不明" if lang == "ja" else "unknown"
        v = self.value(stored)
        if v is None:
            return stored
        return v.ja if lang == "ja" else v.en

    def read(self, raw: object) -> tuple[str, str, str]:
        """A catalog file's value of this fact → (stored value, problem, fix); a problem leaves it unknown.
        YAML reads bare yes/no as booleans: they count as yes/no."""
        if raw is None:
            return UNKNOWN, "", ""
        if self.resolver == "year":
            text = str(raw).strip()
            if text.lower() == UNKNOWN:
                return UNKNOWN, "", ""
            if isinstance(raw, bool) or not text.isdigit() or not 1900 <= int(text) <= 2100:
                return UNKNOWN, f"{self.key} must be a year such as 2019, not {raw!r}", f"write {self.key}: YYYY or leave it out"
            return str(int(text)), "", ""
        text = ("yes" if raw else "no") if isinstance(raw, bool) else str(raw).strip().lower()
        if self.value(text) is None:
            allowed = ", ".join(v.id for v in self.values)
            return UNKNOWN, f"{self.key} must be one of {allowed}, not {raw!r}", f"write {self.key}: one of {allowed}"
        return text, "", ""

    def read_detail(self, raw: object, value: str) -> tuple[str, str, str]:
        """The companion key (licence, ended) → (text, problem, fix)."""
        text = str(raw).strip()
        if value != self.detail_when:
            return "", f"{self.detail} is only for {self.key}: {self.detail_when}", f"remove {self.detail} or set {self.key}: {self.detail_when}"
        if self.detail_pattern and not re.match(self.detail_pattern, text):
            return "", f"{self.detail} must look like YYYY-MM, not {raw!r}", f'write {self.detail}: "2023-03"'
        return text, "", ""

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en

    def facet_label(self, lang: str = "ja") -> str:
        ja = self.facet_label_ja or self.label_ja
        en = self.facet_label_en or self.label_en
        return ja if lang == "ja" else en


UNKNOWN_VALUE = Value(UNKNOWN, "不明", "unknown", ("unknown", "不明", "未確認", "わからない"))


FIELDS: tuple[Field, ...] = (
    Field("field", "分野", "field", "分野", "Field", ("カテゴリ", "category"), resolver="field", index="f_field",
          text="fieldname", weight=1.5, facet="field", facet_rank=2, doc="field_id"),
    Field("provider", "提供者", "provider", "提供者", "Provider", ("事業者", "提供元"), resolver="provider",
          index="f_provider", text="provider", weight=3.0, highlight=True, facet="provider", facet_rank=3, doc="provider"),
    Field("municipality", "自治体", "municipality", "自治体", "Municipality",
          ("city", "都道府県", "prefecture", "pref", "地域"), resolver="municipality", index="f_muni", multi=True, text="place",
          weight=1.5, highlight=True, facet="prefecture", facet_rank=4, facet_label_ja="都道府県", facet_label_en="Prefecture", doc="prefs"),
    Field("kind", "種別", "kind", "種別", "Kind", ("種類",), resolver="kind", index="f_kind", text="kind", weight=3.0,
          highlight=True),
    Field("function", "機能", "function", "SCRA機能", "SCRA function", ("node", "scra"), resolver="node", index="f_nodes",
          multi=True),
    Field("layer", "層", "layer", "SCRAの層", "SCRA layer", ("group", "機能群"), resolver="group", index="f_groups", multi=True,
          facet="group", facet_rank=5, doc="groups"),
    Field("personal", "個人情報", "personal", "個人情報", "Personal data", ("personal_data", "personal-data"),
          resolver="personal", index="f_personal", facet="personal", facet_rank=6, doc="personal",
          values=(Value("なし", "なし", "none", ("none", "無し", "no")),
                  Value("個人情報", "個人情報", "personal", ("personal", "あり", "yes")),
                  Value("要配慮個人情報", "要配慮個人情報", "sensitive", ("要配慮", "sensitive")))),
    Field("type", "タイプ", "type", "タイプ", "TYPE", resolver="enum", index="f_type", facet="type", facet_rank=7, doc="type",
          missing=MISSING,
          values=(Value("TYPE1", "TYPE1", "TYPE1", ("1", "type1", "タイプ1")),
                  Value("TYPE2/3", "TYPE2/3", "TYPE2/3", ("2", "3", "23", "2/3", "type2", "type3", "type23", "タイプ2/3",
                                                          "タイプ2", "タイプ3", "タイプ23")))),
    Field("target", "対象", "target", "対象", "Target", resolver="enum", index="dkind", facet="target", facet_rank=1,
          facet_label_ja="表示対象", facet_label_en="Show", doc="k",
          values=(Value("service", "サービス", "service", ("services", "svc")),
                  Value("architecture", "アーキテクチャ", "architecture", ("arch", "scra", "ノード", "node", "機能")))),
    Field("use", "利用分野", "use", "利用分野", "Use field", ("use_field", "use-field"), resolver="use", index="f_use",
          multi=True),
    # -- per-entry facts (catalog front-matter keys of the same name; a missing key is unknown)
    Field("since", "開始年", "since", "開始年", "Since", ("開始", "start", "started", "year"), resolver="year",
          index="f_since", facet="since", fact=True, missing=UNKNOWN),
    Field("lgwan", "LGWAN", "lgwan", "LGWAN-ASP", "LGWAN-ASP", ("lgwan-asp", "lgwan_asp"), index="f_lgwan",
          facet="lgwan", fact=True, missing=UNKNOWN,
          values=(Value("yes", "対応", "yes", ("yes", "true", "あり")), Value("no", "非対応", "no", ("no", "false")),
                  UNKNOWN_VALUE)),
    Field("ismap", "ISMAP", "ismap", "ISMAP", "ISMAP", (), index="f_ismap", facet="ismap", fact=True, missing=UNKNOWN,
          values=(Value("yes", "登録", "registered", ("yes", "true", "登録済", "registered")),
                  Value("no", "未登録", "not registered", ("no", "false")),
                  Value("n/a", "対象外", "not applicable", ("n/a", "na", "not applicable", "対象外")), UNKNOWN_VALUE)),
    Field("pricing", "料金", "pricing", "料金", "Pricing", ("price", "価格"), index="f_pricing", facet="pricing",
          fact=True, missing=UNKNOWN, detail="licence", detail_when="oss",
          values=(Value("free", "無料", "free", ("free",)), Value("paid", "有料", "paid", ("paid",)),
                  Value("quote", "要問合せ", "on request", ("quote", "要問い合わせ", "問合せ", "見積")),
                  Value("oss", "OSS", "OSS", ("oss", "オープンソース", "open source")), UNKNOWN_VALUE)),
    Field("status", "提供状況", "status", "提供状況", "Status", ("状況", "状態"), index="f_status", facet="status",
          fact=True, missing=UNKNOWN, detail="ended", detail_when="ended", detail_pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
          values=(Value("active", "提供中", "active", ("active",)), Value("trial", "実証", "trial", ("trial", "実証中")),
                  Value("ended", "終了", "ended", ("ended", "終了済", "提供終了")), UNKNOWN_VALUE)),
)


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().strip()


BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
_ALIASES: dict[str, Field] = {_fold(a): f for f in FIELDS for a in (*f.names, f.key)}
FACTS: tuple[Field, ...] = tuple(f for f in FIELDS if f.fact)
FACETS: tuple[Field, ...] = tuple(sorted((f for f in FIELDS if f.facet), key=lambda f: f.facet_rank))
BY_FACET: dict[str, Field] = {f.facet: f for f in FACETS}

# Ranking weights of the text parts of the scored `all` index field (BM25F); name, body and extra
# text are not query fields, the others come from the registry.
TEXT_WEIGHTS: dict[str, float] = {
    "name": 6.0, **{f.text: f.weight for f in FIELDS if f.text},
    "body": 1.0, "extra": 0.5,
}


def lookup(name: str) -> Field | None:
    """The field for any accepted spelling (query name, English name, alias, key, facet key)."""
    return _ALIASES.get(_fold(name)) or BY_FACET.get(name)


def canonical_name(name: str) -> str | None:
    """Canonical (Japanese) query name for any accepted spelling, else None."""
    f = _ALIASES.get(_fold(name))
    return f.name if f else None


def fact_label(f: Field, stored: str, detail: str = "", lang: str = "ja") -> str:
    """A fact for a table cell: 'OSS（MIT）', '終了（2023-03）', '2019', '不明'."""
    text = f.value_label(stored or UNKNOWN, lang)
    if detail and stored == f.detail_when:
        text += f"（{detail}）" if lang == "ja" else f" ({detail})"
    return text


def fingerprint() -> str:
    """A short hash of the declarations: part of the catalog's content hash, so a changed registry
    (a new fact column, a new index field) rebuilds catalog.db and the index without a version bump."""
    return hashlib.sha256(repr(FIELDS).encode("utf-8")).hexdigest()[:16]
