# BatchDb's engine and drivers load into a context of their own (Dependencies/): another module's Npgsql or
# MySqlConnector, loaded before or after BatchDb, breaks neither. Each case runs in a fresh pwsh process.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    # The versions another module could ship (restored by tests/Pester/Pester.Restore.csproj).
    $otherDrivers = @{
        Npgsql         = @{ Path = Join-Path $packages 'npgsql/8.0.5/lib/net8.0/Npgsql.dll'; Version = '8.0.5.0' }
        MySqlConnector = @{ Path = Join-Path $packages 'mysqlconnector/2.4.0/lib/net8.0/MySqlConnector.dll'; Version = '2.0.0.0' }
    }
    $seedCsv = Get-TestDataPath 'T_STOCK_S01.csv'

    # Runs a script in a new pwsh and returns its output lines; the script gets the module, driver and file paths.
    function Invoke-FreshPowerShell([string] $Script, [string[]] $Tables) {
        $prelude = @(
            '$ErrorActionPreference = "Stop"'
            "`$module = '$(Get-TestModulePath)'"
            "`$npgsql = '$($otherDrivers.Npgsql.Path)'; `$mySqlConnector = '$($otherDrivers.MySqlConnector.Path)'"
            "`$csv = '$seedCsv'"
            "`$tables = @{ $(($Tables | ForEach-Object { $p, $t = $_ -split '=', 2; "$p = '$t'" }) -join '; ') }"
            "`$connections = @{ $(($engines | ForEach-Object { "$_ = '$((Get-TestConnectionString $_) -replace "'", "''")'" }) -join '; ') }"
            'function Get-Loaded { [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in "Npgsql", "MySqlConnector", "BatchDb.Engine" } | ForEach-Object { "loaded:{0}:{1}:{2}" -f $_.GetName().Name, $_.GetName().Version, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name } }'
            'function Invoke-Swap([string] $Provider) { $c = Connect-BatchDb -Provider $Provider -ConnectionString $connections[$Provider] -Name "iso-$Provider"; $partition = if ($Provider -eq "PostgreSql") { "$($tables[$Provider].ToLowerInvariant())_p_s01" } else { "P_S01" }; $r = Import-WorkTable -Table $tables[$Provider] -Partition $partition -Path $csv -Connection $c | Switch-Partition -Confirm:$false; "swapped:{0}:{1}" -f $Provider, $r.LiveRows }'
        ) -join "`n"
        $output = & dotnet pwsh -NoProfile -NonInteractive -Command "$prelude`n$Script" 2>&1 | ForEach-Object { "$_" }
        if ($LASTEXITCODE -ne 0) { throw "The fresh pwsh failed ($LASTEXITCODE):`n$($output -join "`n")" }
        $output
    }
}

Describe 'BatchDb beside other versions of Npgsql and MySqlConnector' {
    BeforeEach {
        $tables = foreach ($provider in $engines) {
            $table = Get-TestUniqueName 'T_STOCK'
            New-TestStockTable $provider $table
            "$provider=$table"
        }
    }

    It 'works on both engines when another module loaded its versions first' {
        $output = Invoke-FreshPowerShell -Tables $tables -Script @'
Add-Type -Path $npgsql, $mySqlConnector
Import-Module $module
foreach ($provider in $tables.Keys) { Invoke-Swap $provider }
Get-Loaded
'@
        foreach ($provider in $engines) { $output | Should -Contain "swapped:${provider}:10" }
        $output | Should -Contain "loaded:Npgsql:$($otherDrivers.Npgsql.Version):Default"
        $output | Should -Contain "loaded:MySqlConnector:$($otherDrivers.MySqlConnector.Version):Default"
        $output | Should -Contain 'loaded:BatchDb.Engine:0.1.0.0:BatchDb'
        $output | Should -Contain 'loaded:Npgsql:10.0.3.0:BatchDb'
    }

    It 'leaves the other versions loadable and working when it was imported first' {
        $output = Invoke-FreshPowerShell -Tables $tables -Script @'
Import-Module $module
foreach ($provider in $tables.Keys) { Invoke-Swap $provider }
Add-Type -Path $npgsql, $mySqlConnector
"other:{0}" -f [Npgsql.NpgsqlConnectionStringBuilder]::new('Host=elsewhere;Database=d').Host
foreach ($provider in $tables.Keys) { Invoke-Swap $provider }
Get-Loaded
'@
        foreach ($provider in $engines) { ($output | Where-Object { $_ -eq "swapped:${provider}:10" }).Count | Should -Be 2 }
        $output | Should -Contain 'other:elsewhere'
        $output | Should -Contain "loaded:Npgsql:$($otherDrivers.Npgsql.Version):Default"
        $output | Should -Contain 'loaded:Npgsql:10.0.3.0:BatchDb'
    }

    It 'imports and works in two runspaces of one process' {
        $output = Invoke-FreshPowerShell -Tables $tables -Script @'
Import-Module $module
$second = [powershell]::Create()
$null = $second.AddScript("Import-Module '$module'; (Get-Module BatchDb).Name")
$inSecond = $second.Invoke()
if ($second.HadErrors) { throw "second runspace: $($second.Streams.Error -join '; ')" }
"second:{0}" -f $inSecond[0]
foreach ($provider in $tables.Keys) { Invoke-Swap $provider }
$second.Commands.Clear()
foreach ($provider in $tables.Keys) {
    $null = $second.AddScript("(Connect-BatchDb -Provider $provider -ConnectionString '$($connections[$provider])' -Name second).Provider")
    "second-connected:{0}" -f ($second.Invoke() | Select-Object -Last 1)
    $second.Commands.Clear()
}
Get-Loaded
'@
        $output | Should -Contain 'second:BatchDb'
        foreach ($provider in $engines) {
            $output | Should -Contain "swapped:${provider}:10"
            $output | Should -Contain "second-connected:$provider"
        }
        ($output | Where-Object { $_ -like 'loaded:BatchDb.Engine:*' }) | Should -Be 'loaded:BatchDb.Engine:0.1.0.0:BatchDb'
    }
}

Describe 'Streaming without temporary files' {
    It 'writes nothing to the temporary folder during an import of a file with a byte-order mark and an extract into MySQL' -Skip:($engines -notcontains 'MySql') {
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable MySql $table
        $staging = Get-TestUniqueName 'staging'
        Invoke-TestSql MySql "CREATE TABLE $staging (STOCKHOUSE_ID INT, ITEM_ID CHAR(10), AMOUNT INT, VER_ID CHAR(1), UPD_DTTM DATETIME, batch_id VARCHAR(50))"
        $withBom = Join-Path $TestDrive 'with-bom.csv'
        [IO.File]::WriteAllText($withBom, [IO.File]::ReadAllText($seedCsv), [Text.UTF8Encoding]::new($true))
        $temporary = Join-Path $TestDrive 'tmp'
        New-Item -ItemType Directory $temporary | Out-Null
        # Files created and deleted again count too (the old import copied a BOM file there and removed it after).
        $watcher = [IO.FileSystemWatcher]::new($temporary)
        $watcher.IncludeSubdirectories = $true
        $created = [Collections.Concurrent.ConcurrentQueue[string]]::new()
        $null = Register-ObjectEvent $watcher Created -MessageData $created -Action { $Event.MessageData.Enqueue($EventArgs.FullPath) }
        $watcher.EnableRaisingEvents = $true
        $saved = $env:TMPDIR
        $env:TMPDIR = $temporary
        try {
            $output = Invoke-FreshPowerShell -Tables "MySql=$table" -Script @"
Import-Module `$module
`$c = Connect-BatchDb -Provider MySql -ConnectionString `$connections.MySql
Initialize-BatchSchema -Connection `$c -Confirm:`$false | Out-Null
"loaded:{0}" -f (Import-WorkTable -Table `$tables.MySql -Partition P_S01 -Path '$withBom' -Connection `$c).RowsLoaded
"copied:{0}" -f (Copy-BatchData -Source `$c -SourceTable `$tables.MySql -Table $staging -WatermarkColumn UPD_DTTM -Connection `$c).RowsCopied
"temp:{0}" -f [IO.Path]::GetTempPath()
"@
        } finally {
            $env:TMPDIR = $saved
            Start-Sleep -Milliseconds 500
            $watcher.Dispose()
        }
        $output | Should -Contain 'loaded:10'
        $output | Should -Contain 'copied:50'
        $output | Should -Contain "temp:$temporary/"
        # The runtime's and PowerShell's own IPC endpoints (diagnostics, debugger, host pipe) live there too.
        $ipc = '^(dotnet-diagnostic-|clr-debug-pipe-|CoreFxPipe_)'
        @($created | Where-Object { (Split-Path $_ -Leaf) -notmatch $ipc }) | Should -BeNullOrEmpty
        Get-ChildItem $temporary -Force -Recurse | Where-Object Name -NotMatch $ipc | Should -BeNullOrEmpty
    }
}
