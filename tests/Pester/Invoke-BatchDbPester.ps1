<#
.SYNOPSIS
    Runs tests/Pester/*.Tests.ps1 against the built module, each file in a fresh pwsh (loaded assemblies cannot be unloaded).
.DESCRIPTION
    Without -TestFile: starts one pwsh per test file and prints "N passed, N failed, N skipped" for them all;
    the exit code is the number of failed tests (capped at 1). With -TestFile: runs that file in this process
    and writes its counts to -ResultFile.
#>
[CmdletBinding()]
param(
    [string] $TestFile,
    [string] $ResultFile,
    [string] $ResultsDirectory = (Join-Path ([IO.Path]::GetTempPath()) "batchdb-pester-$PID"),
    [string[]] $Filter = @('*')
)

$ErrorActionPreference = 'Stop'
$repository = Resolve-Path (Join-Path $PSScriptRoot '../..')

function Import-Pester {
    $version = ([xml](Get-Content (Join-Path $PSScriptRoot 'Pester.Restore.csproj'))).Project.PropertyGroup.PesterVersion
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $manifest = Join-Path $packages "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        throw "Pester $version is not restored at $manifest. Run: dotnet restore tests/Pester/Pester.Restore.csproj"
    }
    Import-Module $manifest -Force
}

if ($TestFile) {
    Import-Pester
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $TestFile
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Normal'
    $configuration.Should.ErrorAction = 'Continue'
    $result = Invoke-Pester -Configuration $configuration
    @{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount } |
        ConvertTo-Json | Set-Content -Path $ResultFile
    exit 0
}

Set-Location $repository
New-Item -ItemType Directory -Force -Path $ResultsDirectory | Out-Null
$files = Get-ChildItem (Join-Path $PSScriptRoot '*.Tests.ps1') | Where-Object { $name = $_.Name; $Filter.Where({ $name -like $_ }).Count -gt 0 } | Sort-Object Name
$passed = 0; $failed = 0; $skipped = 0
foreach ($file in $files) {
    $resultFile = Join-Path $ResultsDirectory "$($file.BaseName).json"
    Remove-Item $resultFile -ErrorAction Ignore
    $started = Get-Date
    & dotnet pwsh -NoProfile -NonInteractive -File $PSCommandPath -TestFile $file.FullName -ResultFile $resultFile
    if (Test-Path $resultFile) {
        $counts = Get-Content $resultFile -Raw | ConvertFrom-Json
    } else {
        Write-Host "$($file.Name): pwsh ended (exit code $LASTEXITCODE) without results" -ForegroundColor Red
        $counts = @{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    Write-Host ("{0}: {1} passed, {2} failed, {3} skipped in {4:n1} s" -f $file.Name, $counts.Passed, $counts.Failed, $counts.Skipped, ((Get-Date) - $started).TotalSeconds)
    $passed += $counts.Passed; $failed += $counts.Failed; $skipped += $counts.Skipped
}
"$passed passed, $failed failed, $skipped skipped"
exit ([int]($failed -gt 0))
