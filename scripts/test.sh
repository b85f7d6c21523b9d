#!/usr/bin/env bash
# Run the whole suite: once on SQLite (with the browser tests), then the
# database tests again on PostgreSQL with Redis as the cache.
#
# MINBAR_REQUIRE_POSTGRES=1 / MINBAR_REQUIRE_REDIS=1 turn an absent server
# into a failure; without them its tests are reported as skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/pytest"

echo "== Test run 1 of 2: SQLite, browser tests included"
"$PYTEST" "$@"
sqlite_status=$?

echo "== Test run 2 of 2: PostgreSQL + Redis (database tests only)"
MINBAR_TEST_DATABASE=postgres "$PYTEST" "$@"
postgres_status=$?

if [ "$sqlite_status" -ne 0 ] || [ "$postgres_status" -ne 0 ]; then
  echo "FAILED: SQLite run exit $sqlite_status, PostgreSQL run exit $postgres_status"
  exit 1
fi
