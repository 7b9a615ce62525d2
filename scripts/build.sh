#!/usr/bin/env bash
# Builds the importable module folder out/BatchDb (the same layout as build.ps1 Package), for machines without pwsh.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf out/BatchDb
dotnet publish src/BatchDb/BatchDb.csproj --configuration Release --output out/BatchDb --nologo
mkdir -p out/BatchDb/en-US
cp docs/about_BatchDb.md out/BatchDb/en-US/about_BatchDb.help.txt
test -f out/BatchDb/BatchDb.psd1 && test -f out/BatchDb/BatchDb.Format.ps1xml && test -f out/BatchDb/BatchDb.dll
if ls out/BatchDb/System.Management.Automation.dll >/dev/null 2>&1; then
  echo "System.Management.Automation.dll must not ship with the module" >&2
  exit 1
fi
echo "Module ready: $(pwd)/out/BatchDb (Import-Module ./out/BatchDb)"
