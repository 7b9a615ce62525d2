#!/usr/bin/env bash
# Builds and runs every test: the xunit projects (engine against the servers, the compiled cmdlet surface),
# then the Pester files in tests/Pester against the built module folder out/BatchDb, each in a fresh pwsh
# (the PowerShell 7.6.9 dotnet tool pinned in .config/dotnet-tools.json). Prints the plain totals line
# "N passed, N failed" for both together.
# Database tests need BATCHDB_TEST_MYSQL and BATCHDB_TEST_POSTGRES (scripts/test-servers.sh run -- … sets them);
# without them they are skipped, or fail when CI=true.
#   scripts/test.sh                 everything
#   scripts/test.sh --pester-only   only the Pester files (PESTER_FILTER='Seed*' narrows them)
set -uo pipefail
cd "$(dirname "$0")/.."

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
passed=0 failed=0 skipped=0

bash scripts/tools.sh || exit 1

if [ "${1:-}" != "--pester-only" ]; then
  # A local time zone that is not UTC, so that a time stored or shown in the wrong zone fails a test.
  TZ=Asia/Tokyo dotnet test BatchDb.sln --configuration Release --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
  status=$?
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed)))
    skipped=$((skipped + $(value notExecuted)))
  done
fi

bash scripts/build.sh >/dev/null || { echo "module build failed" >&2; exit 1; }
TZ=Asia/Tokyo dotnet pwsh -NoProfile -NonInteractive -File tests/Pester/Invoke-BatchDbPester.ps1 \
  -ResultsDirectory "$results/pester" -Filter "${PESTER_FILTER:-*}" | tee "$results/pester.log"
pester_status=${PIPESTATUS[0]}
[ "$pester_status" -ne 0 ] && status=1
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$results/pester.log" | tail -n 1)
if [ -z "$line" ]; then
  echo "Pester printed no totals" >&2
  failed=$((failed + 1))
else
  read -r p _ f _ s _ <<<"$line"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
fi

if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no test results were found" >&2
  [ "$status" -eq 0 ] && status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -gt 0 ] && status=1
exit "$status"
