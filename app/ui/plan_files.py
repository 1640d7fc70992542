"""「計画を書き出す / 読み込む」: a plan as a .machiplan file (app.plan.planfile), from the Plan menu
or by dropping .machiplan files onto the main window. Strings: the "PlanFiles" context."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.errors import UserError
from app.ui.i18n import tr_args
from app.ui.user_errors import show_user_error

if TYPE_CHECKING:  # the plan modules load with the plan tab, after the first paint
    from app.plan.planfile import ImportResult

SUFFIX = ".machiplan"  # app.plan.planfile.SUFFIX (not imported here: the window's first paint needs no plan code)


translate = QCoreApplication.translate


def _filter() -> str:
    return translate("PlanFiles", "Machi Navi plan") + f" (*{SUFFIX})"


def _parts(window: Any) -> tuple[Any, Any, Any]:
    """The window's plan pane, plan store and catalog (store or catalog None while loading)."""
    pane = window.plans
    return pane, pane.store, getattr(window, "db", None)


def _status(window: Any, message: str) -> None:
    if hasattr(window, "show_status"):
        window.show_status(message, 6000)


def export_plan_file(window: Any, path: Path | None = None) -> Path | None:
    """Write the current plan to a .machiplan file (asks where unless `path` is given)."""
    pane, store, db = _parts(window)
    plan = pane.current_plan() if store is not None and db is not None else ""
    if not plan:
        _status(window, translate("PlanFiles", "There is no plan to export yet."))
        return None
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(window, translate("PlanFiles", "Export plan"), str(Path.home() / f"{plan}{SUFFIX}"), _filter())
        if not chosen:
            return None
        path = Path(chosen) if chosen.lower().endswith(SUFFIX) else Path(chosen + SUFFIX)
    from app.plan.planfile import export_machiplan
    from app.plan.plans import PlanError

    try:
        written = export_machiplan(store, db, plan, path)
    except (UserError, PlanError, OSError) as exc:
        show_user_error(window, _as_user_error(exc, path), translate("PlanFiles", "Export plan"))
        return None
    _status(window, tr_args(translate("PlanFiles", "Exported “%1” to %2"), plan, written))
    return written


def _as_user_error(exc: BaseException, path: Path) -> BaseException:
    if isinstance(exc, ValueError):  # a PlanError
        return UserError(str(exc), str(exc), path)
    if isinstance(exc, OSError):
        from app.errors import from_os_error

        return from_os_error(exc, path)
    return exc


def summary(res: ImportResult) -> str:
    """What an import did, for the dialog: the name used, counts, the entries this catalog lacks."""
    lines = [tr_args(translate("PlanFiles", "Imported the plan “%1”: %2 services, %3 answers."), res.name, res.entries, res.answers)]
    if res.renamed:
        lines.append(tr_args(translate("PlanFiles", "A plan named “%1” already exists, so the imported plan was named “%2”."), res.file_name, res.name))
    if res.missing:
        lines.append(tr_args(translate("PlanFiles", "%1 services are not in this catalog; they are kept in the plan and marked as missing:"),
                             len(res.missing)))
        lines += [f"  {sid}  {name}" for sid, name in res.missing[:20]]
        if len(res.missing) > 20:
            lines.append("  …")
    if res.file_edition and res.local_edition and res.file_edition != res.local_edition:
        lines.append(tr_args(translate("PlanFiles", "Exported from catalog edition %1; this catalog is %2."), res.file_edition, res.local_edition))
    return "\n".join(lines)


def import_plan_files(window: Any, paths: list[Path] | None = None) -> list[ImportResult]:
    """Import .machiplan files as new plans (asks which unless `paths` is given); a bad file is named
    in a dialog and changes nothing. The last imported plan becomes the current one."""
    pane, store, db = _parts(window)
    if store is None or db is None:
        _status(window, translate("PlanFiles", "Plans are not available yet."))
        return []
    if paths is None:
        chosen, _ = QFileDialog.getOpenFileNames(window, translate("PlanFiles", "Import plan"), str(Path.home()), _filter())
        paths = [Path(p) for p in chosen]
    from app.plan.planfile import import_machiplan
    from app.plan.plans import PlanError

    done: list[ImportResult] = []
    for path in paths:
        try:
            done.append(import_machiplan(store, db, path))
        except (UserError, PlanError, OSError) as exc:
            show_user_error(window, _as_user_error(exc, path), translate("PlanFiles", "Import plan"))
    if done:
        pane.refresh()
        pane.use_plan(done[-1].name)
        _status(window, tr_args(translate("PlanFiles", "Imported “%1”"), done[-1].name))
        box = QMessageBox(QMessageBox.Icon.Information, translate("PlanFiles", "Import plan"), "\n\n".join(summary(r) for r in done),
                          QMessageBox.StandardButton.Ok, window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # names come from a file: never markup
        box.exec()
    return done


def plan_file_paths(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    """The local .machiplan files a drag carries ([] when it carries anything else too)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    ok = paths and len(paths) == len(mime.urls()) and all(p.suffix.lower() == SUFFIX for p in paths)
    return paths if ok else []


class PlanFileDrop(QObject):
    """Dropping .machiplan files onto the main window imports them (installed on the window)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        et = event.type()
        if et in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            ev: QDropEvent = event  # type: ignore[assignment]
            paths = plan_file_paths(ev)
            if not paths:
                return False
            ev.acceptProposedAction()
            if et == QEvent.Type.Drop:
                import_plan_files(self.window, paths)
            return True
        return False
