# One worker of the morning stock refresh (seed 000 §10): the warehouses' files in $env:BATCHDB_INCOMING are dealt
# among the Job's pods by Select-BatchShare; this pod imports and switches its share. Its share is the pod's
# JOB_COMPLETION_INDEX (a Kubernetes Indexed Job sets it), and BATCHDB_WORKERS is the Job's completions.
# BATCHDB_RUN is the Job's name: a pod restarted within the same Job resumes its share, skipping the files it finished.
# Connection settings come from the environment; the password from a Secret, never from the image.
$ErrorActionPreference = 'Stop'
Import-Module BatchDb

$credential = [pscredential]::new($env:BATCHDB_USER, (ConvertTo-SecureString $env:BATCHDB_PASSWORD -AsPlainText -Force))
Connect-BatchDb -Provider $env:BATCHDB_PROVIDER -Server $env:BATCHDB_SERVER -Port ([int]$env:BATCHDB_PORT) -Database $env:BATCHDB_DATABASE `
    -Credential $credential -Name batch | Out-Null

# A file T_STOCK_S03.csv holds warehouse 3, for partition P_S03 (on PostgreSQL: <table>_p_s03).
$table = $env:BATCHDB_TABLE
Invoke-BatchJob -Name "$table-morning" -PartitionCount ([int]$env:BATCHDB_WORKERS) -ResumeKey $env:BATCHDB_RUN -Timeout '00:30:00' -MaxAttempts 3 -Confirm:$false -ScriptBlock {
    Get-ChildItem $env:BATCHDB_INCOMING -Filter 'T_STOCK_S*.csv' | ForEach-Object Name | Select-BatchShare | ForEach-Object {
        $suffix = $_ -replace '^T_STOCK_(S\d+)\.csv$', '$1'
        $partition = if ($env:BATCHDB_PROVIDER -eq 'PostgreSql') { "${table}_p_$($suffix.ToLowerInvariant())" } else { "P_$suffix" }
        Import-WorkTable -Table $table -Partition $partition -Path (Join-Path $env:BATCHDB_INCOMING $_) | Switch-Partition -Confirm:$false
    }
}
