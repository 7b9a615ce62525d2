#!/usr/bin/env bash
# Benchmarks BatchDb against outside references (psql, the mariadb client, pgloader, naive SQL) on throwaway servers
# and writes the report to docs/benchmarks.md. Not part of the tests: it takes about half an hour.
#
#   bash scripts/bench.sh                      100,000 and 1,000,000 rows, 5 runs, every scenario, both engines
#   bash scripts/bench.sh --large              adds 10,000,000 rows
#   bash scripts/bench.sh --sizes 100000 --runs 5 --only load,index,swap,blocked,naive,burst,cdc,extract --engines postgres,mariadb --report PATH
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/BatchDb.Bench/BatchDb.Bench.csproj --configuration Release --verbosity quiet
# The burst scenario runs the built module in a real pwsh, as operators do.
bash scripts/build.sh >/dev/null
# The extract scenario runs pgloader, Debian's package, as the reference for MariaDB into PostgreSQL.
if ! command -v pgloader >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  export DEBIAN_FRONTEND=noninteractive
  "${apt_get[@]}" install -y -qq pgloader >/dev/null || { "${apt_get[@]}" update -qq && "${apt_get[@]}" install -y -qq pgloader >/dev/null; }
fi
bash scripts/test-servers.sh run -- dotnet bench/BatchDb.Bench/bin/Release/net10.0/BatchDb.Bench.dll "$@"
