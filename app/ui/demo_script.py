"""Demo scripts: a YAML file of steps a presenter plays with → / ← (no Qt here; the player is app/ui/demo_player.py).

    title_ja: まちナビ 5分デモ
    title_en: Machi Navi in five minutes
    steps:
      - search: オンデマンド 分野:公共交通       # the query to show
        caption_ja: 交通の事例を探します
        caption_en: Find transport services
      - select: nokkar                          # an entry id: its details
      - add: nokkar mebuku-pay                  # entry ids put into the current plan (one is made if needed)
      - figure: {overlay: true, group: セキュリティ機能群}   # the SCRA figure (plan overlay, zoom to a group)
      - plan_tab: デモ計画                      # the plan tab (a plan name, or empty for the current one)
      - gap: first                              # the plan's gaps, the first (heaviest) or a node name selected

A sample ships in resources/demo/; users put their own in <user folder>/demo/. A broken script raises
DemoScriptError naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import paths
from app.catalog.yamlio import Lines, ReadError, parse_yaml, read_text

KINDS = ("search", "select", "add", "figure", "plan_tab", "gap")
_STEP_KEYS = set(KINDS) | {"caption_ja", "caption_en"}


class DemoScriptError(ValueError):
    """A demo script problem, shown as `file:line: message`."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class DemoStep:
    kind: str  # one of KINDS
    value: str  # search text, entry id(s), plan name, gap ("first" or a node name), figure group name ('' = none)
    overlay: bool  # figure: show the plan overlay
    caption_ja: str
    caption_en: str
    line: int

    def caption(self, lang: str) -> str:
        return (self.caption_en or self.caption_ja) if lang == "en" else (self.caption_ja or self.caption_en)


@dataclass(frozen=True)
class DemoScript:
    path: Path
    title_ja: str
    title_en: str
    steps: tuple[DemoStep, ...]

    def title(self, lang: str) -> str:
        return (self.title_en or self.title_ja) if lang == "en" else (self.title_ja or self.title_en)


def sample_path() -> Path:
    return paths.resources_dir() / "demo" / "sample.yaml"


def user_demo_dir() -> Path:
    return paths.user_dir() / "demo"


def available_scripts() -> list[Path]:
    """The sample first, then the user's scripts (*.yaml, *.yml) by name."""
    folder = user_demo_dir()
    own = sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []
    return [sample_path(), *own]


def _text(path: Path, lines: Lines, where: tuple[Any, ...], value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise DemoScriptError(path, lines.get(where, 1), f"{what} must be text")
    return str(value).strip()


def _step(path: Path, lines: Lines, i: int, raw: Any) -> DemoStep:
    where = ("steps", i)
    line = lines.get(where, 1)
    if not isinstance(raw, dict):
        raise DemoScriptError(path, line, f"step {i + 1} must be a mapping such as `search: オンデマンド`")
    unknown = sorted(str(k) for k in raw if k not in _STEP_KEYS)
    if unknown:
        raise DemoScriptError(path, lines.get((*where, unknown[0]), line),
                              f"unknown key {unknown[0]!r} in step {i + 1} (use one of {', '.join(KINDS)} and caption_ja / caption_en)")
    kinds = [k for k in KINDS if k in raw]
    if len(kinds) != 1:
        raise DemoScriptError(path, line, f"step {i + 1} needs exactly one of {', '.join(KINDS)} (found {len(kinds)})")
    kind = kinds[0]
    raw_value = raw[kind]
    overlay = False
    value = ""
    if kind == "figure" and isinstance(raw_value, dict):
        extra = sorted(str(k) for k in raw_value if k not in ("overlay", "group"))
        if extra:
            raise DemoScriptError(path, lines.get((*where, kind, extra[0]), line), f"unknown figure option {extra[0]!r} (use overlay, group)")
        overlay = raw_value.get("overlay") is True
        value = _text(path, lines, (*where, kind, "group"), raw_value.get("group"), "figure group")
    elif kind == "figure":
        overlay = raw_value is True
    else:
        value = _text(path, lines, (*where, kind), raw_value, kind)
    if kind in ("search", "select", "add") and not value:
        raise DemoScriptError(path, lines.get((*where, kind), line), f"step {i + 1}: {kind} needs a value")
    return DemoStep(kind, value, overlay, _text(path, lines, (*where, "caption_ja"), raw.get("caption_ja"), "caption_ja"),
                    _text(path, lines, (*where, "caption_en"), raw.get("caption_en"), "caption_en"), line)


def load_demo(path: Path) -> DemoScript:
    """Read and check a demo script; raises DemoScriptError (file:line) on any problem."""
    path = Path(path)
    try:
        data, lines = parse_yaml(read_text(path))
    except ReadError as err:
        raise DemoScriptError(path, err.line, err.message) from None
    except OSError as exc:
        raise DemoScriptError(path, 1, f"cannot read the file: {exc.strerror or exc}") from None
    if not isinstance(data, dict):
        raise DemoScriptError(path, 1, "a demo script is a mapping with `steps:` (and title_ja / title_en)")
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise DemoScriptError(path, lines.get(("steps",), 1), "`steps:` must be a non-empty list")
    return DemoScript(path, _text(path, lines, ("title_ja",), data.get("title_ja"), "title_ja"),
                      _text(path, lines, ("title_en",), data.get("title_en"), "title_en"),
                      tuple(_step(path, lines, i, s) for i, s in enumerate(steps)))
