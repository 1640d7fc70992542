"""File → 「カタログパック」: the installed catalog packs, import one from a file, remove one.

The domain does the work (app.catalog.packs: verify, validate, install atomically); this dialog
only asks. An intact pack that is unsigned or signed by a key the user has not trusted is imported
only after the user confirms it, as `pack import --trust` does; a damaged or tampered one is refused.
`changed` is emitted after an import or a removal: the window then rebuilds catalog.db.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.column_fit import ColumnFitter
from app.ui.detail_models import RowsModel
from app.ui.i18n import current_language, tr_args
from app.ui.jp_text import keep_words
from app.ui.models import IdRole

PACK_COLUMNS = (("name", QT_TRANSLATE_NOOP("PacksDialog", "Pack")),
                ("publisher", QT_TRANSLATE_NOOP("PacksDialog", "Publisher")),
                ("edition", QT_TRANSLATE_NOOP("PacksDialog", "Edition")),
                ("date", QT_TRANSLATE_NOOP("PacksDialog", "Date")),
                ("entries", QT_TRANSLATE_NOOP("PacksDialog", "Pack entries")),
                ("key", QT_TRANSLATE_NOOP("PacksDialog", "Key")))

KEY_COLUMNS = (("key_id", QT_TRANSLATE_NOOP("PacksDialog", "Key")),
               ("label", QT_TRANSLATE_NOOP("PacksDialog", "Whose key")),
               ("added", QT_TRANSLATE_NOOP("PacksDialog", "Added")))

Ask = Callable[[str], bool]  # a yes/no question to the user
Tell = Callable[[BaseException], None]  # show an error


def _fit_columns(table: QTableView, priority: list[int], widths: dict[int, tuple[float, float]]) -> ColumnFitter:
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    return ColumnFitter(table, priority, widths, priority[0])


class PacksDialog(QDialog):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, ask: Ask | None = None, tell: Tell | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packsDialog")
        self._fit_size()
        self._ask = ask or self._ask_box
        self._tell = tell or self._tell_box
        self.model = RowsModel("PacksDialog", PACK_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # widths in em; at large text the columns that do not fit hide before a header is cut
        self.table_fit = _fit_columns(self.table, [0, 1, 4, 3, 2, 5], {0: (6, 14), 1: (6, 12), 2: (4, 8), 3: (4, 7), 4: (4, 6),
                                                                       5: (6, 14)})
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.import_button = QPushButton()
        self.remove_button = QPushButton()
        self.import_button.clicked.connect(lambda: self._choose_and_import())
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._build_keys(layout)
        layout.addWidget(close)
        self.retranslate_ui()
        self.refresh()

    def _build_keys(self, layout: QVBoxLayout) -> None:
        """Trusted publisher keys: a pack signed by one of them imports without a question."""
        self.keys_label = QLabel()
        self.keys_model = RowsModel("PacksDialog", KEY_COLUMNS, self)
        self.keys_table = QTableView()
        self.keys_table.setModel(self.keys_model)
        self.keys_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.keys_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.keys_fit = _fit_columns(self.keys_table, [0, 1, 2], {0: (8, 20), 1: (6, 12), 2: (4, 8)})
        self.trust_button = QPushButton()
        self.untrust_button = QPushButton()
        self.trust_button.clicked.connect(lambda: self._enter_key())
        self.untrust_button.clicked.connect(lambda: self.untrust_selected())
        row = QHBoxLayout()
        row.addWidget(self.trust_button)
        row.addWidget(self.untrust_button)
        row.addStretch(1)
        layout.addWidget(self.keys_label)
        layout.addWidget(self.keys_table)
        layout.addLayout(row)

    def _fit_size(self) -> None:
        """760×360 at 100 %; in ems and lines at larger text, within the main window (or the screen)."""
        fm = self.fontMetrics()
        width, height = max(760, 44 * fm.horizontalAdvance("あ")), max(360, 22 * fm.lineSpacing())
        parent = self.parentWidget()
        room = parent.window().size() if parent is not None else self.screen().availableGeometry().size()
        width, height = min(width, room.width() - 40), min(height, room.height() - 40)
        self.resize(width, height)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Catalog packs"))
        self.intro.setText(keep_words(self.tr("Entries published by a prefecture or a vendor as a signed pack. "
                                              "They are kept apart from the bundled catalog and can be removed at any time.")))
        self.import_button.setText(self.tr("Import a pack…"))
        self.remove_button.setText(self.tr("Remove pack"))
        self.keys_label.setText(self.tr("Trusted publisher keys (check a key with its publisher before you add it):"))
        self.trust_button.setText(self.tr("Add a key…"))
        self.untrust_button.setText(self.tr("Stop trusting"))
        self.model.retranslate()
        self.keys_model.retranslate()

    def refresh(self) -> None:
        from app.catalog.packstore import installed_packs

        rows = [{"id": p.name, "name": p.name, "publisher": p.publisher, "edition": p.edition, "date": p.date,
                 "entries": str(len(p.entry_ids)),
                 "key": p.key_id if p.verified else tr_args(self.tr("%1 (confirmed by you)"), p.key_id or self.tr("unsigned"))}
                for p in installed_packs()]
        self.model.set_rows(rows)
        self.remove_button.setEnabled(bool(rows))
        if rows:
            self.table.selectRow(0)
        self.refresh_keys()

    def refresh_keys(self) -> None:
        from app.catalog.packstore import trusted_keys
        from app.errors import UserError

        try:
            keys = trusted_keys()
        except UserError as exc:
            keys = []
            self._tell(exc)
        self.keys_model.set_rows([{"id": k.key_id, "key_id": k.key_id, "key_id_tip": k.public_key, "label": k.label, "added": k.added}
                                  for k in keys])
        self.untrust_button.setEnabled(bool(keys))
        if keys:
            self.keys_table.selectRow(0)

    def _enter_key(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        key, ok = QInputDialog.getText(self, self.tr("Add a key"), self.tr("Public key (as the publisher gave it):"))
        if ok and key.strip():
            label, _ = QInputDialog.getText(self, self.tr("Add a key"), self.tr("Whose key is it?"))
            self.trust(key, label)

    def _attempt(self, action: Callable[[], object], packs_changed: bool = True) -> bool:
        """Run `action`; a refusal or disk error is told to the user. False if it failed or `action`
        returned False (the user said no); on success the lists are refreshed."""
        from app.errors import UserError, from_os_error

        try:
            if action() is False:
                return False
        except (UserError, OSError) as exc:
            self._tell(from_os_error(exc) if isinstance(exc, OSError) else exc)
            return False
        if packs_changed:
            self.refresh()
            self.changed.emit()
        else:
            self.refresh_keys()
        return True

    def trust(self, key: str, label: str = "") -> bool:
        from app.catalog.packs import trust_key

        return self._attempt(lambda: trust_key(key.strip(), label), packs_changed=False)

    def untrust_selected(self) -> bool:
        from app.catalog.packs import untrust_key

        rows = self.keys_table.selectionModel().selectedRows()
        if not rows:
            return False
        return self._attempt(lambda: untrust_key(str(rows[0].data(IdRole))), packs_changed=False)

    def selected_name(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return str(rows[0].data(IdRole)) if rows else ""

    def _choose_and_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a pack"), "", self.tr("Catalog packs (*.zip)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> bool:
        """Import `path`; an unsigned or untrusted pack only after the user says yes. True if installed."""
        from app.catalog.packs import PackNeedsTrust, import_pack

        def install() -> bool:
            try:
                import_pack(path)
            except PackNeedsTrust as exc:
                question = tr_args(self.tr("%1\n\nImport it anyway? Only do so if you know who made this pack."),
                                   exc.text(current_language()))
                if not self._ask(question):
                    return False
                import_pack(path, trust=True)
            return True
        return self._attempt(install)

    def remove_selected(self) -> bool:
        from app.catalog.packs import remove_pack

        name = self.selected_name()
        if not name or not self._ask(tr_args(self.tr("Remove the pack %1 and its entries? Plans keep them, shown as missing."), name)):
            return False
        return self._attempt(lambda: remove_pack(name))

    def _ask_box(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Catalog packs"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _tell_box(self, exc: BaseException) -> None:
        from app.ui.user_errors import show_user_error

        show_user_error(self, exc, self.tr("Catalog packs"))


def open_packs_dialog(window: QWidget, rebuild: Callable[[], None]) -> None:
    dialog = PacksDialog(window)
    dialog.changed.connect(rebuild)
    dialog.exec()
    dialog.deleteLater()
