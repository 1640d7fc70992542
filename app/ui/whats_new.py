"""「この版の新着」 dialog: shown once after a catalog update (app.catalog.seen decides what is new).

Hooked into the start-up with one call (`schedule_whats_new`) so the main window needs no changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from app.ui.i18n import tr_args
from app.ui.markdown_html import escape, markdown_to_safe_html

if TYPE_CHECKING:
    from app.catalog.seen import WhatsNew

MAX_LISTED = 200  # per section; a first update after a long time may touch every entry


def whats_new_html(news: WhatsNew) -> str:
    """The dialog text: counts, the changelog section, then added / removed / changed entries."""
    d = news.diff
    counts = tr_args(QCoreApplication.translate("WhatsNew", "%1 added, %2 removed, %3 changed"),
                     len(d.added), len(d.removed), len(d.changed))
    parts = [f"<p><b>{escape(counts)}</b></p>"]
    if news.changelog:
        parts.append(markdown_to_safe_html(news.changelog))

    def entries(title: str, items: list[str]) -> None:
        if not items:
            return
        more = len(items) - MAX_LISTED
        tail = f"<li>… (+{more})</li>" if more > 0 else ""
        parts.append(f"<h3>{escape(title)}</h3><ul>{''.join(items[:MAX_LISTED])}{tail}</ul>")

    entries(QCoreApplication.translate("WhatsNew", "New entries"), [f"<li>{escape(e.name)} <small>[{escape(e.field)}]</small></li>" for e in d.added])
    entries(QCoreApplication.translate("WhatsNew", "Removed entries"), [f"<li>{escape(e.name)} <small>[{escape(e.field)}]</small></li>" for e in d.removed])
    entries(QCoreApplication.translate("WhatsNew", "Changed entries"), [
        f"<li>{escape(c.name)}: {escape('、'.join(f.label_ja for f in c.changes))}</li>" for c in d.changed])
    return "".join(parts)


class WhatsNewDialog(QDialog):
    def __init__(self, news: WhatsNew, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whatsNewDialog")
        self.setWindowTitle(QCoreApplication.translate("WhatsNew", "What's new in this edition"))
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        name = news.edition_name
        title = (tr_args(QCoreApplication.translate("WhatsNew", "What is new in %1"), name) if name
                 else QCoreApplication.translate("WhatsNew", "What is new in the catalog"))
        self.heading.setText(f"<h2>{escape(title)}</h2>")
        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        self.body.setHtml(whats_new_html(news))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.body)
        lay.addWidget(buttons)
        self.resize(640, 520)


def maybe_show_whats_new(parent: QWidget | None, db_path: Path, seen_file: Path, catalog_root: Path) -> WhatsNewDialog | None:
    """Open the dialog (non-modal) if the catalog changed since the user last saw it; the current
    catalog is then remembered as seen. Any error here must not disturb the start-up."""
    from app.catalog.seen import check_whats_new, mark_seen

    try:
        news = check_whats_new(db_path, seen_file, catalog_root)
        if news is None:
            return None
        mark_seen(db_path, seen_file)
    except (OSError, ValueError, LookupError):
        return None
    except Exception as exc:  # noqa: BLE001 - sqlite3 errors from an unreadable catalog.db
        if type(exc).__module__ != "sqlite3":
            raise
        return None
    dlg = WhatsNewDialog(news, parent)
    dlg.show()
    return dlg


def schedule_whats_new(parent: QWidget, delay_ms: int = 800) -> None:
    """The start-up hook: a moment after the catalog opened, show what is new (if anything)."""
    from app import paths
    from app.catalog.seen import seen_path

    QTimer.singleShot(delay_ms, lambda: maybe_show_whats_new(
        parent, paths.catalog_db_path(), seen_path(paths.user_dir()), paths.bundled_catalog_dir()))
