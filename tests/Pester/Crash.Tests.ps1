# Runs alone: it crashes both servers (every session of every test is ended while they recover) and freezes them
# (SIGSTOP). A crashed MariaDB is started again by scripts/test-servers.sh restart-mariadb.
# A server crashed mid-load (SIGKILL of a PostgreSQL backend, which makes the postmaster end all sessions and recover,
# or of mariadbd): the import fails with ConnectionFailed, the live table is as it was, and the same import succeeds
# once the server accepts sessions again.
# A server frozen mid-load answers nothing, not even the ledger: -Timeout still ends the run in bounded time, Stop
# returns at once, pwsh survives, and after the server resumes the live table is unchanged and the next run succeeds.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
    $root = (& id -u) -eq '0'
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
    $big = Join-Path $TestDrive 'big.csv'
    New-TestBigCsv $big
}

Describe 'A server that crashes during Import-WorkTable on <_>' -ForEach $engines -Skip:(-not $root) {
    BeforeAll {
        $provider = $_
        # A database without a ledger: the crash must surface as the load's error, not as a lost run lock.
        New-TestDatabase $provider crashdb
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table -Database crashdb
        $connectionString = Get-TestConnectionString $provider crashdb
        $partition = Get-TestPartitionName $provider $table 1
    }

    It 'fails with ConnectionFailed, leaves the live table, and the same import succeeds after recovery' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)'
            Connect-BatchDb -Provider $provider -ConnectionString '$connectionString' | Out-Null
            Import-WorkTable -Table $table -Partition $partition -Path '$big'")
        $handle = $ps.BeginInvoke()
        $backend = Find-TestLoadingSession $provider $table -Database crashdb
        # PostgreSQL: SIGKILL of one backend makes the postmaster end every session and recover. MariaDB: the server.
        $victim = if ($provider -eq 'PostgreSql') { $backend } else { [int](Get-Content (Invoke-TestSql MySql 'SELECT @@pid_file' -Database crashdb)).Trim() }
        (Get-Process -Id $victim).ProcessName | Should -Match '^(postgres|mariadbd)\b'
        Start-Sleep -Milliseconds 300
        & kill -9 $victim
        $ps.EndInvoke($handle) | Should -BeNullOrEmpty
        $ps.Streams.Error | Should -HaveCount 1
        $ps.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        $ps.Streams.Error[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $ps.Streams.Error[0].Exception.Message | Should -Match 'The connection to the (MySQL|PostgreSQL) server was lost'
        $ps.Runspace.Dispose(); $ps.Dispose()

        if ($provider -eq 'MySql') {
            & bash "$PSScriptRoot/../../scripts/test-servers.sh" restart-mariadb
            $LASTEXITCODE | Should -Be 0
        }
        $deadline = (Get-Date).AddSeconds(60)
        do {
            Start-Sleep -Milliseconds 250
            $up = try { Invoke-TestSql $provider -Database crashdb 'SELECT 1' } catch { $null }
        } until ($up -eq '1' -or (Get-Date) -gt $deadline)
        $up | Should -Be '1'
        Get-TestStockRow $provider $table -Database crashdb -Warehouse 1 | Should -HaveCount 10

        $again = Connect-BatchDb -Provider $provider -ConnectionString $connectionString -Name "after-crash-$provider"
        $result = Import-WorkTable -Table $table -Partition $partition -Path (Get-TestDataPath 'T_STOCK_S01.csv') -Connection $again -ErrorAction Stop
        $result.RowsLoaded | Should -Be 10
    }
}

Describe 'A server that freezes during Import-WorkTable on <_>' -ForEach $engines -Skip:(-not $root) {
    BeforeAll {
        $provider = $_
        $database = 'freezedb'
        New-TestDatabase $provider $database
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table -Database $database
        $connectionString = Get-TestConnectionString $provider $database
        $partition = Get-TestPartitionName $provider $table 1
        $owner = Connect-BatchDb -Provider $provider -ConnectionString $connectionString -Name "freeze-owner-$provider"
        Initialize-BatchSchema -Connection $owner -Confirm:$false | Out-Null
        $ledger = Get-LedgerTable $provider

        # Every process of the server (MariaDB is one, PostgreSQL a postmaster and its children), checked by name so
        # that nothing else is ever stopped.
        function Get-ServerProcess {
            [int[]] $ids = if ($provider -eq 'PostgreSql') {
                $data = Invoke-TestSql PostgreSql 'SHOW data_directory' -Database $database
                $postmaster = [int](Get-Content (Join-Path $data 'postmaster.pid') -TotalCount 1).Trim()
                @($postmaster) + @(& pgrep -P $postmaster)
            } else {
                [int](Get-Content (Invoke-TestSql MySql 'SELECT @@pid_file' -Database $database)).Trim()
            }
            $server = foreach ($id in $ids) {
                $process = Get-Process -Id $id -ErrorAction SilentlyContinue
                if (-not $process) { continue }  # a backend that has just ended
                if ($id -le 1 -or $process.ProcessName -notmatch '^(mariadbd|postgres)\b') { throw "Refusing to stop process $id ($($process.ProcessName)): not the $provider server." }
                $id
            }
            , [int[]] $server
        }

        function Start-FrozenLoad([string] $Script) {
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)'
                Connect-BatchDb -Provider $provider -ConnectionString '$connectionString' | Out-Null
                $Script")
            $handle = $ps.BeginInvoke()
            $null = Find-TestLoadingSession $provider $table -Database $database
            $processes = Get-ServerProcess
            Start-Sleep -Milliseconds 500
            & kill -STOP $processes
            @{ Shell = $ps; Handle = $handle; Processes = $processes; Clock = [Diagnostics.Stopwatch]::StartNew() }
        }

        function Resume-Server($frozen) {
            & kill -CONT $frozen.Processes
            $deadline = (Get-Date).AddSeconds(60)
            do { $up = try { Invoke-TestSql $provider 'SELECT 1' -Database $database } catch { $null } } until ($up -eq '1' -or (Get-Date) -gt $deadline)
        }
    }

    It 'Invoke-BatchJob -Timeout ends the run as TimedOut in bounded time, and the next run succeeds' {
        $frozen = Start-FrozenLoad "Invoke-BatchJob -Name 'frozen-$table' -Timeout 00:00:05 -ScriptBlock { Import-WorkTable -Table $table -Partition $partition -Path '$big' }"
        try {
            $finished = $frozen.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(90))
            $seconds = $frozen.Clock.Elapsed.TotalSeconds
        } finally { Resume-Server $frozen }
        $finished | Should -BeTrue -Because 'a frozen server must not hold the run past its timeout and the ledger command timeout'
        $seconds | Should -BeLessThan 90
        $frozen.Shell.Streams.Error | Should -HaveCount 1
        $frozen.Shell.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'RunTimedOut,*'
        $frozen.Shell.Streams.Error[0].Exception.Message | Should -Match 'exceeded its timeout of 00:00:05'
        $frozen.Shell.Streams.Warning | Where-Object Message -Match 'could not be recorded' | Should -BeNullOrEmpty -Because 'the error already says the ledger could not be written'
        $frozen.Shell.Runspace.Dispose(); $frozen.Shell.Dispose()
        Get-TestStockRow $provider $table -Database $database -Warehouse 1 | Should -HaveCount 10

        # The timed-out run closed its lock session while the server was frozen; the resumed server frees the lock when
        # it reads that close, a moment later, so the next run waits for it (bounded) rather than racing it.
        $again = Invoke-BatchJob -Name "frozen-$table" -Connection $owner -PassThru -Wait -Timeout 00:00:30 -ScriptBlock {
            Import-WorkTable -Table $table -Partition $partition -Path (Get-TestDataPath "T_STOCK_S01.csv") -Connection $owner | Out-Null
        } -ErrorAction Stop
        $again.Status | Should -Be 'Succeeded'
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $ledger WHERE batch_name = 'frozen-$table' AND parent_id IS NULL AND status = 'Running'" -Database $database | Should -Be '0'
    }

    It 'Stop returns at once and pwsh stays up' {
        $frozen = Start-FrozenLoad "Import-WorkTable -Table $table -Partition $partition -Path '$big'"
        try {
            $stop = [Diagnostics.Stopwatch]::StartNew()
            $frozen.Shell.Stop()
            $stopSeconds = $stop.Elapsed.TotalSeconds
            Start-Sleep -Seconds 3
        } finally { Resume-Server $frozen }
        $stopSeconds | Should -BeLessThan 10
        $frozen.Shell.InvocationStateInfo.State | Should -Be 'Stopped'
        $frozen.Shell.Runspace.Dispose(); $frozen.Shell.Dispose()
        Get-TestStockRow $provider $table -Database $database -Warehouse 1 | Should -HaveCount 10
    }
}
