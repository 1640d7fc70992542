; まちナビ (Machi Navi) — Windows installer (NSIS 3, Modern UI 2).
;
; Per-user install without administrator rights into %LOCALAPPDATA%\Programs\MachiNavi, Start-menu
; shortcut and optional desktop shortcut (components page), Japanese and English UI. The uninstaller
; keeps the user's plans and settings (%LOCALAPPDATA%\MachiNavi) unless the user ticks the box.
;
;   makensis /DVERSION=0.1.0 /DDIST_DIR=..\..\dist\MachiNavi packaging\windows\installer.nsi
;
; Defines (all optional): VERSION (x.y.z), VERSION_QUAD (x.y.z.w), DIST_DIR (the PyInstaller onedir
; folder), OUT_DIR (where the setup .exe goes), ICON, NOCOMPRESS (fast test builds).
; Relative paths are relative to this file's folder. CI compiles this script on Linux against the
; Linux bundle (tests/e2e/test_bundle.py) to catch script errors; real installers come from
; packaging/windows/build.ps1 on Windows.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef VERSION_QUAD
  !define VERSION_QUAD "${VERSION}.0"
!endif
!ifndef DIST_DIR
  !define DIST_DIR "..\..\dist\MachiNavi"
!endif
!ifndef OUT_DIR
  !define OUT_DIR "..\..\dist"
!endif
!ifndef ICON
  !define ICON "..\..\resources\icons\app.ico"
!endif

!define APP_ID "MachiNavi"
!define APP_EXE "MachiNavi.exe"
!define CLI_EXE "machi-navi.exe"
!define SHORTCUT "まちナビ (Machi Navi).lnk"
!define PUBLISHER "Machi Navi project"
!define REG_APP "Software\${APP_ID}"
!define REG_UNINST "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define USER_DATA "$LOCALAPPDATA\${APP_ID}"  ; platformdirs.user_data_dir("MachiNavi") — see app/paths.py

!ifdef NOCOMPRESS
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

Name "$(APP_TITLE)"
OutFile "${OUT_DIR}\${APP_ID}-${VERSION}-setup.exe"
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${REG_APP}" "InstallDir"
BrandingText "$(APP_TITLE) ${VERSION}"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

; ------------------------------------------------------------------------------------------------
; Interface and pages

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC
!define MUI_LANGDLL_REGISTRY_ROOT "HKCU"
!define MUI_LANGDLL_REGISTRY_KEY "${REG_APP}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default when the system language is neither.
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString APP_TITLE ${LANG_JAPANESE} "まちナビ"
LangString APP_TITLE ${LANG_ENGLISH} "Machi Navi"
LangString SEC_APP ${LANG_JAPANESE} "まちナビ本体"
LangString SEC_APP ${LANG_ENGLISH} "Machi Navi"
LangString SEC_APP_DESC ${LANG_JAPANESE} "アプリ本体、カタログと検索索引（必須）。"
LangString SEC_APP_DESC ${LANG_ENGLISH} "The application, its catalog and search index (required)."
LangString SEC_START ${LANG_JAPANESE} "スタートメニューのショートカット"
LangString SEC_START ${LANG_ENGLISH} "Start menu shortcut"
LangString SEC_START_DESC ${LANG_JAPANESE} "スタートメニューにまちナビを追加します。"
LangString SEC_START_DESC ${LANG_ENGLISH} "Adds Machi Navi to the Start menu."
LangString SEC_DESKTOP ${LANG_JAPANESE} "デスクトップのショートカット"
LangString SEC_DESKTOP ${LANG_ENGLISH} "Desktop shortcut"
LangString SEC_DESKTOP_DESC ${LANG_JAPANESE} "デスクトップにまちナビのアイコンを置きます。"
LangString SEC_DESKTOP_DESC ${LANG_ENGLISH} "Puts a Machi Navi icon on the desktop."
LangString UNSEC_DATA ${LANG_JAPANESE} "計画と設定も削除する"
LangString UNSEC_DATA ${LANG_ENGLISH} "Also remove my plans and settings"
LangString UNSEC_DATA_DESC ${LANG_JAPANESE} "作成した計画・保存した検索・取り込んだ独自項目・設定（${USER_DATA}）を削除します。チェックしなければ残り、再インストール後もそのまま使えます。"
LangString UNSEC_DATA_DESC ${LANG_ENGLISH} "Deletes your plans, saved searches, imported local entries and settings (${USER_DATA}). Leave unticked to keep them for a later reinstall."

VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "Machi Navi"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "Machi Navi installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "MIT License"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "ProductName" "まちナビ"
VIAddVersionKey /LANG=${LANG_JAPANESE} "FileDescription" "まちナビ インストーラー"
VIAddVersionKey /LANG=${LANG_JAPANESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "LegalCopyright" "MIT License"
VIAddVersionKey /LANG=${LANG_JAPANESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "ProductVersion" "${VERSION}"

; ------------------------------------------------------------------------------------------------
; Install

Function .onInit
  SetShellVarContext current
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "!$(SEC_APP)" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the previous bundle completely (only our own sub-folder is removed).
  RMDir /r "$INSTDIR\_internal"
  File /r "${DIST_DIR}\*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  WriteRegStr HKCU "${REG_APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${REG_UNINST}" "DisplayName" "$(APP_TITLE)"
  WriteRegStr HKCU "${REG_UNINST}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${REG_UNINST}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${REG_UNINST}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${REG_UNINST}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${REG_UNINST}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${REG_UNINST}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${REG_UNINST}" "NoModify" 1
  WriteRegDWORD HKCU "${REG_UNINST}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${REG_UNINST}" "EstimatedSize" "$0"
SectionEnd

Section "$(SEC_START)" SecStart
  CreateShortcut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

Section /o "$(SEC_DESKTOP)" SecDesktop
  CreateShortcut "$DESKTOP\${SHORTCUT}" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} $(SEC_APP_DESC)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecStart} $(SEC_START_DESC)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} $(SEC_DESKTOP_DESC)
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; ------------------------------------------------------------------------------------------------
; Uninstall: program files and shortcuts always; the user data folder only when ticked (off by
; default, and off in a silent /S uninstall unless /REMOVEDATA is given).

Section "-un.Program"
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"  ; only if empty: never delete files we did not install
  DeleteRegKey HKCU "${REG_UNINST}"
  DeleteRegKey HKCU "${REG_APP}"
SectionEnd

Section /o "un.$(UNSEC_DATA)" UnSecData
  RMDir /r "${USER_DATA}"
SectionEnd

Function un.onInit
  SetShellVarContext current
  !insertmacro MUI_UNGETLANGUAGE
  ; `Uninstall.exe /S /REMOVEDATA`: the removal option without the dialog (IT departments, tests)
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    SectionSetFlags ${UnSecData} ${SF_SELECTED}
  ${EndIf}
FunctionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} $(UNSEC_DATA_DESC)
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
