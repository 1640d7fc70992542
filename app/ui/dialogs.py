"""About box and the settings dialog (language, zoom, high contrast — all applied live)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.ui.jp_text import keep_words
from app.ui.markdown_html import escape

DATA_SOURCES = (
    ("スマートシティリファレンスアーキテクチャ（内閣府）", "https://www8.cao.go.jp/cstp/society5_0/smartcity/sc-whitepaper.html"),
    ("デジタル田園都市国家構想 デジタル実装の優良事例（デジタル庁）", "https://www.digital.go.jp/"),
)


def about_html(meta: dict[str, str], stats: Any) -> str:
    """The About text: version, catalog build, counts and data sources."""
    rows = [
        (QCoreApplication.translate("About", "App version"), __version__),
        (QCoreApplication.translate("About", "Catalog built"), meta.get("built_at", "?")),
        (QCoreApplication.translate("About", "Catalog edition"), meta.get("edition_name") or meta.get("edition_id") or "?"),
        (QCoreApplication.translate("About", "Catalog version"), (meta.get("content_hash", "") or "?")[:12]),
        (QCoreApplication.translate("About", "Entries"), str(getattr(stats, "services", meta.get("services", "?")))),
        (QCoreApplication.translate("About", "Cited sources"), str(getattr(stats, "sources", "?"))),
        (QCoreApplication.translate("About", "Municipalities"), str(getattr(stats, "municipalities", "?"))),
    ]
    table = "".join(f"<tr><td style='padding-right:14px'>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows)
    sources = "".join(f"<li>{escape(name)}<br/><small>{escape(url)}</small></li>" for name, url in DATA_SOURCES)
    title = QCoreApplication.translate("About", "Machi Navi")
    blurb = QCoreApplication.translate("About", "Offline catalog of Japanese smart-city services, mapped onto the Smart City Reference Architecture.")
    heading = QCoreApplication.translate("About", "Data sources")
    note = QCoreApplication.translate("About", "Every entry lists its own sources; mappings marked Editorial are our own judgement.")
    return keep_words(f"<h2>{escape(title)}</h2><p>{escape(blurb)}</p><table>{table}</table>"
                      f"<p><b>{escape(heading)}</b></p><ul>{sources}</ul><p><small>{escape(note)}</small></p>")


def about_box(parent: QWidget, meta: dict[str, str], stats: Any) -> QMessageBox:
    """The About box (not shown yet)."""
    box = QMessageBox(QMessageBox.Icon.NoIcon, QCoreApplication.translate("About", "About Machi Navi"),
                      about_html(meta, stats), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("aboutBox")
    return box


def show_about(parent: QWidget, meta: dict[str, str], stats: Any) -> None:
    box = about_box(parent, meta, stats)
    box.exec()
    box.deleteLater()


class SettingsDialog(QDialog):
    """Language (ja/en), UI zoom, high contrast. Every change applies at once (no restart)."""

    languageChosen = Signal(str)
    zoomChosen = Signal(float)
    contrastChosen = Signal(bool)

    def __init__(self, lang: str, zoom: float, high_contrast: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.language = QComboBox()
        self.language.addItem("日本語", "ja")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if lang == "ja" else 1)
        self.language.currentIndexChanged.connect(lambda _i: self.languageChosen.emit(self.language.currentData()))
        self.zoom = QSpinBox()
        self.zoom.setRange(80, 200)
        self.zoom.setSingleStep(10)
        self.zoom.setSuffix(" %")
        self.zoom.setValue(round(zoom * 100))
        self.zoom.valueChanged.connect(lambda v: self.zoomChosen.emit(v / 100.0))
        self.contrast = QCheckBox()
        self.contrast.setChecked(high_contrast)
        self.contrast.toggled.connect(self.contrastChosen.emit)
        self.form = QFormLayout()
        self.lang_label, self.zoom_label, self.contrast_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.lang_label, self.language)
        self.form.addRow(self.zoom_label, self.zoom)
        self.form.addRow(self.contrast_label, self.contrast)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(buttons)
        self.retranslate_ui()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.lang_label.setText(self.tr("Language"))
        self.zoom_label.setText(self.tr("Text size"))
        self.contrast_label.setText(self.tr("High contrast"))
        self.contrast.setText(self.tr("Black background, bright text"))
