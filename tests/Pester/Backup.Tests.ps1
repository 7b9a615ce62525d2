# Backups on both engines with the engines' own programs: dump, verify by restoring, damage, restore, compare; the
# password in no process's command line; rotation that deletes only this database's old dumps; clear refusals.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
}

Describe 'Backup-BatchDatabase and Restore-BatchDatabase on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $database = "bk_$($provider.ToLowerInvariant())"
        New-TestDatabase $provider $database
        New-TestStockTable $provider T_STOCK -Database $database
        $uuid, $time = if ($provider -eq 'PostgreSql') { 'uuid', 'timestamp(6)' } else { 'CHAR(36)', 'DATETIME(6)' }
        Invoke-TestSql $provider -Database $database @"
CREATE TABLE orders (id $uuid PRIMARY KEY, amount decimal(15,2), note varchar(100), placed_at $time);
INSERT INTO orders VALUES ('00000000-0000-0000-0000-000000000001', 1234567890123.45, '注文 ''quoted'', "double"', '2026-11-30 09:00:00.123456'),
    ('00000000-0000-0000-0000-000000000002', NULL, NULL, NULL);
CREATE TABLE events (id int PRIMARY KEY, payload varchar(200));
"@
        # Enough rows for the dump to run long enough to be seen in the process list.
        Invoke-TestSql $provider -Database $database $(if ($provider -eq 'PostgreSql') { "INSERT INTO events SELECT g, repeat('x', 150) FROM generate_series(1, 300000) g" }
            else { "INSERT INTO events SELECT seq, REPEAT('x', 150) FROM seq_1_to_300000" })
        $connection = Connect-TestServer $provider -Name "backup-$provider" -Database $database
        Initialize-BatchSchema -Connection $connection -Confirm:$false | Out-Null
        $folder = Join-Path $TestDrive $provider
        New-Item -ItemType Directory $folder | Out-Null
        $extension = if ($provider -eq 'PostgreSql') { '.dump' } else { '.sql' }
        $rows = 'SELECT id, amount, note, placed_at FROM orders ORDER BY id', 'SELECT COUNT(*), SUM(LENGTH(payload)) FROM events', 'SELECT SUM(AMOUNT), COUNT(*) FROM T_STOCK'
        function Get-Rows { $rows | ForEach-Object { Invoke-TestSql $provider -Database $database $_ } }
        $before = Get-Rows
    }

    It 'dumps, reads back, restores into a scratch database with equal row counts, with the password in no command line' {
        $password = (Get-TestServerSetting $provider).Password
        $watcher = Start-ThreadJob {
            $seen = [Collections.Generic.List[string]]::new()
            $until = (Get-Date).AddSeconds(60)
            while ((Get-Date) -lt $until -and -not (Test-Path "$using:folder/stop")) {
                foreach ($line in (& ps -eo args)) { if ($line -match '(pg_dump|pg_restore|mariadb-dump|mysqldump|^mariadb |^mysql )') { $seen.Add($line) } }
                Start-Sleep -Milliseconds 10
            }
            $seen
        }
        try {
            $backup = Backup-BatchDatabase -Path $folder -Verify Restore -Connection $connection
        } finally {
            Set-Content "$folder/stop" ''
        }
        $seen = @($watcher | Wait-Job | Receive-Job)
        Remove-Item "$folder/stop"
        $seen.Count | Should -BeGreaterThan 0 -Because 'the dump ran long enough to be seen in the process list'
        $seen | Where-Object { $_ -like "*$password*" } | Should -BeNullOrEmpty

        $backup.Path | Should -Match "$database`_\d{8}T\d{6}Z\$extension`$"
        $backup.SizeBytes | Should -Be (Get-Item $backup.Path).Length
        $backup.Tables | Should -BeGreaterOrEqual 7
        $backup.Verification | Should -BeLike "restored into ${database}_verify_*: * tables, row counts equal"
        $scratch = if ($provider -eq 'PostgreSql') { "SELECT COUNT(*) FROM pg_database WHERE datname LIKE '${database}_verify%'" } else { "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '${database}_verify%'" }
        Invoke-TestSql $provider $scratch | Should -Be '0' -Because 'the scratch database is dropped'
        Invoke-TestSql $provider -Database $database "SELECT status, records_processed FROM $(Get-LedgerTable $provider) WHERE operation = 'Backup-BatchDatabase'" |
            Should -Be "Succeeded|$($backup.SizeBytes)"
    }

    It 'restores the rows as they were after the database is damaged' {
        $dump = Get-ChildItem $folder -Filter "*$extension" | Select-Object -First 1
        Invoke-TestSql $provider -Database $database "DELETE FROM orders WHERE amount IS NULL; UPDATE orders SET note = 'damaged'; DROP TABLE events; DELETE FROM T_STOCK WHERE STOCKHOUSE_ID = 1"
        { Get-Rows } | Should -Throw -Because 'the events table is gone'
        $restore = Restore-BatchDatabase -Path $dump.FullName -Connection $connection -Confirm:$false
        $restore.Database | Should -Be $database
        Get-Rows | Should -Be $before
    }

    It 'deletes only this database''s dumps older than -RetentionDays' {
        $old = "${database}_20200101T000000Z$extension"
        $kept = "${database}_20991231T000000Z$extension", "${database}x_20200101T000000Z$extension", "other_20200101T000000Z$extension", "${database}_20200101T000000Z.txt", 'notes.txt'
        foreach ($name in @($old) + $kept) { Set-Content (Join-Path $folder $name) 'old' }
        $backup = Backup-BatchDatabase -Path $folder -RetentionDays 30 -Connection $connection
        @($backup.Removed | Split-Path -Leaf) | Should -Be @($old)
        foreach ($name in $kept) { Join-Path $folder $name | Should -Exist }
        $backup.Path | Should -Exist
    }

    It 'refuses a truncated dump before touching the database, and names the missing client program' {
        $dump = Get-ChildItem $folder -Filter "$database`_2026*$extension" | Select-Object -First 1
        $cut = Join-Path $folder "cut$extension"
        $bytes = [IO.File]::ReadAllBytes($dump.FullName)
        [IO.File]::WriteAllBytes($cut, $bytes[0..([int]($bytes.Length / 2))])
        $err = { Restore-BatchDatabase -Path $cut -Connection $connection -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'BackupInvalid,*'
        Get-Rows | Should -Be $before

        $path = $env:PATH
        try {
            $env:PATH = '/nonexistent'
            $err = { Backup-BatchDatabase -Path $folder -Connection $connection -ErrorAction Stop } | Should -Throw -PassThru
        } finally {
            $env:PATH = $path
        }
        $err.FullyQualifiedErrorId | Should -BeLike 'ClientToolNotFound,*'
        $err.Exception.Message | Should -BeLike $(if ($provider -eq 'PostgreSql') { '*pg_dump*postgresql-client*' } else { '*mariadb-dump or mysqldump*mariadb-client*' })
        { Backup-BatchDatabase -Path (Join-Path $folder 'missing') -Connection $connection -ErrorAction Stop } | Should -Throw -ExpectedMessage '*backup folder*does not exist*'
    }
}
