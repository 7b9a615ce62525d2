# Change capture from PostgreSQL logical replication into staging on both engines: what arrives, exactly once,
# the refusals, and receivers killed with kill -9 while the source keeps writing.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $destinations = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
    New-TestDatabase PostgreSql cdc_source
    $online = Connect-BatchDb -Provider PostgreSql -ConnectionString (Get-TestConnectionString PostgreSql cdc_source) -Name cdc-online
    function Source([string] $Sql) { Invoke-TestSql PostgreSql -Database cdc_source $Sql }

    # The source's columns: key, UUID, DECIMAL, text, time-zone-aware and local timestamps, boolean.
    function New-SourceTable([string] $Name, [string] $Key = 'PRIMARY KEY') {
        Source "DROP TABLE IF EXISTS $Name; CREATE TABLE $Name (id int $Key, code uuid, amount numeric(15,2), note text, placed_at timestamptz, local_at timestamp(6), paid boolean)"
    }

    # Staging tables are in the database named by $stagingDatabase of the calling Describe block.
    function New-Staging([string] $Provider, [string] $Name, [switch] $ChangeLog) {
        $log = if (-not $ChangeLog) { '' } elseif ($Provider -eq 'PostgreSql') { 'change_lsn bigint, change_position int, change_operation char(1), change_time timestamp(6), ' } else { 'change_lsn BIGINT, change_position INT, change_operation CHAR(1), change_time DATETIME(6), ' }
        $key = if ($ChangeLog) { 'PRIMARY KEY (change_lsn, change_position)' } else { 'PRIMARY KEY (id)' }
        $columns = if ($Provider -eq 'PostgreSql') { 'id int, code uuid, amount numeric(15,2), note text, placed_at timestamptz, local_at timestamp(6), paid boolean, batch_id bigint' }
                   else { 'id INT, code CHAR(36), amount DECIMAL(15,2), note TEXT, placed_at DATETIME(6), local_at DATETIME(6), paid TINYINT(1), batch_id BIGINT' }
        Invoke-TestSql $Provider -Database $stagingDatabase "DROP TABLE IF EXISTS $Name; CREATE TABLE $Name ($log$columns, $key)"
    }

    # Rows as text that reads the same from both engines (UTC times, '-' for NULL), ordered by id.
    function Get-SourceRow([string] $Table) {
        Source "SELECT id, coalesce(code::text, '-'), coalesce(amount::text, '-'), coalesce(note, '-'), coalesce(to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), '-'), coalesce(to_char(local_at, 'YYYY-MM-DD HH24:MI:SS.US'), '-'), coalesce(paid::int::text, '-') FROM $Table ORDER BY id"
    }

    function Get-StagedRow([string] $Provider, [string] $Table) {
        if ($Provider -eq 'PostgreSql') {
            Invoke-TestSql PostgreSql -Database $stagingDatabase "SET TimeZone = 'UTC'; SELECT id, coalesce(code::text, '-'), coalesce(amount::text, '-'), coalesce(note, '-'), coalesce(to_char(placed_at, 'YYYY-MM-DD HH24:MI:SS.US'), '-'), coalesce(to_char(local_at, 'YYYY-MM-DD HH24:MI:SS.US'), '-'), coalesce(paid::int::text, '-') FROM $Table ORDER BY id"
        } else {
            Invoke-TestSql MySql -Database $stagingDatabase "SELECT id, COALESCE(code, '-'), COALESCE(CAST(amount AS CHAR), '-'), COALESCE(note, '-'), COALESCE(DATE_FORMAT(placed_at, '%Y-%m-%d %H:%i:%s.%f'), '-'), COALESCE(DATE_FORMAT(local_at, '%Y-%m-%d %H:%i:%s.%f'), '-'), COALESCE(CAST(paid AS CHAR), '-') FROM $Table ORDER BY id"
        }
    }

    # A fresh staging database with a ledger; returns the connection to it.
    function Initialize-StagingDatabase([string] $Provider, [string] $Database) {
        New-TestDatabase $Provider $Database
        $connection = Connect-BatchDb -Provider $Provider -ConnectionString (Get-TestConnectionString $Provider $Database) -Name "$Database-$Provider"
        Initialize-BatchSchema -Connection $connection -Confirm:$false | Out-Null
        $connection
    }

    function Remove-TestCapture([string] $Name) {
        Source "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'batchdb_$Name'" | Out-Null
        Source "DROP PUBLICATION IF EXISTS batchdb_$Name"
    }
}

Describe 'A source that decodes no changes' {
    It 'refuses New-ChangeCapture on a server whose wal_level is not logical, and creates nothing' {
        $port = (& bash "$PSScriptRoot/../../scripts/test-servers.sh" start-postgres-replica | Select-Object -Last 1).Trim()
        $LASTEXITCODE | Should -Be 0
        $setting = Get-TestServerSetting PostgreSql
        function Replica([string] $Sql) { $env:PGPASSWORD = $setting.Password; psql -h 127.0.0.1 -p $port -U $setting.User -d $setting.Database -Atqc $Sql }
        Replica 'CREATE TABLE IF NOT EXISTS refused (id int PRIMARY KEY)'
        $replica = Connect-BatchDb -Provider PostgreSql -Server 127.0.0.1 -Port $port -Database $setting.Database -Credential (Get-TestCredential PostgreSql) -Name cdc-replica
        $err = { New-ChangeCapture -Name refused -Table refused -Connection $replica -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ReplicationNotEnabled,*'
        $err.Exception.Message | Should -BeLike '*wal_level is replica*Set wal_level = logical in postgresql.conf and restart PostgreSQL*'
        Replica 'SELECT (SELECT COUNT(*) FROM pg_replication_slots) + (SELECT COUNT(*) FROM pg_publication)' | Should -Be '0'
    }
}

Describe 'Change capture into <_> staging' -ForEach $destinations {
    BeforeAll {
        $provider = $_
        $stagingDatabase = 'cdc_staging'
        $staging = Initialize-StagingDatabase $provider $stagingDatabase
        $ledger = Get-LedgerTable $provider
    }

    BeforeEach {
        $name = "c_$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-SourceTable $name
        New-Staging $provider "${name}_mirror"
        New-Staging $provider "${name}_log" -ChangeLog
        New-ChangeCapture -Name $name -Table $name -Connection $online | Out-Null
        New-ChangeCapture -Name "${name}_l" -Table $name -Connection $online | Out-Null
    }

    AfterEach { Remove-TestCapture $name; Remove-TestCapture "${name}_l"; Remove-TestCapture "${name}_c"; Remove-TestCapture "${name}_m" }

    It 'mirrors array, JSON and interval columns into PostgreSQL staging' -Skip:($_ -ne 'PostgreSql') {
        $arrays, $documents = "${name}_arrays", "${name}_docs"
        Source "CREATE TABLE $arrays (id int PRIMARY KEY, tags text[], scores int[]); CREATE TABLE $documents (id int PRIMARY KEY, doc jsonb, took interval, day date)"
        Invoke-TestSql PostgreSql -Database $stagingDatabase @"
CREATE TABLE ${arrays}_mirror (id int PRIMARY KEY, tags text[], scores int[], batch_id bigint);
CREATE TABLE ${documents}_mirror (id int PRIMARY KEY, doc jsonb, took interval, day date, batch_id bigint);
"@
        New-ChangeCapture -Name "${name}_m" -Table $arrays, $documents -Connection $online | Out-Null
        Source @"
INSERT INTO $arrays VALUES (1, '{a,"b c"}', '{1,2,3}'), (2, NULL, '{}');
UPDATE $arrays SET scores = '{9}' WHERE id = 1;
INSERT INTO $documents VALUES (1, '{"k": [1, "二"]}', '1 day 02:03:04', '2026-11-30'), (2, NULL, NULL, NULL);
UPDATE $documents SET doc = '{"k": null}' WHERE id = 2;
"@
        $receipt = Receive-ChangeCapture -Name "${name}_m" -Source $online -TableMap @{ $arrays = "${arrays}_mirror"; $documents = "${documents}_mirror" } -Connection $staging
        $receipt.Inserted, $receipt.Updated | Should -Be 4, 2
        foreach ($table in $arrays, $documents) {
            $text = "SELECT to_jsonb(t) - 'batch_id' FROM $table t ORDER BY id"
            Invoke-TestSql PostgreSql -Database $stagingDatabase ($text -replace " $table ", " ${table}_mirror ") | Should -Be (Source $text)
        }
    }

    It 'captures several tables with one position: a transaction across them is applied as one, a TRUNCATE of both, and clear refusals' {
        $other = "${name}_b"
        New-SourceTable $other
        New-Staging $provider "${other}_mirror"
        Source "INSERT INTO $name VALUES (1, NULL, 1, 'first', NULL, NULL, NULL); INSERT INTO $other VALUES (1, NULL, 100, 'other first', NULL, NULL, NULL)"
        $capture = New-ChangeCapture -Name "${name}_m" -Table $name, $other -Connection $online -CopyTo "${name}_mirror", "${other}_mirror" -Destination $staging
        $capture.Table | Should -Be "public.$name, public.$other"
        Get-StagedRow $provider "${name}_mirror" | Should -Be (Get-SourceRow $name)
        Get-StagedRow $provider "${other}_mirror" | Should -Be (Get-SourceRow $other)

        Source @"
BEGIN;
INSERT INTO $name VALUES (2, NULL, 2, 'second', NULL, NULL, NULL);
UPDATE $other SET amount = 200, note = '変更' WHERE id = 1;
INSERT INTO $other VALUES (2, gen_random_uuid(), 300, 'other second', now(), NULL, true);
DELETE FROM $name WHERE id = 1;
COMMIT;
"@
        $map = @{ $name = "${name}_mirror"; "public.$other" = "${other}_mirror" }
        $receipt = Receive-ChangeCapture -Name "${name}_m" -Source $online -TableMap $map -Connection $staging
        $receipt.Transactions | Should -Be 1
        $receipt.Inserted, $receipt.Updated, $receipt.Deleted | Should -Be 2, 1, 1
        $receipt.Table | Should -BeLike "*${name}_mirror, *${other}_mirror"
        Get-StagedRow $provider "${name}_mirror" | Should -Be (Get-SourceRow $name)
        Get-StagedRow $provider "${other}_mirror" | Should -Be (Get-SourceRow $other)
        Invoke-TestSql $provider -Database cdc_staging "SELECT COUNT(*) FROM $(Get-LedgerTable $provider batch_watermarks) WHERE source_name LIKE 'capture ${name}_m of %'" |
            Should -Be '1' -Because 'a capture of several tables keeps one position'

        Source "TRUNCATE $name, $other"
        $truncated = Receive-ChangeCapture -Name "${name}_m" -Source $online -TableMap $map -Connection $staging
        $truncated.Truncated | Should -Be 2
        $truncated.FromLsn | Should -Be $receipt.ToLsn
        Invoke-TestSql $provider -Database cdc_staging "SELECT (SELECT COUNT(*) FROM ${name}_mirror) + (SELECT COUNT(*) FROM ${other}_mirror)" | Should -Be '0'

        $receive = @{ Name = "${name}_m"; Source = $online; Connection = $staging; ErrorAction = 'Stop' }
        { Receive-ChangeCapture @receive -Table "${name}_mirror" } | Should -Throw -ExpectedMessage "*holds 2 tables*-TableMap*"
        { Receive-ChangeCapture @receive -TableMap @{ $name = "${name}_mirror" } } | Should -Throw -ExpectedMessage "*no staging table for public.$other*"
        { Receive-ChangeCapture @receive -TableMap @{ $name = "${name}_mirror"; $other = "${other}_mirror"; elsewhere = 'x' } } | Should -Throw -ExpectedMessage "*elsewhere is not a table of capture*"
        { Receive-ChangeCapture @receive -TableMap @{ $name = "${name}_mirror"; $other = "${name}_mirror" } } | Should -Throw -ExpectedMessage "*would both go into*"
        { New-ChangeCapture -Name "${name}_c" -Table $name, $other -CopyTo "${name}_mirror" -Destination $staging -Connection $online -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*-CopyTo names 1 staging table(s) for 2 captured table(s)*"
        Source "SELECT COUNT(*) FROM pg_replication_slots WHERE slot_name = 'batchdb_${name}_c'" | Should -Be '0'
    }

    It 'applies inserts, updates, a key change, deletes, NULLs, decimals, timestamps, UUIDs and Japanese text, each once' {
        Source @"
INSERT INTO $name VALUES (1, gen_random_uuid(), 1.50, '一つ目の注文', '2026-11-30 09:00:00.123456+09', '2026-11-30 09:00:00.5', true),
    (2, NULL, NULL, NULL, NULL, NULL, NULL), (3, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 1234567890123.99, 'quote '' and "double", comma', now(), localtimestamp, false);
UPDATE $name SET note = '更新しました', amount = amount * 2 WHERE id = 1;
UPDATE $name SET id = 30 WHERE id = 3;
DELETE FROM $name WHERE id = 2;
BEGIN; INSERT INTO $name VALUES (99, NULL, 9, 'rolled back', NULL, NULL, NULL); ROLLBACK;
"@
        # Two sessions whose transactions interleave: the one that commits first is applied first.
        $slow = Start-ThreadJob -ArgumentList "$PSScriptRoot/BatchDb.TestHelpers.psm1", $name -ScriptBlock {
            param($helpers, $table)
            Import-Module $helpers
            Invoke-TestSql PostgreSql -Database cdc_source "BEGIN; INSERT INTO $table VALUES (10, NULL, 10, 'slow', NULL, NULL, NULL); SELECT pg_sleep(1.5); UPDATE $table SET note = 'slow last' WHERE id = 1; COMMIT;"
        }
        Start-Sleep -Milliseconds 500
        Source "BEGIN; INSERT INTO $name VALUES (20, NULL, 20, 'fast', NULL, NULL, NULL); UPDATE $name SET note = 'fast' WHERE id = 1; COMMIT;"
        $slow | Wait-Job | Receive-Job | Out-Null

        $mirror = Receive-ChangeCapture -Name $name -Source $online -Table "${name}_mirror" -Connection $staging
        $mirror.Transactions | Should -Be 6
        $mirror.Inserted, $mirror.Updated, $mirror.Deleted | Should -Be 5, 4, 1
        Get-StagedRow $provider "${name}_mirror" | Should -Be (Get-SourceRow $name)
        (Get-StagedRow $provider "${name}_mirror")[0] | Should -BeLike '1|*|3.00|slow last|2026-11-30 00:00:00.123456|2026-11-30 09:00:00.500000|1'
        Invoke-TestSql $provider -Database cdc_staging "SELECT COUNT(*) FROM ${name}_mirror WHERE batch_id = $($mirror.BatchId)" | Should -Be '4'

        $again = Receive-ChangeCapture -Name $name -Source $online -Table "${name}_mirror" -Connection $staging
        $again.Changes | Should -Be 0
        $again.FromLsn | Should -Be $mirror.ToLsn
        Get-StagedRow $provider "${name}_mirror" | Should -Be (Get-SourceRow $name)

        $log = Receive-ChangeCapture -Name "${name}_l" -Source $online -Table "${name}_log" -Mode ChangeLog -Connection $staging
        $log.Changes | Should -Be 10
        Invoke-TestSql $provider -Database cdc_staging "SELECT change_operation, id FROM ${name}_log ORDER BY change_lsn, change_position" |
            Should -Be 'I|1', 'I|2', 'I|3', 'U|1', 'U|30', 'D|2', 'I|20', 'U|1', 'I|10', 'U|1'
        Invoke-TestSql $provider -Database cdc_staging "SELECT COUNT(*) FROM ${name}_log WHERE note = 'rolled back'" | Should -Be '0'
        Invoke-TestSql $provider -Database cdc_staging "SELECT COUNT(*) FROM $ledger WHERE batch_name LIKE 'Receive-ChangeCapture $name%' AND status = 'Succeeded'" | Should -Be '3'
    }

    It 'copies the table as of the slot''s start while the source writes, and the stream brings the rest once' {
        Source "INSERT INTO $name SELECT g, gen_random_uuid(), g, 'before', now(), NULL, true FROM generate_series(1, 50000) g"
        $writer = Start-ThreadJob -ArgumentList "$PSScriptRoot/BatchDb.TestHelpers.psm1", $name -ScriptBlock {
            param($helpers, $table)
            Import-Module $helpers
            $sql = foreach ($i in 1..150) { "INSERT INTO $table VALUES ($(100000 + $i), NULL, $i, 'during', now(), NULL, false); UPDATE $table SET note = 'changed during' WHERE id = $($i * 300); SELECT pg_sleep(0.01);" }
            Invoke-TestSql PostgreSql -Database cdc_source ($sql -join "`n")
        }
        Start-Sleep -Milliseconds 300
        $capture = New-ChangeCapture -Name "${name}_c" -Table $name -Connection $online -CopyTo "${name}_mirror" -Destination $staging
        $writer | Wait-Job | Receive-Job | Out-Null
        $capture.Name | Should -Be "${name}_c"
        [int](Invoke-TestSql $provider -Database $stagingDatabase "SELECT COUNT(*) FROM ${name}_mirror") | Should -BeGreaterOrEqual 50000

        $rest = Receive-ChangeCapture -Name "${name}_c" -Source $online -Table "${name}_mirror" -Connection $staging
        $rest.FromLsn | Should -Not -BeNullOrEmpty
        Get-StagedRow $provider "${name}_mirror" | Should -Be (Get-SourceRow $name)
        Invoke-TestSql $provider -Database $stagingDatabase "SELECT COUNT(*) FROM ${name}_mirror WHERE note = 'during'" | Should -Be '150'
    }

    It 'leaves no slot or publication when the copy cannot be made' {
        Invoke-TestSql $provider -Database $stagingDatabase "DROP TABLE IF EXISTS ${name}_narrow; CREATE TABLE ${name}_narrow (id INT PRIMARY KEY, batch_id BIGINT)"
        $err = { New-ChangeCapture -Name "${name}_c" -Table $name -Connection $online -CopyTo "${name}_narrow" -Destination $staging -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ColumnNotFound,*'
        $err.Exception.Message | Should -BeLike '*has no column code, amount, note, placed_at, local_at, paid*No capture was created*'
        Source "SELECT COUNT(*) FROM pg_replication_slots WHERE slot_name = 'batchdb_${name}_c'" | Should -Be '0'
        Source "SELECT COUNT(*) FROM pg_publication WHERE pubname = 'batchdb_${name}_c'" | Should -Be '0'
    }

    It 'empties the mirror on TRUNCATE and logs it once' {
        Source "INSERT INTO $name SELECT g, NULL, g, NULL, NULL, NULL, NULL FROM generate_series(1, 5) g; TRUNCATE $name; INSERT INTO $name VALUES (7, NULL, 7, 'after', NULL, NULL, NULL)"
        (Receive-ChangeCapture -Name $name -Source $online -Table "${name}_mirror" -Connection $staging).Truncated | Should -Be 1
        Get-StagedRow $provider "${name}_mirror" | Should -Be (Get-SourceRow $name)
        Receive-ChangeCapture -Name "${name}_l" -Source $online -Table "${name}_log" -Mode ChangeLog -Connection $staging | Out-Null
        Invoke-TestSql $provider -Database cdc_staging "SELECT change_operation, COUNT(*) FROM ${name}_log GROUP BY change_operation ORDER BY 1" | Should -Be 'I|6', 'T|1'
    }

    It 'rolls back when the staging session is killed mid-transaction, and applies the transaction once on the next run' {
        Source "INSERT INTO $name SELECT g, gen_random_uuid(), g, repeat('x', 200), now(), NULL, true FROM generate_series(1, 300000) g"
        $ps = New-TestPowerShell PostgreSql
        $null = $ps.AddScript("Receive-ChangeCapture -Name $name -Table ${name}_mirror -Source (Connect-BatchDb -Provider PostgreSql -ConnectionString '$(Get-TestConnectionString PostgreSql cdc_source)') -Connection (Connect-BatchDb -Provider $provider -ConnectionString '$(Get-TestConnectionString $provider cdc_staging)')")
        $handle = $ps.BeginInvoke()
        # The session applying the transaction: the one whose open transaction has written many rows.
        $find = if ($provider -eq 'PostgreSql') { "SELECT pid FROM pg_stat_activity WHERE datname = 'cdc_staging' AND query ILIKE '%${name}_mirror%' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()" }
                else { 'SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX WHERE trx_rows_modified > 5000' }
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        do { $id = Invoke-TestSql $provider -Database cdc_staging $find | Select-Object -First 1 } until ($id -or [DateTime]::UtcNow -gt $deadline)
        $id | Should -Not -BeNullOrEmpty -Because 'the receive must still be applying the 300,000-row transaction'
        if ($provider -eq 'PostgreSql') { Invoke-TestSql $provider "SELECT pg_terminate_backend($id)" | Out-Null } else { Invoke-TestSql $provider "KILL $id" | Out-Null }
        $ps.EndInvoke($handle) | Should -BeNullOrEmpty
        $ps.Streams.Error | Should -HaveCount 1
        $ps.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        $ps.Runspace.Dispose(); $ps.Dispose()
        Invoke-TestSql $provider -Database $stagingDatabase "SELECT COUNT(*) FROM ${name}_mirror" | Should -Be '0'

        $again = Receive-ChangeCapture -Name $name -Source $online -Table "${name}_mirror" -Connection $staging
        $again.Inserted | Should -Be 300000
        Invoke-TestSql $provider -Database $stagingDatabase "SELECT COUNT(*), SUM(id) FROM ${name}_mirror" | Should -Be '300000|45000150000'
    }

    It 'stops before a source column staging lacks, and applies it once the column is there' {
        Source "INSERT INTO $name VALUES (1, NULL, 1, 'before', NULL, NULL, NULL); ALTER TABLE $name ADD COLUMN channel text; INSERT INTO $name VALUES (2, NULL, 2, 'after', NULL, NULL, NULL, 'web')"
        $before = Receive-ChangeCapture -Name $name -Source $online -Table "${name}_mirror" -Connection $staging -MaxChanges 1
        $before.Inserted | Should -Be 1
        { Receive-ChangeCapture -Name $name -Source $online -Table "${name}_mirror" -Connection $staging -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*has no column channel*position is unchanged*"
        Invoke-TestSql $provider -Database cdc_staging "SELECT COUNT(*) FROM ${name}_mirror" | Should -Be '1'

        $text = if ($provider -eq 'PostgreSql') { 'text' } else { 'VARCHAR(20)' }
        Invoke-TestSql $provider -Database cdc_staging "ALTER TABLE ${name}_mirror ADD COLUMN channel $text"
        $after = Receive-ChangeCapture -Name $name -Source $online -Table "${name}_mirror" -Connection $staging
        $after.FromLsn | Should -Be $before.ToLsn
        $after.Inserted | Should -Be 1
        Invoke-TestSql $provider -Database cdc_staging "SELECT id, channel FROM ${name}_mirror WHERE id = 2" | Should -Be '2|web'
    }
}

Describe 'Change capture refusals' {
    It 'refuses a table without a primary key and with REPLICA IDENTITY DEFAULT' {
        New-SourceTable nokey -Key ''
        { New-ChangeCapture -Name nokey -Table nokey -Connection $online -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*has no primary key and REPLICA IDENTITY DEFAULT*REPLICA IDENTITY FULL*'
        Source "SELECT COUNT(*) FROM pg_replication_slots WHERE slot_name = 'batchdb_nokey'" | Should -Be '0'
        Source "SELECT COUNT(*) FROM pg_publication WHERE pubname = 'batchdb_nokey'" | Should -Be '0'
    }

    It 'refuses a name that cannot name a slot, a second capture of the same name, and a missing one' {
        New-SourceTable named
        { New-ChangeCapture -Name 'Bad-Name' -Table named -Connection $online -ErrorAction Stop } | Should -Throw -ExpectedMessage "*'Bad-Name' is not a capture name*"
        New-ChangeCapture -Name named -Table named -Connection $online | Out-Null
        try {
            $err = { New-ChangeCapture -Name named -Table named -Connection $online -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'CaptureExists,*'
        } finally { Remove-ChangeCapture -Name named -Connection $online -Confirm:$false }
        $err = { Remove-ChangeCapture -Name named -Connection $online -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CaptureNotFound,*'
        Source "SELECT COUNT(*) FROM pg_publication WHERE pubname = 'batchdb_named'" | Should -Be '0'
    }

    It 'refuses a second receiver of the same capture while one is receiving' {
        New-SourceTable busy
        Source 'CREATE TABLE busy_mirror (LIKE busy INCLUDING ALL, batch_id bigint)'
        Initialize-BatchSchema -Connection $online -Confirm:$false | Out-Null
        New-ChangeCapture -Name busy -Table busy -Connection $online | Out-Null
        $first = New-TestPowerShell PostgreSql
        try {
            $first.AddScript("`$c = Connect-BatchDb -Provider PostgreSql -ConnectionString '$(Get-TestConnectionString PostgreSql cdc_source)'; Receive-ChangeCapture -Name busy -Table busy_mirror -Source `$c -Connection `$c -Continuous -MaxDuration '00:00:20'") | Out-Null
            $running = $first.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(15)
            while ((Source "SELECT active FROM pg_replication_slots WHERE slot_name = 'batchdb_busy'") -ne 't' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            # Under another batch name: the same one would already be refused by the ledger's run lock (BatchAlreadyRunning).
            $err = { Receive-ChangeCapture -Name busy -Table busy_mirror -Source $online -Connection $online -BatchName second-receiver -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'CaptureBusy,*'
            $err.Exception.Message | Should -BeLike "*'busy' is being received by another session*"
            $first.Stop()
        } finally {
            $first.Dispose()
            Remove-TestCapture busy
        }
    }

    It 'refuses a login without the REPLICATION attribute, naming the fix' {
        # A database of its own, without a ledger the login could not use.
        New-TestDatabase PostgreSql cdc_guarded
        Invoke-TestSql PostgreSql "DROP ROLE IF EXISTS cdc_reader; CREATE ROLE cdc_reader LOGIN PASSWORD 'cdc-reader'"
        Invoke-TestSql PostgreSql -Database cdc_guarded 'CREATE TABLE guarded (id int PRIMARY KEY); ALTER TABLE guarded OWNER TO cdc_reader; GRANT CREATE ON DATABASE cdc_guarded TO cdc_reader'
        $setting = Get-TestServerSetting PostgreSql
        $reader = Connect-BatchDb -Provider PostgreSql -ConnectionString "Host=$($setting.Server);Port=$($setting.Port);Database=cdc_guarded;Username=cdc_reader;Password=cdc-reader" -Name cdc-reader
        $err = { New-ChangeCapture -Name guarded -Table guarded -Connection $reader -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'PermissionDenied,*'
        $err.Exception.Message | Should -BeLike '*cdc_reader may not read replication slots*ALTER ROLE "cdc_reader" REPLICATION*'
        Disconnect-BatchDb -Connection $reader
        Invoke-TestSql PostgreSql -Database cdc_guarded "SELECT COUNT(*) FROM pg_publication WHERE pubname = 'batchdb_guarded'" | Should -Be '0'
    }

    It 'says that MySQL and MariaDB have no change capture' -Skip:('MySql' -notin @(Get-TestEngine)) {
        $mysql = Connect-BatchDb -Provider MySql -ConnectionString (Get-TestConnectionString MySql) -Name cdc-mysql
        $err = { Get-ChangeCapture -Connection $mysql -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'NotSupported,*'
        $err.Exception.Message | Should -Be 'Change capture from logical replication is not supported on MariaDB.'
    }

    It 'warns about a capture that keeps more WAL than the threshold' {
        New-SourceTable kept
        New-ChangeCapture -Name kept -Table kept -Connection $online | Out-Null
        try {
            Source 'INSERT INTO kept SELECT g, NULL, g, repeat(''x'', 100), NULL, NULL, NULL FROM generate_series(1, 1000) g'
            $capture = Get-ChangeCapture -Name kept -Connection $online -WarningRetainedBytes 10000 -WarningVariable warnings -WarningAction SilentlyContinue
            $capture.RetainedBytes | Should -BeGreaterThan 10000
            $warnings | Should -HaveCount 1
            # The slot also holds WAL written by other databases of the server meanwhile, so the size may reach MiB.
            "$($warnings[0])" | Should -Match "'kept' keeps [\d.]+ (KiB|MiB) of WAL on cdc-online .*Receive-ChangeCapture.*Remove-ChangeCapture"
            Get-ChangeCapture -Name kept -Connection $online -WarningVariable none -WarningAction SilentlyContinue | Out-Null
            $none | Should -BeNullOrEmpty
        } finally { Remove-TestCapture kept }
    }
}

Describe 'A receiver killed with kill -9 while the source writes, into <_> staging' -ForEach $destinations {
    BeforeAll {
        $provider = $_
        $stagingDatabase = 'cdc_kill'
        $staging = Initialize-StagingDatabase $provider $stagingDatabase
    }

    It 'loses nothing and applies nothing twice across 10 kills during 204,000 changes' {
        $name = "k_$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-SourceTable $name
        New-Staging $provider "${name}_mirror"
        New-Staging $provider "${name}_log" -ChangeLog
        New-ChangeCapture -Name $name -Table $name -Connection $online | Out-Null
        New-ChangeCapture -Name "${name}_l" -Table $name -Connection $online | Out-Null
        try {
            # 6,800 transactions, 204,000 changes: inserts, updates, deletes and re-inserts of the same keys, over about 40 s.
            $groups = 1700
            $statements = foreach ($t in 0..($groups - 1)) {
                $from = $t * 50 + 1; $to = $from + 49
                "INSERT INTO $name SELECT g, gen_random_uuid(), g * 1.25, '注文 ' || g, now(), localtimestamp, g % 2 = 0 FROM generate_series($from, $to) g;"
                "UPDATE $name SET amount = amount + 1, note = note || ' 改' WHERE id BETWEEN $from AND $to;"
                "DELETE FROM $name WHERE id BETWEEN $from AND $to AND id % 5 = 0;"
                "INSERT INTO $name SELECT g, NULL, g, 'again', NULL, NULL, NULL FROM generate_series($from, $to) g WHERE g % 5 = 0;"
                'SELECT pg_sleep(0.02);'
            }
            $changes = $groups * (50 + 50 + 10 + 10)
            $writer = Start-ThreadJob -ArgumentList "$PSScriptRoot/BatchDb.TestHelpers.psm1", ($statements -join "`n") -ScriptBlock {
                param($helpers, $sql)
                Import-Module $helpers
                Invoke-TestSql PostgreSql -Database cdc_source $sql
            }
            # Each receiver process receives the mirror and the log at the same time (two thread jobs), so a kill cuts both.
            $receiveOne = {
                param($module, $sourceString, $provider, $stagingString, $capture, $table, $mode)
                $ErrorActionPreference = 'Stop'
                Import-Module $module
                $online = Connect-BatchDb -Provider PostgreSql -ConnectionString $sourceString
                $staging = Connect-BatchDb -Provider $provider -ConnectionString $stagingString
                while ($true) { Receive-ChangeCapture -Name $capture -Source $online -Table $table -Mode $mode -Connection $staging -Continuous -MaxDuration '00:00:02' | Out-Null }
            }
            $receive = @(
                "`$receiveOne = { $receiveOne }"
                "`$common = '$(Get-TestModulePath)', '$(Get-TestConnectionString PostgreSql cdc_source)', '$provider', '$(Get-TestConnectionString $provider cdc_kill)'"
                "`$jobs = (Start-ThreadJob `$receiveOne -ArgumentList (`$common + @('$name', '${name}_mirror', 'Mirror'))), (Start-ThreadJob `$receiveOne -ArgumentList (`$common + @('${name}_l', '${name}_log', 'ChangeLog')))"
                '$jobs | Wait-Job | Receive-Job'
            ) -join "`n"
            $script = Join-Path $TestDrive "receive-$provider.ps1"
            Set-Content $script $receive
            $repository = (Resolve-Path "$PSScriptRoot/../..").Path
            $random = [Random]::new(2026)
            foreach ($kill in 1..10) {
                $process = Start-Process dotnet -ArgumentList 'pwsh', '-NoProfile', '-NonInteractive', '-File', $script -WorkingDirectory $repository -PassThru `
                    -RedirectStandardOutput (Join-Path $TestDrive "receiver-$provider-$kill.out") -RedirectStandardError (Join-Path $TestDrive "receiver-$provider-$kill.err")
                Start-Sleep -Milliseconds $random.Next(3500, 7000)
                $process.Kill($true)
                $process.WaitForExit()
            }
            $writer | Wait-Job | Receive-Job | Out-Null
            # The server notices a killed receiver's connection is gone before its slot can be read again.
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ((Source "SELECT COUNT(*) FROM pg_replication_slots WHERE slot_name LIKE 'batchdb_$name%' AND active") -ne '0' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }

            Receive-ChangeCapture -Name $name -Source $online -Table "${name}_mirror" -Connection $staging | Out-Null
            Receive-ChangeCapture -Name "${name}_l" -Source $online -Table "${name}_log" -Mode ChangeLog -Connection $staging | Out-Null
            Get-StagedRow $provider "${name}_mirror" | Should -Be (Get-SourceRow $name)
            Invoke-TestSql $provider -Database cdc_kill "SELECT COUNT(*) FROM ${name}_log" | Should -Be "$changes"
            Invoke-TestSql $provider -Database cdc_kill "SELECT COUNT(*) FROM (SELECT change_lsn, change_position FROM ${name}_log GROUP BY change_lsn, change_position HAVING COUNT(*) > 1) d" | Should -Be '0'
            Invoke-TestSql $provider -Database cdc_kill "SELECT change_operation, COUNT(*) FROM ${name}_log GROUP BY change_operation ORDER BY 1" | Should -Be "D|$($groups * 10)", "I|$($groups * 60)", "U|$($groups * 50)"
            # The kills cut runs short (left Running in the ledger), and receivers before the last one applied a share.
            $ledger = Get-LedgerTable $provider
            [int](Invoke-TestSql $provider -Database cdc_kill "SELECT COUNT(*) FROM $ledger WHERE batch_name LIKE 'Receive-ChangeCapture $name%' AND status <> 'Succeeded'") | Should -BeGreaterOrEqual 5
            [int](Invoke-TestSql $provider -Database cdc_kill "SELECT COUNT(DISTINCT batch_id) FROM ${name}_log") | Should -BeGreaterOrEqual 2
        } finally {
            Remove-TestCapture $name
            Remove-TestCapture "${name}_l"
        }
    }
}
