# A batch split among workers, as a Kubernetes Indexed Job runs it: three pwsh processes (JOB_COMPLETION_INDEX 0..2)
# import and switch ten warehouses' files together; one is killed half way and rerun for its share alone.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
}

Describe 'Select-BatchShare' {
    It 'deals items by name: disjoint shares that together hold each item once, whatever the order' {
        $items = 1..10 | ForEach-Object { 'P_S{0:d2}' -f $_ }
        $shares = 0..2 | ForEach-Object { , @($items | Select-BatchShare -Index $_ -Count 3) }
        $shares[0] | Should -Be @('P_S01', 'P_S04', 'P_S07', 'P_S10')
        ($shares | ForEach-Object { $_ }) | Sort-Object | Should -Be $items
        @($items | Sort-Object -Descending | Select-BatchShare -Index 1 -Count 3) | Should -Be $shares[1]
        { 'a' | Select-BatchShare -ErrorAction Stop } | Should -Throw -ExpectedMessage '*inside Invoke-BatchJob -PartitionCount*'
    }
}

Describe 'Ten warehouses switched by three workers on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = (Get-TestUniqueName 'T_MORNING').ToLowerInvariant()
        $partitions = 1..10 | ForEach-Object { if ($provider -eq 'PostgreSql') { '{0}_p_s{1:d2}' -f $table, $_ } else { 'P_S{0:d2}' -f $_ } }
        $columns = '(stockhouse_id int, item_id char(10), amount int, ver_id char(1), upd_dttm timestamp'
        if ($provider -eq 'PostgreSql') {
            Invoke-TestSql $provider (@("CREATE TABLE $table $columns, PRIMARY KEY (stockhouse_id, item_id)) PARTITION BY LIST (stockhouse_id);") +
                (1..10 | ForEach-Object { "CREATE TABLE $($partitions[$_ - 1]) PARTITION OF $table FOR VALUES IN ($_);" }) -join "`n")
        } else {
            Invoke-TestSql $provider "CREATE TABLE $table $columns, PRIMARY KEY (stockhouse_id, item_id)) PARTITION BY LIST (stockhouse_id) ($((1..10 | ForEach-Object { "PARTITION $($partitions[$_ - 1]) VALUES IN ($_)" }) -join ', '))"
        }
        Invoke-TestSql $provider "INSERT INTO $table SELECT w, 'OLD', 0, '1', '2026-11-29 10:00:00' FROM (SELECT 1 AS w $(2..10 | ForEach-Object { "UNION ALL SELECT $_" })) ws"
        $folder = Join-Path $TestDrive $provider
        New-Item -ItemType Directory $folder | Out-Null
        for ($w = 1; $w -le 10; $w++) {
            Set-Content (Join-Path $folder "$($partitions[$w - 1]).csv") (1..2000 | ForEach-Object { "$w,ITEM-$_,$($w * 1000 + $_),2,2026-11-30 10:00:00" })
        }
        $connection = Connect-TestServer $provider -Name "morning-$provider"
        Initialize-BatchSchema -Connection $connection -Confirm:$false | Out-Null
        $ledger = Get-LedgerTable $provider

        $worker = Join-Path $TestDrive "worker-$provider.ps1"
        Set-Content $worker @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-TestModulePath)'
Connect-BatchDb -Provider $provider -ConnectionString '$(Get-TestConnectionString $provider)' | Out-Null
`$started = 0
Invoke-BatchJob -Name $table -PartitionCount 3 -ResumeKey morning-2026-11-30 -HeartbeatSeconds 1 -Confirm:`$false -ScriptBlock {
    '$($partitions -join "', '")' | Select-BatchShare | ForEach-Object {
        if (`$env:MORNING_STALL -and `$started++) { Start-Sleep -Seconds 120 }
        Import-WorkTable -Table $table -Partition `$_ -Path (Join-Path '$folder' "`$_.csv") | Switch-Partition -Confirm:`$false | Out-Null
    }
}
"@
        function Start-Worker([int] $Index, [switch] $Stall) {
            Start-TestPwsh $worker (@{ JOB_COMPLETION_INDEX = $Index } + $(if ($Stall) { @{ MORNING_STALL = '1' } } else { @{} }))
        }
        function Get-Switched {
            Invoke-TestSql $provider "SELECT p.batch_name, p.status, c.parameters FROM $ledger c JOIN $ledger p ON p.execution_id = c.parent_id WHERE p.batch_name LIKE '$table share %' AND c.operation = 'Switch-Partition' AND c.status = 'Succeeded' ORDER BY c.execution_id"
        }
    }

    It 'switches every warehouse once across the three shares, one of them killed half way and rerun for its share alone' {
        $workers = @((Start-Worker 0), (Start-Worker 1 -Stall), (Start-Worker 2))
        foreach ($index in 0, 2) {
            $workers[$index].WaitForExit(120000) | Should -BeTrue
            $workers[$index].ExitCode | Should -Be 0 -Because $workers[$index].StandardError.ReadToEnd()
        }

        # Share 1 stalls once its first warehouse is done: kill it there, as a pod lost to its node.
        $deadline = (Get-Date).AddSeconds(60)
        while ((Invoke-TestSql $provider "SELECT COUNT(*) FROM $ledger c JOIN $ledger p ON p.execution_id = c.parent_id WHERE p.batch_name = '$table share 1/3' AND c.operation = 'Select-BatchShare' AND c.status = 'Succeeded'") -ne '1' -and (Get-Date) -lt $deadline) {
            Start-Sleep -Milliseconds 200
        }
        $workers[1].Kill($true)
        $workers[1].WaitForExit()

        # The rerun of share 1 (a Job's restartPolicy OnFailure) takes its lock once the killed session is gone.
        $rerun = Start-Worker 1
        $rerun.WaitForExit(120000) | Should -BeTrue
        $rerun.ExitCode | Should -Be 0 -Because $rerun.StandardError.ReadToEnd()

        Invoke-TestSql $provider "SELECT stockhouse_id, COUNT(*), MIN(amount) FROM $table GROUP BY stockhouse_id ORDER BY stockhouse_id" |
            Should -Be (1..10 | ForEach-Object { "$_|2000|$($_ * 1000 + 1)" })
        Invoke-TestSql $provider "SELECT batch_name, status FROM $ledger WHERE batch_name LIKE '$table share %' AND parent_id IS NULL ORDER BY batch_name, execution_id" |
            Should -Be @("$table share 0/3|Succeeded", "$table share 1/3|Abandoned", "$table share 1/3|Succeeded", "$table share 2/3|Succeeded")
        $switched = @(Get-Switched)
        $switched | Should -HaveCount 10 -Because 'each warehouse is switched once in all, the killed run included'
        foreach ($partition in $partitions) { @($switched | Where-Object { $_ -like "*`"$partition`"*" }) | Should -HaveCount 1 }
        @($switched | Where-Object { $_ -like "$table share 1/3|Abandoned|*" }) | Should -HaveCount 1
        @($switched | Where-Object { $_ -like "$table share 1/3|Succeeded|*" }) | Should -HaveCount 2 -Because 'the rerun skipped the warehouse the killed run had done'
    }

    It 'skips in a retried attempt the items that the failed attempt completed' {
        $script:attempts = 0
        $done = Invoke-BatchJob -Name "$table-retry" -PartitionCount 1 -PartitionIndex 0 -MaxAttempts 2 -RetryDelay 0 -Connection $connection -Confirm:$false -WarningAction Ignore -ScriptBlock {
            'b', 'a', 'c' | Select-BatchShare | ForEach-Object {
                if ($_ -eq 'b' -and $script:attempts++ -eq 0) {
                    # A server that does not answer: ConnectionFailed, which Invoke-BatchJob retries.
                    Connect-BatchDb -Provider $provider -Server 127.0.0.1 -Port 1 -Database none -Credential ([pscredential]::new('none', (ConvertTo-SecureString 'x' -AsPlainText -Force)))
                }
                "did $_"
            }
        }
        $done | Should -Be @('did b', 'did c') -Because "attempt 2 skips 'a', which attempt 1 completed"
        Invoke-TestSql $provider "SELECT c.attempt, p.attempt, p.status, c.status, c.parameters FROM $ledger c JOIN $ledger p ON p.execution_id = c.parent_id WHERE p.batch_name = '$table-retry share 0/1' ORDER BY c.execution_id" |
            ForEach-Object { $_ -replace ' ', '' } |
            Should -Be @('1|1|Failed|Succeeded|{"Item":"a"}', '1|1|Failed|Failed|{"Item":"b"}', '1|2|Succeeded|Succeeded|{"Item":"b"}', '1|2|Succeeded|Succeeded|{"Item":"c"}')
    }

    It 'shows the shares and the whole batch in Get-BatchExecution and Get-BatchStatistic' {
        $runs = @(Get-BatchExecution -Name $table -Connection $connection | Where-Object ParentId -eq $null)
        $runs.BatchName | Sort-Object -Unique | Should -Be @("$table share 0/3", "$table share 1/3", "$table share 2/3")
        $statistics = @(Get-BatchStatistic -Name $table -Connection $connection)
        @(Get-BatchStatistic -Name "$table-retry" -Connection $connection).BatchName | Should -Be @("$table-retry", "$table-retry share 0/1")
        $statistics.BatchName | Should -Be @($table, "$table share 0/3", "$table share 1/3", "$table share 2/3")
        $whole = $statistics[0]
        $whole.Shares | Should -Be 3
        ($whole.Executions, $whole.Succeeded, $whole.Failed, $whole.Running) | Should -Be @(4, 3, 1, 0)
        $whole.MaxDuration | Should -Be (($statistics | Select-Object -Skip 1).MaxDuration | Sort-Object | Select-Object -Last 1)
        $statistics[2].Shares | Should -BeNullOrEmpty
        ($statistics[2].Executions, $statistics[2].Failed) | Should -Be @(2, 1)
    }
}
