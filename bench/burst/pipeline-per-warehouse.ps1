# The morning burst as a first script writes it: a runspace per warehouse, each with its own connection and its own
# Import-WorkTable | Switch-Partition pipeline.
param(
    [Parameter(Mandatory)] [string] $Provider,
    [Parameter(Mandatory)] [string] $Table,
    # partition=work table=file, one per warehouse, separated by ';'
    [Parameter(Mandatory)] [string] $Warehouses
)
$ErrorActionPreference = 'Stop'
$started = [Diagnostics.Stopwatch]::StartNew()
$module = Join-Path $PSScriptRoot '../../out/BatchDb'
$switched = $Warehouses.Split(';') | ForEach-Object -ThrottleLimit 10 -Parallel {
    $ErrorActionPreference = 'Stop'
    Import-Module $using:module
    $partition, $work, $file = $_.Split('=')
    $connection = Connect-BatchDb -Provider $using:Provider -ConnectionString $env:BATCHDB_BENCH_CONNECTION -Name $partition
    Import-WorkTable -Connection $connection -Table $using:Table -Partition $partition -WorkTable $work -Path $file | Switch-Partition -Confirm:$false
}
if (@($switched).Count -ne $Warehouses.Split(';').Count) { throw "Only $(@($switched).Count) partitions were switched." }
'{0:F3}' -f $started.Elapsed.TotalSeconds
