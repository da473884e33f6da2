#!/usr/bin/env bash
# Installs the validators that check ringfence's reports the way their consumers do, into .tools/
# (ignored by git): Microsoft's SARIF multitool (GitHub code scanning's ingestion rules), from the
# npm registry. Needs npm (Debian: nodejs, npm; installed when missing, with root or sudo).
# Prints nothing when everything is already installed.
set -euo pipefail
cd "$(dirname "$0")/.."
version=5.7.0
tool=.tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ -x "$tool" ] && grep -q "\"version\": \"$version\"" .tools/node_modules/@microsoft/sarif-multitool/package.json; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: nodejs npm"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm libicu72
fi
echo "installing: @microsoft/sarif-multitool@$version (into .tools/)"
mkdir -p .tools
npm install --prefix .tools --no-audit --no-fund --loglevel=error "@microsoft/sarif-multitool@$version" >/dev/null
chmod u+x "$tool"  # npm may skip the package's install script that does this
