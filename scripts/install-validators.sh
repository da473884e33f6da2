#!/usr/bin/env bash
# Installs the checkers that read ringfence's reports the way their consumers do: Microsoft's SARIF
# multitool (GitHub code scanning's ingestion rules), from the npm registry, into .tools/ (ignored
# by git); Debian's Chromium (with the DejaVu fonts), which renders the replay and tune charts as a reader's browser does.
# Needs root or sudo for Debian's packages (nodejs, npm and chromium, when missing).
# Prints nothing when everything is already installed.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
apt_missing=()
command -v npm >/dev/null || apt_missing+=(nodejs npm libicu72)
command -v chromium >/dev/null || apt_missing+=(chromium)
# The charts name DejaVu Sans first: the font their label layout is measured in.
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "install ok installed" ||
  apt_missing+=(fonts-dejavu-core)
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "installing: ${apt_missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"
fi
version=5.7.0
tool=.tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ -x "$tool" ] && grep -q "\"version\": \"$version\"" .tools/node_modules/@microsoft/sarif-multitool/package.json; then
  exit 0
fi
echo "installing: @microsoft/sarif-multitool@$version (into .tools/)"
mkdir -p .tools
npm install --prefix .tools --no-audit --no-fund --loglevel=error "@microsoft/sarif-multitool@$version" >/dev/null
chmod u+x "$tool"  # npm may skip the package's install script that does this
