#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing (MariaDB, PostgreSQL, pwsh as a local dotnet tool, Pester),
# builds the module folder out/BatchDb, starts throwaway servers and runs the seed article's scenario with BatchDb
# in pwsh (scripts/Demo.ps1) on both engines, then stops the servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-servers.sh install
bash scripts/build.sh
bash scripts/test-servers.sh run -- dotnet pwsh -NoProfile -NonInteractive -File scripts/Demo.ps1 "$@"
