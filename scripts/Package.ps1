<#
.SYNOPSIS
    Packages the built module folder out/BatchDb: a .nupkg published into a local file repository (as the PowerShell
    Gallery would take it) and the Azure Automation zip, both under out/package/.
.DESCRIPTION
    out/package/repository/BatchDb.<version>.nupkg   made by Publish-PSResource into a file repository registered for
                                                       this run only; Install-PSResource -Repository takes it from there
    out/package/BatchDb.zip                           the folder BatchDb/ zipped, as Azure Automation imports a module
#>
[CmdletBinding()]
param([string] $ModuleFolder = (Join-Path $PSScriptRoot '../out/BatchDb'))

$ErrorActionPreference = 'Stop'
$ModuleFolder = (Resolve-Path $ModuleFolder).Path
$output = Join-Path (Split-Path $ModuleFolder -Parent) 'package'
$repositoryFolder = Join-Path $output 'repository'
Remove-Item -Recurse -Force $output -ErrorAction Ignore
New-Item -ItemType Directory -Force -Path $repositoryFolder | Out-Null

$manifest = Test-ModuleManifest (Join-Path $ModuleFolder 'BatchDb.psd1')
$repositoryName = "BatchDbPackage$PID"
Register-PSResourceRepository -Name $repositoryName -Uri $repositoryFolder -Trusted
try {
    Publish-PSResource -Path $ModuleFolder -Repository $repositoryName
} finally {
    Unregister-PSResourceRepository -Name $repositoryName
}
$nupkg = Get-Item (Join-Path $repositoryFolder "BatchDb.$($manifest.Version).nupkg")

$zip = Join-Path $output 'BatchDb.zip'
Compress-Archive -Path $ModuleFolder -DestinationPath $zip
$size = (Get-Item $zip).Length
if ($size -ge 100MB) { throw "The Azure Automation zip is $([math]::Round($size / 1MB)) MB; it must stay under 100 MB." }
Write-Host "Package: $($nupkg.FullName) ($([math]::Round($nupkg.Length / 1KB)) KiB)"
Write-Host "Azure Automation: $zip ($([math]::Round($size / 1KB)) KiB)"
