# A login without grants gets PermissionDenied naming the privilege and the object, not "not found" for objects that
# exist or a raw server message; a login that only reads needs only read grants.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
}

Describe 'A login with read grants only on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $owner = Connect-TestServer $provider -Name "owner-$provider"
        Initialize-BatchSchema -Connection $owner -Confirm:$false | Out-Null
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $hidden = Get-TestUniqueName 'T_HIDDEN'
        New-TestStockTable $provider $hidden
        $login = Get-TestUniqueName 'reader'
        $setting = Get-TestServerSetting $provider
        if ($provider -eq 'PostgreSql') {
            Invoke-TestSql $provider "CREATE ROLE $login LOGIN PASSWORD 'reader-pw'; GRANT SELECT ON $($table.ToLowerInvariant()) TO $login" | Out-Null
            $cs = "Host=$($setting.Server);Port=$($setting.Port);Database=$($setting.Database);Username=$login;Password=reader-pw"
        } else {
            foreach ($hostName in 'localhost', '127.0.0.1') {
                Invoke-TestSql $provider "CREATE USER '$login'@'$hostName' IDENTIFIED BY 'reader-pw'; GRANT SELECT ON $($setting.Database).$table TO '$login'@'$hostName'" | Out-Null
            }
            $cs = "Server=$($setting.Server);Port=$($setting.Port);Database=$($setting.Database);User ID=$login;Password=reader-pw"
        }
        $reader = Connect-BatchDb -Provider $provider -ConnectionString $cs -Name "reader-$provider"
        $partition = Get-TestPartitionName $provider $table 1
        # A monthly-partitioned table the reader may SELECT, for the reading cmdlets.
        $monthly = Get-TestUniqueName 'monthly'
        if ($provider -eq 'PostgreSql') {
            Invoke-TestSql $provider @"
CREATE TABLE $monthly (id bigint, created_at timestamp NOT NULL, updated_at timestamp) PARTITION BY RANGE (created_at);
CREATE TABLE ${monthly}_2026_10 PARTITION OF $monthly FOR VALUES FROM ('2026-10-01') TO ('2026-11-01');
CREATE TABLE ${monthly}_2026_11 PARTITION OF $monthly FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
INSERT INTO $monthly VALUES (1, '2026-10-05', '2026-10-05'), (2, '2026-11-05', '2026-11-05');
GRANT SELECT ON $monthly TO $login;
"@ | Out-Null
        } else {
            Invoke-TestSql $provider @"
CREATE TABLE $monthly (id BIGINT, created_at DATETIME NOT NULL, updated_at DATETIME) PARTITION BY RANGE COLUMNS (created_at) (
  PARTITION p2026_10 VALUES LESS THAN ('2026-11-01'), PARTITION p2026_11 VALUES LESS THAN ('2026-12-01'));
INSERT INTO $monthly VALUES (1, '2026-10-05', '2026-10-05'), (2, '2026-11-05', '2026-11-05');
"@ | Out-Null
            foreach ($hostName in 'localhost', '127.0.0.1') { Invoke-TestSql $provider "GRANT SELECT ON $($setting.Database).$monthly TO '$login'@'$hostName'" | Out-Null }
        }
    }

    It 'lists monthly partitions and serves as the source of an extract with SELECT alone' {
        (Get-MonthlyPartition -Table $monthly -Connection $reader).Count | Should -Be 2
        $staging = Get-TestUniqueName 'staging'
        $time = if ($provider -eq 'PostgreSql') { 'timestamp' } else { 'DATETIME' }
        Invoke-TestSql $provider "CREATE TABLE $staging (id bigint, created_at $time, updated_at $time, batch_id varchar(50))"
        (Copy-BatchData -Source $reader -SourceTable $monthly -Table $staging -WatermarkColumn updated_at -Connection $owner).RowsCopied | Should -Be 2
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $staging" | Should -Be '2'
    }

    It 'reads what it may read: Tab completion lists its table, and -WhatIf of a load names it' {
        $line = "Import-WorkTable -Connection reader-$provider -Table $($table.Substring(0, 12))"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Contain $(if ($provider -eq 'PostgreSql') { $table.ToLowerInvariant() } else { $table })
    }

    It 'is told PermissionDenied for the ledger, naming the grants it needs, not LedgerNotFound or a raw error' {
        Get-BatchExecution -Connection $reader -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PermissionDenied,*'
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failures[0].Exception.Message | Should -Match 'ledger .* exists, but this login may not use it'
        $failures[0].Exception.Message | Should -Match 'INSERT and UPDATE'
        Initialize-BatchSchema -Connection $reader -WhatIf -ErrorVariable failures -ErrorAction SilentlyContinue | Out-Null
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PermissionDenied,*'
    }

    It 'is told PermissionDenied for a table it may not read that exists, not TableNotFound' {
        $hiddenPartition = Get-TestPartitionName $provider $hidden 1
        Import-WorkTable -Table $hidden -Partition $hiddenPartition -Path (Get-TestDataPath 'T_STOCK_S01.csv') -Connection $reader -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PermissionDenied,*'
        $failures[0].Exception.Message | Should -Match '(?i)denied'
        Get-TestStockRow $provider $hidden -Warehouse 1 | Should -HaveCount 10
    }

    It 'cannot load its own table''s work table without CREATE, and the live table stays' {
        Import-WorkTable -Table $table -Partition $partition -Path (Get-TestDataPath 'T_STOCK_S01.csv') -Connection $reader -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        Get-TestStockRow $provider $table -Warehouse 1 | Should -HaveCount 10
    }

    It 'monitors the ledger with SELECT on it alone: Get-BatchExecution, Get-BatchStatistic, Get-BatchSchedule' {
        $dead = Get-TestUniqueName 'dead'
        $ledger = Get-LedgerTable $provider
        $now = if ($provider -eq 'PostgreSql') { "(now() AT TIME ZONE 'UTC')" } else { 'UTC_TIMESTAMP(6)' }
        Invoke-TestSql $provider ("INSERT INTO $ledger (batch_name, host, process_id, start_time, status, last_heartbeat, heartbeat_seconds) " +
            "VALUES ('$dead', 'gone-host', 1, $now - INTERVAL '1' HOUR, 'Running', $now - INTERVAL '1' HOUR, 30)") | Out-Null
        Register-BatchSchedule -Name $dead -Cron '0 2 * * *' -Connection $owner -Confirm:$false | Out-Null
        if ($provider -eq 'PostgreSql') {
            Invoke-TestSql $provider "GRANT USAGE ON SCHEMA batch TO $login; GRANT SELECT ON ALL TABLES IN SCHEMA batch TO $login" | Out-Null
        } else {
            foreach ($ledgerTable in 'batch_executions', 'batch_schedule', 'batch_watermarks', 'batch_ledger_version') {
                foreach ($hostName in 'localhost', '127.0.0.1') { Invoke-TestSql $provider "GRANT SELECT ON $($setting.Database).$ledgerTable TO '$login'@'$hostName'" | Out-Null }
            }
        }

        $seen = Get-BatchExecution -Name $dead -Connection $reader -ErrorAction Stop
        $seen.Status | Should -Be 'Running' -Because 'a login that may only read sees the run as recorded'
        (Get-BatchStatistic -Name $dead -Connection $reader -ErrorAction Stop).Executions | Should -Be 1
        (Get-BatchSchedule -Name $dead -Connection $reader -ErrorAction Stop).CronExpression | Should -Be '0 2 * * *'
        (Get-BatchExecution -Name $dead -Connection $owner -ErrorAction Stop).Status | Should -Be 'Abandoned' -Because 'a login that may write marks the dead run'
    }
}
