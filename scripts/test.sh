#!/usr/bin/env bash
# Builds and runs every test project, then prints the plain totals line "N passed, N failed".
# Database tests need BATCHDB_TEST_MYSQL and BATCHDB_TEST_POSTGRES (scripts/test-servers.sh run -- … sets them);
# without them they are skipped, or fail when CI=true.
set -uo pipefail
cd "$(dirname "$0")/.."

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# A local time zone that is not UTC, so that a time stored or shown in the wrong zone fails a test.
TZ=Asia/Tokyo dotnet test BatchDb.sln --configuration Release --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value notExecuted)))
done

if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no test results were found" >&2
  [ "$status" -eq 0 ] && status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -gt 0 ] && status=1
exit "$status"
