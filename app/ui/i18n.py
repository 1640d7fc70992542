"""UI language (Qt Linguist .qm files), translation helpers and the saved language.

Source strings are English; Japanese comes from resources/translations/machinavi_ja.qm.
Japanese is the default. Installing a translator makes Qt send LanguageChange to every
widget, which retranslates itself (changeEvent → retranslate_ui).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app import paths
from app.ui import settings as _settings

LANGUAGES: tuple[str, ...] = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
_ARG = re.compile(r"%([1-9])")

_installed: list[QTranslator] = []
_current = {"lang": DEFAULT_LANGUAGE}


def saved_language() -> str:
    """The language saved in the user's settings, else Japanese."""
    try:
        lang = _settings.store().language()
    except Exception:  # noqa: BLE001 - unreadable settings must not stop the UI from starting
        return DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def save_language(lang: str) -> None:
    _settings.store().set_language(lang)


def current_language() -> str:
    return _current["lang"]


def translations_dir() -> str:
    return str(paths.resources_dir() / "translations")


def install_language(lang: str) -> bool:
    """Switch the running application to `lang` ('ja' or 'en'); returns False if no .qm was found."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_language needs a QApplication")
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    for tr in _installed:
        QCoreApplication.removeTranslator(tr)
    _installed.clear()
    ok = True
    if lang != "en":
        ours = QTranslator(app)
        ok = ours.load(f"machinavi_{lang}", translations_dir())
        if ok:
            _installed.append(ours)
        qt = QTranslator(app)  # Qt's own strings (standard buttons, dialogs)
        if qt.load(QLocale(lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            _installed.append(qt)
    QLocale.setDefault(QLocale(QLocale.Language.Japanese if lang == "ja" else QLocale.Language.English))
    _current["lang"] = lang
    for tr in _installed:
        QCoreApplication.installTranslator(tr)
    return ok  # installing/removing translators posts LanguageChange to every widget


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def tr_args(text: str, *args: object) -> str:
    """Fill the markers %1 … %9 of an (already translated) text with `args`, in one pass.

    Unlike chained str.replace, a value that itself contains "%2" is left alone, and a
    translation may reorder the markers. A marker without an argument stays as it is.
    """
    def fill(m: re.Match[str]) -> str:
        i = int(m.group(1)) - 1
        return str(args[i]) if i < len(args) else m.group(0)

    return _ARG.sub(fill, text)


_lookups: dict[str, QTranslator] = {}


def translate_to(lang: str, context: str, text: str) -> str:
    """`text` in `lang` whatever the UI language is now (the command palette matches both languages)."""
    if lang == "en":
        return text
    tr = _lookups.get(lang)
    if tr is None:
        tr = _lookups[lang] = QTranslator()
        tr.load(f"machinavi_{lang}", translations_dir())
    return tr.translate(context, text) or text


def localized(ja: str, en: str) -> str:
    """Catalog data with a Japanese and an English variant: the one for the current UI language, else the other."""
    ja, en = ja or "", en or ""
    return (en or ja) if current_language() == "en" else (ja or en)


def node_name(node: object) -> str:
    """Display name of an SCRA node (ArchNode, or anything with name_ja/name_en) in the current UI language."""
    return localized(getattr(node, "name_ja", ""), getattr(node, "name_en", ""))


def one_language(message: str, lang: str | None = None) -> str:
    """The search engine's notes ("日本語 / English", one a line) in one language: the UI's."""
    lang = lang or current_language()
    out = []
    for line in message.splitlines():
        ja, sep, en = line.partition(" / ")
        out.append(en if sep and lang == "en" else ja)
    return "\n".join(x for x in out if x)
