#!/usr/bin/env bash
# Smoke test of the frozen Rapport program, not the source: what a shopper does first.
# Usage: packaging/smoke_test.sh [ARCHIVE.tar.gz | BUNDLE_DIR]   (default: packaging/dist/rapport)
# Given the .tar.gz (as `make package-smoke` does), it unpacks it into a scratch folder and
# tests what a shopper would get out of the download.
#
# Every run happens in a bare environment (env -i), from a scratch folder outside the
# repository, with a throw-away HOME: nothing can come from the source tree or a virtual
# environment, and nobody's real Rapport data is touched.
set -uo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/pyproject.toml")
location="Harbor Point Offices"
target=${1:-packaging/dist/rapport}

scratch=$(mktemp -d)
xvfb_pid=""
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT

if [ -f "$target" ]; then
  mkdir -p "$scratch/unpacked"
  tar -xzf "$target" -C "$scratch/unpacked" || {
    echo "smoke_test.sh: cannot unpack $target" >&2
    exit 2
  }
  bundle=$scratch/unpacked/rapport
  subject="$target (unpacked: $bundle/rapport)"
elif [ -d "$target" ]; then
  bundle=$(cd "$target" && pwd)
  subject=$bundle/rapport
else
  echo "smoke_test.sh: no bundle or archive at $target; build it first with \`make package\`." >&2
  exit 2
fi
program=$bundle/rapport
if [ ! -x "$program" ]; then
  echo "smoke_test.sh: no frozen program at $program; build it first with \`make package\`." >&2
  exit 2
fi

# Tools the checks use, and the Debian packages that have them.
TOOLS=(pdftotext:poppler-utils pdffonts:poppler-utils Xvfb:xvfb xwininfo:x11-utils
  desktop-file-validate:desktop-file-utils)
missing=()
for pair in "${TOOLS[@]}"; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing what the smoke test uses: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || exit 2
  else
    echo "The smoke test needs these Debian packages. Install them with:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
fi

database=$scratch/smoke.db
# Each check gets a fresh HOME (set by check), so a log file tells which check went wrong.
home=""
default_data=""

# run [VAR=value...] PROGRAM ARGS...: the frozen program in a bare environment, from $scratch.
run() {
  (cd "$scratch" && env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@")
}

passed=0
failed=0
# check NAME FUNCTION: runs FUNCTION, which prints why it failed and returns non-zero.
check() {
  local name=$1 output
  shift
  home=$scratch/home-$((passed + failed + 1))
  default_data=$home/.local/share/Rapport
  mkdir -p "$home"
  if output=$("$@" 2>&1); then
    passed=$((passed + 1))
    echo "ok    $name${output:+ ($output)}"
  else
    failed=$((failed + 1))
    echo "FAIL  $name"
    printf '%s\n' "$output" | sed 's/^/      /'
  fi
}

millis() { date +%s%3N; }

check_version() {
  local out
  out=$(run "$program" --version) || { echo "exit $?: $out"; return 1; }
  [ "$out" = "Rapport $version" ] || { echo "said '$out', expected 'Rapport $version'"; return 1; }
}

check_demo() {
  local out
  out=$(run "$program" demo --db "$database" 2>&1) || { echo "exit $?: $out"; return 1; }
  [ -s "$database" ] || { echo "no database written at $database: $out"; return 1; }
  case $out in *locations*) ;; *) echo "unexpected output: $out"; return 1 ;; esac
  # --db was honoured: the default data folder holds no database.
  [ ! -e "$default_data/rapport.db" ] || { echo "wrote into the default data folder"; return 1; }
}

check_report() {
  local pdf=$scratch/x.pdf out size text fonts
  out=$(run "$program" report location "$location" --db "$database" -o "$pdf" 2>&1) \
    || { echo "exit $?: $out"; cat "$default_data/rapport.log" 2>/dev/null; return 1; }
  [ "$(head -c 5 "$pdf")" = "%PDF-" ] || { echo "$pdf does not start with %PDF-"; return 1; }
  size=$(stat -c %s "$pdf")
  [ "$size" -gt 20000 ] || { echo "$pdf is only $size bytes"; return 1; }
  text=$(pdftotext "$pdf" -) || { echo "pdftotext cannot read $pdf"; return 1; }
  case $text in *"$location"*) ;; *) echo "the PDF does not name $location"; return 1 ;; esac
  # The report's font came along: DejaVu Sans, embedded.
  fonts=$(pdffonts "$pdf")
  printf '%s\n' "$fonts" | grep -Eq "DejaVu-?Sans.* yes " \
    || { echo "DejaVu Sans is not embedded:"; echo "$fonts"; return 1; }
  echo "$((size / 1024)) KB, $(pdfinfo "$pdf" | sed -n 's/^Pages: *//p') pages"
}

# On a computer without any font of its own the report still gets DejaVu Sans, from the
# bundle: the system font folders are hidden by empty tmpfs mounts in a mount namespace.
check_report_without_system_fonts() {
  local pdf=$scratch/no-fonts.pdf out
  out=$(cd "$scratch" && unshare -m sh -c '
    for folder in /usr/share/fonts /usr/local/share/fonts; do
      [ -d "$folder" ] && mount -t tmpfs none "$folder"
    done
    [ -z "$(fc-list 2>/dev/null)" ] || { echo "system fonts still visible"; exit 3; }
    exec env -i HOME="$0" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
  ' "$home" "$program" report location "$location" --db "$database" -o "$pdf" 2>&1) \
    || { echo "exit $?: $out"; cat "$default_data/rapport.log" 2>/dev/null; return 1; }
  pdffonts "$pdf" | grep -Eq "DejaVu-?Sans.* yes " || { pdffonts "$pdf"; return 1; }
}

check_gui_offscreen() {
  local out start elapsed
  start=$(millis)
  out=$(run QT_QPA_PLATFORM=offscreen RAPPORT_QUIT_AFTER_START=1 \
    timeout 60 "$program" --db "$database" 2>&1) || { echo "exit $?: $out"; return 1; }
  elapsed=$(($(millis) - start))
  ! grep -qi "traceback\|error" <<<"$out" || { echo "$out"; return 1; }
  [ ! -e "$default_data/rapport.log" ] || { cat "$default_data/rapport.log"; return 1; }
  echo "start to quit ${elapsed} ms, 500 ms of it waiting on purpose"
}

# On a real X server (Xvfb) the window must appear on screen, through the bundled xcb plugin.
check_gui_x11() {
  local display="" pid seen="" status
  # -displayfd: Xvfb picks a free display number and writes it once it accepts clients.
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$scratch/display" >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 100); do
    display=$(cat "$scratch/display" 2>/dev/null)
    [ -n "$display" ] && break
    sleep 0.1
  done
  [ -n "$display" ] || { echo "Xvfb did not start"; return 1; }
  display=":$display"
  run DISPLAY="$display" RAPPORT_QUIT_AFTER_START=1 timeout 60 "$program" --db "$database" \
    >"$scratch/x11.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if xwininfo -root -tree -display "$display" 2>/dev/null | grep -q '"Rapport"'; then
      seen=yes
    fi
    sleep 0.1
  done
  wait "$pid"
  status=$?
  kill "$xvfb_pid" 2>/dev/null
  wait "$xvfb_pid" 2>/dev/null
  xvfb_pid=""
  [ "$status" = 0 ] || { echo "exit $status:"; cat "$scratch/x11.log"; return 1; }
  [ -n "$seen" ] || { echo "no window titled Rapport appeared"; cat "$scratch/x11.log"; return 1; }
}

check_desktop_entry() {
  local data=$scratch/xdg entry out
  entry=$data/applications/app.rapport.Rapport.desktop
  out=$(run XDG_DATA_HOME="$data" "$bundle/install-desktop-entry.sh" 2>&1) \
    || { echo "exit $?: $out"; return 1; }
  desktop-file-validate "$entry" || return 1
  grep -qx "Exec=\"$program\"" "$entry" || { grep Exec "$entry"; return 1; }
  for size in 16 24 32 48 64 128 256; do
    [ -s "$data/icons/hicolor/${size}x${size}/apps/app.rapport.Rapport.png" ] \
      || { echo "no ${size}x${size} icon"; return 1; }
  done
  run XDG_DATA_HOME="$data" "$bundle/install-desktop-entry.sh" --uninstall >/dev/null \
    || return 1
  [ ! -e "$entry" ] || { echo "--uninstall left $entry"; return 1; }
}

check_lean() {
  local unwanted on_disk
  unwanted=$(find "$bundle" \( -iname "*numpy*" -o -iname "*WebEngine*" -o -iname "libQt6Qml*" \
    -o -iname "libQt6Quick*" -o -iname "*tkinter*" -o -iname "*pytest*" \) -print)
  [ -z "$unwanted" ] || { echo "unwanted in the bundle:"; echo "$unwanted"; return 1; }
  on_disk=$(($(du -s --block-size=1 "$bundle" | cut -f1) / 1000000))
  [ "$on_disk" -le 250 ] || { echo "${on_disk} MB on disk, the budget is 250 MB"; return 1; }
  echo "${on_disk} MB on disk"
}

echo "Smoke test of $subject"
check "--version says Rapport $version" check_version
check "demo data into a temporary database (--db)" check_demo
check "report location \"$location\" -o x.pdf is a real PDF" check_report
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  check "a report keeps its font on a computer without fonts (DejaVu Sans from the bundle)" \
    check_report_without_system_fonts
else
  echo "note  not checked: a report on a computer without fonts (needs root for unshare -m)"
fi
check "the app starts offscreen, shows its window and quits by itself" check_gui_offscreen
check "the app's window appears on an X server (Xvfb) and it quits by itself" check_gui_x11
check "install-desktop-entry.sh installs a valid menu entry and icons, and removes them" \
  check_desktop_entry
check "no numpy, WebEngine, QML or test tools in the bundle" check_lean
echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
