#!/usr/bin/env bash
# Validate Rapport's Linux desktop entry and AppStream metadata (`make package-validate`).
set -euo pipefail
cd "$(dirname "$0")/linux"

TOOLS=(desktop-file-validate:desktop-file-utils appstreamcli:appstream)
missing=()
for pair in "${TOOLS[@]}"; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing the validators: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The validators are missing. Install them with:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
fi

desktop-file-validate app.rapport.Rapport.desktop
echo "ok    app.rapport.Rapport.desktop passes desktop-file-validate"
# --explain prints what each finding means; warnings fail the check just like errors.
appstreamcli validate --no-net --strict --explain app.rapport.Rapport.metainfo.xml
echo "ok    app.rapport.Rapport.metainfo.xml passes appstreamcli validate --no-net --strict"
