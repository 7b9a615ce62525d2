# Tab completion through TabExpansion2, as the console asks for it.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
    function Complete([string] $line) { @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) }
}

Describe 'Completion on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_CMPL'
        New-TestStockTable $provider $table
        $name = "cmpl-$provider"
        Connect-TestServer $provider -Name $name | Out-Null
        $shown = if ($provider -eq 'PostgreSql') { $table.ToLowerInvariant() } else { $table }
    }

    It '-Connection offers this session''s connection names' {
        Complete "Import-WorkTable -Connection cmpl-" | Should -Contain $name
        Complete "Get-BatchDbConnection -Name cmpl-" | Should -Contain $name
    }

    It '-Table offers the tables of the chosen connection' {
        Complete "Import-WorkTable -Connection $name -Table $($table.Substring(0, 12))" | Should -Be @($shown)
        Complete "Switch-Partition -Connection $name -Table $($table.Substring(0, 12))" | Should -Be @($shown)
        Complete "Copy-BatchData -Source $name -SourceTable $($table.Substring(0, 12))" | Should -Be @($shown)
    }

    It '-Table offers a schema''s tables after schema.' {
        $schema = if ($provider -eq 'PostgreSql') { 'public' } else { (Get-TestServerSetting $provider).Database }
        Complete "Import-WorkTable -Connection $name -Table $schema.$($table.Substring(0, 12))" | Should -Be @("$schema.$shown")
    }

    It 'Grant-BatchAccess -Role offers the server''s roles or users, and -Capability the capabilities' {
        $user = (Get-TestServerSetting $provider).User
        Complete "Grant-BatchAccess -Connection $name -Role $($user.Substring(0, 4))" | Should -Contain $user
        Complete "Test-BatchAccess -Connection $name -Capability Sta" | Should -Be @('Staging')
    }

    It '-Partition offers the partitions of -Table' {
        $expected = 1..5 | ForEach-Object { Get-TestPartitionName $provider $table $_ }
        Complete "Import-WorkTable -Connection $name -Table $table -Partition " | Should -Be $expected
        Complete "Switch-Partition -Connection $name -Table $table -Partition " | Should -Be $expected
    }

    It 'offers nothing, quickly, for a connection name that does not exist' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Complete "Import-WorkTable -Connection nosuch -Table T" | Should -BeNullOrEmpty
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
    }

    It 'batch names come from the ledger' {
        Initialize-BatchSchema -Connection $name -Confirm:$false | Out-Null
        Register-BatchSchedule -Name "cmpl-batch-$provider" -CronExpression '0 3 * * *' -Connection $name -Confirm:$false | Out-Null
        Complete "Get-BatchExecution -Connection $name -Name cmpl-batch" | Should -Contain "cmpl-batch-$provider"
        Complete "Invoke-BatchJob -Connection $name -Name cmpl-batch" | Should -Contain "cmpl-batch-$provider"
        Complete "Import-WorkTable -Connection $name -BatchName cmpl-batch" | Should -Contain "cmpl-batch-$provider"
    }
}

Describe 'Completion of change capture names' -Skip:('PostgreSql' -notin @(Get-TestEngine)) {
    It 'offers the captures of -Connection, or of -Source where the command has one' {
        $capture = "cmpl_$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        Invoke-TestSql PostgreSql "DROP TABLE IF EXISTS $capture; CREATE TABLE $capture (id int PRIMARY KEY)"
        $source = Connect-TestServer PostgreSql -Name cmpl-source
        New-ChangeCapture -Name $capture -Table $capture -Connection $source | Out-Null
        try {
            Complete "Get-ChangeCapture -Connection cmpl-source -Name $($capture.Substring(0, 9))" | Should -Be @($capture)
            Complete "Remove-ChangeCapture -Connection cmpl-source -Name $($capture.Substring(0, 9))" | Should -Be @($capture)
            Complete "Receive-ChangeCapture -Source cmpl-source -Name $($capture.Substring(0, 9))" | Should -Be @($capture)
        } finally { Remove-ChangeCapture -Name $capture -Connection $source -Confirm:$false }
    }
}

Describe 'Completion without a database' {
    It '-Encoding offers the supported encodings' {
        Complete 'Import-WorkTable -Encoding s' | Should -Be @('shift_jis')
        (Complete 'Import-WorkTable -Encoding ').Count | Should -BeGreaterOrEqual 7
    }

    It '-TimeZone offers IANA ids' {
        Complete 'Register-BatchSchedule -TimeZone Asia/Tok' | Should -Be @('Asia/Tokyo')
        Complete 'Invoke-DailyAggregate -TimeZone Europe/Berl' | Should -Be @('Europe/Berlin')
    }
}
