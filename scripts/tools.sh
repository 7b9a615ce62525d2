#!/usr/bin/env bash
# Installs the project's own toolchain beside the .NET SDK: pwsh 7.6.9 as a local dotnet tool
# (.config/dotnet-tools.json; run it as `dotnet pwsh`) and Pester from NuGet (tests/Pester/Pester.Restore.csproj).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet restore tests/Pester/Pester.Restore.csproj --nologo -v quiet >/dev/null
