# Runs alone: it crashes the PostgreSQL server (every session of every test is ended while it recovers).
# A backend killed with SIGKILL mid-load makes PostgreSQL end all sessions and recover. The import fails with
# ConnectionFailed, the live table is as it was, and the same import succeeds once the server accepts sessions again.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $postgres = @(Get-TestEngine) -contains 'PostgreSql'
    $root = (& id -u) -eq '0'
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
    $big = Join-Path $TestDrive 'big.csv'
    New-TestBigCsv $big
}

Describe 'A PostgreSQL server that crashes during Import-WorkTable' -Skip:(-not $postgres -or -not $root) {
    BeforeAll {
        # A database without a ledger: the crash must surface as the load's error, not as a lost run lock.
        New-TestDatabase PostgreSql crashdb
        $table = Get-TestUniqueName 't_stock'
        New-TestStockTable PostgreSql $table -Database crashdb
        $connectionString = Get-TestConnectionString PostgreSql crashdb
        $partition = Get-TestPartitionName PostgreSql $table 1
    }

    It 'fails with ConnectionFailed, leaves the live table, and the same import succeeds after recovery' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)'
            Connect-BatchDb -Provider PostgreSql -ConnectionString '$connectionString' | Out-Null
            Import-WorkTable -Table $table -Partition $partition -Path '$big'")
        $handle = $ps.BeginInvoke()
        $backend = Find-TestLoadingSession PostgreSql $table -Database crashdb
        Start-Sleep -Milliseconds 300
        & kill -9 $backend
        $ps.EndInvoke($handle) | Should -BeNullOrEmpty
        $ps.Streams.Error | Should -HaveCount 1
        $ps.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        $ps.Streams.Error[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $ps.Runspace.Dispose(); $ps.Dispose()

        $deadline = (Get-Date).AddSeconds(60)
        do {
            Start-Sleep -Milliseconds 250
            $up = try { Invoke-TestSql PostgreSql -Database crashdb 'SELECT 1' } catch { $null }
        } until ($up -eq '1' -or (Get-Date) -gt $deadline)
        $up | Should -Be '1'
        Get-TestStockRow PostgreSql $table -Database crashdb -Warehouse 1 | Should -HaveCount 10

        $again = Connect-BatchDb -Provider PostgreSql -ConnectionString $connectionString -Name 'after-crash'
        $result = Import-WorkTable -Table $table -Partition $partition -Path (Get-TestDataPath 'T_STOCK_S01.csv') -Connection $again -ErrorAction Stop
        $result.RowsLoaded | Should -Be 10
    }
}
