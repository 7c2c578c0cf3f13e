#!/usr/bin/env bash
# Start-up times of the frozen program: packaging/measure_start.sh [BUNDLE_DIR] [RUNS]
# Prints the median and the slowest of RUNS runs (default 5) of `rapport --version`, of the
# app from start to quit (offscreen, RAPPORT_QUIT_AFTER_START=1: it quits 500 ms after its
# window is shown) and of a location report. As root it first empties the page cache, so the
# first run of each is a cold start.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=$(cd "${1:-packaging/dist/rapport}" && pwd)
runs=${2:-5}
program=$bundle/rapport
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home"

run() { (cd "$scratch" && env -i HOME="$scratch/home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"); }
drop_caches() {
  sync
  if [ "$(id -u)" = 0 ] && { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
    echo "(page cache emptied: the first run is cold)"
  else
    echo "(page cache kept: every run is warm)"
  fi
}

# time_runs NAME COMMAND...: runs COMMAND $runs times; prints first, median and slowest in ms.
time_runs() {
  local name=$1 times=() start
  shift
  for _ in $(seq "$runs"); do
    start=$(date +%s%3N)
    run "$@" >/dev/null 2>&1
    times+=($(($(date +%s%3N) - start)))
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '%-40s first %5d ms   median %5d ms   slowest %5d ms\n' "$name" "${times[0]}" \
    "$(sed -n "$(((runs + 1) / 2))p" <<<"$sorted")" "$(tail -1 <<<"$sorted")"
}

run "$program" demo --db "$scratch/m.db" >/dev/null
drop_caches
time_runs "rapport --version" "$program" --version
drop_caches
time_runs "app start to quit (incl. 500 ms wait)" \
  QT_QPA_PLATFORM=offscreen RAPPORT_QUIT_AFTER_START=1 "$program" --db "$scratch/m.db"
drop_caches
time_runs "report location (4-page PDF)" \
  "$program" report location "Harbor Point Offices" --db "$scratch/m.db" -o "$scratch/r.pdf"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
