#!/bin/sh
# Rebuilds the web UI into internal/server/ui (commit the result): installs
# the pinned npm packages, runs the UI's unit tests, bundles.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
node --test test/
node build.mjs
ls -l ../internal/server/ui ../internal/server/ui/geo
