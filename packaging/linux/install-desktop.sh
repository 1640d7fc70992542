#!/usr/bin/env bash
# Install a freedesktop menu entry and icon for the current user (./dev run --install-desktop):
#   packaging/linux/install-desktop.sh /abs/path/to/.venv/bin/machi-navi
# Writes $XDG_DATA_HOME (default ~/.local/share)/applications/machi-navi.desktop and
# icons/hicolor/256x256/apps/machi-navi.png; validates the entry when desktop-file-validate exists.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exe=${1:?usage: install-desktop.sh /abs/path/to/machi-navi}
case "$exe" in /*) ;; *) echo "install-desktop: need an absolute path, not $exe" >&2; exit 2 ;; esac
case "$exe" in *[\"\`\$\\]*) echo "install-desktop: the path must not contain \" \` \$ or \\: $exe" >&2; exit 2 ;; esac
[ -x "$exe" ] || { echo "install-desktop: $exe is not executable (run ./dev run once first)" >&2; exit 1; }
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps="$data/applications"
icons="$data/icons/hicolor/256x256/apps"
mkdir -p "$apps" "$icons"
cp "$here/../../resources/icons/app.png" "$icons/machi-navi.png"
# Exec: quoted, so a path with spaces stays one argument (Desktop Entry spec, "The Exec key")
sed "s|@EXEC@|\"${exe//|/\\|}\"|" "$here/machi-navi.desktop.in" > "$apps/machi-navi.desktop.tmp"
mv "$apps/machi-navi.desktop.tmp" "$apps/machi-navi.desktop"
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$apps/machi-navi.desktop"
fi
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
echo "installed $apps/machi-navi.desktop (Exec: $exe) and $icons/machi-navi.png"
