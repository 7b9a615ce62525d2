<#
.SYNOPSIS
    Runs tests/Pester/*.Tests.ps1 against the built module, each file in a fresh pwsh (loaded assemblies cannot be unloaded).
.DESCRIPTION
    Without -TestFile: starts one pwsh per test file, -ThrottleLimit at a time, and prints "N passed, N failed, N skipped" for them all;
    the exit code is the number of failed tests (capped at 1). With -TestFile: runs that file in this process
    and writes its counts to -ResultFile.
#>
[CmdletBinding()]
param(
    [string] $TestFile,
    [string] $ResultFile,
    [string] $ResultsDirectory = (Join-Path ([IO.Path]::GetTempPath()) "batchdb-pester-$PID"),
    [string[]] $Filter = @('*'),
    [int] $ThrottleLimit = 2
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
# Two files at a time (2 cores); files that mostly wait (first line '# Runs long') start first, and files that
# disturb the servers for everyone (first line '# Runs alone') run last, one by one, when nothing else runs.
$files = Get-ChildItem (Join-Path $PSScriptRoot '*.Tests.ps1') | Where-Object { $name = $_.Name; $Filter.Where({ $name -like $_ }).Count -gt 0 } |
    Sort-Object @{ Expression = { -not ((Get-Content $_.FullName -TotalCount 1) -like '# Runs long*') } }, Name
$alone = @($files | Where-Object { (Get-Content $_.FullName -TotalCount 1) -like '# Runs alone*' })
$together = @($files | Where-Object { $_.FullName -notin $alone.FullName })

function Start-TestFile($file, [int] $throttle) {
    $resultFile = Join-Path $ResultsDirectory "$($file.BaseName).json"
    $logFile = Join-Path $ResultsDirectory "$($file.BaseName).log"
    Remove-Item $resultFile, $logFile -ErrorAction Ignore
    Start-ThreadJob -ThrottleLimit $throttle -ArgumentList $file.FullName, $resultFile, $logFile, $PSCommandPath, $repository -ScriptBlock {
        param($testFile, $resultFile, $logFile, $runner, $repository)
        Set-Location $repository
        $started = Get-Date
        & dotnet pwsh -NoProfile -NonInteractive -File $runner -TestFile $testFile -ResultFile $resultFile *> $logFile
        [pscustomobject]@{ File = $testFile; ResultFile = $resultFile; LogFile = $logFile; ExitCode = $LASTEXITCODE; Seconds = ((Get-Date) - $started).TotalSeconds }
    }
}

$jobs = @(foreach ($file in $together) { Start-TestFile $file $ThrottleLimit })
if ($alone.Count -gt 0) {
    $jobs | Wait-Job | Out-Null
    foreach ($file in $alone) { $jobs += Start-TestFile $file 1 | Wait-Job }
}
$passed = 0; $failed = 0; $skipped = 0
foreach ($job in $jobs) {
    $run = Receive-Job -Job $job -Wait -AutoRemoveJob
    $name = Split-Path $run.File -Leaf
    Get-Content $run.LogFile | Write-Host
    if (Test-Path $run.ResultFile) {
        $counts = Get-Content $run.ResultFile -Raw | ConvertFrom-Json
    } else {
        Write-Host "${name}: pwsh ended (exit code $($run.ExitCode)) without results" -ForegroundColor Red
        $counts = @{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    Write-Host ("{0}: {1} passed, {2} failed, {3} skipped in {4:n1} s" -f $name, $counts.Passed, $counts.Failed, $counts.Skipped, $run.Seconds)
    $passed += $counts.Passed; $failed += $counts.Failed; $skipped += $counts.Skipped
}
"$passed passed, $failed failed, $skipped skipped"
exit ([int]($failed -gt 0))
