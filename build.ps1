<#
.SYNOPSIS
    Builds, tests, documents and packages the BatchDb module.
.DESCRIPTION
    Build    compiles the solution.
    Test     starts throwaway MariaDB and PostgreSQL servers (scripts/test-servers.sh) and runs every test project.
    Docs     turns docs/*.md into MAML help with platyPS's New-ExternalHelp (when platyPS is installed).
    Package  produces out/BatchDb, a module folder that Import-Module accepts; includes Docs.
.EXAMPLE
    ./build.ps1 Package
    Import-Module ./out/BatchDb
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleFolder = Join-Path $root 'out/BatchDb'

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Docs {
    if (-not (Get-Module -ListAvailable -Name platyPS)) {
        Write-Warning 'platyPS is not installed; skipping MAML help (Install-Module platyPS to build it).'
        return
    }
    Import-Module platyPS
    New-ExternalHelp -Path (Join-Path $root 'docs') -OutputPath (Join-Path $moduleFolder 'en-US') -Force | Out-Null
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' {
            Invoke-Native dotnet @('build', (Join-Path $root 'BatchDb.sln'), '--configuration', $Configuration)
        }
        'Test' {
            Invoke-Native bash @((Join-Path $root 'scripts/test-servers.sh'), 'run', '--', 'bash', (Join-Path $root 'scripts/test.sh'))
        }
        'Docs' {
            Invoke-Docs
        }
        'Package' {
            Invoke-Native bash @((Join-Path $root 'scripts/build.sh'))
            Invoke-Docs
            Test-ModuleManifest (Join-Path $moduleFolder 'BatchDb.psd1') | Out-Null
            Write-Host "Module ready: $moduleFolder"
        }
    }
}
