# The morning burst as BatchDb runs it: the warehouses' files load concurrently through one connection, and one
# Switch-Partition switches each as its load ends, then refreshes the table's statistics once.
param(
    [Parameter(Mandatory)] [string] $Provider,
    [Parameter(Mandatory)] [string] $Table,
    # partition=work table=file, one per warehouse, separated by ';'
    [Parameter(Mandatory)] [string] $Warehouses
)
$ErrorActionPreference = 'Stop'
$started = [Diagnostics.Stopwatch]::StartNew()
$module = Join-Path $PSScriptRoot '../../out/BatchDb'
Import-Module $module
$connection = Connect-BatchDb -Provider $Provider -ConnectionString $env:BATCHDB_BENCH_CONNECTION -Name burst
$switched = $Warehouses.Split(';') | ForEach-Object -ThrottleLimit 10 -Parallel {
    Import-Module $using:module
    $partition, $work, $file = $_.Split('=')
    Import-WorkTable -Connection $using:connection -Table $using:Table -Partition $partition -WorkTable $work -Path $file
} | Switch-Partition -Confirm:$false
if (@($switched).Count -ne $Warehouses.Split(';').Count) { throw "Only $(@($switched).Count) partitions were switched." }
'{0:F3}' -f $started.Elapsed.TotalSeconds
