"""UI language (Qt Linguist .qm files) and the ini-file QSettings used for window state.

Source strings are English; Japanese comes from resources/translations/machinavi_ja.qm.
Japanese is the default. Installing a translator makes Qt send LanguageChange to every
widget, which retranslates itself (changeEvent → retranslate_ui).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from app import paths

LANGUAGES: tuple[str, ...] = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
_SETTING_KEY = "ui.language"

_installed: list[QTranslator] = []
_current = {"lang": DEFAULT_LANGUAGE}


def settings() -> QSettings:
    """Window geometry, splitters, last query, zoom: an ini file in the user data dir (never the registry)."""
    return QSettings(str(paths.user_dir() / "machinavi-ui.ini"), QSettings.Format.IniFormat)


def saved_language() -> str:
    """The language saved in the user's settings (plans.db), else Japanese."""
    try:
        from app import userdb

        conn = userdb.connect()
        try:
            lang = userdb.get_setting(conn, _SETTING_KEY, DEFAULT_LANGUAGE)
        finally:
            conn.close()
    except Exception:  # noqa: BLE001 - a broken user db must not stop the UI from starting
        return DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def save_language(lang: str) -> None:
    from app import userdb

    conn = userdb.connect()
    try:
        userdb.set_setting(conn, _SETTING_KEY, lang)
    finally:
        conn.close()


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


def localized(ja: str, en: str) -> str:
    """Catalog data with a Japanese and an English variant: the one for the current UI language, else the other."""
    ja, en = ja or "", en or ""
    return (en or ja) if current_language() == "en" else (ja or en)


def node_name(node: object) -> str:
    """Display name of an SCRA node (ArchNode, or anything with name_ja/name_en) in the current UI language."""
    return localized(getattr(node, "name_ja", ""), getattr(node, "name_en", ""))
