#!/usr/bin/env bash
# Build Rapport's one-folder bundle with PyInstaller and pack it as a .tar.gz (Linux).
# Usage: packaging/build.sh BUILD_VENV DIST_DIR   (`make package` passes both)
# Prints the build time and the sizes, and writes them to DIST_DIR/build-figures.txt.
set -euo pipefail

venv=${1:?usage: packaging/build.sh BUILD_VENV DIST_DIR}
dist=${2:?usage: packaging/build.sh BUILD_VENV DIST_DIR}
cd "$(dirname "$0")/.."
work=packaging/build/pyinstaller
bundle=$dist/rapport

# Files the build copies into the bundle from the computer, and the Debian packages that have
# them: objdump (PyInstaller reads library dependencies with it), the report fonts, and the X11
# and Wayland libraries of Qt's platform plugins, which the bundle carries so that the app
# starts on desktops where they are missing.
BUILD_FILES=(
  /usr/bin/objdump:binutils
  /usr/bin/strip:binutils
  /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
)
BUILD_LIBS=(
  libxcb-icccm.so.4:libxcb-icccm4
  libxcb-keysyms.so.1:libxcb-keysyms1
  libwayland-cursor.so.0:libwayland-cursor0
  libwayland-egl.so.1:libwayland-egl1
)

install_build_packages() {
  local missing=() pair
  for pair in "${BUILD_FILES[@]}"; do
    [ -e "${pair%%:*}" ] || missing+=("${pair##*:}")
  done
  for pair in "${BUILD_LIBS[@]}"; do
    ldconfig -p | grep -q "${pair%%:*}" || missing+=("${pair##*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing what the bundle build needs: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The bundle build needs these Debian packages. Install them with:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
}

install_build_packages

version=$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("rapport"))')
arch=$(uname -m)
archive=$dist/rapport-$version-linux-$arch.tar.gz

SECONDS=0
rm -rf "$bundle"
"$venv/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$work" packaging/rapport.spec

# Linux desktop integration: the menu entry, AppStream data and icons, and the script that
# installs them for the current user with the bundle's own path in Exec=.
mkdir -p "$bundle/share/applications" "$bundle/share/metainfo" \
  "$bundle/share/icons/hicolor/scalable/apps"
cp packaging/linux/app.rapport.Rapport.desktop "$bundle/share/applications/"
cp packaging/linux/app.rapport.Rapport.metainfo.xml "$bundle/share/metainfo/"
cp packaging/icons/app.rapport.Rapport.svg "$bundle/share/icons/hicolor/scalable/apps/"
for size in 16 24 32 48 64 128 256; do
  mkdir -p "$bundle/share/icons/hicolor/${size}x${size}/apps"
  cp "packaging/icons/${size}x${size}/app.rapport.Rapport.png" \
    "$bundle/share/icons/hicolor/${size}x${size}/apps/"
done
install -m 755 packaging/linux/install-desktop-entry.sh "$bundle/"
cp packaging/linux/README.txt "$bundle/"

rm -f "$archive"
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$dist" -cf - rapport \
  | gzip -n >"$archive"
seconds=$SECONDS
on_disk=$(du -s --block-size=1 "$bundle" | cut -f1)
file_data=$(du -sb "$bundle" | cut -f1)
packed=$(stat -c %s "$archive")
files=$(find "$bundle" -type f | wc -l)
# megabytes: MB (10^6 bytes, as file managers count) and MiB (2^20, as du -m counts)
megabytes() { echo "$(($1 / 1000000)) MB ($(($1 / 1048576)) MiB)"; }
{
  echo "build time: ${seconds} s (PyInstaller and tar.gz)"
  echo "bundle: $bundle, $(megabytes "$on_disk") on disk," \
    "$(megabytes "$file_data") of file data, ${files} files"
  echo "archive: $archive, $(megabytes "$packed")"
} | tee "$dist/build-figures.txt"

# The issue's budget: at most 250 MB on disk and 100 MB packed.
if [ "$on_disk" -gt 250000000 ] || [ "$packed" -gt 100000000 ]; then
  echo "packaging/build.sh: the bundle is over budget (250 MB on disk, 100 MB packed);" \
    "see the excludes in packaging/rapport.spec" >&2
  exit 1
fi
