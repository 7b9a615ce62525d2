# Installable like a Gallery module: the manifest, the .nupkg that Publish-PSResource makes, Install-PSResource
# from a local repository into an empty module path, the seed scenario from the installed copy, the Azure zip.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $repository = (Resolve-Path "$PSScriptRoot/../..").Path
    $built = Get-TestModulePath
    $module = Join-Path $TestDrive 'BatchDb'
    Copy-Item -Recurse $built $module
    & (Join-Path $repository 'scripts/Package.ps1') -ModuleFolder $module *>&1 | Out-Null
    $package = Join-Path $TestDrive 'package'
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest with the Gallery fields' {
        $manifest = Test-ModuleManifest (Join-Path $built 'BatchDb.psd1')
        $manifest.Name | Should -Be 'BatchDb'
        $manifest.ExportedCmdlets.Count | Should -Be 30
        $manifest.ExportedCmdlets.Keys | Should -Contain 'Receive-ChangeCapture'
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.Tags | Should -Contain 'PostgreSQL'
        Test-Path (Join-Path $built 'LICENSE') | Should -BeTrue
    }
}

Describe 'The .nupkg' {
    It 'is made by Publish-PSResource into the file repository' {
        $nupkg = Get-ChildItem (Join-Path $package 'repository/BatchDb.*.nupkg')
        $nupkg | Should -HaveCount 1
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($nupkg.FullName)
        try { $entries = $zip.Entries.FullName } finally { $zip.Dispose() }
        $entries | Should -Contain 'BatchDb.psd1'
        $entries | Should -Contain 'BatchDb.dll'
        $entries | Should -Contain 'en-US/BatchDb.dll-Help.xml'
    }

    It 'installs with Install-PSResource into an empty module path and runs the seed scenario on <_>' -ForEach $engines {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $partition = Get-TestPartitionName $provider $table 1
        $dataHome = Join-Path $TestDrive "home-$provider"
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name BatchDbTest -Uri '$(Join-Path $package 'repository')' -Trusted
Install-PSResource -Name BatchDb -Repository BatchDbTest -Scope CurrentUser
Import-Module BatchDb
`$installed = (Get-Module BatchDb).ModuleBase
Connect-BatchDb -Provider $provider -ConnectionString '$(Get-TestConnectionString $provider)' | Out-Null
`$switched = Import-WorkTable -Table $table -Partition $partition -Path '$(Get-TestDataPath 'T_STOCK_S01.csv')' | Switch-Partition -Confirm:`$false
[pscustomobject]@{ ModuleBase = `$installed; LiveRows = `$switched.LiveRows; Help = (Get-Help Switch-Partition).Synopsis } | ConvertTo-Json -Compress
"@
        # A new HOME: an empty user module path and repository store; the dotnet tools stay where they are.
        New-Item -ItemType Directory -Force $dataHome | Out-Null
        $saved = @{ HOME = $env:HOME; NUGET_PACKAGES = $env:NUGET_PACKAGES; DOTNET_CLI_HOME = $env:DOTNET_CLI_HOME }
        $env:NUGET_PACKAGES = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
        $env:DOTNET_CLI_HOME = if ($env:DOTNET_CLI_HOME) { $env:DOTNET_CLI_HOME } else { $HOME }
        $env:HOME = $dataHome
        Push-Location $repository
        try { $output = & dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" } }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $json = $output | Where-Object { $_ -like '{"ModuleBase"*' }
        $json | Should -Not -BeNullOrEmpty -Because ($output -join "`n")
        $result = $json | ConvertFrom-Json
        $result.ModuleBase | Should -BeLike "$dataHome*BatchDb*"
        $result.LiveRows | Should -Be 10
        $result.Help | Should -Match 'work table'
        Invoke-TestSql $provider "SELECT SUM(AMOUNT) FROM $table WHERE STOCKHOUSE_ID = 1" | Should -Be '4600'
    }
}

Describe 'The Azure Automation zip' {
    It 'is named after the module, holds the module folder, and is under 100 MB' {
        $zipPath = Join-Path $package 'BatchDb.zip'
        (Get-Item $zipPath).Length | Should -BeLessThan 100MB
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($zipPath)
        try { $entries = $zip.Entries.FullName -replace '\\', '/' } finally { $zip.Dispose() }
        $entries | Should -Contain 'BatchDb/BatchDb.psd1'
        $entries | Should -Contain 'BatchDb/BatchDb.dll'
        $entries | Should -Contain 'BatchDb/en-US/BatchDb.dll-Help.xml'
        $entries | Should -Contain 'BatchDb/en-US/about_BatchDb.help.txt'
        $entries | Where-Object { $_ -notlike 'BatchDb/*' } | Should -BeNullOrEmpty
    }
}
