#!/usr/bin/env bash
# Builds the bundled example as a git repository in DIR: a base commit on main, then an
# AI-authored change on branch ai/extend-session (examples/shop/change/ copied over the base).
# Usage: examples/make-example-repo.sh DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: make-example-repo.sh DIR}"
rm -rf "$dir"
mkdir -p "$dir"
cp -R "$here/shop/base/." "$dir/"
# The project's rule packs guard the example; the gate reads them from the base revision.
mkdir -p "$dir/.ringfence/rules"
cp "$here/../rules/"*.yaml "$dir/.ringfence/rules/"
cd "$dir"
git init -q -b main
git config user.name "Shop Developer"
git config user.email "dev@shop.example"
git config commit.gpgsign false
git add -A
git commit -q -m "shop: initial import"
git checkout -q -b ai/extend-session
cp -R "$here/shop/change/." "$dir/"
git add -A
git -c user.name="coding-agent[bot]" -c user.email="agent@bots.shop.example" commit -q -F - <<'MSG'
auth: keep users signed in for a day

Users complained about being logged out. Extend the token lifetime, turn on checkout v2,
and let the deploy role manage the assets bucket.

Intent: auth
Assisted-by: coding-agent v4
MSG
echo "$dir"
