"""The columns of the local-entry import (CSV/XLSX): read by app.catalog.overlay, written into
templates by app.catalog.template."""

# Column key, Japanese header, required, description, example
COLUMNS: tuple[tuple[str, str, bool, str, str], ...] = (
    ("id", "ID", True, "半角英小文字・数字・ハイフン。ファイル名になる。先頭が # の行は読み飛ばす", "my-town-bus"),
    ("name", "サービス名", True, "サービスの名称", "わがまちバス予約"),
    ("name_en", "英語名", False, "英語の名称（任意）", "My Town Bus"),
    ("provider", "提供者", True, "提供する事業者・団体", "株式会社サンプル"),
    ("field", "分野", True, "カタログの分野名（例: 公共交通）", "公共交通"),
    ("kind", "種類", True, "サービスの種類を短く", "AIオンデマンド交通"),
    ("municipalities", "導入自治体", False, "都道府県＋市区町村。複数は ; か 、 で区切る", "愛知県豊明市; 愛知県岡崎市"),
    ("data_linkage", "データ連携", False, "データ連携基盤とつなぐか: true/false（はい/いいえ）", "false"),
    ("personal_data", "個人データ", False, "なし / 個人情報 / 要配慮個人情報", "個人情報"),
    ("use_fields", "利用分野", False, "デジ田の利用分野。複数は ; か 、 で区切る", "交通・物流"),
    ("scra", "SCRA", False, "ノードID:provides|uses:理由 を ; か改行で区切る", "service-management/portal:provides:住民が予約する窓口になる"),
    ("sources", "出典", True, "公開ページのURL（後ろに空白をおいてタイトルも可）。複数は ; か改行で区切る", "https://example.org/bus 豊明市のお知らせ"),
    ("unconfirmed", "未確認事項", False, "確認できていない点。複数は ; か改行で区切る", ""),
    ("description", "説明", True, "2〜5文の説明（Markdown）", "住民がスマートフォンや電話で予約できる乗合交通です。"),
)
KEYS = tuple(c[0] for c in COLUMNS)
