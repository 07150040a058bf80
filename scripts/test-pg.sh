#!/usr/bin/env bash
# `npm run test:pg [-- FILES…]`: the tests on SQLite and on a throwaway PostgreSQL cluster, as CI runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/shikaku-pg.XXXXXX)
trap 'scripts/pg-throwaway.sh stop "$dir" || true' EXIT
SHIKAKU_TEST_DATABASE_URL=$(scripts/pg-throwaway.sh start "$dir" 55432)
export SHIKAKU_TEST_DATABASE_URL
npx vitest run "$@"
