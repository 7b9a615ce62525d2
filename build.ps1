<#
.SYNOPSIS
    Builds, tests, documents and packages the BatchDb module.
.DESCRIPTION
    Build    compiles the solution.
    Test     starts throwaway MariaDB and PostgreSQL servers (scripts/test-servers.sh) and runs every test project.
    Docs     turns docs/*.md into MAML help (en-US/BatchDb.dll-Help.xml) and about_BatchDb.help.txt (scripts/Build-Help.ps1).
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
    & (Join-Path $root 'scripts/Build-Help.ps1') -ModuleFolder $moduleFolder
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
            Test-ModuleManifest (Join-Path $moduleFolder 'BatchDb.psd1') | Out-Null
            Write-Host "Module ready: $moduleFolder"
        }
    }
}
