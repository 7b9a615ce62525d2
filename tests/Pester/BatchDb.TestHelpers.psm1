# Helpers for the Pester tests: the built module, the throwaway servers (scripts/test-servers.sh) and their
# command-line clients, which set up and read the tables independently of BatchDb.
Set-StrictMode -Version 3.0

$script:Repository = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Variables = @{ MySql = 'BATCHDB_TEST_MYSQL'; PostgreSql = 'BATCHDB_TEST_POSTGRES' }

function Get-TestModulePath { Join-Path $script:Repository 'out/BatchDb' }

function Import-BuiltBatchDb {
    $path = Get-TestModulePath
    if (-not (Test-Path (Join-Path $path 'BatchDb.psd1'))) { throw "The module is not built at $path. Run: bash scripts/build.sh" }
    Import-Module $path -Force -Global
}

function Get-TestDataPath([string] $Name) { Join-Path $script:Repository "samples/seed002/$Name" }

# The engines whose test server is configured. Without one, a test is skipped locally and fails under CI=true.
function Get-TestEngine {
    foreach ($engine in 'MySql', 'PostgreSql') {
        if (Get-TestConnectionString $engine) { $engine }
        elseif ($env:CI -eq 'true') { throw "$($script:Variables[$engine]) is not set: run the tests through scripts/test-servers.sh run -- …" }
    }
}

function Get-TestConnectionString([string] $Provider, [string] $Database) {
    $text = [Environment]::GetEnvironmentVariable($script:Variables[$Provider])
    if (-not $text) { return $null }
    if ($Database) { $text = $text -replace '(?i)(Database=)[^;]*', "`${1}$Database" }
    $text
}

function Get-TestServerSetting([string] $Provider) {
    $settings = @{}
    foreach ($pair in (Get-TestConnectionString $Provider) -split ';') {
        $key, $value = $pair -split '=', 2
        if ($key) { $settings[$key.Trim().ToLowerInvariant()] = $value }
    }
    [pscustomobject]@{
        Server   = if ($settings['server']) { $settings['server'] } else { $settings['host'] }
        Port     = [int]$settings['port']
        Database = $settings['database']
        User     = if ($settings['user id']) { $settings['user id'] } else { $settings['username'] }
        Password = $settings['password']
    }
}

function Get-TestCredential([string] $Provider) {
    $setting = Get-TestServerSetting $Provider
    [pscredential]::new($setting.User, (ConvertTo-SecureString $setting.Password -AsPlainText -Force))
}

function Connect-TestServer([string] $Provider, [string] $Name = 'test', [string] $Database) {
    Connect-BatchDb -Provider $Provider -ConnectionString (Get-TestConnectionString $Provider $Database) -Name $Name
}

# A [powershell] in a new runspace with the built module imported and a default connection to the engine's test
# server: for watching its streams, or stopping it, from the test.
function New-TestPowerShell([string] $Provider) {
    $ps = [powershell]::Create()
    $null = $ps.AddCommand('Import-Module').AddArgument((Get-TestModulePath)).AddStatement().
        AddCommand('Connect-BatchDb').AddParameters(@{ Provider = $Provider; ConnectionString = (Get-TestConnectionString $Provider) }).
        AddCommand('Out-Null')
    $ps.Invoke() | Out-Null
    if ($ps.HadErrors) { throw "Could not prepare the runspace: $($ps.Streams.Error -join '; ')" }
    $ps.Commands.Clear()
    $ps
}

# Stops a [powershell] from New-TestPowerShell that BeginInvoke started, disposes it with its runspace, and returns
# how long Stop() took and the state it left the invocation in.
function Stop-TestPowerShell([powershell] $PowerShell) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $PowerShell.Stop()
    $watch.Stop()
    $state = $PowerShell.InvocationStateInfo.State
    $PowerShell.Runspace.Dispose()
    $PowerShell.Dispose()
    [pscustomobject]@{ Seconds = $watch.Elapsed.TotalSeconds; State = $state }
}

# Runs SQL through the engine's own client (psql / mariadb) and returns each row as 'a|b|c'.
function Invoke-TestSql {
    param([Parameter(Mandatory)][string] $Provider, [Parameter(Mandatory)][string] $Sql, [string] $Database)
    $s = Get-TestServerSetting $Provider
    if (-not $Database) { $Database = $s.Database }
    if ($Provider -eq 'PostgreSql') {
        $env:PGPASSWORD = $s.Password
        $env:PGOPTIONS = "-c client_min_messages=warning"
        $output = $Sql | & psql -X -q -h $s.Server -p $s.Port -U $s.User -d $Database -v ON_ERROR_STOP=1 -A -t -F '|' 2>&1
    } else {
        $output = $Sql | & mariadb --no-defaults --local-infile=1 -h $s.Server -P $s.Port -u $s.User "-p$($s.Password)" -D $Database -N -B 2>&1
    }
    if ($LASTEXITCODE -ne 0) { throw "SQL failed on $Provider ($LASTEXITCODE): $($output -join "`n")`n$Sql" }
    foreach ($line in $output) { if ("$line" -ne '') { "$line" -replace "`t", '|' } }
}

# A fresh database (MySQL) or database (PostgreSQL) of that name, dropped first if it exists.
function New-TestDatabase([string] $Provider, [string] $Name) {
    if ($Provider -eq 'PostgreSql') {
        # A database with a logical replication slot (a change capture) cannot be dropped, even by force.
        Invoke-TestSql $Provider "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '$Name'" | Out-Null
        Invoke-TestSql $Provider "DROP DATABASE IF EXISTS $Name WITH (FORCE)"
        Invoke-TestSql $Provider "CREATE DATABASE $Name"
    } else {
        Invoke-TestSql $Provider "DROP DATABASE IF EXISTS $Name; CREATE DATABASE $Name CHARACTER SET utf8mb4"
    }
}

function Get-TestUniqueName([string] $Prefix) { "{0}_{1}" -f $Prefix, [guid]::NewGuid().ToString('N').Substring(0, 8) }

# The seed's T_STOCK: LIST partitions for warehouses 1..5, PK + IDX_NO1, loaded with T_STOCK.csv (50 rows).
# On PostgreSQL the partitions are the tables <name>_p_s01 … <name>_p_s05, names folded to lower case.
function New-TestStockTable {
    param([string] $Provider, [string] $Name = 'T_STOCK', [string] $Database)
    $csv = Get-TestDataPath 'T_STOCK.csv'
    if ($Provider -eq 'PostgreSql') {
        $n = $Name.ToLowerInvariant()
        $partitions = (1..5 | ForEach-Object { "CREATE TABLE ${n}_p_s0$_ PARTITION OF $n FOR VALUES IN ($_);" }) -join "`n"
        Invoke-TestSql $Provider -Database $Database @"
DROP TABLE IF EXISTS $n CASCADE;
CREATE TABLE $n (stockhouse_id int, item_id char(10), amount int, ver_id char(1), upd_dttm timestamp) PARTITION BY LIST (stockhouse_id);
$partitions
CREATE INDEX ${n}_idx_no1 ON $n (stockhouse_id, item_id);
ALTER TABLE $n ADD CONSTRAINT ${n}_pk_no1 PRIMARY KEY (stockhouse_id, item_id);
\copy $n FROM '$csv' (FORMAT csv)
ANALYZE $n;
"@
    } else {
        Invoke-TestSql $Provider -Database $Database @"
DROP TABLE IF EXISTS $Name;
CREATE TABLE $Name (STOCKHOUSE_ID INT, ITEM_ID CHAR(10), AMOUNT INT, VER_ID CHAR(1), UPD_DTTM DATETIME)
PARTITION BY LIST(STOCKHOUSE_ID) (
  PARTITION P_S01 VALUES IN (1), PARTITION P_S02 VALUES IN (2), PARTITION P_S03 VALUES IN (3),
  PARTITION P_S04 VALUES IN (4), PARTITION P_S05 VALUES IN (5));
CREATE INDEX IDX_NO1 ON $Name (STOCKHOUSE_ID, ITEM_ID);
ALTER TABLE $Name ADD CONSTRAINT PK_NO1 PRIMARY KEY(STOCKHOUSE_ID, ITEM_ID);
LOAD DATA LOCAL INFILE '$csv' INTO TABLE $Name FIELDS TERMINATED BY ',' ENCLOSED BY '"' (STOCKHOUSE_ID, ITEM_ID, AMOUNT, VER_ID, UPD_DTTM);
ANALYZE TABLE $Name;
"@ | Out-Null
    }
}

# A table's indexes, named so that a work table and the partition it stands in for compare equal: on PostgreSQL
# 'primary|unique|column numbers', on MySQL 'name|non-unique|columns'.
function Get-TestIndex([string] $Provider, [string] $Table) {
    if ($Provider -eq 'PostgreSql') {
        Invoke-TestSql $Provider "SELECT indisprimary, indisunique, indkey::text FROM pg_index WHERE indrelid = '$($Table.ToLowerInvariant())'::regclass ORDER BY 1, 2, 3"
    } else {
        Invoke-TestSql $Provider "SELECT INDEX_NAME, NON_UNIQUE, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$Table' GROUP BY INDEX_NAME, NON_UNIQUE ORDER BY INDEX_NAME"
    }
}

# The partition argument the engine expects for warehouse N of a table made by New-TestStockTable.
function Get-TestPartitionName([string] $Provider, [string] $Table, [int] $Warehouse) {
    if ($Provider -eq 'PostgreSql') { "$($Table.ToLowerInvariant())_p_s0$Warehouse" } else { "P_S0$Warehouse" }
}

# Rows of warehouses 1 and 3 as the seed's article lists them: 'id|item|amount|ver|yyyy-MM-dd HH:mm:ss'.
function Get-TestStockRow([string] $Provider, [string] $Table, [int[]] $Warehouse = @(1, 3), [string] $Database) {
    $time = if ($Provider -eq 'PostgreSql') { "to_char(upd_dttm, 'YYYY-MM-DD HH24:MI:SS')" } else { 'UPD_DTTM' }
    Invoke-TestSql $Provider -Database $Database "SELECT STOCKHOUSE_ID, ITEM_ID, AMOUNT, VER_ID, $time FROM $Table WHERE STOCKHOUSE_ID IN ($($Warehouse -join ',')) ORDER BY STOCKHOUSE_ID, ITEM_ID"
}

# The ledger's executions table as SQL names it: schema batch on PostgreSQL, the connection's database on MySQL.
function Get-LedgerTable([string] $Provider, [string] $Name = 'batch_executions') { if ($Provider -eq 'PostgreSql') { "batch.$Name" } else { $Name } }

# A CSV of warehouse 1 with $Rows rows (1.5M is about 60 MB): a load that runs long enough to be stopped, killed or watched.
function New-TestBigCsv([string] $Path, [int] $Rows = 1500000) {
    $writer = [IO.StreamWriter]::new($Path)
    try { for ($i = 0; $i -lt $Rows; $i++) { $writer.WriteLine("1,X$i,$i,9,2026-11-30 01:00:00") } }
    finally { $writer.Dispose() }
}

# The session (pid or thread id) that runs the bulk load into a work table of $Table, once it runs; other test files
# load at the same time, so only this table's load is matched.
function Find-TestLoadingSession([string] $Provider, [string] $Table, [string] $Database, [int] $TimeoutSeconds = 30) {
    $find = if ($Provider -eq 'PostgreSql') { "SELECT pid FROM pg_stat_activity WHERE query ILIKE 'COPY %$Table%' AND state = 'active' AND pid <> pg_backend_pid()" }
            else { "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA%$Table%'" }
    $deadline = (Get-Date).AddSeconds($TimeoutSeconds)
    while ((Get-Date) -lt $deadline) {
        $id = Invoke-TestSql $Provider $find -Database $Database | Select-Object -First 1
        if ($id) { return $id }
        Start-Sleep -Milliseconds 50
    }
    throw "No bulk load into $Table started on $Provider within $TimeoutSeconds s"
}

# A pwsh process (the repository's dotnet tool) running a script, with these environment variables added; its
# output and errors are redirected for the caller to read.
function Start-TestPwsh([string] $Script, [hashtable] $Environment = @{}) {
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in 'pwsh', '-NoProfile', '-NonInteractive', '-File', $Script) { $start.ArgumentList.Add($argument) }
    $start.WorkingDirectory = $script:Repository
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = "$($Environment[$name])" }
    [Diagnostics.Process]::Start($start)
}

Export-ModuleMember -Function *
