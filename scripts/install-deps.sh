#!/usr/bin/env bash
# Installs ringfence's build and test dependencies from Debian 12's packages (needs root or sudo).
# Skips apt entirely when everything is already installed.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgit2-dev libboost-graph-dev libboost-math-dev libyaml-cpp-dev libcurl4-openssl-dev
  libspdlog-dev catch2 nlohmann-json3-dev libcli11-dev libre2-dev libsqlite3-dev
  clang clang-format libclang-rt-14-dev lld graphviz libhowardhinnant-date-dev tzdata python3 python3-jsonschema python3-yaml libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev prometheus
  qemu-system-x86 busybox-static zstd libxml2-utils cmark-gfm prometheus-cpp-dev libtomlplusplus-dev
  python3-securesystemslib python3-cryptography python3-nacl libarchive-dev libapt-pkg-dev liblzma-dev reprotest diffoscope-minimal faketime
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
