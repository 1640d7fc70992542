"""The GUI side of the error model (app.errors): dialogs instead of tracebacks.

- `install_excepthook()`: an exception escaping a Qt slot is logged with its traceback in the data
  folder and named in one dialog line; the app keeps running.
- `show_user_error()`: a UserError in the user's language, with the file and what to do.
- `restore_plans_from_backup()`: File → restore plans from a backup (rolling copies of plans.db).
"""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from app.errors import UserError, report_unexpected
from app.ui.i18n import current_language, tr_args


def _tr(text: str) -> str:
    return QCoreApplication.translate("UserErrors", text)


def user_error_text(exc: BaseException) -> str:
    """One message for any failure: a UserError's own text, else the logged one-liner."""
    if isinstance(exc, UserError):
        return exc.text(current_language())
    return report_unexpected(exc)


def show_user_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title or _tr("Machi Navi"), user_error_text(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # paths and catalog text: never markup
    box.exec()


def show_notices(parent: QWidget | None, notices: list[str]) -> None:
    """What happened while opening the user's data (a damaged plans.db salvaged, entries quarantined)."""
    if notices:
        box = QMessageBox(QMessageBox.Icon.Information, _tr("Machi Navi"), "\n\n".join(notices), QMessageBox.StandardButton.Ok, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()


def install_excepthook() -> None:
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        exc.__traceback__ = tb
        text = user_error_text(exc)
        app = QApplication.instance()
        if app is not None:
            QMessageBox.warning(QApplication.activeWindow(), _tr("Machi Navi"), text)
        else:
            print(text, file=sys.stderr)

    sys.excepthook = hook


def restore_plans_from_backup(parent: QWidget | None) -> bool:
    """Let the user pick a backup of plans.db and restore it (the current file is backed up first)."""
    from app import userdb

    backups = userdb.list_backups()
    if not backups:
        QMessageBox.information(parent, _tr("Restore plans"), _tr("There are no backups of your plans yet."))
        return False
    names = [b.name for b in backups]
    name, ok = QInputDialog.getItem(parent, _tr("Restore plans"), _tr("Restore your plans from this backup:"), names, 0, False)
    if not ok:
        return False
    chosen = backups[names.index(name)]
    try:
        safety = userdb.restore_backup(chosen)
    except Exception as exc:  # noqa: BLE001 - shown, never a traceback
        show_user_error(parent, exc, _tr("Restore plans"))
        return False
    QMessageBox.information(parent, _tr("Restore plans"),
                            tr_args(_tr("Your plans were restored from %1. The plans you had before are kept in %2."),
                                    chosen.name, safety.name))
    return True
