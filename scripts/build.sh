#!/usr/bin/env bash
# Builds the importable module folder out/BatchDb with its help (MAML from docs/, built by scripts/Build-Help.ps1).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf out/BatchDb
dotnet publish src/BatchDb/BatchDb.csproj --configuration Release --output out/BatchDb --nologo
bash scripts/tools.sh
dotnet pwsh -NoProfile -NonInteractive -File scripts/Build-Help.ps1 -ModuleFolder out/BatchDb
test -f out/BatchDb/BatchDb.psd1 && test -f out/BatchDb/BatchDb.Format.ps1xml && test -f out/BatchDb/BatchDb.dll && test -f out/BatchDb/en-US/BatchDb.dll-Help.xml
if ls out/BatchDb/System.Management.Automation.dll >/dev/null 2>&1; then
  echo "System.Management.Automation.dll must not ship with the module" >&2
  exit 1
fi
echo "Module ready: $(pwd)/out/BatchDb (Import-Module ./out/BatchDb)"
