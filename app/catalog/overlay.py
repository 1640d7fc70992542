"""The user's local entries (the overlay): import from CSV/XLSX, templates, removal.

Local entries live in the user data dir (never in catalog_data/) and are merged into the catalog
by the build.

Each row becomes a service .md file in a temporary overlay and is checked by the catalog validator
(app.catalog.loader) together with the bundled catalog, so every rule that applies to bundled
entries applies here too. Problems name the row: "FILE:row N: message (fix)". The import is
all-or-nothing: if any row fails, nothing is written; if all pass, the new overlay is assembled
beside the live one and swapped in with two renames (recover_overlay() repairs a crash between them).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app import fsio, paths
from app.catalog.loader import ID_RE, load_catalog
from app.catalog.store import checkpoint
from app.limits import MAX_CELL_CHARS, MAX_IMPORT_BYTES, MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS, MAX_XLSX_UNCOMPRESSED, MAX_ZIP_RATIO

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
ALIASES = {c[1]: c[0] for c in COLUMNS} | {"名称": "name", "自治体": "municipalities", "個人情報": "personal_data", "出典URL": "sources"}
LIST_SPLIT = re.compile(r"[;；\n、]")
LINE_SPLIT = re.compile(r"[;；\n]")
TRUE_WORDS = {"true", "yes", "y", "1", "はい", "あり", "有", "○", "〇"}
FALSE_WORDS = {"false", "no", "n", "0", "いいえ", "なし", "無", "×", "-", ""}


class ImportFailed(Exception):
    """The file was rejected; `problems` are 'FILE:row N: message' lines. Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    overlay: Path | None = None

    @property
    def ids(self) -> list[str]:
        return self.added + self.replaced


# -- reading rows ---------------------------------------------------------------------------------

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def _key(header: str) -> str:
    h = header.strip()
    m = re.search(r"[（(]\s*([a-z_]+)\s*[)）]\s*$", h)
    if m and m.group(1) in KEYS:
        return m.group(1)
    return ALIASES.get(h, h.lower())


def _too_big(name: str, what: str) -> ImportFailed:
    return ImportFailed([f"{name}: {what}"])


def _read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailed([f"{path.name}: 文字コードを読めません（UTF-8 か Shift_JIS で保存してください） / cannot decode the file"])
    raw: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            _check_row(path.name, reader.line_num, row, len(raw))
            raw.append(row)
    except csv.Error as exc:
        raise ImportFailed([f"{path.name}:row {reader.line_num}: CSV を読めません / cannot read the CSV ({exc})"]) from None
    return raw


def _check_row(name: str, n: int, row: list[Any], count: int) -> None:
    """Bounds per row, checked while reading so a huge file is refused before it is held in memory."""
    if count > MAX_IMPORT_ROWS + 10:
        raise _too_big(name, f"行が多すぎます / more than {MAX_IMPORT_ROWS:,} rows")
    if len(row) > MAX_IMPORT_COLUMNS and any(_cell(c) for c in row[MAX_IMPORT_COLUMNS:]):
        raise _too_big(f"{name}:row {n}", f"列が多すぎます / more than {MAX_IMPORT_COLUMNS} columns")
    for c in row:
        if isinstance(c, str) and len(c) > MAX_CELL_CHARS:
            raise _too_big(f"{name}:row {n}", f"セルが長すぎます / a cell is longer than {MAX_CELL_CHARS:,} characters")


def _check_zip(path: Path) -> None:
    """Refuse zip bombs by the sizes the archive declares, before any member is inflated."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFailed([f"{path.name}: XLSX を読めません / cannot read the workbook ({exc})"]) from None
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise _too_big(path.name, f"展開後のサイズが大きすぎます / the workbook unpacks to {total:,} bytes (limit {MAX_XLSX_UNCOMPRESSED:,})")
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            raise _too_big(path.name, f"圧縮率が異常です / {i.filename} is compressed {i.file_size // max(i.compress_size, 1)}:1 (zip bomb?)")


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_zip(path)
    raw: list[list[str]] = []
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            ws.reset_dimensions()  # never trust the stored size header: read every row that is there
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [_cell(c) for c in row]
                _check_row(path.name, n, cells, len(raw))
                raw.append(cells)
        finally:
            wb.close()
    except ImportFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - any parse failure (bad XML, entity bombs via defusedxml) is a rejection
        raise ImportFailed([f"{path.name}: XLSX を読めません / cannot read the workbook ({type(exc).__name__}: {exc})"]) from None
    return raw


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number as shown in the spreadsheet, {column key: text}) for every non-empty data row."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailed([f"{path.name}: ファイルがありません / file not found"])
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise ImportFailed([f"{path.name}: ファイルが大きすぎます / file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB"])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        raw = _read_xlsx(path)
    else:
        raise ImportFailed([f"{path.name}: CSV か XLSX を指定してください / use a .csv or .xlsx file"])
    header_at = next((i for i, r in enumerate(raw) if any(_cell(c) for c in r)), None)
    if header_at is None:
        raise ImportFailed([f"{path.name}: 行がありません / the file is empty"])
    header = [_key(_cell(c)) for c in raw[header_at]]
    problems = []
    unknown = [h for h in header if h and h not in KEYS]
    if unknown:
        problems.append(f"{path.name}:row {header_at + 1}: unknown column(s) {', '.join(unknown)} "
                        f"(use the template's columns: {', '.join(KEYS)})")
    if "id" not in header:
        problems.append(f"{path.name}:row {header_at + 1}: no 'id' column (write the template's header row first)")
    if problems:
        raise ImportFailed(problems)
    rows = []
    for i, r in enumerate(raw[header_at + 1:], start=header_at + 2):
        values = {header[j]: _cell(c) for j, c in enumerate(r) if j < len(header) and header[j]}
        if not any(values.values()) or values.get("id", "").startswith("#"):
            continue
        rows.append((i, values))
    if len(rows) > MAX_IMPORT_ROWS:
        raise ImportFailed([f"{path.name}: 行が多すぎます / more than {MAX_IMPORT_ROWS:,} rows"])
    return rows


# -- row → service file ---------------------------------------------------------------------------

def _split(text: str, pattern: re.Pattern[str] = LIST_SPLIT) -> list[str]:
    return [p.strip() for p in pattern.split(text or "") if p.strip()]


def row_to_markdown(values: dict[str, str], today: str | None = None) -> str:
    """A service .md file (YAML front matter + description) for one row, in the catalog's format."""
    today = today or _dt.date.today().isoformat()
    front: dict[str, Any] = {}
    for key in ("id", "name", "name_en", "provider", "field", "kind"):
        if values.get(key):
            front[key] = values[key]
    for key in ("municipalities", "use_fields"):
        if values.get(key):
            front[key] = _split(values[key])
    link = values.get("data_linkage", "").strip()
    if link.lower() in TRUE_WORDS:
        front["data_linkage"] = True
    elif link.lower() in FALSE_WORDS:
        front["data_linkage"] = False
    else:
        front["data_linkage"] = link  # the validator names it
    if values.get("personal_data"):
        front["personal_data"] = values["personal_data"]
    scra = []
    for part in _split(values.get("scra", ""), LINE_SPLIT):
        bits = [b.strip() for b in re.split(r"[:：]", part, maxsplit=2)]
        bits += [""] * (3 - len(bits))
        scra.append({"node": bits[0], "role": bits[1], "why": bits[2]})
    if scra:
        front["scra"] = scra
    sources = []
    for part in _split(values.get("sources", ""), LINE_SPLIT):
        url, _, title = part.partition(" ")
        src: dict[str, str] = {"url": url.strip(), "seen": today}
        if title.strip():
            src["title"] = title.strip()
        sources.append(src)
    if sources:
        front["sources"] = sources
    if values.get("unconfirmed"):
        front["unconfirmed"] = _split(values["unconfirmed"], LINE_SPLIT)
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    body = values.get("description", "").replace("\r\n", "\n").strip()
    return f"---\n{text}---\n{body}\n"


# -- validation and commit -------------------------------------------------------------------------

def _staging_paths() -> tuple[Path, Path, Path]:
    overlay = paths.overlay_dir()
    return overlay, overlay.with_name(f".{overlay.name}.new"), overlay.with_name(f".{overlay.name}.old")


def recover_overlay() -> None:
    """Finish or undo an overlay swap interrupted by a crash (safe to call any time)."""
    overlay, new, old = _staging_paths()
    if old.exists():
        if overlay.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(overlay)
    if new.exists():
        shutil.rmtree(new, ignore_errors=True)


def local_entry_ids() -> list[str]:
    overlay = paths.overlay_dir()
    return sorted(p.stem for p in overlay.glob("*.md")) if overlay.is_dir() else []


def validate_rows(rows: list[tuple[int, dict[str, str]]], file_name: str,
                  catalog_dir: Path | None = None) -> tuple[dict[str, str], list[str], list[str]]:
    """Check rows with the catalog validator; returns ({id: markdown}, errors, warnings)."""
    errors: list[str] = []
    warnings: list[str] = []
    texts: dict[int, str] = {}
    names: dict[int, str] = {}
    seen: dict[str, int] = {}
    for n, values in rows:
        sid = values.get("id", "").strip()
        if sid and sid in seen:
            errors.append(f"{file_name}:row {n}: id {sid!r} is also on row {seen[sid]} (give each entry its own id)")
            continue
        if sid:
            seen[sid] = n
        names[n] = f"{sid}.md" if sid and ID_RE.match(sid) else f"_row{n}.md"
        texts[n] = row_to_markdown(values)
    if errors:
        return {}, errors, warnings
    root = catalog_dir or paths.bundled_catalog_dir()
    with tempfile.TemporaryDirectory(prefix="machi-navi-import-") as tmp:
        overlay = Path(tmp) / "local_entries"
        overlay.mkdir()
        live = paths.overlay_dir()
        replacing = {names[n][:-3] for n in texts}
        if live.is_dir():  # existing local entries take part (same name+provider checks), except those replaced
            for p in live.glob("*.md"):
                if p.stem not in replacing:
                    shutil.copy2(p, overlay / p.name)
        row_of: dict[str, int] = {}
        for n, text in texts.items():
            target = overlay / names[n]
            target.write_text(text, encoding="utf-8")
            row_of[target.as_posix()] = n
        cat = load_catalog(root, overlay, paths.packs_dir())  # installed packs' ids are taken too
        for p in cat.problems:
            n = row_of.get(p.path)
            if n is None:
                continue
            tail = f" ({p.fix})" if p.fix else ""
            line = f"{file_name}:row {n}: {p.message}{tail}"
            (errors if p.severity == "error" else warnings).append(line)
        loaded = {s.id for s in cat.services if s.local}
        for n in texts:
            sid = names[n][:-3]
            if sid not in loaded and not any(e.startswith(f"{file_name}:row {n}:") for e in errors):
                errors.append(f"{file_name}:row {n}: entry was not accepted (check the row against the template)")
    errors.sort(key=lambda e: int(re.search(r":row (\d+):", e).group(1)) if re.search(r":row (\d+):", e) else 0)
    return {names[n][:-3]: texts[n] for n in texts}, errors, warnings


def commit_entries(entries: dict[str, str]) -> tuple[list[str], list[str]]:
    """Write {id: markdown} into the overlay all at once; returns (added, replaced)."""
    recover_overlay()
    overlay, new, old = _staging_paths()
    if overlay.is_dir():
        shutil.copytree(overlay, new)
    else:
        new.mkdir(parents=True)
    have = set(local_entry_ids())
    added, replaced = [], []
    for i, (sid, text) in enumerate(entries.items()):
        if i == len(entries) // 2 and i:
            checkpoint("import-mid-write")  # crash-test hook
        fsio.atomic_write_text(new / f"{sid}.md", text)
        (replaced if sid in have else added).append(sid)
    fsio.fsync_dir(new)
    checkpoint("import-before-swap")
    if overlay.exists():
        overlay.rename(old)
    new.rename(overlay)
    fsio.fsync_dir(overlay.parent)
    shutil.rmtree(old, ignore_errors=True)
    return added, replaced


def import_file(path: Path | str, catalog_dir: Path | None = None) -> ImportResult:
    """Validate every row of a CSV/XLSX file and store the entries in the overlay, or raise ImportFailed."""
    path = Path(path)
    rows = read_rows(path)
    if not rows:
        raise ImportFailed([f"{path.name}: 取り込む行がありません / no data rows (rows whose id starts with # are skipped)"])
    entries, errors, warnings = validate_rows(rows, path.name, catalog_dir)
    if errors:
        raise ImportFailed(errors)
    added, replaced = commit_entries(entries)
    return ImportResult(added, replaced, warnings, paths.overlay_dir())


@dataclass(frozen=True)
class LocalEntry:
    id: str
    name: str
    path: Path
    quarantined: bool


def local_entries() -> list[LocalEntry]:
    """Every local entry file: active ones and those moved to quarantine/ by a build they broke."""
    overlay = paths.overlay_dir()
    out: list[LocalEntry] = []
    for folder, quarantined in ((overlay, False), (overlay / "quarantine", True)):
        for p in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            try:
                head = p.read_text(encoding="utf-8", errors="replace")[:4000]
            except OSError:
                head = ""
            m = re.search(r"^name:\s*(.+)$", head, re.MULTILINE)
            out.append(LocalEntry(p.stem, m.group(1).strip().strip("'\"") if m else "", p, quarantined))
    return out


def remove_local_entries(ids: Iterable[str]) -> list[str]:
    """Delete local entries by id, active or quarantined (the build drops them; plans keep showing them as missing)."""
    wanted = set(ids)
    gone = []
    for entry in local_entries():
        if entry.id in wanted:
            entry.path.unlink()
            gone.append(entry.id)
    return sorted(set(gone))


# -- template -------------------------------------------------------------------------------------

def _vocab(catalog_dir: Path | None) -> dict[str, list[str]]:
    from app.catalog.loader import _Reader  # the taxonomy reader, for the drop-down lists

    reader = _Reader(catalog_dir or paths.bundled_catalog_dir())
    tax = reader.taxonomy()
    return {"field": [f.name_ja for f in tax.catalog_fields], "personal_data": [lv.name for lv in tax.personal_levels],
            "use_fields": [u.name for u in tax.use_fields], "data_linkage": ["true", "false"]}


def write_template(out: Path | str, catalog_dir: Path | None = None) -> Path:
    """An import template (.csv or .xlsx by suffix): header row, an example row (skipped: id starts with #)."""
    out = Path(out)
    example = [("#" + c[4]) if c[0] == "id" else c[4] for c in COLUMNS]
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(KEYS)
        w.writerow(example)
        return fsio.atomic_write_bytes(out, buf.getvalue().encode("utf-8-sig"))
    if out.suffix.lower() != ".xlsx":
        raise ValueError("template must be .csv or .xlsx")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "エントリ"
    ws.append(list(KEYS))
    ws.append(example)
    for i, c in enumerate(COLUMNS, 1):
        cell = ws.cell(1, i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EAF2" if not c[2] else "FFE7B3")
        ws.column_dimensions[cell.column_letter].width = 40 if c[0] in ("scra", "sources", "description") else 18
    ws.freeze_panes = "A2"
    vocab = _vocab(catalog_dir)
    for key in ("field", "personal_data", "data_linkage"):
        col = ws.cell(1, KEYS.index(key) + 1).column_letter
        dv = DataValidation(type="list", formula1='"' + ",".join(vocab[key]) + '"', allow_blank=True)
        dv.add(f"{col}2:{col}{MAX_IMPORT_ROWS + 1}")
        ws.add_data_validation(dv)
    doc = wb.create_sheet("説明")
    doc.append(["列", "見出し", "必須", "書き方", "例"])
    for c in COLUMNS:
        doc.append([c[0], c[1], "必須" if c[2] else "", c[3], c[4]])
    doc.append([])
    doc.append(["分野", "", "", "、".join(vocab["field"])])
    doc.append(["利用分野", "", "", "、".join(vocab["use_fields"])])
    doc.append(["個人データ", "", "", "、".join(vocab["personal_data"])])
    doc.append(["", "", "", "取り込んだエントリは利用者フォルダ（local_entries）に保存され、catalog_data/ には書き込まれません。"])
    for col, width in zip("ABCDE", (16, 14, 6, 70, 40), strict=True):
        doc.column_dimensions[col].width = width
    for row in doc.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    with fsio.atomic_path(out) as tmp:
        wb.save(str(tmp))
    return out
