#!/bin/sh
# Put Rapport in your applications menu (for you only, no administrator rights needed):
#   ./install-desktop-entry.sh              add the menu entry and icons
#   ./install-desktop-entry.sh --uninstall  remove them again
# Run it from the unpacked rapport folder; run it again after moving that folder.
set -eu

app_id=app.rapport.Rapport
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
sizes="16 24 32 48 64 128 256"

refresh_menus() {
  # Desktops notice new entries by themselves; these caches only make it quicker.
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f "$data/icons/hicolor" 2>/dev/null || true
  fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$data/applications/$app_id.desktop" "$data/metainfo/$app_id.metainfo.xml" \
    "$data/icons/hicolor/scalable/apps/$app_id.svg"
  for size in $sizes; do
    rm -f "$data/icons/hicolor/${size}x${size}/apps/$app_id.png"
  done
  refresh_menus
  echo "Rapport is no longer in your applications menu. Your data is kept."
  exit 0
fi
if [ $# -gt 0 ]; then
  echo "usage: $0 [--uninstall]" >&2
  exit 2
fi

program=$here/rapport
if [ ! -x "$program" ]; then
  echo "install-desktop-entry.sh: $program is missing; run this script from the unpacked" \
    "rapport folder." >&2
  exit 2
fi
case $program in
  *'"'* | *'`'* | *'$'* | *'\'*)
    echo "install-desktop-entry.sh: the folder path $here contains one of \" \` \$ \\," \
      "which a menu entry cannot hold; move the rapport folder elsewhere and run this again." >&2
    exit 2
    ;;
esac
# A desktop entry's Exec= takes a quoted path with % doubled.
exec_path=$(printf '%s' "$program" | sed 's/%/%%/g')

mkdir -p "$data/applications" "$data/metainfo" "$data/icons/hicolor/scalable/apps"
awk -v exec_line="Exec=\"$exec_path\"" -v try_line="TryExec=$program" '
  /^Exec=/ { print try_line; print exec_line; next }
  /^TryExec=/ { next }
  { print }
' "$here/share/applications/$app_id.desktop" >"$data/applications/$app_id.desktop.new"
mv "$data/applications/$app_id.desktop.new" "$data/applications/$app_id.desktop"
cp "$here/share/metainfo/$app_id.metainfo.xml" "$data/metainfo/"
cp "$here/share/icons/hicolor/scalable/apps/$app_id.svg" "$data/icons/hicolor/scalable/apps/"
for size in $sizes; do
  mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
  cp "$here/share/icons/hicolor/${size}x${size}/apps/$app_id.png" \
    "$data/icons/hicolor/${size}x${size}/apps/"
done
refresh_menus
echo "Rapport is in your applications menu (entry: $data/applications/$app_id.desktop)."
