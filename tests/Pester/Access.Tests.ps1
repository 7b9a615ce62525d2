# Least-privilege batch logins on both engines: Grant-BatchAccess makes a login with what the seed's batch needs; the
# login runs the batch (import and swap, extract, aggregate, all recorded) and the server refuses it everything else.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb

    # Runs SQL through the engine's own client as another login; returns what the server answered (rows or its error).
    function Invoke-AsLogin([string] $Provider, [string] $Login, [string] $Password, [string] $Database, [string] $Sql) {
        $s = Get-TestServerSetting $Provider
        if ($Provider -eq 'PostgreSql') {
            $env:PGPASSWORD = $Password
            $output = $Sql | & psql -X -q -h $s.Server -p $s.Port -U $Login -d $Database -v ON_ERROR_STOP=1 -A -t 2>&1
            $env:PGPASSWORD = $s.Password
        } else {
            $output = $Sql | & mariadb --no-defaults -h $s.Server -P $s.Port -u $Login "-p$Password" -D $Database -N -B 2>&1
        }
        "$output"
    }

    function New-Credential([string] $Login, [string] $Password) { [pscredential]::new($Login, (ConvertTo-SecureString $Password -AsPlainText -Force)) }

    function Connect-AsLogin([string] $Provider, [pscredential] $Credential, [string] $Database, [string] $Name) {
        $s = Get-TestServerSetting $Provider
        Connect-BatchDb -Provider $Provider -Server $s.Server -Port $s.Port -Database $Database -Credential $Credential -Name $Name
    }
}

Describe 'A batch login made by Grant-BatchAccess on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $setting = Get-TestServerSetting $provider
        $batchDb = $setting.Database
        $admin = Connect-TestServer $provider -Name "admin-$provider"
        Initialize-BatchSchema -Connection $admin -Confirm:$false | Out-Null
        New-TestDatabase $provider acc_online
        $adminOnline = Connect-TestServer $provider -Name "admin-online-$provider" -Database acc_online
        $uuid, $time = if ($provider -eq 'PostgreSql') { 'uuid', 'timestamp(6)' } else { 'CHAR(36)', 'DATETIME(6)' }
        Invoke-TestSql $provider -Database acc_online @"
CREATE TABLE orders (id $uuid PRIMARY KEY, user_id $uuid, amount decimal(15,2), status varchar(50), created_at $time, updated_at $time);
INSERT INTO orders VALUES ('00000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', 100.50, 'paid', '2026-11-29 10:00', '2026-11-29 10:00'),
    ('00000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', 20.25, 'paid', '2026-11-29 23:30', '2026-11-29 23:30');
"@

        # As in the seed: the live stock table and the orders are in the online database, ledger and staging in the batch one.
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table -Database acc_online
        $staging = Get-TestUniqueName 'staging'
        $daily = Get-TestUniqueName 'daily'
        $outside = Get-TestUniqueName 'outside'
        Invoke-TestSql $provider @"
CREATE TABLE $staging (id $uuid, user_id $uuid, amount decimal(15,2), status varchar(50), created_at $time, updated_at $time, batch_id varchar(50));
CREATE TABLE $daily (sale_date date PRIMARY KEY, total_sales decimal(15,2), order_count int, average_order_value decimal(10,2), last_updated $time);
CREATE TABLE $outside (id int);
"@
        $login = (Get-TestUniqueName 'proc').ToLowerInvariant()
        $password = 'Proc-pw-1'
        if ($provider -eq 'PostgreSql') {
            # Swapping needs the table owner's rights: a role without LOGIN owns the stock table and its partitions.
            $owner = "${login}_owner"
            $live = $table.ToLowerInvariant()
            Invoke-TestSql $provider -Database acc_online @"
CREATE ROLE $owner NOLOGIN;
ALTER TABLE $live OWNER TO $owner;
DO `$`$DECLARE p regclass; BEGIN FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = '$live'::regclass LOOP EXECUTE format('ALTER TABLE %s OWNER TO $owner', p); END LOOP; END`$`$;
"@
        }

        $grants = @(
            Grant-BatchAccess -Credential (New-Credential $login $password) -Capability Ledger, Staging -Table $staging, $daily -Connection $admin -Confirm:$false
            Grant-BatchAccess -Role $login -Capability Source -Connection $adminOnline -Confirm:$false
            Grant-BatchAccess -Role $login -Capability WorkTables -Table $table -Connection $adminOnline -Confirm:$false
        )
        $proc = Connect-AsLogin $provider (New-Credential $login $password) $batchDb "proc-$provider"
        $procOnline = Connect-AsLogin $provider (New-Credential $login $password) acc_online "proc-online-$provider"
    }

    It 'creates the login from the credential, sends no password, and grants what each capability needs' {
        $grants | Should -HaveCount 3
        $grants.Login | Should -Be @($login, $login, $login)
        $statements = $grants.Statements -join "`n"
        $statements | Should -Not -Match ([regex]::Escape($password))
        $statements | Should -Match 'GRANT SELECT, INSERT, UPDATE, DELETE ON'
        if ($provider -eq 'PostgreSql') {
            $statements | Should -Match "GRANT `"${login}_owner`" TO `"$login`""
            Invoke-TestSql $provider "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = '$login'" | Should -Be 't'
        } else {
            Invoke-TestSql $provider "SELECT authentication_string LIKE '*%', plugin FROM mysql.user WHERE User = '$login' AND Host = '%'" | Should -Be '1|mysql_native_password'
        }
        $checks = @(
            Test-BatchAccess Ledger, Staging -Table $staging, $daily -Connection $proc
            Test-BatchAccess Source -Connection $procOnline
            Test-BatchAccess WorkTables -Table $table -Connection $procOnline
        )
        $checks.Granted | Should -Be @($true, $true, $true, $true)
        $checks.Login | Should -Be @($login, $login, $login, $login)
    }

    It 'runs the seed''s batch as that login: import and switch, extract, aggregate, each recorded in the ledger' {
        $partition = Get-TestPartitionName $provider $table 1
        $switched = Import-WorkTable -Table $table -Partition $partition -Path (Get-TestDataPath 'T_STOCK_S01.csv') -Connection $procOnline | Switch-Partition -Confirm:$false
        $switched.LiveRows | Should -Be 10
        Invoke-TestSql $provider -Database acc_online "SELECT SUM(AMOUNT) FROM $table WHERE STOCKHOUSE_ID = 1" | Should -Be '4600'
        $again = Import-WorkTable -Table $table -Partition $partition -Path (Get-TestDataPath 'T_STOCK.csv') -Connection $procOnline -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'RowsOutsidePartition,*' -Because 'the second run reaches the validation, not a missing privilege'
        (Copy-BatchData -Source $procOnline -SourceTable orders -Table $staging -WatermarkColumn updated_at -Connection $proc).RowsCopied | Should -Be 2
        $aggregate = Invoke-DailyAggregate -Date 2026-11-29 -SourceTable $staging -AggregateTable $daily -TimeZone UTC -Connection $proc
        $aggregate.Changed | Should -Be 1
        Invoke-TestSql $provider "SELECT total_sales, order_count FROM $daily" | Should -Be '120.75|2'
        Invoke-TestSql $provider "SELECT COUNT(DISTINCT operation) FROM $(Get-LedgerTable $provider) WHERE status = 'Succeeded' AND (batch_name LIKE '%$staging%' OR batch_name LIKE '%$daily%')" |
            Should -Be '2' -Because 'the extract and the aggregate are recorded in the batch database''s ledger'
    }

    It 'is refused by the server wherever it has no grant: writes and DDL on the online database, the ledger''s tables, other tables' {
        $denied = if ($provider -eq 'PostgreSql') { '*permission denied*' } else { '*denied*' }
        Invoke-AsLogin $provider $login $password acc_online "INSERT INTO orders (id) VALUES ('00000000-0000-0000-0000-000000000009')" | Should -BeLike $denied
        Invoke-AsLogin $provider $login $password acc_online 'UPDATE orders SET amount = 0' | Should -BeLike $denied
        Invoke-AsLogin $provider $login $password acc_online 'DROP TABLE orders' | Should -BeLike $(if ($provider -eq 'PostgreSql') { '*must be owner*' } else { $denied })
        # On PostgreSQL work tables are created in the live table's schema, so CREATE there is granted; not a new schema.
        Invoke-AsLogin $provider $login $password acc_online $(if ($provider -eq 'PostgreSql') { 'CREATE SCHEMA planted' } else { 'CREATE TABLE planted (id int)' }) | Should -BeLike $denied
        Invoke-AsLogin $provider $login $password $batchDb "DELETE FROM $(Get-LedgerTable $provider)" | Should -BeLike $denied
        Invoke-AsLogin $provider $login $password $batchDb "INSERT INTO $outside VALUES (1)" | Should -BeLike $denied
        $other = if ($provider -eq 'PostgreSql') { 'public.orders' } else { 'orders' }
        Invoke-AsLogin $provider $login $password acc_online "ALTER TABLE $other ADD COLUMN planted int" | Should -BeLike $(if ($provider -eq 'PostgreSql') { '*must be owner*' } else { $denied })
        Invoke-TestSql $provider -Database acc_online 'SELECT COUNT(*), SUM(amount) FROM orders' | Should -Be '2|120.75'
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $(Get-LedgerTable $provider)" | Should -Not -Be '0'
    }

    It 'lists exactly what a login lacks, and -Quiet answers false' {
        $check = Test-BatchAccess Staging -Connection $procOnline
        $check.Granted | Should -BeFalse
        $check.Missing | Should -Match '^(INSERT|UPDATE|DELETE) on '
        $check.Missing | Should -Not -Match '^SELECT on '
        Test-BatchAccess Staging, Source -Connection $procOnline -Quiet | Should -BeFalse
        Test-BatchAccess Source -Connection $procOnline -Quiet | Should -BeTrue
    }

    It 'sets a new password on a second run and keeps the grants; -WhatIf creates nothing' {
        Grant-BatchAccess -Credential (New-Credential $login 'Proc-pw-2') -Capability Ledger -Connection $admin -Confirm:$false | Out-Null
        $again = Connect-AsLogin $provider (New-Credential $login 'Proc-pw-2') $batchDb "proc-again-$provider"
        Test-BatchAccess Ledger, Staging -Table $staging, $daily -Connection $again -Quiet | Should -BeTrue
        Invoke-AsLogin $provider $login $password $batchDb 'SELECT 1' | Should -BeLike $(if ($provider -eq 'PostgreSql') { '*password authentication failed*' } else { '*Access denied*' })
        $never = (Get-TestUniqueName 'never').ToLowerInvariant()
        Grant-BatchAccess -Credential (New-Credential $never 'x-Never-1') -Capability Ledger -Connection $admin -WhatIf | Should -BeNullOrEmpty
        $exists = if ($provider -eq 'PostgreSql') { "SELECT COUNT(*) FROM pg_roles WHERE rolname = '$never'" } else { "SELECT COUNT(*) FROM mysql.user WHERE User = '$never'" }
        Invoke-TestSql $provider $exists | Should -Be '0'
    }

    It 'refuses what cannot be granted safely, with a clear error' {
        if ($provider -eq 'PostgreSql') {
            $other = Get-TestUniqueName 'T_OWNED'
            New-TestStockTable $provider $other
            $err = { Grant-BatchAccess -Role $login -Capability WorkTables -Table $other -Connection $admin -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'OwnerNotGrantable,*'
            $err.Exception.Message | Should -BeLike "*owned by $($setting.User)*role without LOGIN*"
        } else {
            $err = { Grant-BatchAccess -Role $login -Capability ChangeCapture -Connection $admin -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'NotSupported,*'
        }
        $err = { Grant-BatchAccess -Role "${login}_x" -Capability Ledger -Connection $admin -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'LoginNotFound,*'
        $err.Exception.Message | Should -BeLike '*give -Credential to create it*'
        $err = { Grant-BatchAccess -Role $login -Capability WorkTables -Connection $admin -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*WorkTables capability needs -Table*'
    }
}
