#!/usr/bin/env bash
# Builds out/BatchDb, then its .nupkg (in a local file repository) and the Azure Automation zip under out/package/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
dotnet pwsh -NoProfile -NonInteractive -File scripts/Package.ps1
