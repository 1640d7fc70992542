"""The search bar: query text, a chip per top-level condition, completion of fields and values."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.flow import FlowLayout
from app.ui.i18n import tr_args
from app.ui.models import field_label
from app.ui.safe_text import plain_tip

if TYPE_CHECKING:  # the query parser is imported when there is query text to parse (not for an empty bar)
    from app.search.query import Query, Term

_SPACES = " \t\u3000"


def last_token_start(text: str) -> int:
    """Index where the last whitespace-separated token of `text` starts (after a leading '-')."""
    i = len(text)
    while i > 0 and text[i - 1] not in _SPACES:
        i -= 1
    if i < len(text) and text[i] in "-－":
        i += 1
    return i


class QueryCompleter(QCompleter):
    """Completes the token under the end of the text: `分` → `分野:`, `分野:公` → `分野:公共交通`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.string_model = QStringListModel(self)
        self.setModel(self.string_model)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(12)
        # every row is one line of text: without this the popup measures each of thousands of matches
        # (a first character at 10k entries: 103 → 48 ms, the next ones 42 → 10 ms)
        self.popup().setUniformItemSizes(True)

    def set_entries(self, entries: list[str]) -> None:
        self.string_model.setStringList(entries)

    def splitPath(self, path: str) -> list[str]:
        token = path[last_token_start(path):]
        return [token] if token else ["\x00"]  # an empty token completes nothing

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        value = str(index.data())
        tail = "" if value.endswith(":") else " "
        return text[:last_token_start(text)] + value + tail


def completion_entries(all_values: Callable[[str], list[str]]) -> list[str]:
    """`分野:` prefixes and every `分野:value` text the search engine can complete."""
    from app.search.query import FIELDS, filter_text

    out: list[str] = [f"{name}:" for name in FIELDS]
    for name in FIELDS:
        try:
            values = all_values(name)
        except Exception:  # noqa: BLE001 - completion is a convenience; never block the UI
            values = []
        out.extend(filter_text(name, v) for v in values)
    return list(dict.fromkeys(out))


class Chip(QFrame):
    removeRequested = Signal(object)  # Term

    def __init__(self, term: Term, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.term = term
        self.parts: list[str] = []  # how the search engine read a compound word (住民票 | コンビニ交付)
        self.setObjectName("chip")
        self.setProperty("negated", term.negated)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 1, 4, 1)
        lay.setSpacing(2)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # query text: never markup
        self.close_button = QToolButton()
        self.close_button.setObjectName("chipClose")
        self.close_button.setText("×")
        self.close_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.close_button.clicked.connect(lambda: self.removeRequested.emit(self.term))
        lay.addWidget(self.label)
        lay.addWidget(self.close_button)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        t = self.term
        neg = self.tr("not") + " " if t.negated else ""
        if t.field:
            self.label.setText(f"{neg}{field_label(t.field)}: {t.value}")
            self.setToolTip(plain_tip(t.text))
        elif self.parts:
            self.label.setText(f"{neg}“{' · '.join(self.parts)}”")
            self.setToolTip(plain_tip(tr_args(self.tr("Read as the words: %1"), " | ".join(self.parts))))
        else:
            self.label.setText(f"{neg}“{t.value}”")
            self.setToolTip(plain_tip(t.text))
        self.close_button.setToolTip(self.tr("Remove this condition"))


class QueryBar(QWidget):
    """Line edit + chips. `edited(text)` while typing; `submitted(text)` for immediate searches."""

    edited = Signal(str)
    submitted = Signal(str)
    synonymsToggled = Signal(bool)  # the 「類義語を含む」 chip was switched

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName("queryEdit")
        self.edit.setClearButtonEnabled(True)
        self.edit.textEdited.connect(self._on_edited)
        self.edit.returnPressed.connect(lambda: self.submitted.emit(self.edit.text()))
        self.completer = QueryCompleter(self.edit)
        self.edit.setCompleter(self.completer)
        self.completer.activated.connect(lambda _t: self._on_edited(self.edit.text()))

        self.chip_host = QWidget()  # chips wrap onto more lines instead of scrolling out of sight
        self.chip_layout = FlowLayout(self.chip_host)
        self.chip_host.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.hint = QLabel()
        self.hint.setObjectName("sectionTitle")
        self.partial_chip = QLabel()  # 「一部の語に一致」: no entry has every word; shows the words found
        self.partial_chip.setTextFormat(Qt.TextFormat.PlainText)  # shows query words: never markup
        self.partial_chip.setObjectName("partialChip")
        self.partial_chip.hide()
        self._partial: tuple[list[str], list[str]] | None = None
        # 「類義語を含む」: words were also matched through their synonyms; unchecking searches the words as typed
        self.synonym_chip = QToolButton()
        self.synonym_chip.setObjectName("synonymChip")
        self.synonym_chip.setCheckable(True)
        self.synonym_chip.setAutoRaise(True)
        self.synonym_chip.hide()
        self.synonym_chip.clicked.connect(lambda *_: self.synonymsToggled.emit(self.synonym_chip.isChecked()))
        self._synonyms: tuple[dict[str, list[str]], list[str]] = ({}, [])
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.message.hide()

        for w in (self.hint, self.partial_chip, self.synonym_chip):  # after the chips, wrapping with them
            self.chip_layout.addWidget(w)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.edit)
        lay.addWidget(self.chip_host)
        lay.addWidget(self.message)
        self.chips: list[Chip] = []
        self._hint_allowed = True
        self.retranslate_ui()
        self.update_chips("")

    # -- text
    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        """Replace the query text (no edited signal) and refresh the chips."""
        if text != self.edit.text():
            self.edit.setText(text)
        self.update_chips(text)

    def _on_edited(self, text: str) -> None:
        self.update_chips(text)
        self.edited.emit(text)

    def update_chips(self, text: str) -> None:
        if text.strip(_SPACES):
            from app.search.query import parse

            terms = parse(text).terms()
        else:
            terms = []
        if [c.term for c in self.chips] == terms:
            return
        for chip in self.chips:
            chip.hide()
            self.chip_layout.removeWidget(chip)  # now: a long chip must not widen the window for a moment
            chip.setParent(None)
            chip.deleteLater()
        self.chips = []
        for i, term in enumerate(terms):
            chip = Chip(term, self.chip_host)
            chip.removeRequested.connect(self._remove_term)
            self.chip_layout.insertWidget(i, chip)
            self.chips.append(chip)
        self.hint.setVisible(not self.chips and self._hint_allowed)

    def set_hint_allowed(self, on: bool) -> None:
        """Show 「条件なし」 only where the view follows the query (not on the plan tab)."""
        self._hint_allowed = on
        self.hint.setVisible(not self.chips and on)

    def set_reading(self, segments: dict[str, list[str]], matched: list[str] | None = None,
                    missing: list[str] | None = None) -> None:
        """Show how the engine read the query: the parts of each compound word in its chip, and the
        「一部の語に一致」 chip (words found / not found) when no entry contains every word."""
        for chip in self.chips:
            parts = segments.get(chip.term.value, []) if chip.term.field is None and not chip.term.negated else []
            if parts != chip.parts:
                chip.parts = list(parts)
                chip.retranslate_ui()
        self._partial = (list(matched), list(missing or [])) if matched else None
        self._update_partial()

    def _update_partial(self) -> None:
        if self._partial is None:
            self.partial_chip.hide()
            return
        matched, missing = self._partial
        self.partial_chip.setText(tr_args(self.tr("Partial match: %1"), " · ".join(matched)))
        tip = tr_args(self.tr("No entry contains every word. Not found together: %1"), " · ".join(missing))
        self.partial_chip.setToolTip(plain_tip(tip))
        self.partial_chip.show()

    def set_synonyms(self, used: dict[str, list[str]], unexpanded: list[str] | None = None) -> None:
        """Show the synonym chip: checked when words were expanded (`used`: word → synonyms),
        unchecked when expansion is off and `unexpanded` words have synonyms; hidden otherwise."""
        self._synonyms = ({k: list(v) for k, v in used.items()}, list(unexpanded or []))
        self._update_synonyms()

    def _update_synonyms(self) -> None:
        used, unexpanded = self._synonyms
        chip = self.synonym_chip
        if not used and not unexpanded:
            chip.hide()
            return
        chip.setChecked(bool(used))
        if used:
            chip.setText(self.tr("Including synonyms"))
            listed = "; ".join(f"{w} → {', '.join(s)}" for w, s in used.items())
            chip.setToolTip(self.tr("Also found through synonyms: %1. Click to search only the words as typed.").replace("%1", listed))
        else:
            chip.setText(self.tr("Synonyms off"))
            chip.setToolTip(self.tr("%1 also have synonyms. Click to include them.").replace("%1", "、".join(unexpanded)))
        chip.show()

    def _remove_term(self, term: Term) -> None:
        from app.search.query import parse

        new = parse(self.edit.text()).without(term).to_text()
        self.set_text(new)
        self.submitted.emit(new)

    def set_message(self, html: str) -> None:
        self.message.setText(html)
        self.message.setVisible(bool(html))

    def query(self) -> Query:
        from app.search.query import parse

        return parse(self.edit.text())

    # -- i18n
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.edit.setPlaceholderText(self.tr("Search services and the SCRA — e.g. オンデマンド 分野:公共交通"))
        self.edit.setToolTip(self.tr("Words, \"phrases\", field:value filters (分野 提供者 自治体 種別 機能 層 個人情報 タイプ), -word to exclude, OR"))
        self.hint.setText(self.tr("No conditions: showing the whole catalog"))
        for chip in self.chips:
            chip.retranslate_ui()
        self._update_partial()
        self._update_synonyms()
