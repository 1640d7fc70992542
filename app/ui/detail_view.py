"""Detail pane: one catalog entry (or SCRA node) with facts, sanitised Markdown, mapping and sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.catalog.fields import BY_KEY, FACTS, fact_label
from app.ui.delegates import CardDelegate
from app.ui.detail_fit import FitListView, FitTextBrowser
from app.ui.detail_models import MAPPING_COLUMNS, SOURCE_COLUMNS, RowsModel
from app.ui.flow import FlowLayout
from app.ui.i18n import current_language, node_name, tr_args
from app.ui.jp_text import keep_words
from app.ui.markdown_html import escape, markdown_to_safe_html
from app.ui.theme import Theme, scaled_font

if TYPE_CHECKING:
    from app.catalog.store import CatalogDB

SAFE_SCHEMES = ("http", "https")


def open_external(url: str) -> bool:
    """Open an http(s) URL in the system browser (only ever called on an explicit user action)."""
    q = QUrl(url)
    if q.scheme().lower() not in SAFE_SCHEMES:
        return False
    return QDesktopServices.openUrl(q)


class DetailPane(QWidget):
    """Shows a service or an SCRA node. Emits requests; never changes the catalog or the query itself."""

    addToPlanRequested = Signal(list)   # [service_id]
    showInArchitectureRequested = Signal(str)  # service id
    filterByNodeRequested = Signal(str)  # node id
    statusMessage = Signal(str)
    townRequested = Signal(str)  # a municipality name was clicked (the window opens its page)

    def __init__(self, db: CatalogDB | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.current_id: str | None = None
        self.current_kind: str = ""
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 4, 8, 8)
        root.setSpacing(6)
        # one splitter child: the window keeps saving "detail" splitter state (app/ui/window_state.py)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("detailSplitter")
        self.splitter.addWidget(self._build_body(root))
        root.addWidget(self.splitter, 1)
        self.retranslate_ui()
        self.clear()

    def _build_header(self, root: QVBoxLayout) -> None:
        """Title, subtitle and the add / architecture buttons."""
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # catalog text: never markup
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.add_button = QPushButton()
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self._add_clicked)
        self.arch_button = QPushButton()
        self.arch_button.clicked.connect(self._arch_clicked)
        buttons = FlowLayout()  # wraps at large text sizes instead of squeezing the buttons
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.arch_button)
        root.addWidget(self.title)
        root.addWidget(self.subtitle)
        root.addLayout(buttons)

    def _build_body(self, root: QVBoxLayout) -> QScrollArea:
        """Facts and description, SCRA mapping cards and source cards, one under the other in the
        pane's one scroll area (each part as tall as its content: no scroll area inside another)."""
        self.body = FitTextBrowser()
        self.body.setObjectName("detailBody")
        self.body.setOpenLinks(False)
        self.body.setOpenExternalLinks(False)
        self.body.anchorClicked.connect(self._anchor_clicked)

        self.mapping_title = QLabel()
        self.mapping_title.setObjectName("sectionTitle")
        self.mapping_model = RowsModel("MappingModel", MAPPING_COLUMNS, self)
        self.mapping_view = self._list(self.mapping_model)
        self.mapping_view.doubleClicked.connect(self._mapping_activated)
        self.mapping_legend = QLabel()  # what the badges mean (each badge also has a tooltip)
        self.mapping_legend.setWordWrap(True)
        self.mapping_legend.setObjectName("badgeLegend")

        self.sources_title = QLabel()
        self.sources_title.setObjectName("sectionTitle")
        self.sources_model = RowsModel("SourcesModel", SOURCE_COLUMNS, self)
        self.sources_view = self._list(self.sources_model)
        self.sources_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.sources_view.customContextMenuRequested.connect(self._sources_menu)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_selected_url)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_selected_url)
        src_buttons = FlowLayout()
        src_buttons.addWidget(self.copy_button)
        src_buttons.addWidget(self.open_button)

        mapping_box = QWidget()
        lay = QVBoxLayout(mapping_box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.mapping_title)
        lay.addWidget(self.mapping_view)
        lay.addWidget(self.mapping_legend)
        content = QWidget()
        lay = QVBoxLayout(content)
        lay.setContentsMargins(0, 0, 4, 0)
        self._build_header(lay)
        lay.addWidget(self.body)
        lay.addWidget(mapping_box)
        lay.addWidget(self.sources_title)
        lay.addWidget(self.sources_view)
        lay.addLayout(src_buttons)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("detailScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        return scroll

    def _list(self, model: RowsModel) -> FitListView:
        view = FitListView()
        view.setModel(model)
        view.setItemDelegate(CardDelegate(view))
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setResizeMode(QListView.ResizeMode.Adjust)
        view.setUniformItemSizes(False)
        view.setWordWrap(True)
        return view

    # -- i18n
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.add_button.setText(self.tr("Add to plan"))
        self.add_button.setToolTip(self.tr("Add this service to the current plan (Enter)"))
        self.mapping_title.setText(self.tr("SCRA mapping"))
        self.mapping_legend.setText(keep_words(self.tr(
            "Entry: the entry itself states this mapping. Field default: the entry states none, so the "
            "field's usual mapping applies. Sourced / Editorial: the SCRA node is taken from a source, "
            "or is our own judgement.")))
        self.sources_title.setText(self.tr("Sources"))
        self.copy_button.setText(self.tr("Copy URL"))
        self.open_button.setText(self.tr("Open in browser"))
        self.open_button.setToolTip(self.tr("Open the selected source in the system web browser"))
        self.mapping_model.retranslate()
        self.sources_model.retranslate()
        self._update_arch_button()
        self.refresh()

    def _update_arch_button(self) -> None:
        if self.current_kind == "architecture":
            self.arch_button.setText(self.tr("Show services for this node"))
        else:
            self.arch_button.setText(self.tr("Show in architecture"))

    # -- content
    def refresh(self) -> None:
        """Show the current entry again (after a zoom, theme or language change)."""
        if self.current_id:
            self.show_entry(self.current_kind, self.current_id)
        else:
            self.clear()

    def clear(self) -> None:
        self.current_id = None
        self.current_kind = ""
        self.title.setFont(scaled_font(1.5, bold=True))
        self.title.setText(self.tr("No entry selected"))
        self.subtitle.setText(self.tr("Search, then pick a result to see its details here."))
        self.body.setHtml("")
        self.mapping_model.set_rows([])
        self.sources_model.set_rows([])
        for w in (self.add_button, self.arch_button, self.copy_button, self.open_button):
            w.setEnabled(False)

    def show_entry(self, kind: str, entry_id: str) -> bool:
        if kind == "architecture":
            return self.show_node(entry_id)
        return self.show_service(entry_id)

    def _badge(self, text: str, color: str, dashed: bool = False) -> str:
        style = "dashed" if dashed else "solid"
        return (f"<span style='color:{color}; border:1px {style} {color}; font-weight:600;'>"
                f"&nbsp;{escape(text)}&nbsp;</span>")

    def _badge_tip(self, from_entry: bool, sourced: bool) -> str:
        """What a mapping card's badges mean (the card's tooltip; the legend under the cards says it too)."""
        origin = (self.tr("Entry: the entry itself states this mapping.") if from_entry else
                  self.tr("Field default: the entry states no mapping; the field's usual mapping applies."))
        evidence = (self.tr("Sourced: the SCRA node is taken from a public source.") if sourced else
                    self.tr("Editorial: the SCRA node is our own judgement."))
        return f"{origin}\n{evidence}"

    def _provenance_text(self, provenance: str) -> str:
        return self.tr("Sourced") if provenance == "source" else self.tr("Editorial")

    def _facts_html(self, rows: list[tuple[str, str]]) -> str:
        c = Theme.colors()
        cells = "".join(
            f"<tr><td style='color:{c.muted}; padding:2px 14px 2px 0; white-space:nowrap;'>{escape(k)}</td>"
            f"<td style='padding:2px 0;'>{v}</td></tr>" for k, v in rows if v)
        return f"<table cellspacing='0' cellpadding='0'>{cells}</table>"

    def show_service(self, service_id: str) -> bool:
        svc = self.db.service(service_id)
        if svc is None:
            self.clear()
            return False
        self.current_id, self.current_kind = svc.id, "service"
        c = Theme.colors()
        nodes = self.db.nodes()
        self.title.setFont(scaled_font(1.5, bold=True))
        self.title.setText(keep_words(svc.name))  # wraps between words, never 「シ/ステム」
        self.subtitle.setText(keep_words(" · ".join(x for x in (svc.provider, svc.kind, svc.field_name) if x)))
        munis = "、".join(f"<a href='town:{quote(m)}'>{escape(m)}</a>" for m in svc.municipalities[:12])
        if len(svc.municipalities) > 12:
            munis += escape(tr_args(self.tr(" and %1 more"), len(svc.municipalities) - 12))
        facts = [
            (self.tr("Provider"), escape(svc.provider)),
            (self.tr("Pack"), self._badge(tr_args(self.tr("Pack: %1"), svc.publisher), c.accent) if svc.pack else ""),
            (self.tr("Field"), escape(svc.field_name)),
            (self.tr("Kind"), escape(svc.kind)),
            (self.tr("Municipalities"), munis or escape(self.tr("(none listed)"))),
            (self.tr("Personal data handled"), escape(svc.personal_data)),
            (self.tr("TYPE"), escape(svc.type_label) + (" — " + escape(self.tr("uses data linkage")) if svc.data_linkage else "")),
            (self.tr("Use fields"), escape("、".join(svc.use_fields))),
            (self.tr("Sectors"), escape("、".join(svc.sectors))),
            *((f.label(current_language()), escape(fact_label(f, svc.fact(f.key), svc.facts.get(f.detail, ""), current_language())))
              for f in FACTS),  # the registry's facts (開始年, LGWAN-ASP, …), 不明 when no source states them
        ]
        unconfirmed = ""
        if svc.unconfirmed:
            items = "".join(f"<li>{escape(u)}</li>" for u in svc.unconfirmed)
            heading = escape(self.tr("Not confirmed"))
            unconfirmed = f"<p style='color:{c.editorial};'><b>{heading}</b></p><ul>{items}</ul>"
        html = (f"{self._facts_html(facts)}<hr/>"
                f"<div>{markdown_to_safe_html(svc.description)}</div>{unconfirmed}")
        self.body.setHtml(html)
        rows = []
        for m in svc.scra:
            node = nodes.get(m.node)
            prov = node.provenance if node else "editorial"
            role = self.tr("Provides") if m.role == "provides" else self.tr("Uses")
            evidence = self._provenance_text(prov)
            origin = self.tr("Entry") if m.origin == "entry" else self.tr("Field default")
            name = node_name(node) if node else m.node
            rows.append({
                "id": m.node, "name": name, "role": role, "why": m.why, "evidence": evidence, "origin": origin,
                "name_tip": self._badge_tip(m.origin == "entry", prov == "source"),
                "card": {
                    "title": name,
                    "badges": [(role, c.accent if m.role == "provides" else c.muted, False),
                               (evidence, c.source if prov == "source" else c.editorial, prov != "source"),
                               (origin, c.text if m.origin == "entry" else c.muted, m.origin != "entry")],
                    "body": m.why,
                },
            })
        self.mapping_model.set_rows(rows)
        self.sources_model.set_rows([self._source_row(s.url, s.title, s.seen, s.took, s.supports) for s in svc.sources])
        self.mapping_view.parentWidget().setVisible(True)
        self._after_fill(True)
        return True

    def show_node(self, node_id: str) -> bool:
        node = self.db.nodes().get(node_id)
        if node is None:
            self.clear()
            return False
        self.current_id, self.current_kind = node.id, "architecture"
        c = Theme.colors()
        self.title.setFont(scaled_font(1.5, bold=True))
        self.title.setText(keep_words(node_name(node)))
        levels = {"context": self.tr("Context layer"), "group": self.tr("Function group"),
                  "block": self.tr("Function block"), "function": self.tr("Function")}
        edition = self.tr("SCRA 2nd edition") if node.edition == 2 else self.tr("SCRA 1st edition")
        self.subtitle.setText(f"{levels.get(node.level, node.level)} · {edition} · {node.id}")
        count = len(self.db.services_for_node(node.id)) if node.edition == 2 else 0
        prov = self._badge(self._provenance_text(node.provenance),
                           c.source if node.provenance == "source" else c.editorial, node.provenance != "source")
        parent = self.db.nodes().get(node.parent or "")
        facts = [
            (self.tr("Evidence"), prov),
            (self.tr("Part of"), escape(node_name(parent)) if parent else ""),
            (self.tr("Catalog entries"), escape(str(count)) if node.edition == 2 else ""),
            (self.tr("2nd-edition counterpart"), escape("、".join(node_name(self.db.nodes()[t]) for t in node.maps_to
                                                              if t in self.db.nodes()))),
            (self.tr("Source note"), escape(node.source_note)),
            (self.tr("Editorial rationale"), escape(node.rationale)),
        ]
        self.body.setHtml(f"{self._facts_html(facts)}<hr/><p>{escape(node.description)}</p>")
        self.mapping_model.set_rows([])
        self.mapping_view.parentWidget().setVisible(False)
        self.sources_model.set_rows([self._source_row(node.source_url, node.source_note, "", "")]
                                    if node.source_url else [])
        self._after_fill(False)
        return True

    @staticmethod
    def _source_row(url: str, title: str, seen: str, took: str, supports: tuple[str, ...] = ()) -> dict[str, Any]:
        host = QUrl(url).host() or url
        tip = "\n".join(x for x in (title, url, took) if x)
        seen_text = tr_args(QCoreApplication.translate("DetailPane", "Checked %1"), seen) if seen else ""
        meta = " · ".join(x for x in (host, seen_text) if x)
        # a badge per fact this source states (開始年, LGWAN-ASP …): which source backs which fact
        badges = [(BY_KEY[k].label(current_language()), Theme.colors().source, False) for k in supports if k in BY_KEY]
        return {"id": url, "url": url, "title": title or url, "title_tip": tip, "host": host, "host_tip": url, "seen": seen,
                "card": {"title": title or host, "badges": badges, "body": took, "meta": meta}}

    def _after_fill(self, is_service: bool) -> None:
        self.add_button.setEnabled(is_service)
        self.add_button.setVisible(is_service)
        self.arch_button.setEnabled(True)
        self._update_arch_button()
        has_src = self.sources_model.rowCount() > 0
        self.copy_button.setEnabled(has_src)
        self.open_button.setEnabled(has_src)
        if has_src:
            self.sources_view.setCurrentIndex(self.sources_model.index(0, 0))

    # -- actions
    def _add_clicked(self) -> None:
        if self.current_id and self.current_kind == "service":
            self.addToPlanRequested.emit([self.current_id])

    def _arch_clicked(self) -> None:
        if not self.current_id:
            return
        if self.current_kind == "architecture":
            self.filterByNodeRequested.emit(self.current_id)
        else:
            self.showInArchitectureRequested.emit(self.current_id)

    def _mapping_activated(self) -> None:
        row = self.mapping_view.currentIndex().row()
        node_id = self.mapping_model.row_data(row).get("id")
        if node_id:
            self.filterByNodeRequested.emit(node_id)

    def selected_url(self) -> str:
        idx = self.sources_view.currentIndex()
        return self.sources_model.row_data(idx.row()).get("url", "") if idx.isValid() else ""

    def copy_selected_url(self) -> None:
        url = self.selected_url()
        if url:
            QGuiApplication.clipboard().setText(url)
            self.statusMessage.emit(tr_args(self.tr("Copied %1"), url))

    def open_selected_url(self) -> None:
        url = self.selected_url()
        if url and open_external(url):
            self.statusMessage.emit(tr_args(self.tr("Opened %1 in the browser"), url))

    def _sources_menu(self, pos: QPoint) -> None:
        if not self.sources_view.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Copy URL"), self.copy_selected_url)
        menu.addAction(self.tr("Open in browser"), self.open_selected_url)
        menu.exec(self.sources_view.viewport().mapToGlobal(pos))

    def _anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("town:"):  # a municipality: its page (app/ui/town_page.py)
            self.townRequested.emit(unquote(text.removeprefix("town:")))
            return
        # A link inside the description: opening it is the user's explicit request; only http(s).
        if not open_external(url.toString()):
            self.statusMessage.emit(tr_args(self.tr("Link not opened: %1"), url.toString()))
