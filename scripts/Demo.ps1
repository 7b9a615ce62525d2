<#
.SYNOPSIS
    The seed article's scenario with BatchDb, on the throwaway servers: replace warehouse 1's stock behind a live table.
.DESCRIPTION
    For each engine whose server is configured (BATCHDB_TEST_MYSQL, BATCHDB_TEST_POSTGRES, as scripts/test-servers.sh
    sets them; at least one must be): creates T_STOCK as the article does and fills it from samples/seed002/T_STOCK.csv with the engine's
    client, shows warehouses 1 and 3, then with BatchDb creates the work table T_STOCK_S01, loads T_STOCK_S01.csv,
    switches it in, shows both tables, and swaps back. Run it with: bash scripts/demo.sh
#>
[CmdletBinding()]
param([ValidateSet('MySql', 'PostgreSql')] [string[]] $Provider = @('MySql', 'PostgreSql'))

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$samples = Join-Path $root 'samples/seed002'
Import-Module (Join-Path $root 'out/BatchDb')

function Get-Setting([string] $ConnectionString) {
    $settings = @{}
    foreach ($pair in $ConnectionString -split ';') { $key, $value = $pair -split '=', 2; if ($key) { $settings[$key.Trim().ToLowerInvariant()] = $value } }
    $settings
}

# Runs SQL with the engine's own client, which prints tables as the article shows them.
function Invoke-Client([string] $Engine, [hashtable] $s, [string] $Sql) {
    if ($Engine -eq 'PostgreSql') {
        $env:PGPASSWORD = $s['password']
        $env:PGOPTIONS = '-c client_min_messages=warning'
        $Sql | & psql -X -q -v ON_ERROR_STOP=1 -h $s['host'] -p $s['port'] -U $s['username'] -d $s['database']
    } else {
        $Sql | & mariadb --no-defaults --local-infile=1 -t -h $s['server'] -P $s['port'] -u $s['user id'] "-p$($s['password'])" -D $s['database']
    }
    if ($LASTEXITCODE -ne 0) { throw "$Engine client failed ($LASTEXITCODE)" }
}

$servers = @{ MySql = $env:BATCHDB_TEST_MYSQL; PostgreSql = $env:BATCHDB_TEST_POSTGRES }
if (-not ($Provider | Where-Object { $servers[$_] })) {
    throw "No database server is configured: run this through scripts/test-servers.sh run -- (bash scripts/demo.sh does)."
}
foreach ($engine in $Provider | Where-Object { $servers[$_] }) {
    $connectionString = $servers[$engine]
    $s = Get-Setting $connectionString
    $show = 'SELECT * FROM T_STOCK WHERE STOCKHOUSE_ID IN (1,3) ORDER BY STOCKHOUSE_ID, ITEM_ID;'

    Write-Host "`n=== $engine : the live table T_STOCK, partitioned by warehouse, as the article creates and fills it" -ForegroundColor Cyan
    $ddl = Get-Content (Join-Path $samples "T_STOCK.$($engine.ToLowerInvariant()).sql") -Raw
    Invoke-Client $engine $s ($ddl -replace '\{T_STOCK_CSV\}', (Join-Path $samples 'T_STOCK.csv')) | Out-Null
    Invoke-Client $engine $s $show

    Write-Host "`n=== BatchDb: the work table, with the partition's definition" -ForegroundColor Cyan
    $connection = Connect-BatchDb -Provider $engine -ConnectionString $connectionString -Name "demo-$engine"
    New-WorkTable -Table T_STOCK -Partition P_S01 -WorkTable T_STOCK_S01 -Force -Confirm:$false | Format-Table | Out-String -Width 120 | Write-Host

    Write-Host "=== BatchDb: load warehouse 1's new stock off screen, check it, switch it in" -ForegroundColor Cyan
    Import-WorkTable -Table T_STOCK -Partition P_S01 -WorkTable T_STOCK_S01 -Path (Join-Path $samples 'T_STOCK_S01.csv') |
        Switch-Partition -Confirm:$false | Format-Table | Out-String -Width 120 | Write-Host
    Write-Host 'Warehouse 1 now has the new amounts and time; warehouse 3 is untouched:'
    Invoke-Client $engine $s $show
    Write-Host 'The old rows wait in the work table:'
    Invoke-Client $engine $s 'SELECT * FROM T_STOCK_S01 ORDER BY ITEM_ID;'

    Write-Host "`n=== BatchDb: swap back" -ForegroundColor Cyan
    Switch-Partition -Table T_STOCK -Partition P_S01 -WorkTable T_STOCK_S01 -Confirm:$false | Format-Table | Out-String -Width 120 | Write-Host
    Invoke-Client $engine $s $show
    Disconnect-BatchDb -Connection $connection
}
