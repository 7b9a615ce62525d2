<#
.SYNOPSIS
    An Azure Automation runbook: one worker's share of the morning stock refresh, on a Hybrid Runbook Worker that
    sees the incoming folder. Start it N times at once (-Share 0 … N-1, -Workers N), from a schedule or a parent
    runbook; a failed share is started again on its own, and on the same -BusinessDay it skips the files it finished.
.NOTES
    Import the module from out/package/BatchDb.zip (`bash scripts/package.sh`). The login is an Automation
    credential asset (made with Grant-BatchAccess), never a literal in the runbook.
#>
param(
    [Parameter(Mandatory)] [int] $Share,
    [int] $Workers = 3,
    [string] $Provider = 'PostgreSql',
    [string] $Server = 'batch-db.internal',
    [int] $Port = 5432,
    [string] $Database = 'shop',
    [string] $Table = 't_stock',
    [string] $Incoming = 'D:\batch\incoming',
    [string] $CredentialName = 'batchdb-processor',
    [string] $BusinessDay = (Get-Date -Format 'yyyy-MM-dd')
)
$ErrorActionPreference = 'Stop'
Import-Module BatchDb

$credential = Get-AutomationPSCredential -Name $CredentialName
Connect-BatchDb -Provider $Provider -Server $Server -Port $Port -Database $Database -Credential $credential -Name batch | Out-Null

Invoke-BatchJob -Name "$Table-morning" -PartitionCount $Workers -PartitionIndex $Share -ResumeKey $BusinessDay -Timeout '00:30:00' -MaxAttempts 3 -Confirm:$false -ScriptBlock {
    Get-ChildItem $Incoming -Filter 'T_STOCK_S*.csv' | ForEach-Object Name | Select-BatchShare | ForEach-Object {
        $suffix = $_ -replace '^T_STOCK_(S\d+)\.csv$', '$1'
        $partition = if ($Provider -eq 'PostgreSql') { "${Table}_p_$($suffix.ToLowerInvariant())" } else { "P_$suffix" }
        Import-WorkTable -Table $Table -Partition $partition -Path (Join-Path $Incoming $_) | Switch-Partition -Confirm:$false
    }
} -PassThru | Select-Object -Last 1
