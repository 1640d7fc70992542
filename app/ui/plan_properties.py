"""The plan's report properties dialog: the municipality and author a report's cover names, and
whether reports date themselves in the Japanese era (令和; a user setting, not a plan property)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QMessageBox, QWidget

from app.plan.plans import MAX_NAME, PlanError, PlanStore
from app.ui import settings

translate = QCoreApplication.translate


class PlanPropertiesDialog(QDialog):
    """Municipality, author (stored with the plan) and the era-date setting. Context "PlanProperties"."""

    def __init__(self, store: PlanStore, plan: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.plan = store, plan
        info = store.info(plan)
        self.setWindowTitle(translate("PlanProperties", "Report properties"))
        form = QFormLayout(self)
        self.municipality = QLineEdit(info.municipality)
        self.municipality.setObjectName("planMunicipality")
        self.municipality.setPlaceholderText(translate("PlanProperties", "e.g. Toyoake City, Aichi"))
        self.author = QLineEdit(info.author)
        self.author.setObjectName("planAuthor")
        self.author.setPlaceholderText(translate("PlanProperties", "Officer or section"))
        for edit in (self.municipality, self.author):
            edit.setMaxLength(MAX_NAME)
        self.era = QCheckBox(translate("PlanProperties", "Date reports in the Japanese era (Reiwa)"))
        self.era.setObjectName("reportEra")
        self.era.setChecked(settings.store().report_era())
        form.addRow(translate("PlanProperties", "Municipality:"), self.municipality)
        form.addRow(translate("PlanProperties", "Author:"), self.author)
        form.addRow("", self.era)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> bool:
        """Store the properties; on a bad value say so and keep the dialog open."""
        try:
            self.store.set_properties(self.plan, municipality=self.municipality.text(), author=self.author.text())
        except PlanError as exc:
            QMessageBox.warning(self, translate("PlanProperties", "Report properties"), str(exc))
            return False
        settings.store().set_report_era(self.era.isChecked())
        self.accept()
        return True
