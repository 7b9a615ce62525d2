# Seed 002 end to end in a real pwsh, on both engines: New-WorkTable, Import-WorkTable | Switch-Partition and back,
# -WhatIf, errors as error records, -ErrorAction, progress and verbose streams, ForEach-Object -Parallel, stopping.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb

    $warehouse3 = 1..10 | ForEach-Object { '3|1234567-{0:d2}|{1}|1|2015-09-23 16:32:49' -f $_, @(82, 146, 593, 341, 788, 895, 133, 261, 427, 269)[$_ - 1] }
    $before1 = 1..10 | ForEach-Object { '1|1234567-{0:d2}|{1}|1|2015-09-23 16:33:52' -f $_, @(313, 600, 702, 395, 903, 679, 2, 158, 518, 75)[$_ - 1] }
    $after1 = 1..10 | ForEach-Object { '1|1234567-{0:d2}|{1}|1|2015-09-23 16:45:12' -f $_, @(400, 600, 400, 400, 600, 400, 400, 600, 400, 400)[$_ - 1] }
    $seedCsv = Get-TestDataPath 'T_STOCK_S01.csv'
}

Describe 'The seed scenario on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $connection = Connect-TestServer $provider -Name "seed-$provider"
        $partition = Get-TestPartitionName $provider $table 1
        $work = "${table}_S01"
    }
    AfterAll { Disconnect-BatchDb -Name "seed-$provider" -ErrorAction Ignore }

    It 'shows warehouses 1 and 3 as the article does before the switch' {
        Get-TestStockRow $provider $table | Should -Be @($before1 + $warehouse3)
    }

    It 'creates the work table with the live definition' {
        $info = New-WorkTable -Table $table -Partition $partition -WorkTable $work -Connection $connection -Confirm:$false
        $info.Created | Should -BeTrue
        $info.WorkTable | Should -BeLike "*.$work"
        $info.PartitionBound | Should -Match 'LIST'
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $work" | Should -Be '0'
    }

    It 'loads the file, switches warehouse 1 in, and keeps the old rows in the work table' {
        $result = Import-WorkTable -Table $table -Partition $partition -WorkTable $work -Path $seedCsv -Connection $connection |
            Switch-Partition -Confirm:$false
        $result.Attempts | Should -Be 1
        $result.LiveRows | Should -Be 10
        $result.WorkTableRows | Should -Be 10
        Get-TestStockRow $provider $table | Should -Be @($after1 + $warehouse3)
        Get-TestStockRow $provider $work -Warehouse 1 | Should -Be $before1
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $table WHERE STOCKHOUSE_ID IN (2, 4, 5)" | Should -Be '30'
    }

    It 'swaps back at once' {
        Switch-Partition -Table $table -Partition $partition -WorkTable $work -Connection $connection -Confirm:$false | Out-Null
        Get-TestStockRow $provider $table | Should -Be @($before1 + $warehouse3)
        Get-TestStockRow $provider $work -Warehouse 1 | Should -Be $after1
    }

    It '-WhatIf on the switch changes neither table' {
        $output = Switch-Partition -Table $table -Partition $partition -WorkTable $work -Connection $connection -WhatIf
        $output | Should -BeNullOrEmpty
        Get-TestStockRow $provider $table | Should -Be @($before1 + $warehouse3)
        Get-TestStockRow $provider $work -Warehouse 1 | Should -Be $after1
    }

    It '-WhatIf on the import creates no work table' {
        $other = Get-TestPartitionName $provider $table 2
        Import-WorkTable -Table $table -Partition $other -WorkTable "${table}_whatif" -Path $seedCsv -Connection $connection -WhatIf | Should -BeNullOrEmpty
        $exists = if ($provider -eq 'PostgreSql') { "SELECT COUNT(*) FROM pg_class WHERE relname = lower('${table}_whatif')" }
                  else { "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}_whatif'" }
        Invoke-TestSql $provider $exists | Should -Be '0'
    }

    It 'refuses rows of another warehouse with RowsOutsidePartition, and the live table stays' {
        $wrong = Join-Path $TestDrive "wrong-$provider.csv"
        (Get-Content $seedCsv) -replace '^"1"', '"2"' | Set-Content $wrong
        $output = Import-WorkTable -Table $table -Partition $partition -WorkTable $work -Path $wrong -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RowsOutsidePartition,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $failures[0].Exception.Message | Should -Match '2'
        Get-TestStockRow $provider $table | Should -Be @($before1 + $warehouse3)
    }

    It 'stops the script with -ErrorAction Stop and names the missing file' {
        $missing = Join-Path $TestDrive 'no-such-file.csv'
        $caught = $null
        try {
            Import-WorkTable -Table $table -Partition $partition -WorkTable $work -Path $missing -Connection $connection -ErrorAction Stop
            $reached = $true
        } catch {
            $caught = $_
        }
        $reached | Should -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'FileNotFound,*'
        $caught.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $caught.Exception.Message | Should -Match 'no-such-file\.csv'
    }

    It 'takes a name with brackets through -LiteralPath, and refuses it as a -Path pattern that matches nothing' {
        $odd = Join-Path $TestDrive 's01[1].csv'
        Copy-Item -LiteralPath $seedCsv -Destination $odd
        Import-WorkTable -Table $table -Partition $partition -WorkTable $work -Path $odd -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound,*'
        $failures[0].Exception.Message | Should -Match 'LiteralPath'
        $loaded = Import-WorkTable -Table $table -Partition $partition -WorkTable $work -LiteralPath $odd -Connection $connection
        $loaded.RowsLoaded | Should -Be 10
        $piped = Get-Item -LiteralPath $odd | Import-WorkTable -Table $table -Partition $partition -WorkTable $work -Connection $connection
        $piped.Path | Should -Be $odd
    }

    It 'refuses a -Path that matches several files, and loads none of them' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive "many-$provider")
        Copy-Item $seedCsv (Join-Path $folder 'a.csv'); Copy-Item $seedCsv (Join-Path $folder 'b.csv')
        Import-WorkTable -Table $table -Partition $partition -WorkTable "${table}_many" -Path (Join-Path $folder '*.csv') -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
        $failures[0].Exception.Message | Should -Match '2 files'
    }

    It 'names a missing table with TableNotFound' {
        Import-WorkTable -Table 'NO_SUCH_TABLE' -Partition $partition -Path $seedCsv -Connection $connection -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'TableNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].Exception.Message | Should -Match 'NO_SUCH_TABLE'
    }

    It 'reports progress while loading and each step in verbose text' {
        $ps = New-TestPowerShell $provider
        $null = $ps.AddCommand('Import-WorkTable').AddParameters(@{ Table = $table; Partition = $partition; WorkTable = $work; Path = $seedCsv; Verbose = $true })
        $out = $ps.Invoke()
        $ps.HadErrors | Should -BeFalse
        $out[0].RowsLoaded | Should -Be 10
        $ps.Streams.Progress.Count | Should -BeGreaterThan 1
        $ps.Streams.Progress.StatusDescription | Where-Object { $_ -like 'Loading*' } | Should -Not -BeNullOrEmpty
        ($ps.Streams.Progress | Select-Object -Last 1).RecordType | Should -Be 'Completed'
        ($ps.Streams.Verbose.Message -join "`n") | Should -Match 'Loaded 10 rows from .*T_STOCK_S01\.csv'
        $ps.Runspace.Dispose()
        $ps.Dispose()
    }
}

Describe '-WhatIf, -Confirm and -Verbose name the real objects on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $connection = Connect-TestServer $provider -Name "names-$provider"
        $partition = Get-TestPartitionName $provider $table 1
        $schema = if ($provider -eq 'PostgreSql') { 'public' } else { (Get-TestServerSetting $provider).Database }
        $shown = if ($provider -eq 'PostgreSql') { $table.ToLowerInvariant() } else { $table }
    }

    It '-WhatIf on a missing table is an error, not a rehearsal that succeeds' {
        Import-WorkTable -Table NO_SUCH_TABLE -Partition $partition -Path $seedCsv -Connection $connection -WhatIf -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'TableNotFound,*'
        New-WorkTable -Table $table -Partition NO_SUCH_PARTITION -Connection $connection -WhatIf -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PartitionNotFound,*'
    }

    It 'names the resolved work table and partition, with the default name not doubling the table name' {
        $ps = New-TestPowerShell $provider
        $given = if ($provider -eq 'PostgreSql') { $table.ToUpperInvariant() } else { $table }
        $null = $ps.AddCommand('Import-WorkTable').AddParameters(@{ Table = $given; Partition = $partition; Path = $seedCsv; Verbose = $true })
        $out = $ps.Invoke()
        $message = ($ps.Streams.Verbose.Message | Where-Object { $_ -like 'Performing the operation*' }) -join "`n"
        $expectedWork = if ($provider -eq 'PostgreSql') { "$partition`_work" } else { "${table}_$partition" }
        $message | Should -BeLike "*$schema.$expectedWork, the work table of partition $partition of $schema.$shown on *"
        $out[0].WorkTable | Should -Be "$schema.$expectedWork"
        $ps.Runspace.Dispose(); $ps.Dispose()
    }

    It 'Enable-ViewSwitch names both side tables exactly' {
        $plain = Get-TestUniqueName 'M_PRICE'
        Invoke-TestSql $provider "CREATE TABLE $plain (ITEM_ID varchar(20) PRIMARY KEY, PRICE int)"
        $ps = New-TestPowerShell $provider
        $null = $ps.AddCommand('Enable-ViewSwitch').AddParameters(@{ Table = $plain; Verbose = $true; Confirm = $false })
        $info = $ps.Invoke()
        $message = ($ps.Streams.Verbose.Message | Where-Object { $_ -like 'Performing the operation*' }) -join "`n"
        $message | Should -BeLike "*Rename $($info[0].Table) to $($info[0].LiveTable), create a view named $($info[0].Table) over it, and create the off-screen table $($info[0].WorkTable)*"
        $ps.Runspace.Dispose(); $ps.Dispose()
    }
}

Describe 'The nightly cycle, again and again, on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $connection = Connect-TestServer $provider -Name "cycle-$provider"
        $partition = Get-TestPartitionName $provider $table 1
        $bumped = Join-Path $TestDrive "bumped-$provider.csv"
    }

    It 'loads, switches and re-creates the work table five times, by default and by explicit name' {
        foreach ($cycle in 1..5) {
            (Get-Content $seedCsv) -replace '"1","2015', "`"$cycle`",`"2015" | Set-Content $bumped
            $imported = Import-WorkTable -Table $table -Partition $partition -Path $bumped -Connection $connection
            $imported.RowsLoaded | Should -Be 10
            $imported | Switch-Partition -Confirm:$false | Out-Null
            Invoke-TestSql $provider "SELECT MIN(VER_ID), MAX(VER_ID), COUNT(*) FROM $table WHERE STOCKHOUSE_ID = 1" | Should -Be "$cycle|$cycle|10"
            $recreated = New-WorkTable -Table $table -Partition $partition -WorkTable "${table}_S01_NEW" -Connection $connection -Force -Confirm:$false
            $recreated.Created | Should -BeTrue
            New-WorkTable -Table $table -Partition $partition -Connection $connection -Force -Confirm:$false | Out-Null
        }
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $table" | Should -Be '50'
    }
}

Describe 'Parallel loads with named connections on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        foreach ($w in 2, 4, 5) {
            (Get-Content $seedCsv) -replace '^"1"', "`"$w`"" -replace '"1","2015', '"2","2015' | Set-Content (Join-Path $TestDrive "s0$w-$provider.csv")
        }
    }

    It 'switches three warehouses from three runspaces, each with its own named connection' {
        $module = Get-TestModulePath
        $cs = Get-TestConnectionString $provider
        $results = 2, 4, 5 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:module
            $name = "w$_"
            Connect-BatchDb -Provider $using:provider -ConnectionString $using:cs -Name $name | Out-Null
            $partition = if ($using:provider -eq 'PostgreSql') { "$(($using:table).ToLowerInvariant())_p_s0$_" } else { "P_S0$_" }
            Import-WorkTable -Table $using:table -Partition $partition -Path (Join-Path $using:TestDrive "s0$_-$($using:provider).csv") -Connection $name |
                Switch-Partition -Confirm:$false
        }
        $results | Should -HaveCount 3
        $results.LiveRows | Should -Be @(10, 10, 10)
        Invoke-TestSql $provider "SELECT STOCKHOUSE_ID, COUNT(*), MIN(VER_ID), MAX(VER_ID) FROM $table GROUP BY STOCKHOUSE_ID ORDER BY 1" |
            Should -Be @('1|10|1|1', '2|10|2|2', '3|10|1|1', '4|10|2|2', '5|10|2|2')
        Get-BatchDbConnection -Name 'w*' | Should -BeNullOrEmpty -Because 'each runspace keeps its own connections'
    }
}

Describe 'Stopping a running import on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $big = Join-Path $TestDrive "big-$provider.csv"
        New-TestBigCsv $big
    }

    It 'stops promptly when the pipeline is stopped, and the live partition is unchanged' {
        $partition = Get-TestPartitionName $provider $table 1
        $ps = New-TestPowerShell $provider
        $batchName = Get-TestUniqueName 'stopped'
        $null = $ps.AddCommand('Initialize-BatchSchema').AddParameter('Confirm', $false).AddStatement().AddCommand('Out-Null')
        $ps.Invoke(); $ps.Commands.Clear()
        $null = $ps.AddCommand('Import-WorkTable').AddParameters(@{ Table = $table; Partition = $partition; Path = $big; BatchName = $batchName })
        $handle = $ps.BeginInvoke()
        $deadline = (Get-Date).AddSeconds(30)
        while (-not ($ps.Streams.Progress.StatusDescription -like 'Loading*') -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Start-Sleep -Milliseconds 300
        $handle.IsCompleted | Should -BeFalse -Because 'the load of 1.5M rows must still be running when it is stopped'
        $stopped = Stop-TestPowerShell $ps
        $stopped.Seconds | Should -BeLessThan 5
        $stopped.State | Should -Be 'Stopped'
        Get-TestStockRow $provider $table -Warehouse 1 | Should -Be $before1
        $ledger = Get-LedgerTable $provider
        Invoke-TestSql $provider "SELECT status, error_message FROM $ledger WHERE batch_name = '$batchName'" |
            Should -Be 'Failed|Stopped before it completed (the caller cancelled the run).'
    }
}

Describe 'Invoke-BatchJob -Wait within -Timeout on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $connection = Connect-TestServer $provider -Name "wait-$provider"
        Initialize-BatchSchema -Connection $connection -Confirm:$false | Out-Null
        $name = Get-TestUniqueName 'waiting'
        $holder = Start-BatchExecution -Name $name -Connection $connection
    }
    AfterAll { $holder | Complete-BatchExecution -ErrorAction Ignore | Out-Null }

    It 'gives up when the wait reaches the timeout, names the holder, and runs nothing' {
        $ps = New-TestPowerShell $provider
        $null = $ps.AddCommand('Invoke-BatchJob').AddParameters(@{ Name = $name; Wait = $true; Timeout = [timespan]'00:00:03'; ScriptBlock = { 'ran' }; Confirm = $false })
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $out = $ps.Invoke()
        $watch.Stop()
        $out | Should -BeNullOrEmpty
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 3
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 6
        $ps.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'RunTimedOut,*'
        $ps.Streams.Error[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $ps.Streams.Error[0].Exception.Message | Should -Match "execution $($holder.ExecutionId)"
        $ps.Runspace.Dispose(); $ps.Dispose()
        (Get-BatchExecution -Name $name -Connection $connection).ExecutionId | Should -Be @($holder.ExecutionId)
    }
}

Describe 'A work table that no completed import checked cannot go live on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $connection = Connect-TestServer $provider -Name "unchecked-$provider"
        $partition = Get-TestPartitionName $provider $table 1
        $work = "${table}_HAND"
        New-WorkTable -Table $table -Partition $partition -WorkTable $work -Connection $connection -Confirm:$false | Out-Null
        Invoke-TestSql $provider "INSERT INTO $work VALUES (1, 'HAND-1', 1, '9', '2026-11-30 00:00:00'), (1, 'HAND-2', 2, '9', '2026-11-30 00:00:00')"
    }

    It 'refuses two rows inserted by hand over a ten-row partition, and changes nothing' {
        Switch-Partition -Table $table -Partition $partition -WorkTable $work -Connection $connection -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RowCountTooLow,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $failures[0].Exception.Message | Should -Match '2 rows, below 0\.5 of the 10 rows'
        Get-TestStockRow $provider $table -Warehouse 1 | Should -Be $before1
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $work" | Should -Be '2'
    }

    It 'switches them in with -Force, and swaps back' {
        (Switch-Partition -Table $table -Partition $partition -WorkTable $work -Connection $connection -Confirm:$false -Force).LiveRows | Should -Be 2
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $table WHERE STOCKHOUSE_ID = 1" | Should -Be '2'
        Switch-Partition -Table $table -Partition $partition -WorkTable $work -Connection $connection -Confirm:$false | Out-Null
        Get-TestStockRow $provider $table -Warehouse 1 | Should -Be $before1
    }
}

Describe 'The initial fill of a partitioned table from one mixed file on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        Invoke-TestSql $provider "DELETE FROM $table" | Out-Null
        $connection = Connect-TestServer $provider -Name "fill-$provider"
        $partitions = 1..5 | ForEach-Object { Get-TestPartitionName $provider $table $_ }
        $listPartitions = if ($provider -eq 'PostgreSql') { "SELECT c.relname, c.relkind FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '$($table.ToLowerInvariant())'::regclass ORDER BY 1" }
                          else { "SELECT PARTITION_NAME, 'r' FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$table' ORDER BY 1" }
    }

    It 'loads all warehouses through the whole table''s work table, and the table stays partitioned under the same partition names' {
        $result = Import-WorkTable -Table $table -Path (Get-TestDataPath 'T_STOCK.csv') -Connection $connection | Switch-Table -Confirm:$false
        $result.LiveRows | Should -Be 50
        Get-TestStockRow $provider $table | Should -Be @($before1 + $warehouse3)
        Invoke-TestSql $provider $listPartitions | Should -Be @($partitions | ForEach-Object { "$_|r" })
        Invoke-TestSql $provider "SELECT STOCKHOUSE_ID, COUNT(*) FROM $table GROUP BY STOCKHOUSE_ID ORDER BY 1" | Should -Be @(1..5 | ForEach-Object { "$_|10" })
    }

    It 'switches one partition by its name afterwards, and the whole table back' {
        (Import-WorkTable -Table $table -Partition $partitions[0] -Path $seedCsv -Connection $connection | Switch-Partition -Confirm:$false).LiveRows | Should -Be 10
        Get-TestStockRow $provider $table | Should -Be @($after1 + $warehouse3)
        Switch-Table -Table $table -Connection $connection -Confirm:$false -Force | Out-Null
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $table" | Should -Be '0'
        Invoke-TestSql $provider $listPartitions | Should -Be @($partitions | ForEach-Object { "$_|r" })
    }
}

Describe 'New-WorkTable -Force over the rollback copy on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $connection = Connect-TestServer $provider -Name "force-$provider"
        $partition = Get-TestPartitionName $provider $table 1
        $work = "${table}_RB"
        Import-WorkTable -Table $table -Partition $partition -WorkTable $work -Path $seedCsv -Connection $connection | Switch-Partition -Confirm:$false | Out-Null
    }

    It 'asks before dropping a work table that holds rows, so a script without -Confirm:$false keeps them' {
        $ps = New-TestPowerShell $provider
        $null = $ps.AddCommand('New-WorkTable').AddParameters(@{ Table = $table; Partition = $partition; WorkTable = $work; Force = $true })
        { $ps.Invoke() } | Should -Throw '*prompts the user*holds 10 rows, the rollback copy*'
        $ps.Runspace.Dispose(); $ps.Dispose()
        Get-TestStockRow $provider $work -Warehouse 1 | Should -Be $before1
    }

    It 'drops and re-creates it with -Confirm:$false' {
        (New-WorkTable -Table $table -Partition $partition -WorkTable $work -Connection $connection -Force -Confirm:$false).Created | Should -BeTrue
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $work" | Should -Be '0'
    }
}

Describe 'Line numbers are the file''s lines on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $connection = Connect-TestServer $provider -Name "lines-$provider"
        $partition = Get-TestPartitionName $provider $table 1
        $multiline = Join-Path $TestDrive "multiline-$provider.csv"
        # Record 2 spans lines 2-3 (a quoted line break); record 3, on line 4, has an amount that is not a number.
        [IO.File]::WriteAllText($multiline, "`"1`",`"A-1`",`"10`",`"1`",`"2015/09/23 16:45:12`"`n`"1`",`"A`n2`",`"20`",`"1`",`"2015/09/23 16:45:12`"`n`"1`",`"A-3`",`"x30`",`"1`",`"2015/09/23 16:45:12`"`n")
    }

    It 'names line 4 for a bad value after a quoted field that spans two lines' {
        Import-WorkTable -Table $table -Partition $partition -Path $multiline -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CsvInvalid,*'
        $failures[0].Exception.Message | Should -Match 'line 4\b'
        $failures[0].Exception.Message | Should -Not -Match 'line 3\b'
        Get-TestStockRow $provider $table -Warehouse 1 | Should -Be $before1
    }
}

Describe 'The same file gets the same outcome on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'M_PRICE'
        $money = if ($provider -eq 'PostgreSql') { 'numeric(12,2)' } else { 'DECIMAL(12,2)' }
        Invoke-TestSql $provider "CREATE TABLE $table (ITEM_ID varchar(20) PRIMARY KEY, PRICE $money, NOTE varchar(50))"
        Invoke-TestSql $provider "INSERT INTO $table VALUES ('A-1', 100, 'old')"
        $connection = Connect-TestServer $provider -Name "same-$provider"
        $exact = Join-Path $TestDrive "exact-$provider.csv"
        Set-Content $exact "A-1,12.30,a`nB-2,12.340,b`nC-3,-7,c"
        $rounding = Join-Path $TestDrive "rounding-$provider.csv"
        Set-Content $rounding "A-1,12.30,a`nB-2,12.345,b`nC-3,7,c"
        $nul = Join-Path $TestDrive "nul-$provider.csv"
        [IO.File]::WriteAllBytes($nul, [Text.Encoding]::ASCII.GetBytes("A-1,1.00,a`nB-2,2.00,b`0c`n"))
    }

    It 'loads amounts that fit the column''s scale, trailing zeros included' {
        (Import-WorkTable -Table $table -Path $exact -Connection $connection).RowsLoaded | Should -Be 3
        Invoke-TestSql $provider "SELECT ITEM_ID, PRICE FROM ${table}_work ORDER BY 1" | Should -Be @('A-1|12.30', 'B-2|12.34', 'C-3|-7.00')
    }

    It 'refuses an amount with more decimal places than the column keeps, naming line and column' {
        Import-WorkTable -Table $table -Path $rounding -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CsvInvalid,*'
        $failures[0].Exception.Message | Should -Match 'line 2\b'
        $failures[0].Exception.Message | Should -Match '(?i)price'
        $failures[0].Exception.Message | Should -Match '12\.345'
        Invoke-TestSql $provider "SELECT COUNT(*) FROM ${table}_work" | Should -Be '0'
        Invoke-TestSql $provider "SELECT PRICE FROM $table" | Should -Be '100.00'
    }

    It 'refuses a NUL byte, naming its line' {
        Import-WorkTable -Table $table -Path $nul -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CsvInvalid,*'
        $failures[0].Exception.Message | Should -Match 'line 2\b'
        Invoke-TestSql $provider "SELECT COUNT(*) FROM ${table}_work" | Should -Be '0'
    }
}

Describe 'An unclosed quote is reported where it opens on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $connection = Connect-TestServer $provider -Name "quote-$provider"
        $partition = Get-TestPartitionName $provider $table 1
        $unclosed = Join-Path $TestDrive "unclosed-$provider.csv"
        $lines = Get-Content $seedCsv
        $lines[2] = $lines[2] -replace '"1234567-03"', '"1234567-03'
        Set-Content $unclosed $lines
    }

    It 'names line 3, and loads nothing' {
        Import-WorkTable -Table $table -Partition $partition -Path $unclosed -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CsvInvalid,*'
        $failures[0].Exception.Message | Should -Match 'line 3\b'
        Get-TestStockRow $provider $table -Warehouse 1 | Should -Be $before1
    }
}

Describe 'Rows outside the partition are named by line and key on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $connection = Connect-TestServer $provider -Name "outside-$provider"
        $partition = Get-TestPartitionName $provider $table 1
        $strays = Join-Path $TestDrive "strays-$provider.csv"
        $lines = Get-Content $seedCsv
        $lines[3] = $lines[3] -replace '^"1"', '"5"'
        $lines[6] = $lines[6] -replace '^"1"', '"5"'
        Set-Content $strays $lines
    }

    It 'names the first offending row''s file line and key, and loads nothing' {
        Import-WorkTable -Table $table -Partition $partition -Path $strays -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RowsOutsidePartition,*'
        $failures[0].Exception.Message | Should -Match 'line 4\b'
        $failures[0].Exception.Message | Should -Match '1234567-04'
        if ($provider -eq 'MySql') {
            $failures[0].Exception.Message | Should -Match '2 row\(s\) do not belong'
            $failures[0].Exception.Message | Should -Match 'line 7: STOCKHOUSE_ID 5, ITEM_ID 1234567-07'
        }
        Get-TestStockRow $provider $table -Warehouse 1 | Should -Be $before1
    }
}

Describe 'A duplicate key is named by its line on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $connection = Connect-TestServer $provider -Name "duplicate-$provider"
        $partition = Get-TestPartitionName $provider $table 1
        $duplicated = Join-Path $TestDrive "duplicated-$provider.csv"
        $lines = Get-Content $seedCsv
        $lines[5] = $lines[5] -replace '1234567-06', '1234567-02'
        Set-Content $duplicated $lines
    }

    It 'names line 6 and the key, and loads nothing' {
        Import-WorkTable -Table $table -Partition $partition -Path $duplicated -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CsvInvalid,*'
        $failures[0].Exception.Message | Should -Match 'line 6\b'
        $failures[0].Exception.Message | Should -Match '1234567-02'
        Get-TestStockRow $provider $table -Warehouse 1 | Should -Be $before1
    }
}

Describe 'One Switch-Partition for several partitions on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $connection = Connect-TestServer $provider -Name "several-$provider"
        $partitions = 1..4 | ForEach-Object { Get-TestPartitionName $provider $table $_ }
        $files = foreach ($w in 1..4) {
            $file = Join-Path $TestDrive "w$w.csv"
            Set-Content $file (1..12 | ForEach-Object { "$w,NEW-$_,$_,2,2026-11-30 10:00:00" })
            $file
        }
        $old = foreach ($w in 1..4) { , @(Get-TestStockRow $provider $table -Warehouse $w) }
        function Get-NewRowCount([int] $Warehouse) {
            Invoke-TestSql $provider "SELECT COUNT(*) FROM $table WHERE STOCKHOUSE_ID = $Warehouse AND ITEM_ID LIKE 'NEW-%'"
        }
    }

    It 'switches them side by side and writes the results in input order, with the old rows left in the work tables' {
        $imports = foreach ($w in 1..4) { Import-WorkTable -Table $table -Partition $partitions[$w - 1] -Path $files[$w - 1] -Connection $connection }
        $results = $imports | Switch-Partition -Confirm:$false
        $results.Partition | Should -Be $partitions
        $results.LiveRows | Should -Be @(12, 12, 12, 12)
        (1..4 | ForEach-Object { Get-NewRowCount $_ }) | Should -Be @('12', '12', '12', '12')
        $results.WorkTableRows | Should -Be @(10, 10, 10, 10)
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $($results[3].WorkTable) WHERE ITEM_ID NOT LIKE 'NEW-%'" | Should -Be '10'
    }

    It 'switches the same partition there and back, in input order' {
        $results = @(1, 1) | ForEach-Object { [pscustomobject]@{ Table = $table; Partition = $partitions[0] } } |
            Switch-Partition -Connection $connection -Confirm:$false
        $results.LiveRows | Should -Be @(10, 12)
        Get-NewRowCount 1 | Should -Be '12'
    }

    It 'reports a failed input as its own error while the others go through, in input order' {
        $empty = "$($table)_EMPTY"
        New-WorkTable -Table $table -Partition $partitions[2] -WorkTable $empty -Connection $connection -Confirm:$false | Out-Null
        $inputs = @(
            [pscustomobject]@{ Table = $table; Partition = $partitions[1] }
            [pscustomobject]@{ Table = $table; Partition = $partitions[2]; WorkTable = $empty }
            [pscustomobject]@{ Table = $table; Partition = $partitions[3] })
        $results = $inputs | Switch-Partition -Connection $connection -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $results.Partition | Should -Be @($partitions[1], $partitions[3])
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'WorkTableEmpty,*'
        $failures[0].Exception.Message | Should -BeLike "*$empty*"
        Get-TestStockRow $provider $table -Warehouse 2 | Should -Be $old[1]
        Get-NewRowCount 3 | Should -Be '12'
        Get-TestStockRow $provider $table -Warehouse 4 | Should -Be $old[3]
    }

    It 'stops promptly with switches under way, waiting for a lock, and the table stays as it was' {
        $before = Get-TestStockRow $provider $table -Warehouse 1, 2, 3, 4
        $hold = if ($provider -eq 'PostgreSql') { "BEGIN; LOCK TABLE $table IN ACCESS SHARE MODE; SELECT pg_sleep(6); COMMIT;" }
                else { "START TRANSACTION; SELECT COUNT(*) FROM $table; SELECT SLEEP(6); COMMIT;" }
        $holder = [powershell]::Create()
        $null = $holder.AddScript({ param($helpers, $provider, $sql) Import-Module $helpers; Invoke-TestSql $provider $sql }).
            AddArgument("$PSScriptRoot/BatchDb.TestHelpers.psm1").AddArgument($provider).AddArgument($hold)
        $held = $holder.BeginInvoke()
        Start-Sleep -Seconds 1
        $ps = New-TestPowerShell $provider
        $inputs = [System.Management.Automation.PSDataCollection[psobject]]::new()
        foreach ($w in 2..4) { $inputs.Add([pscustomobject]@{ Table = $table; Partition = $partitions[$w - 1] }) }
        $inputs.Complete()
        $null = $ps.AddCommand('Switch-Partition').AddParameters(@{ LockWaitTimeout = 5; Confirm = $false })
        $handle = $ps.BeginInvoke($inputs)
        Start-Sleep -Milliseconds 1500
        $handle.IsCompleted | Should -BeFalse -Because 'the switches wait for the lock the holder keeps'
        $stopped = Stop-TestPowerShell $ps
        $stopped.Seconds | Should -BeLessThan 4
        $stopped.State | Should -Be 'Stopped'
        $null = $holder.EndInvoke($held); $holder.Dispose()
        Get-TestStockRow $provider $table -Warehouse 1, 2, 3, 4 | Should -Be $before
    }

    It 'switches one input at a time with -ThrottleLimit 1, as well' {
        $results = $partitions[1], $partitions[3] | ForEach-Object { [pscustomobject]@{ Table = $table; Partition = $_ } } |
            Switch-Partition -Connection $connection -ThrottleLimit 1 -Confirm:$false
        $results.Partition | Should -Be @($partitions[1], $partitions[3])
        (2..4 | ForEach-Object { Get-NewRowCount $_ }) | Should -Be @('12', '12', '12')
    }
}
